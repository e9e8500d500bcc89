extension Tensor: CustomStringConvertible {
    /// PyTorch's `str(tensor)` text for the same values: four decimals with aligned columns,
    /// integral floats as `1.`, scientific notation for wide ranges, `True`/`False`, and `...`
    /// summaries past 1000 elements. A dtype PyTorch would name (anything but `Float`, `Int64`
    /// and `Bool`) is added as `dtype: Double`, and the shape of an empty tensor as `shape: [0, 3]`.
    ///
    /// ```swift
    /// print(Tensor<Float>(shape: [2, 2], scalars: [0.5, -2, 1, 12.25]))
    /// // tensor([[ 0.5000, -2.0000],
    /// //         [ 1.0000, 12.2500]])
    /// print(Tensor<Double>([1, 2]))     // tensor([1., 2.], dtype: Double)
    /// ```
    public var description: String { formattedDescription(suffixes: []) }

    /// The ``description`` with `suffixes` appended inside the parentheses, the way PyTorch
    /// appends `requires_grad=True` or `grad_fn=<…>`: after `, `, or on a line of its own
    /// indented by 7 spaces when it would pass column 80. They follow the tensor's own suffixes.
    ///
    /// ```swift
    /// Tensor<Float>([0.5, -0.2]).formattedDescription(suffixes: ["requiresGrad: true"])
    /// // tensor([ 0.5000, -0.2000], requiresGrad: true)
    /// ```
    package func formattedDescription(suffixes: [String]) -> String {
        TensorFormatter.description(of: self, extraSuffixes: suffixes)
    }
}
