extension Tensor {
    /// The rows (positions along axis 0) named by `indices`, an index tensor of any shape: the
    /// result has shape `indices.shape + shape.dropFirst()`, as `torch.embedding` and
    /// `index_select(0, …)` followed by a reshape.
    ///
    /// Every index is checked before anything is copied: an index outside `0..<shape[0]`
    /// (negative ones are not wrapped) throws ``TensorError/indexOutOfRange(index:position:bound:)``
    /// with its position in `indices`.
    ///
    /// ```swift
    /// let table = Tensor<Float>(shape: [3, 2], scalars: [0, 1, 10, 11, 20, 21])
    /// try table.indexSelect(rows: Tensor<Int64>(shape: [2, 2], scalars: [2, 0, 2, 1])).shape   // [2, 2, 2]
    /// try table.indexSelect(rows: Tensor<Int64>([1, 1])).scalars                           // [10, 11, 10, 11]
    /// try table.indexSelect(rows: Tensor<Int64>([3]))   // throws indexOutOfRange(index: 3, position: [0], bound: 3)
    /// ```
    public func indexSelect(rows indices: Tensor<Int64>) throws(TensorError) -> Tensor {
        precondition(rank >= 1, "indexSelect needs a tensor of rank 1 or more, got a 0-d tensor")
        try indices.checkRowIDs(bound: shape[0])
        return gatheringRows(atCheckedRows: indices.contiguous(), indexShape: indices.shape)
    }

    /// `indexSelect(rows:)` with 32-bit indices.
    @_disfavoredOverload   // an array literal of ids means Int64, as in PyTorch
    public func indexSelect(rows indices: Tensor<Int32>) throws(TensorError) -> Tensor {
        try indexSelect(rows: indices.converted(to: Int64.self))
    }
}

extension Tensor where Scalar: NumericTensorScalar {
    /// Adds row `i` of `values` into row `indices[i]` of this tensor, for every position `i` of
    /// the index tensor (scatter-add along axis 0, the backward of `indexSelect(rows:)`).
    /// A row named several times receives its values one by one in index order, as PyTorch's
    /// `embedding_dense_backward` accumulates them, on any number of threads.
    ///
    /// `values` must have shape `indices.shape + shape.dropFirst()` (else
    /// ``TensorError/shapeMismatch(expected:found:context:)``), and every index must lie in
    /// `0..<shape[0]` (else ``TensorError/indexOutOfRange(index:position:bound:)``). Everything
    /// is checked first: on error this tensor is unchanged.
    ///
    /// ```swift
    /// var gradient = Tensor<Float>.zeros([3, 2])
    /// try gradient.indexAdd(rows: Tensor<Int64>([2, 0, 2]),
    ///                       values: Tensor(shape: [3, 2], scalars: [1, 1, 5, 5, 2, 2]))
    /// gradient.scalars   // [5, 5, 0, 0, 3, 3]
    /// ```
    public mutating func indexAdd(rows indices: Tensor<Int64>, values: Tensor) throws(TensorError) {
        precondition(rank >= 1, "indexAdd needs a tensor of rank 1 or more, got a 0-d tensor")
        let expected = indices.shape + shape.dropFirst()
        if values.shape != expected {
            throw .shapeMismatch(expected: expected, found: values.shape,
                                 context: "indexAdd values for indices of shape \(indices.shape) into shape \(shape)")
        }
        try indices.checkRowIDs(bound: shape[0])
        makeUniqueAndContiguous()
        let table = storage.base + offset, tableRows = shape[0], rowSize = count / Swift.max(1, tableRows)
        values.withContiguousBuffer { values in
            indices.contiguous().withContiguousBuffer { ids in
                // Int64 ids read as Int, 64 bits on every platform the library supports.
                ids.withMemoryRebound(to: Int.self) { positions in
                    guard let values = values.baseAddress else { return }
                    scatterAddRows(table: table, tableRows: tableRows, rowSize: rowSize, positions: positions,
                                   values: values)
                }
            }
        }
    }

    /// `indexAdd(rows:values:)` with 32-bit indices.
    @_disfavoredOverload   // an array literal of ids means Int64, as in PyTorch
    public mutating func indexAdd(rows indices: Tensor<Int32>, values: Tensor) throws(TensorError) {
        try indexAdd(rows: indices.converted(to: Int64.self), values: values)
    }

    /// A copy of this tensor with `indexAdd(rows:values:)` applied.
    ///
    /// ```swift
    /// let gradient = try Tensor<Float>.zeros([2, 1]).indexAdded(rows: Tensor<Int64>([1, 1]),
    ///                                                           values: Tensor(shape: [2, 1], scalars: [1, 2]))
    /// gradient.scalars   // [0, 3]
    /// ```
    public func indexAdded(rows indices: Tensor<Int64>, values: Tensor) throws(TensorError) -> Tensor {
        var result = self
        try result.indexAdd(rows: indices, values: values)
        return result
    }

    /// `indexAdded(rows:values:)` with 32-bit indices.
    @_disfavoredOverload   // an array literal of ids means Int64, as in PyTorch
    public func indexAdded(rows indices: Tensor<Int32>, values: Tensor) throws(TensorError) -> Tensor {
        var result = self
        try result.indexAdd(rows: indices, values: values)
        return result
    }
}
