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

    /// The rows of this table at `ids` (flat and contiguous, every id already checked against
    /// `shape[0]`), shaped `indexShape + shape.dropFirst()`, recorded as `name` with the row-sparse
    /// gradient `rowGradient(upstream)` of the upstream gradient as `[ids.count] + row shape`.
    ///
    /// The one differentiable gather: ``indexSelect(rows:)-(Tensor<Int64>)`` records through it,
    /// and so do the embedding layers, with their own gradient options (padding rows, scaling by
    /// frequency) and PyTorch's node names.
    @_specialize(exported: true, where Scalar == Float)
    package func gatheringRows(
        atCheckedRows ids: Tensor<Int64>, indexShape: [Int], name: String,
        rowGradient: @escaping (_ upstreamRows: Tensor<Scalar>) -> RowSparseGradient<Scalar>
    ) -> Variable {
        guard recordsGradients else { return gatheringRows(atCheckedRows: ids, indexShape: indexShape) }
        let node = Node(name: name, inputs: [self],
                        backward: .lookup(rowsShape: [ids.count] + shape.dropFirst(), rowGradient: rowGradient))
        return gatheringRows(atCheckedRows: ids, indexShape: indexShape, node: node)
    }

    /// ``gatheringRows(atCheckedRows:indexShape:name:rowGradient:)`` when nothing is recorded
    /// (``recordsGradients`` is false): no backward to build.
    @_specialize(exported: true, where Scalar == Float)
    package func gatheringRows(atCheckedRows ids: Tensor<Int64>, indexShape: [Int]) -> Variable {
        gatheringRows(atCheckedRows: ids, indexShape: indexShape, node: nil)
    }

    /// The lookup's result: its rows are copied when first read, or never when an addition
    /// consumes them (``PendingRows``).
    private func gatheringRows(atCheckedRows ids: Tensor<Int64>, indexShape: [Int], node: Node<Scalar>?) -> Variable {
        Variable(pendingRows: PendingRows(table: self, ids: ids, shape: indexShape + shape.dropFirst(),
                                          indexShape: indexShape), node: node)
    }

    /// Whether an operation on this variable alone records a node: recording is on and this
    /// variable requires a gradient. A layer checks it to skip building a backward it would drop.
    package var recordsGradients: Bool { GradientMode.isEnabled && storedRequiresGrad }

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
