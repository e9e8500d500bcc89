/// A gradient as the tape carries it: dense, or as rows of a 2-D table.
///
/// The embedding backward produces `.rows`: the upstream gradient rows and the token ids they belong
/// to, which is O(tokens × D) instead of a dense O(V × D) table. Reading `Variable.grad` turns it
/// into the dense tensor PyTorch would hold; optimizers may apply it row by row instead.
public enum Gradient<Scalar: FloatingTensorScalar>: Sendable {
    /// A dense gradient, shaped like the variable it belongs to.
    case dense(Tensor<Scalar>)
    /// Entries for rows of a table, as the embedding backward produces them; ``denseValue``
    /// sums them into the dense gradient.
    case rows(RowSparseGradient<Scalar>)

    /// The gradient as a dense tensor.
    public var denseValue: Tensor<Scalar> {
        switch self {
        case .dense(let tensor): return tensor
        case .rows(let rows): return rows.densified()
        }
    }

    /// The sum of two gradients of the same shape, staying row-sparse when both are.
    @_specialize(where Scalar == Float)
    func adding(_ other: Gradient) -> Gradient {
        switch (self, other) {
        case (.dense(var sum), .dense(let addend)):
            sum += addend
            return .dense(sum)
        case (.rows(let first), .rows(let second)):
            return .rows(first.appending(second))
        case (.dense(var sum), .rows(let rows)), (.rows(let rows), .dense(var sum)):
            rows.add(into: &sum)
            return .dense(sum)
        }
    }
}

/// Rows of a `[rowCount] + rowShape` gradient given as (row index, values) entries; duplicate rows
/// are summed in entry order when densified, exactly as PyTorch's dense embedding backward does.
public struct RowSparseGradient<Scalar: FloatingTensorScalar>: Sendable {
    /// The row each entry belongs to, one per entry, in order.
    public var rowIndices: Tensor<Int64>
    /// The values, shape `[entries] + rowShape`.
    public var values: Tensor<Scalar>
    /// The number of rows of the dense table.
    public var rowCount: Int

    /// Entries for a `[rowCount] + rowShape` table: `values[k]` belongs to row `rowIndices[k]`.
    ///
    /// Traps unless `rowIndices` is 1-D with one index per entry (`values.shape[0]`). The indices
    /// themselves are checked when the gradient is densified or added: one outside `0..<rowCount`
    /// traps there.
    ///
    /// ```swift
    /// let gradient = RowSparseGradient(rowIndices: Tensor<Int64>([2, 0, 2]),
    ///                                  values: Tensor<Float>.ones([3, 4]), rowCount: 5)
    /// gradient.densified().shape   // [5, 4]: row 2 holds 2s, row 0 holds 1s, the rest 0s
    /// ```
    public init(rowIndices: Tensor<Int64>, values: Tensor<Scalar>, rowCount: Int) {
        precondition(rowIndices.rank == 1 && values.rank >= 1 && values.shape[0] == rowIndices.count,
                     "row-sparse gradient: \(rowIndices.count) indices for values of shape \(values.shape)")
        self.rowIndices = rowIndices
        self.values = values
        self.rowCount = rowCount
    }

    /// The shape of the dense gradient.
    public var denseShape: [Int] { [rowCount] + values.shape.dropFirst() }

    /// The dense gradient: zeros plus every entry added to its row, in entry order.
    public func densified() -> Tensor<Scalar> {
        var dense = Tensor<Scalar>.zeros(denseShape)
        add(into: &dense)
        return dense
    }

    /// Adds every entry to its row of `dense` in entry order.
    public func add(into dense: inout Tensor<Scalar>) {
        do {
            try dense.indexAdd(rows: rowIndices, values: values)
        } catch {
            preconditionFailure("row-sparse gradient holds an invalid row: \(error)")
        }
    }

    /// Both gradients' entries, `self`'s first.
    func appending(_ other: RowSparseGradient) -> RowSparseGradient {
        RowSparseGradient(rowIndices: Tensor.concatenated([rowIndices, other.rowIndices]),
                          values: Tensor.concatenated([values, other.values]), rowCount: rowCount)
    }
}
