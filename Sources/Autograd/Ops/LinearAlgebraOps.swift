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
}
