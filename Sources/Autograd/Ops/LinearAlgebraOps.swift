extension Variable {
    /// Matrix product with PyTorch's `matmul` rules (1-D operands promoted, batch dimensions
    /// broadcast); the backward multiplies by the transposed operands and sums broadcast batches.
    public func matmul(_ other: Variable) -> Variable {
        let left = value, right = other.value
        let needLeft = requiresGrad, needRight = other.requiresGrad
        return Variable.recordDense(left.matmul(right), name: "MmBackward0", inputs: [self, other]) { gradient in
            // Promote 1-D operands to matrices so that one rule covers every case.
            let leftMatrix = left.rank == 1 ? left.reshaped([1, left.count]) : left
            let rightMatrix = right.rank == 1 ? right.reshaped([right.count, 1]) : right
            var outputShape = gradient.shape
            if left.rank == 1 { outputShape.insert(1, at: Swift.max(outputShape.count - 1, 0)) }
            if right.rank == 1 { outputShape.append(1) }
            let upstream = gradient.reshaped(outputShape)
            let leftGradient = needLeft
                ? upstream.matmul(rightMatrix.transposed()).summed(toShape: leftMatrix.shape).reshaped(left.shape) : nil
            let rightGradient = needRight
                ? leftMatrix.transposed().matmul(upstream).summed(toShape: rightMatrix.shape).reshaped(right.shape) : nil
            return [leftGradient, rightGradient]
        }
    }

    /// `self · weightᵀ + bias` over the last axis, PyTorch's `nn.functional.linear`: `self` of shape
    /// `[..., inputSize]`, `weight` `[outputSize, inputSize]`, `bias` `[outputSize]` or nil; the
    /// result has shape `[..., outputSize]`. One node (`AddmmBackward0`): leading axes are flattened
    /// to rows for one matrix product, and the backward is two products and a column sum.
    ///
    /// ```swift
    /// let x = Variable(Tensor<Float>.ones([8, 3, 4]))
    /// let w = Parameter(Tensor<Float>.ones([2, 4]))
    /// x.linear(weight: w, bias: nil).shape   // [8, 3, 2]
    /// ```
    public func linear(weight: Variable, bias: Variable?) -> Variable {
        let inputSize = weight.shape.count == 2 ? weight.shape[1] : -1
        precondition(weight.value.rank == 2 && value.rank >= 1 && shape.last == inputSize,
                     "linear: input of shape \(shape) does not fit a weight of shape \(weight.shape)")
        let outputSize = weight.shape[0]
        precondition(bias.map { $0.shape == [outputSize] } ?? true,
                     "linear: bias of shape \(bias?.shape ?? []) does not fit \(outputSize) outputs")
        let inputShape = shape
        let rows = value.reshaped([-1, inputSize])
        let weightValue = weight.value
        var output = rows.matmul(weightValue.transposed())
        if let bias { output = output + bias.value }
        let outputShape = Array(inputShape.dropLast()) + [outputSize]
        let needInput = requiresGrad, needWeight = weight.requiresGrad, needBias = bias?.requiresGrad ?? false
        let hasBias = bias != nil
        let inputs: [Variable] = [self, weight] + (bias.map { [$0] } ?? [])
        return Variable.recordDense(output.reshaped(outputShape), name: "AddmmBackward0", inputs: inputs) { upstream in
            let gradient = upstream.reshaped([-1, outputSize])
            let inputGradient = needInput ? gradient.matmul(weightValue).reshaped(inputShape) : nil
            // gᵀ · x directly rather than (xᵀ · g)ᵀ: the same products in the same order, and a
            // contiguous gradient for the optimizer.
            let weightGradient = needWeight ? gradient.transposed().matmul(rows) : nil
            guard hasBias else { return [inputGradient, weightGradient] }
            return [inputGradient, weightGradient, needBias ? gradient.sum(axis: 0) : nil]
        }
    }
}

extension Variable {
    /// ``matmul(_:)-(Variable<Scalar>)`` with a constant tensor on the right.
    public func matmul(_ other: Tensor<Scalar>) -> Variable { matmul(Variable(other)) }
}

extension Tensor where Scalar: FloatingTensorScalar {
    /// The matrix product of this constant tensor and a variable, recorded as `Variable.matmul`.
    ///
    /// ```swift
    /// let w = Parameter(Tensor<Float>.ones([3, 2]))
    /// let y = Tensor<Float>.ones([4, 3]).matmul(w)   // Variable, shape [4, 2]
    /// ```
    public func matmul(_ other: Variable<Scalar>) -> Variable<Scalar> { Variable(self).matmul(other) }
}
