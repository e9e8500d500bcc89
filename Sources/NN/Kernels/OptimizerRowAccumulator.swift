import Foundation

/// Sums a row-sparse gradient per row exactly as the dense scatter-add does (from zero, entries in
/// order), keeping its storage between steps.
///
/// The row → slot map is sized to the table once; each step resets only the rows it touched, so a
/// step costs O(entries × row length) with no O(rows) pass or allocation after the first.
///
/// A row with a single entry can be read from the gradient's own values instead of being
/// copied into a sum: the dense sum would be `0 + v`, which differs from `v` only in the sign of a
/// zero, so segments that read entries in place say so (``UpdateSegments/readsEntriesInPlace``) and
/// the update adds zero itself. Most rows of a large vocabulary have one entry per batch, so this
/// saves a copy of nearly the whole upstream gradient per step.
final class RowGradientAccumulator<Scalar: FloatingTensorScalar> {
    let rowCount: Int
    let rowLength: Int
    /// Row → slot of its sum in `sums`, −1 for rows without entries.
    private var slotOfRow: [Int32]
    /// Rows with entries in order of first appearance; row `rows[k]` sums into slot `k`.
    private(set) var rows: [Int] = []
    /// Entry → slot of its row, bitwise complemented (negative) for the row's first entry, which
    /// starts the sum instead of adding to it (so the sums need no zero fill first);
    /// `skippedEntry` for an entry read in place.
    private var entrySlots: [Int32] = []
    /// Slot → its only entry when that entry is read in place, else −1.
    private var inPlaceEntryOfSlot: [Int32] = []
    /// The sums, slot after slot, then one row of zeros; raw memory so that zeroing it is a
    /// byte fill rather than a generic per-element loop (zero bits are 0 in Float and Double).
    private var storage: UnsafeMutableRawPointer
    private var storageRows: Int

    init(rowCount: Int, rowLength: Int) {
        self.rowCount = rowCount
        self.rowLength = rowLength
        slotOfRow = [Int32](repeating: -1, count: rowCount)
        storageRows = 0
        storage = Self.allocate(rows: 0, rowLength: rowLength)
    }

    deinit { storage.deallocate() }

    private static func allocate(rows: Int, rowLength: Int) -> UnsafeMutableRawPointer {
        let count = Swift.max(rows * rowLength, 1)
        let memory = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Scalar>.stride, alignment: 64)
        memory.bindMemory(to: Scalar.self, capacity: count)
        return memory
    }

    private var sums: UnsafeMutablePointer<Scalar> { storage.assumingMemoryBound(to: Scalar.self) }

    /// Sums `gradient` (whose dense shape must be this table's) and calls `body` with segments over
    /// the rows of `rowList(rowsWithEntries)` (every row when it returns nil), each reading its
    /// summed gradient row, or zeros for rows without entries. With `singleEntriesInPlace`, rows with
    /// one entry read it from `gradient.values` instead of a copy.
    func withSegments<Result>(
        summing gradient: RowSparseGradient<Scalar>, singleEntriesInPlace: Bool = false,
        rowList: (_ rowsWithEntries: [Int]) -> [Int]?, _ body: (UpdateSegments) -> Result
    ) -> Result {
        let inPlace = singleEntriesInPlace
        return gradient.values.withContiguousBuffer { values in
            accumulate(gradient, values: values.baseAddress, inPlace: inPlace)
            let zeroRow = sums + rows.count * rowLength
            let list = rowList(rows)
            return slotOfRow.withUnsafeBufferPointer { slotOfRow in
                inPlaceEntryOfSlot.withUnsafeBufferPointer { inPlaceEntries in
                    list.withOptionalBuffer { list in
                        body(UpdateSegments(rowCount: rowCount, rowLength: rowLength, rowList: list,
                                            slotOfRow: slotOfRow.baseAddress!, sums: sums, zeroRow: zeroRow,
                                            inPlaceEntryOfSlot: inPlace ? inPlaceEntries.baseAddress : nil,
                                            entryValues: values.baseAddress))
                    }
                }
            }
        }
    }

    private func accumulate(_ gradient: RowSparseGradient<Scalar>, values: UnsafePointer<Scalar>?, inPlace: Bool) {
        precondition(gradient.rowCount == rowCount && gradient.values.count == gradient.rowIndices.count * rowLength,
                     "row-sparse gradient of shape \(gradient.denseShape) does not fit a \(rowCount)×\(rowLength) table")
        // The bookkeeping runs on local arrays (moved out and back, not copied): a class's stored
        // arrays would be checked for exclusive access on every element access.
        var slotOfRow = takeArray(&self.slotOfRow), rows = takeArray(&self.rows)
        var entrySlots = takeArray(&self.entrySlots), inPlaceEntryOfSlot = takeArray(&self.inPlaceEntryOfSlot)
        defer {
            self.slotOfRow = slotOfRow
            self.rows = rows
            self.entrySlots = entrySlots
            self.inPlaceEntryOfSlot = inPlaceEntryOfSlot
        }
        for row in rows { slotOfRow[row] = -1 }
        let entryCount = gradient.rowIndices.count
        gradient.rowIndices.withContiguousBuffer { indices in
            slotOfRow.withUnsafeMutableBufferPointer { slotOfRow in
                RowSlots.assign(indices, slotOfRow: slotOfRow, rows: &rows, entrySlots: &entrySlots,
                                onlyEntryOfSlot: &inPlaceEntryOfSlot)
            }
        }
        if inPlace {
            for slot in inPlaceEntryOfSlot.indices where inPlaceEntryOfSlot[slot] >= 0 {
                entrySlots[Int(inPlaceEntryOfSlot[slot])] = skippedEntry
            }
        }
        // Slots, then the zero row; grown geometrically, so steps stop allocating.
        let neededRows = rows.count + 1
        if neededRows > storageRows {
            storage.deallocate()
            storageRows = Swift.max(neededRows, 2 * storageRows)
            storage = Self.allocate(rows: storageRows, rowLength: rowLength)
        }
        memset(sums + rows.count * rowLength, 0, rowLength * MemoryLayout<Scalar>.stride)
        guard let values else { return }
        let slotCount = rows.count, length = rowLength, sums = sums
        entrySlots.withUnsafeBufferPointer { slots in
            addEntriesBySlot(sums: sums, slotCount: slotCount, rowLength: length, values: values,
                             slots: slots.baseAddress!, entryCount: entryCount)
        }
    }
}

