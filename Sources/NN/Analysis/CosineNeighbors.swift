/// Nearest neighbours by cosine similarity among the rows of an embedding table, and how well
/// they agree with known word classes.
///
/// ```swift
/// let neighbors = CosineNeighbors(table: model.token.weight.value)
/// neighbors.nearest(to: catID, count: 5)        // [(row: 17, similarity: 0.93), …]
/// neighbors.precision(atK: 5, labels: [catID: "animal", dogID: "animal", breadID: "food"])
/// ```
public struct CosineNeighbors: Sendable {
    /// Each row scaled to unit length (a zero row stays zero and is similar to nothing).
    private let unitRows: [[Double]]

    /// Neighbours among the rows of a `[V, D]` table.
    public init<Scalar: FloatingTensorScalar>(table: Tensor<Scalar>) {
        precondition(table.rank == 2, "CosineNeighbors expects a [V, D] table, got shape \(table.shape)")
        let width = table.shape[1]
        let values = table.scalars.map(\.doubleValue)
        unitRows = (0..<table.shape[0]).map { row in
            let vector = Array(values[(row * width)..<((row + 1) * width)])
            let length = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return length > 0 ? vector.map { $0 / length } : vector
        }
    }

    /// The number of rows.
    public var count: Int { unitRows.count }

    /// The cosine similarity of rows `first` and `second`, in `-1...1`.
    public func similarity(_ first: Int, _ second: Int) -> Double {
        zip(unitRows[first], unitRows[second]).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// The `count` rows most similar to `row` (never `row` itself), most similar first; ties go to
    /// the lower row.
    public func nearest(to row: Int, count: Int) -> [(row: Int, similarity: Double)] {
        precondition(unitRows.indices.contains(row), "row \(row) is out of range 0..<\(unitRows.count)")
        let scored = unitRows.indices.filter { $0 != row }.map { (row: $0, similarity: similarity(row, $0)) }
        return Array(scored.sorted { $0.similarity > $1.similarity || ($0.similarity == $1.similarity && $0.row < $1.row) }
            .prefix(count))
    }

    /// Precision at `k`: for each labelled row, the share of its `k` nearest rows (searched among
    /// all rows, labelled or not) that carry the same label, averaged over the labelled rows.
    ///
    /// Random vectors score about `(n − 1) / (V − 1)` for a class of `n` rows.
    public func precision(atK k: Int, labels: [Int: String]) -> Double {
        precondition(k >= 1, "k must be at least 1, got \(k)")
        guard !labels.isEmpty else { return 0 }
        let total = labels.keys.sorted().reduce(0.0) { sum, row in
            let matches = nearest(to: row, count: k).filter { labels[$0.row] == labels[row] }.count
            return sum + Double(matches) / Double(k)
        }
        return total / Double(labels.count)
    }
}
