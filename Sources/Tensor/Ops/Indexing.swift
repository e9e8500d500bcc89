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

    /// The rows at `rows`, ids already checked against `0..<shape[0]`, shaped
    /// `indexShape + shape.dropFirst()`: the gather of ``indexSelect(rows:)-(Tensor<Int64>)``
    /// without its check, for the layers that check their ids once, up front.
    @_specialize(exported: true, where Scalar == Float)
    package func gatheringRows(atCheckedRows rows: Tensor<Int64>, indexShape: [Int]) -> Tensor {
        precondition(rank >= 1 && rows.count == indexShape.reduce(1, *),
                     "gatheringRows: \(rows.count) ids for index shape \(indexShape) of a rank-\(rank) table")
        return rows.withContiguousBuffer { ids in
            ids.withMemoryRebound(to: Int.self) { gathered(at: $0, indexShape: indexShape) }
        }
    }

    /// `gatheringRows(atCheckedRows:indexShape:) + addend` written in one pass over the result,
    /// or nil when the operands do not allow it (the caller then gathers and adds as usual).
    ///
    /// It applies when this table is contiguous and `addend` broadcasts along leading axes only:
    /// without its leading 1s, `addend`'s shape is a suffix of the result's that covers at least
    /// one whole row (a learned position table `[T, D]` added to token rows `[B, T, D]`). Each
    /// element is one addition `table[id] + addend[…]`, so the result is the two-pass one bit for
    /// bit.
    ///
    /// With `addendRows`, the addend is those rows (the addend table's own rows, whatever their
    /// size) of the table `addend`, shaped `addendShape` (positions `0..<T` of a position table,
    /// read in place).
    @_specialize(exported: true, where Scalar == Float)
    package func gatheringRows(
        atCheckedRows rows: Tensor<Int64>, indexShape: [Int], adding addend: Tensor,
        addendRows: Range<Int>? = nil, addendShape: [Int]? = nil
    ) -> Tensor? where Scalar: FloatingTensorScalar {
        guard Scalar.self == Float.self || Scalar.self == Double.self, rank >= 1, layout.isContiguous,
              rows.layout.isContiguous, addend.layout.isContiguous else { return nil }
        let rowShape = shape.dropFirst(), resultShape = indexShape + rowShape
        let fullAddendShape = addendShape ?? addend.shape
        guard Tensor.addendFitsGatheredRows(fullAddendShape, resultShape: resultShape, rowRank: rowShape.count)
        else { return nil }
        let broadcastShape = fullAddendShape.drop { $0 == 1 }
        precondition(rows.count == indexShape.reduce(1, *),
                     "gatheringRows: \(rows.count) ids for index shape \(indexShape) of a rank-\(rank) table")
        let rowSize = rowShape.reduce(1, *), repeatCount = broadcastShape.dropLast(rowShape.count).reduce(1, *)
        // `addendRows` count rows of the addend table, whose size need not be this table's.
        let addendRowSize = addendRows == nil ? 0 : addend.shape.dropFirst().reduce(1, *)
        precondition(addendRows.map { $0.count * addendRowSize == fullAddendShape.reduce(1, *) } ?? true,
                     "gatheringRows: rows \(addendRows!) of a \(addend.shape) addend do not make \(fullAddendShape)")
        let addendStart = addend.offset + (addendRows?.lowerBound ?? 0) * addendRowSize
        let result = Tensor(uninitializedShape: resultShape)
        guard rows.count > 0, rowSize > 0 else { return result }
        withExtendedLifetime((self, addend, rows)) {
            gatherRowsAdding(table: storage.base + offset, rows: rows.storage.base + rows.offset, count: rows.count,
                             rowSize: rowSize, addend: addend.storage.base + addendStart, addendRows: repeatCount,
                             into: result.storage.base)
        }
        return result
    }

    /// Whether an addend of `addendShape` can be added to gathered rows of `resultShape` (rows of
    /// `rowRank` axes) in the one pass of ``gatheringRows(atCheckedRows:indexShape:adding:addendRows:addendShape:)``:
    /// without its leading 1s it is a suffix of `resultShape` that covers at least one whole row.
    package static func addendFitsGatheredRows(_ addendShape: [Int], resultShape: [Int], rowRank: Int) -> Bool {
        let broadcastShape = addendShape.drop { $0 == 1 }
        return addendShape.count <= resultShape.count && broadcastShape.count >= rowRank
            && resultShape.suffix(broadcastShape.count).elementsEqual(broadcastShape)
    }

    /// Gathers the rows at `positions` (all valid) into a new tensor of `indexShape + row shape`.
    private func gathered(at positions: UnsafeBufferPointer<Int>, indexShape: [Int]) -> Tensor {
        let rowShape = Array(shape.dropFirst())
        let result = Tensor(uninitializedShape: indexShape + rowShape)
        let table = TableRows(base: UnsafePointer(storage.base + offset), rowStride: strides[0], rowShape: rowShape,
                              rowLayout: Layout(shape: rowShape, strides: Array(strides.dropFirst()), offset: 0))
        withExtendedLifetime(self) { gatherRows(table, positions: positions, into: result.storage.base) }
        return result
    }

    /// The error for the id `id` at flat index `flatIndex` of an index tensor of `indexShape`.
    fileprivate static func outOfRange(_ id: Int64, atFlatIndex flatIndex: Int, indexShape: [Int],
                                       bound: Int) -> TensorError {
        var place = [Int](repeating: 0, count: indexShape.count)
        var remainder = flatIndex
        for axis in stride(from: indexShape.count - 1, through: 0, by: -1) {
            place[axis] = remainder % indexShape[axis]
            remainder /= indexShape[axis]
        }
        return .indexOutOfRange(index: id, position: place, bound: bound)
    }
}

extension Tensor where Scalar == Int64 {
    /// Throws ``TensorError/indexOutOfRange(index:position:bound:)`` for the first of these ids
    /// (in row-major order) outside `0..<bound`, naming it and its place in this tensor: the one
    /// id check of every lookup (`indexSelect`, the embedding layers, the losses that read tables).
    package func checkRowIDs(bound: Int) throws(TensorError) {
        let firstBad = contiguous().withContiguousBuffer { buffer -> (flatIndex: Int, id: Int64)? in
            // Int64 ids read as Int, 64 bits on every platform the library supports.
            let index = buffer.withMemoryRebound(to: Int.self) { firstPositionOutOfRange($0, bound: bound) }
            return index.map { ($0, buffer[$0]) }
        }
        guard let firstBad else { return }
        throw Tensor.outOfRange(firstBad.id, atFlatIndex: firstBad.flatIndex, indexShape: shape, bound: bound)
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
