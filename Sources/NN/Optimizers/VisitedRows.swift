/// The rows of a table that have had a gradient so far, in first-visit order, or every row.
///
/// Under momentum (SGD) or Adam, a row whose state has never received a gradient keeps +0 state
/// that leaves the row unchanged, so an optimizer with dense semantics need only pass over these rows.
final class VisitedRows {
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
