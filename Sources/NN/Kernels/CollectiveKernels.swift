import Tensor

// The arithmetic of the collectives (ProcessGroup's rank-order sum, DeltaExchange's row changes).
//
// Kernel precondition for every function here: each pointer addresses the elements its counts
// describe (row ids within the table's rows), and outputs do not overlap inputs.

/// Adds `partCount` consecutive runs of `count` elements at `parts` into the first run, in order —
/// `((p₀ + p₁) + p₂) + …` — then divides the sum by `divisor` if one is given.
func sumPartsInOrder<S: FloatingTensorScalar>(_ parts: UnsafeMutablePointer<S>, partCount: Int, count: Int,
                                              dividingBy divisor: S?) {
    let level = InstructionSet.current
    for part in 1..<max(partCount, 1) { addRow(parts + part * count, into: parts, count: count, at: level) }
    if let divisor {
        for index in 0..<count { parts[index] /= divisor }
    }
}

/// Writes `now − start` of each row of `rows`, in order, to consecutive rows of `changes`; the
/// tables hold rows of `rowLength` elements.
func gatherRowChanges<S: FloatingTensorScalar>(now: UnsafeBufferPointer<S>, start: UnsafeBufferPointer<S>,
                                               rows: UnsafeBufferPointer<Int64>, rowLength: Int,
                                               into changes: UnsafeMutableBufferPointer<S>) {
    for (entry, row) in rows.enumerated() {
        let base = Int(row) * rowLength, target = entry * rowLength
        for column in 0..<rowLength { changes[target + column] = now[base + column] - start[base + column] }
    }
}

/// Adds each row of `changes` to its row of `table` (`rows[k]` for `changes`' row k), in order.
func addRowChanges<S: FloatingTensorScalar>(_ changes: UnsafeBufferPointer<S>, rows: UnsafeBufferPointer<Int64>,
                                            rowLength: Int, to table: UnsafeMutableBufferPointer<S>) {
    guard let changes = changes.baseAddress, let table = table.baseAddress else { return }
    let level = InstructionSet.current
    for (entry, row) in rows.enumerated() {
        addRow(changes + entry * rowLength, into: table + Int(row) * rowLength, count: rowLength, at: level)
    }
}

/// Sets the bit of each row of `rows` that is in `0..<rowCount` (bit `r % 64` of word `r / 64`).
func markRows(_ rows: UnsafeBufferPointer<Int64>, below rowCount: Int, in rowBits: inout [UInt64]) {
    rowBits.withUnsafeMutableBufferPointer { bits in
        for row in rows where row >= 0 && Int(row) < rowCount { bits[Int(row) >> 6] |= 1 << UInt64(row & 63) }
    }
}

/// Copies from `source` to `destination` each row whose bit is set in `rowBits` (bit `r % 64` of
/// word `r / 64` for row r), in row order.
func copyMarkedRows<S: FloatingTensorScalar>(_ rowBits: [UInt64], from source: UnsafeBufferPointer<S>,
                                             to destination: UnsafeMutableBufferPointer<S>, rowLength: Int) {
    forEachMarkedRow(rowBits) { row in
        let base = row * rowLength
        for column in 0..<rowLength { destination[base + column] = source[base + column] }
    }
}

/// Calls `body` with each row whose bit is set in `rowBits`, in row order.
@inline(__always)
func forEachMarkedRow(_ rowBits: [UInt64], _ body: (Int) -> Void) {
    for (word, bits) in rowBits.enumerated() where bits != 0 {
        var remaining = bits
        while remaining != 0 {
            body(word * 64 + remaining.trailingZeroBitCount)
            remaining &= remaining - 1
        }
    }
}
