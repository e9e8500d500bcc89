/// What an optimizer keeps, per parameter, to apply row-sparse gradients with dense semantics:
/// the rows visited so far and the accumulator that sums duplicate entries. SGD and Adam each
/// drive their updates through one of these, so the row bookkeeping is written once.
///
/// Under momentum (SGD) or Adam, a row whose state has never received a gradient keeps +0 state
/// that leaves the row unchanged, so such an optimizer need only pass over the rows visited so far
/// (``Rows/visitedSoFar``); weight decay moves every row (``Rows/all``).
final class RowUpdates<Scalar: FloatingTensorScalar> {
    /// Which rows an update passes over.
    enum Rows {
        /// The rows with an entry in this gradient.
        case withEntries
        /// Every row that has had an entry in any gradient so far (every row once a dense one came).
        case visitedSoFar
        /// Every row of the table.
        case all
    }

    private var visited: VisitedRows?
    private var accumulator: RowGradientAccumulator<Scalar>?

    /// A dense gradient arrived: from now on every row counts as visited.
    func visitAll() { visitedRows(rowCount: 0).includeAll() }

    /// Sums `gradient` (duplicates in entry order) and runs `body` on segments over `rows` of
    /// `parameter`'s table, each reading its summed gradient row (zeros for rows without entries).
    /// With `singleEntriesInPlace`, a row with one entry reads it where the backward left it.
    /// `optimizer` names the caller in the message of a gradient that does not fit.
    func withSegments<Result>(
        summing gradient: RowSparseGradient<Scalar>, for parameter: Parameter<Scalar>, optimizer: String,
        rows: Rows, singleEntriesInPlace: Bool = false, _ body: (UpdateSegments) -> Result
    ) -> Result {
        precondition(gradient.denseShape == parameter.shape,
                     "\(optimizer): gradient of shape \(gradient.denseShape) for a parameter of shape \(parameter.shape)")
        let accumulator = self.accumulator
            ?? RowGradientAccumulator(rowCount: gradient.rowCount, rowLength: rowLength(of: parameter.shape))
        self.accumulator = accumulator
        let rowList: ([Int]) -> [Int]?
        switch rows {
        case .withEntries:
            rowList = { $0 }
        case .visitedSoFar:
            let visited = visitedRows(rowCount: gradient.rowCount)
            rowList = { rowsWithEntries in
                visited.include(rowsWithEntries)
                return visited.rows
            }
        case .all:
            rowList = { _ in nil }
        }
        return accumulator.withSegments(summing: gradient, singleEntriesInPlace: singleEntriesInPlace,
                                        rowList: rowList, body)
    }

    /// The rows visited so far, created empty (for a `rowCount`-row table) on first use.
    private func visitedRows(rowCount: Int) -> VisitedRows {
        let visited = self.visited ?? VisitedRows(rowCount: rowCount)
        self.visited = visited
        return visited
    }
}

/// The rows of a table that have had a gradient so far, in first-visit order, or every row.
private final class VisitedRows {
    private var isVisited: [Bool]
    private var list: [Int] = []
    private var includesAll = false

    init(rowCount: Int) { isVisited = [Bool](repeating: false, count: rowCount) }

    /// The visited rows, or nil once every row counts as visited.
    var rows: [Int]? { includesAll ? nil : list }

    func include(_ rows: [Int]) {
        guard !includesAll else { return }
        for row in rows where !isVisited[row] {
            isVisited[row] = true
            list.append(row)
        }
    }

    func includeAll() {
        includesAll = true
        list = []
        isVisited = []
    }
}
