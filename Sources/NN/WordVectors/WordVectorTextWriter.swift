/// Writes the rows of a table as lines of text: each row's lines formatted into a buffer across
/// threads, a block of rows per buffer, and the buffers written in row order.
enum WordVectorTextWriter {
    /// Writes row `r` of the `[rowCount, dimension]` table `table` as `prefix(r)`, its values
    /// joined by `separator`, and a line feed. `prefix` is called from several threads at once.
    static func writeRows(
        of table: UnsafeBufferPointer<Float>, rowCount: Int, dimension: Int, separator: UInt8,
        spelling: FloatText.NonFiniteSpelling, prefix: (Int, inout [UInt8]) -> Void, to output: inout FileOutput
    ) throws(TensorError) {
        precondition(table.count == rowCount * dimension, "\(table.count) values are not \(rowCount) rows of \(dimension)")
        // Blocks of about a megabyte of text (a value takes up to 15 bytes and its separator), a
        // few per thread and step, so that the text in memory at once stays small.
        let rowsPerBlock = Swift.max(1, (1 << 20) / Swift.max(1, 16 * dimension))
        let blocksPerStep = ParallelConfiguration.maximumThreadCount * 4
        let blocks = UnsafeMutableBufferPointer<[UInt8]>.allocate(capacity: blocksPerStep)
        blocks.initialize(repeating: [])
        defer { blocks.deinitialize().deallocate() }
        var stepStart = 0
        while stepStart < rowCount {
            let stepRows = Swift.min(rowCount - stepStart, rowsPerBlock * blocksPerStep)
            let blockCount = (stepRows + rowsPerBlock - 1) / rowsPerBlock
            let firstRow = stepStart
            parallelForBalanced(blockCount, grain: 1, chunksPerThread: 4) { blockIndices in
                for block in blockIndices {
                    let rows = (firstRow + block * rowsPerBlock)..<Swift.min(firstRow + stepRows, firstRow + (block + 1) * rowsPerBlock)
                    // Taken out of its slot and put back, so that the buffer is never shared (no copy).
                    var text: [UInt8] = []
                    swap(&text, &blocks[block])
                    text.removeAll(keepingCapacity: true)
                    for row in rows {
                        prefix(row, &text)
                        for column in 0..<dimension {
                            if column > 0 { text.append(separator) }
                            FloatText.append(table[row * dimension + column], to: &text, spelling: spelling)
                        }
                        text.append(UInt8(ascii: "\n"))
                    }
                    swap(&text, &blocks[block])
                }
            }
            for block in 0..<blockCount { try output.write(blocks[block]) }
            stepStart += stepRows
        }
    }
}
