extension Tensor where Scalar: NumericTensorScalar {
    /// The matrix product with `torch.matmul`'s rules:
    /// - 1-D · 1-D is the dot product (a 0-d tensor);
    /// - 2-D × 2-D is the matrix product;
    /// - a 1-D left operand is treated as a row `[1, k]` and a 1-D right operand as a column
    ///   `[k, 1]`, and that added dimension is removed from the result;
    /// - operands of rank 3 or more are stacks of matrices whose leading (batch) dimensions
    ///   broadcast: `[j, 1, n, m] × [k, m, p] → [j, k, n, p]`.
    ///
    /// Traps when the inner dimensions differ. Float and Double run a cache-blocked,
    /// register-tiled kernel split over threads by output rows; every output element is summed
    /// in increasing order of the inner index, so results do not depend on the thread count.
    ///
    /// ```swift
    /// let a = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    /// let b = Tensor<Float>(shape: [3, 1], scalars: [1, 0, -1])
    /// a.matmul(b).scalars                               // [-2, -2]
    /// Tensor<Float>([1, 2]).matmul(Tensor([3, 4])).scalar   // 11
    /// ```
    public func matmul(_ other: Tensor) -> Tensor {
        precondition(rank >= 1 && other.rank >= 1,
                     "matmul needs operands of rank 1 or more, got shapes \(shape) and \(other.shape)")
        let lhs = rank == 1 ? unsqueezed(axis: 0) : self
        let rhs = other.rank == 1 ? other.unsqueezed(axis: 1) : other
        let rows = lhs.shape[lhs.rank - 2], depth = lhs.shape[lhs.rank - 1]
        let rhsDepth = rhs.shape[rhs.rank - 2], columns = rhs.shape[rhs.rank - 1]
        precondition(depth == rhsDepth,
                     "matmul: shapes \(shape) and \(other.shape) cannot be multiplied "
                     + "(inner dimensions \(depth) and \(rhsDepth) differ)")
        let lhsBatch = Array(lhs.shape.dropLast(2)), rhsBatch = Array(rhs.shape.dropLast(2))
        let batchShape = Broadcasting.checkedShape(lhsBatch, rhsBatch,
                                                   operation: "matmul batch dimensions of \(shape) and \(other.shape)")
        let result = Tensor(uninitializedShape: batchShape + [rows, columns])
        withExtendedLifetime((lhs, rhs)) {
            Tensor.multiplyBatches(lhs, rhs, batchShape: batchShape, rows: rows, columns: columns, depth: depth,
                                   into: result.storage.base)
        }
        var resultShape = result.shape
        if other.rank == 1 { resultShape.removeLast() }
        if rank == 1 { resultShape.remove(at: resultShape.count - (other.rank == 1 ? 1 : 2)) }
        return resultShape == result.shape ? result : result.reshaped(resultShape)
    }

    /// Writes every batch's product into the contiguous `output`.
    private static func multiplyBatches(
        _ lhs: Tensor, _ rhs: Tensor, batchShape: [Int], rows: Int, columns: Int, depth: Int,
        into output: UnsafeMutablePointer<Scalar>
    ) {
        let batchCount = batchShape.reduce(1, *)
        if batchCount == 0 || rows == 0 || columns == 0 { return }
        if depth == 0 {
            output.update(repeating: .zero, count: batchCount * rows * columns)
            return
        }
        let lhsBase = UnsafePointer(lhs.storage.base + lhs.offset)
        let rhsBase = UnsafePointer(rhs.storage.base + rhs.offset)
        let rhsStrides = rhs.strides
        let rhsRowStride = rhsStrides[rhs.rank - 2], rhsColumnStride = rhsStrides[rhs.rank - 1]
        let rhsOperand = { (offset: Int) in
            MatrixOperand(base: rhsBase + offset, rowStride: rhsRowStride, columnStride: rhsColumnStride)
        }
        // A stack of matrices times one matrix is one tall product when the stack's rows can be
        // viewed as a single axis: one kernel call with the whole height to split over threads.
        if rhs.rank == 2 && lhs.rank > 2,
           let folded = Tensor.viewStrides(from: lhs.layout, to: [batchCount * rows, depth]) {
            matrixMultiplyKernel(rows: batchCount * rows, columns: columns, depth: depth,
                                 lhs: MatrixOperand(base: lhsBase, rowStride: folded[0], columnStride: folded[1]),
                                 rhs: rhsOperand(0), output: output, outputRowStride: columns, threaded: true)
            return
        }
        let lhsBatchStrides = lhs.layout.broadcastBatchStrides(to: batchShape)
        let rhsBatchStrides = rhs.layout.broadcastBatchStrides(to: batchShape)
        let lhsStrides = lhs.strides
        let lhsRowStride = lhsStrides[lhs.rank - 2], lhsColumnStride = lhsStrides[lhs.rank - 1]
        let destination = UncheckedSendableBox(output)
        // Small products (under 32³ multiply-adds, a few microseconds) go one batch per thread;
        // large ones split their own rows instead.
        let smallProducts = rows * columns * depth < 32 * 32 * 32 && batchCount > 1
        func multiply(_ batches: Range<Int>) {
            var batch = batches.lowerBound
            forEachOffsetPair(sizes: batchShape, firstStrides: lhsBatchStrides, secondStrides: rhsBatchStrides,
                              range: batches) { lhsOffset, rhsOffset in
                matrixMultiplyKernel(rows: rows, columns: columns, depth: depth,
                                     lhs: MatrixOperand(base: lhsBase + lhsOffset, rowStride: lhsRowStride,
                                                        columnStride: lhsColumnStride),
                                     rhs: rhsOperand(rhsOffset), output: destination.value + batch * rows * columns,
                                     outputRowStride: columns, threaded: !smallProducts)
                batch += 1
            }
        }
        if smallProducts {
            let grain = Swift.max(1, ParallelConfiguration.elementwiseGrain / Swift.max(1, rows * columns * depth))
            parallelFor(batchCount, grain: grain, multiply)
        } else {
            multiply(0..<batchCount)
        }
    }
}

extension Layout {
    /// Strides of the batch axes (all but the last two) seen with `batchShape`, which they
    /// broadcast to: new leading axes and expanded size-1 axes get stride 0.
    func broadcastBatchStrides(to batchShape: [Int]) -> [Int] {
        let batchRank = rank - 2
        let lead = batchShape.count - batchRank
        var result = [Int](repeating: 0, count: batchShape.count)
        let strides = self.strides   // computed for a contiguous layout: once, not per axis
        for axis in 0..<batchRank where shape[axis] == batchShape[axis + lead] {
            result[axis + lead] = strides[axis]
        }
        return result
    }
}