/// The entry → slot code of an entry read in place rather than summed.
private let skippedEntry = Int32.min

/// `sums[slot] += values[entry]` for every entry in order, the first entry of a
/// slot (complemented slot) adding to zero, entries marked `skippedEntry` skipped. Threads own slot
/// ranges and each scans all entries, so every sum is accumulated in entry order by one thread.
private func addEntriesBySlot<Scalar: FloatingTensorScalar>(
    sums: UnsafeMutablePointer<Scalar>, slotCount: Int, rowLength: Int, values: UnsafePointer<Scalar>,
    slots: UnsafePointer<Int32>, entryCount: Int
) {
    if Scalar.self == Float.self {
        addEntriesLoop(cast(sums, Float.self), slotCount, rowLength, cast(values, Float.self), slots, entryCount)
    } else {
        addEntriesLoop(cast(sums, Double.self), slotCount, rowLength, cast(values, Double.self), slots, entryCount)
    }
}

@inline(__always)
private func addEntriesLoop<T: FloatingTensorScalar>(
    _ sums: UnsafeMutablePointer<T>, _ slotCount: Int, _ rowLength: Int, _ values: UnsafePointer<T>,
    _ slots: UnsafePointer<Int32>, _ entryCount: Int
) {
    let level = InstructionSet.current
    applyInEntryOrder(entryCount: entryCount, targetCount: slotCount, workPerEntry: rowLength,
                      target: { slots[$0] == skippedEntry ? nil : RowSlots.decode(slots[$0]).slot }) { entry, slot in
        let sum = sums + slot * rowLength, value = values + entry * rowLength
        // `0 + x` rather than `x` for a first entry, as the dense scatter-add from zero: it turns
        // −0 into +0 (a one-source sum from zero).
        if RowSlots.decode(slots[entry]).isFirst {
            startRowSum(from: value, into: sum, count: rowLength, at: level)
        } else {
            addRow(value, into: sum, count: rowLength, at: level)
        }
    }
}

/// Moves an array out of `storage`, leaving it empty, so that the caller holds its only reference.
@inline(__always)
private func takeArray<Element>(_ storage: inout [Element]) -> [Element] {
    var taken: [Element] = []
    swap(&taken, &storage)
    return taken
}
