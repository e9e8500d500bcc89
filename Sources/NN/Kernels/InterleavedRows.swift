/// Calls `body(row, column, length)` over every row of `rows`, four rows at a time, 64 columns of
/// each in turn (`rowLength(row)` gives each row's length).
///
/// Gathers and row-sparse updates touch rows scattered over a table, and the memory system only
/// fetches ahead within a stream it has recognised. Walking four rows side by side keeps four
/// streams in flight. Measured on gpt2's 768-wide rows (2 threads): the fused lookup about a
/// quarter faster than row by row; eight rows side by side were slower again.
@inline(__always)
func forEachInterleavedChunk(_ rows: Range<Int>, rowLength: (Int) -> Int, _ body: (_ row: Int, _ column: Int, _ length: Int) -> Void) {
    let interleavedRows = 4, chunkLength = 64
    var first = rows.lowerBound
    while first < rows.upperBound {
        let last = Swift.min(first + interleavedRows, rows.upperBound)
        var longest = 0
        for row in first..<last { longest = Swift.max(longest, rowLength(row)) }
        var column = 0
        while column < longest {
            for row in first..<last {
                let length = Swift.min(chunkLength, rowLength(row) - column)
                if length > 0 { body(row, column, length) }
            }
            column += chunkLength
        }
        first = last
    }
}
