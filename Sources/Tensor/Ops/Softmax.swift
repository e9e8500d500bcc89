extension Tensor where Scalar: FloatingTensorScalar {
    /// `log Σ exp(x)` along `axis`, computed stably: the row maximum is subtracted before
    /// exponentiating and added back after the logarithm. Rows of -inf give -inf, a row holding
    /// +inf gives +inf, and an empty axis gives -inf.
    ///
    /// ```swift
    /// Tensor<Float>([1000, 1000]).logSumExp(axis: 0).scalar   // 1000.6931
    /// ```
    public func logSumExp(axis: Int, keepingDimensions: Bool = false) -> Tensor {
        let resolved = resolvedReductionAxes([axis], operation: "logSumExp")
        let result = Tensor(uninitializedShape: reducedShape(resolved, keepingDimensions: keepingDimensions))
        applyRowOperation(.logSumExp, axis: resolved.first, into: result)
        return result
    }

    /// The softmax along `axis`: `exp(x - max) / Σ exp(x - max)`, each row summing to 1.
    ///
    /// ```swift
    /// Tensor<Float>([0, 0, 0, 0]).softmax(axis: 0).scalars   // [0.25, 0.25, 0.25, 0.25]
    /// ```
    public func softmax(axis: Int) -> Tensor {
        let resolved = resolvedReductionAxes([axis], operation: "softmax")
        let result = Tensor(uninitializedShape: shape)
        applyRowOperation(.softmax, axis: resolved.first, into: result)
        return result
    }

    /// The log of the softmax along `axis`, computed stably as `x - max - log Σ exp(x - max)`
    /// (never as the logarithm of a softmax that may have underflowed to 0).
    ///
    /// ```swift
    /// Tensor<Double>([0, 0]).logSoftmax(axis: 0).scalars   // [-0.6931…, -0.6931…]
    /// ```
    public func logSoftmax(axis: Int) -> Tensor {
        let resolved = resolvedReductionAxes([axis], operation: "logSoftmax")
        let result = Tensor(uninitializedShape: shape)
        applyRowOperation(.logSoftmax, axis: resolved.first, into: result)
        return result
    }

    /// Runs a row kernel along `axis` (nil for a 0-d tensor: one row of one element) into the
    /// fresh contiguous `result`.
    private func applyRowOperation(_ operation: SoftmaxOperation, axis: Int?, into result: Tensor) {
        var keptSizes = shape, keptInputStrides = strides, keptOutputStrides = Layout.contiguousStrides(for: shape)
        var length = 1, inputStride = 0, outputStride = 0
        if let axis {
            length = shape[axis]
            inputStride = strides[axis]
            outputStride = keptOutputStrides[axis]
            keptSizes.remove(at: axis)
            keptInputStrides.remove(at: axis)
            keptOutputStrides.remove(at: axis)
        }
        if operation == .logSumExp { keptOutputStrides = Layout.contiguousStrides(for: keptSizes) }
        let rows = RowLayout(keptSizes: keptSizes, keptInputStrides: keptInputStrides,
                             keptOutputStrides: keptOutputStrides, length: length,
                             inputStride: inputStride, outputStride: outputStride)
        withExtendedLifetime(self) {
            softmaxKernel(operation, rows: rows, input: storage.base + offset, output: result.storage.base)
        }
    }
}
