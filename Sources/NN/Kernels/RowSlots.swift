/// Entries grouped by the table row they target: the one grouping behind the optimizers' row sums
/// (`RowGradientAccumulator`) and an embedding's scaling by frequency
/// (`EmbeddingKernels.coalescedScaledSums`). Each row with entries gets a slot, numbered in order of
/// first appearance, and each entry the slot of its row, so that a thread owning a range of slots
/// can scan the entries once and accumulate each of its rows in entry order — the order, and so the
/// result, is the same for any thread count.
enum RowSlots {
    /// Assigns slots to the entries, whose rows are `targets`.
    ///
    /// - Parameters:
    ///   - slotOfRow: row → slot, −1 for rows without one; sized to the table. The rows assigned
    ///     here are left set; the caller resets them (`slotOfRow[row] = -1` for each of `rows`)
    ///     before the next use, so a step costs O(entries), not O(rows).
    ///   - rows: receives slot → row (emptied first).
    ///   - entrySlots: receives entry → slot, bitwise complemented (negative) for a row's first
    ///     entry, which starts its sum instead of adding to it (emptied first).
    ///   - onlyEntryOfSlot: receives slot → its entry when it has exactly one, else −1 (emptied first).
    /// - Precondition: every target is in `0..<slotOfRow.count`.
    static func assign(
        _ targets: UnsafeBufferPointer<Int64>, slotOfRow: UnsafeMutableBufferPointer<Int32>,
        rows: inout [Int], entrySlots: inout [Int32], onlyEntryOfSlot: inout [Int32]
    ) {
        rows.removeAll(keepingCapacity: true)
        entrySlots.removeAll(keepingCapacity: true)
        entrySlots.reserveCapacity(targets.count)
        onlyEntryOfSlot.removeAll(keepingCapacity: true)
        let rowCount = slotOfRow.count
        for entry in 0..<targets.count {
            let row = Int(targets[entry])
            precondition(row >= 0 && row < rowCount, "row-sparse gradient holds row \(row) outside 0..<\(rowCount)")
            let slot = slotOfRow[row]
            if slot < 0 {
                let newSlot = Int32(rows.count)
                slotOfRow[row] = newSlot
                rows.append(row)
                entrySlots.append(~newSlot)
                onlyEntryOfSlot.append(Int32(entry))
            } else {
                entrySlots.append(slot)
                onlyEntryOfSlot[Int(slot)] = -1
            }
        }
    }

    /// The slot an `entrySlots` code names, and whether it is the slot's first entry.
    @inline(__always)
    static func decode(_ code: Int32) -> (slot: Int, isFirst: Bool) {
        code < 0 ? (Int(~code), true) : (Int(code), false)
    }
}
