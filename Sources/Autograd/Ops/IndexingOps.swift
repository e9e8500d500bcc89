extension Variable {
    /// Rows of this variable picked by `indices` (any shape): shape `indices.shape + shape[1...]`.
    /// The backward is a row-sparse scatter-add (``RowSparseGradient``), so a table of V rows costs
    /// O(indices) per step, not O(V). Throws when an index is outside `0..<shape[0]`.
    ///
    /// ```swift
    /// let table = Parameter(Tensor<Float>.zeros([10, 4]))
    /// let rows = try table.indexSelect(rows: Tensor<Int64>([3, 3, 7]))   // shape [3, 4]
    /// ```
    public func indexSelect(rows indices: Tensor<Int64>) throws(TensorError) -> Variable {
        precondition(value.rank >= 1, "indexSelect needs a variable of rank 1 or more, got a 0-d variable")
        let rowCount = shape[0]
        try indices.checkRowIDs(bound: rowCount)
        let flatIndices = indices.contiguous().reshaped([-1])
        return gatheringRows(atCheckedRows: flatIndices, indexShape: indices.shape, name: "IndexSelectBackward0") {
            RowSparseGradient(rowIndices: flatIndices, values: $0, rowCount: rowCount)
        }
    }

    /// ``indexSelect(rows:)`` with 32-bit indices.
    @_disfavoredOverload   // an array literal of ids means Int64, as in PyTorch
    public func indexSelect(rows indices: Tensor<Int32>) throws(TensorError) -> Variable {
        try indexSelect(rows: indices.converted(to: Int64.self))
    }

    /// Picks elements from `whenTrue` where `condition` holds and from `whenFalse` elsewhere.
    public static func `where`(_ condition: Tensor<Bool>, _ whenTrue: Variable, _ whenFalse: Variable) -> Variable {
        let trueShape = whenTrue.shape, falseShape = whenFalse.shape
        let result = Tensor.where(condition, whenTrue.value, whenFalse.value)
        return recordDense(result, name: "WhereBackward0", inputs: [whenTrue, whenFalse]) { gradient in
            let zero = Tensor<Scalar>(scalar: 0)
            return [Tensor.where(condition, gradient, zero).summed(toShape: trueShape),
                    Tensor.where(condition, zero, gradient).summed(toShape: falseShape)]
        }
    }

    /// Variables joined along an existing axis.
    public static func concatenated(_ parts: [Variable], axis: Int = 0) -> Variable {
        precondition(!parts.isEmpty, "concatenated needs at least one variable")
        let resolved = Layout.normalize(axis: axis, rank: parts[0].value.rank)
        let sizes = parts.map { $0.shape[resolved] }
        return recordDense(Tensor.concatenated(parts.map(\.value), axis: resolved), name: "CatBackward0",
                           inputs: parts) { gradient in
            var start = 0
            return sizes.map { size in
                defer { start += size }
                return gradient.narrowed(axis: resolved, start: start, length: size).contiguous()
            }
        }
    }

    /// Variables of one shape stacked along a new axis.
    public static func stacked(_ parts: [Variable], axis: Int = 0) -> Variable {
        precondition(!parts.isEmpty, "stacked needs at least one variable")
        let resolved = Layout.normalize(axis: axis, rank: parts[0].value.rank + 1)
        let count = parts.count
        return recordDense(Tensor.stacked(parts.map(\.value), axis: resolved), name: "StackBackward0",
                           inputs: parts) { gradient in
            (0..<count).map { gradient.selected(axis: resolved, index: $0).contiguous() }
        }
    }
}
