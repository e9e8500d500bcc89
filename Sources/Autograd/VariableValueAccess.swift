// Reading a variable's value as PyTorch code reads a tensor's: `loss.item()`, `logits.argmax(-1)`.
// Nothing here records an operation or changes the variable.

extension Variable {
    /// The only element of a one-element variable, PyTorch's `loss.item()`.
    ///
    /// ```swift
    /// let loss = (Parameter(Tensor<Float>([1, 2])) * 2).sum()
    /// loss.item()   // 6
    /// ```
    public final func item() -> Scalar { value.item() }

    /// The only element of a variable with one element (any rank).
    public final var scalar: Scalar { value.scalar }

    /// The elements in row-major order.
    public final var scalars: [Scalar] { value.scalars }

    /// The number of dimensions.
    public final var rank: Int { value.rank }

    /// The number of elements.
    public final var count: Int { value.count }

    /// The position of the largest element along `axis` (not differentiable), PyTorch's `argmax(dim)`.
    ///
    /// ```swift
    /// let predictions = logits.argmax(axis: -1)   // Tensor<Int64>
    /// ```
    public final func argmax(axis: Int, keepingDimensions: Bool = false) -> Tensor<Int64> {
        value.argmax(axis: axis, keepingDimensions: keepingDimensions)
    }

    /// The position of the smallest element along `axis` (not differentiable).
    public final func argmin(axis: Int, keepingDimensions: Bool = false) -> Tensor<Int64> {
        value.argmin(axis: axis, keepingDimensions: keepingDimensions)
    }
}
