internal import TensorSIMD

// Rows of a table picked or updated by id: the package entry points that Autograd, the layers
// and the optimizers call — the one id check, the one row gather (with its gather-add form), the
// one ordered scatter and the grouping of entries by row — and the loops behind them, which hand
// whole rows to the C kernels of `SIMD/Rows.h`. The public forms (`indexSelect`, `indexAdd`) are
// in `Ops/Indexing.swift`.
//
// Kernel precondition for this file's pointer loops: each states what it reads and writes; ids
// reaching them have been checked against the table (`checkRowIDs`) or are in range by
// construction.

extension Tensor {
    /// The rows at `rows`, ids already checked against `0..<shape[0]`, shaped
    /// `indexShape + shape.dropFirst()`: the gather of ``indexSelect(rows:)-(Tensor<Int64>)``
    /// without its check, for the layers that check their ids once, up front.
    @_specialize(exported: true, where Scalar == Float)
    package func gatheringRows(atCheckedRows rows: Tensor<Int64>, indexShape: [Int]) -> Tensor {
        precondition(rank >= 1 && rows.count == indexShape.reduce(1, *),
                     "gatheringRows: \(rows.count) ids for index shape \(indexShape) of a rank-\(rank) table")
        return rows.withContiguousBuffer { ids in
            ids.withMemoryRebound(to: Int.self) { gathered(at: $0, indexShape: indexShape) }
        }
    }

    /// `gatheringRows(atCheckedRows:indexShape:) + addend` written in one pass over the result,
    /// shaped `resultShape` (the ids' shape, then this table's row shape), or nil when the
    /// operands do not allow it (the caller then gathers and adds as usual).
    ///
    /// It applies when this table is contiguous and `addend` broadcasts along leading axes only:
    /// without its leading 1s, `addend`'s shape is a suffix of the result's that covers at least
    /// one whole row (a learned position table `[T, D]` added to token rows `[B, T, D]`). Each
    /// element is one addition `table[id] + addend[…]`, so the result is the two-pass one bit for
    /// bit.
    ///
    /// With `addendRows`, the addend is those rows (the addend table's own rows, whatever their
    /// size) of the table `addend`, shaped `addendShape` (positions `0..<T` of a position table,
    /// read in place).
    @_specialize(exported: true, where Scalar == Float)
    package func gatheringRows(
        atCheckedRows rows: Tensor<Int64>, resultShape: [Int], adding addend: Tensor,
        addendRows: Range<Int>? = nil, addendShape: [Int]? = nil
    ) -> Tensor? where Scalar: FloatingTensorScalar {
        guard Scalar.self == Float.self || Scalar.self == Double.self, rank >= 1, layout.isContiguous,
              rows.layout.isContiguous, addend.layout.isContiguous else { return nil }
        let rowShape = shape.dropFirst(), rowSize = rowShape.reduce(1, *)
        precondition(resultShape.count >= rowShape.count && resultShape.suffix(rowShape.count).elementsEqual(rowShape)
                        && rows.count * rowSize == resultShape.reduce(1, *),
                     "gatheringRows: \(rows.count) ids of a \(shape) table do not make \(resultShape)")
        let fullAddendShape = addendShape ?? addend.shape
        guard Tensor.addendFitsGatheredRows(fullAddendShape, resultShape: resultShape, rowRank: rowShape.count)
        else { return nil }
        let repeatCount = fullAddendShape.drop { $0 == 1 }.dropLast(rowShape.count).reduce(1, *)
        // `addendRows` count rows of the addend table, whose size need not be this table's.
        let addendRowSize = addendRows == nil ? 0 : addend.shape.dropFirst().reduce(1, *)
        precondition(addendRows.map { $0.upperBound <= addend.shape[0]
                                        && $0.count * addendRowSize == fullAddendShape.reduce(1, *) } ?? true,
                     "gatheringRows: rows \(addendRows!) of a \(addend.shape) addend do not make \(fullAddendShape)")
        let addendStart = addend.offset + (addendRows?.lowerBound ?? 0) * addendRowSize
        let result = Tensor(uninitializedShape: resultShape)
        guard rows.count > 0, rowSize > 0 else { return result }
        withExtendedLifetime((self, addend, rows)) {
            gatherRowsAdding(table: storage.base + offset, rows: rows.storage.base + rows.offset, count: rows.count,
                             rowSize: rowSize, addend: addend.storage.base + addendStart, addendRows: repeatCount,
                             into: result.storage.base)
        }
        return result
    }

    /// Whether an addend of `addendShape` can be added to gathered rows of `resultShape` (rows of
    /// `rowRank` axes) in the one pass of ``gatheringRows(atCheckedRows:resultShape:adding:addendRows:addendShape:)``:
    /// without its leading 1s it is a suffix of `resultShape` that covers at least one whole row.
    package static func addendFitsGatheredRows(_ addendShape: [Int], resultShape: [Int], rowRank: Int) -> Bool {
        let broadcastShape = addendShape.drop { $0 == 1 }
        return addendShape.count <= resultShape.count && broadcastShape.count >= rowRank
            && resultShape.suffix(broadcastShape.count).elementsEqual(broadcastShape)
    }

    /// Gathers the rows at `positions` (all valid) into a new tensor of `indexShape + row shape`.
    private func gathered(at positions: UnsafeBufferPointer<Int>, indexShape: [Int]) -> Tensor {
        let rowShape = Array(shape.dropFirst())
        let result = Tensor(uninitializedShape: indexShape + rowShape)
        let strides = self.strides
        let table = TableRows(base: UnsafePointer(storage.base + offset), rowStride: strides[0], rowShape: rowShape,
                              rowLayout: Layout(shape: rowShape, strides: Array(strides.dropFirst()), offset: 0))
        withExtendedLifetime(self) { gatherRows(table, positions: positions, into: result.storage.base) }
        return result
    }

    /// The error for the id `id` at flat index `flatIndex` of an index tensor of `indexShape`.
    fileprivate static func outOfRange(_ id: Int64, atFlatIndex flatIndex: Int, indexShape: [Int],
                                       bound: Int) -> TensorError {
        var place = [Int](repeating: 0, count: indexShape.count)
        var remainder = flatIndex
        for axis in stride(from: indexShape.count - 1, through: 0, by: -1) {
            place[axis] = remainder % indexShape[axis]
            remainder /= indexShape[axis]
        }
        return .indexOutOfRange(index: id, position: place, bound: bound)
    }
}

extension Tensor where Scalar == Int64 {
    /// Throws ``TensorError/indexOutOfRange(index:position:bound:)`` for the first of these ids
    /// (in row-major order) outside `0..<bound`, naming it and its place in this tensor: the one
    /// id check of every lookup (`indexSelect`, the embedding layers, the losses that read tables).
    package func checkRowIDs(bound: Int) throws(TensorError) {
        let firstBad = contiguous().withContiguousBuffer { buffer -> (flatIndex: Int, id: Int64)? in
            // Int64 ids read as Int, 64 bits on every platform the library supports.
            let index = buffer.withMemoryRebound(to: Int.self) { firstPositionOutOfRange($0, bound: bound) }
            return index.map { ($0, buffer[$0]) }
        }
        guard let firstBad else { return }
        throw Tensor.outOfRange(firstBad.id, atFlatIndex: firstBad.flatIndex, indexShape: shape, bound: bound)
    }
}

// MARK: - Kernels

/// The flat position of the first entry of `positions` outside `0..<bound`, or nil.
func firstPositionOutOfRange(_ positions: UnsafeBufferPointer<Int>, bound: Int) -> Int? {
    // A branch-free pass (negative values wrap to huge unsigned ones) answers the common case;
    // only a bad batch pays for the search.
    let limit = UInt(bound)
    var outside: UInt8 = 0
    for position in positions { outside |= UInt(bitPattern: position) >= limit ? 1 : 0 }
    if outside == 0 { return nil }
    return positions.firstIndex { UInt(bitPattern: $0) >= limit }
}

/// Rows of a table as the gather kernel reads them: row `k` starts at `base + k * rowStride`,
/// and its `rowShape` elements are laid out by `rowLayout` (offset 0) from there.
struct TableRows<S>: @unchecked Sendable {
    let base: UnsafePointer<S>
    let rowStride: Int
    let rowShape: [Int]
    let rowLayout: Layout

    var rowSize: Int { rowLayout.count }
}

/// Sendable pointers for worker threads: each thread writes only the rows of its range.
private struct GatherPointers<S>: @unchecked Sendable {
    let positions: UnsafePointer<Int>
    let output: UnsafeMutablePointer<S>
}

/// Copies table row `positions[i]` to output row `i` for every `i`, split over threads by
/// output rows when large: the one row gather behind `indexSelect`, the embedding layers and their
/// `Variable` forms. Contiguous rows go to the C kernel (whole rows of bytes, the next row
/// prefetched, streaming stores for outputs far larger than the cache); strided rows are copied
/// element by element.
///
/// Kernel precondition: every position is a valid row, `output` holds
/// `positions.count × table.rowSize` elements and does not overlap the table.
func gatherRows<S: TensorScalar>(
    _ table: TableRows<S>, positions: UnsafeBufferPointer<Int>, into output: UnsafeMutablePointer<S>
) {
    let rowSize = table.rowSize
    guard let positionBase = positions.baseAddress, rowSize > 0 else { return }
    let pointers = GatherPointers(positions: positionBase, output: output)
    let grain = Swift.max(1, ParallelConfiguration.elementwiseGrain / rowSize)
    if table.rowLayout.isContiguous {
        // Row k of a table with contiguous rows starts rowStride elements after row k − 1; the C
        // kernel takes rows of equal length at a fixed distance, which is rowStride when that is the
        // row size (the common, dense table) — otherwise each row is copied on its own below.
        if table.rowStride == rowSize && MemoryLayout<Int>.size == MemoryLayout<Int64>.size {
            let kernels = InstructionSet.currentKernels
            let stream: Int32 = StreamingStores.pays(count: positions.count * rowSize, of: S.self) ? 1 : 0
            let rowBytes = rowSize * MemoryLayout<S>.stride
            parallelForBalanced(positions.count, grain: grain) { range in
                // Positions are `Int`, 64 bits on the 64-bit platforms the library supports, so
                // they read as the kernel's int64_t row numbers.
                let rows = UnsafeRawPointer(pointers.positions + range.lowerBound).assumingMemoryBound(to: Int64.self)
                kernels.pointee.rows.gather_rows(pointers.output + range.lowerBound * rowSize, table.base, rows,
                                            range.count, rowBytes, stream)
                if stream != 0 { kernels.pointee.rows.store_fence() }
            }
            return
        }
        let rowBytes = rowSize * MemoryLayout<S>.stride
        parallelFor(positions.count, grain: grain) { range in
            for index in range {
                UnsafeMutableRawPointer(pointers.output + index * rowSize)
                    .copyMemory(from: table.base + pointers.positions[index] * table.rowStride, byteCount: rowBytes)
            }
        }
        return
    }
    let outputRowLayout = Layout(contiguous: table.rowShape)
    parallelFor(positions.count, grain: grain) { range in
        for index in range {
            copyStridedElements(shape: table.rowShape, from: table.base + pointers.positions[index] * table.rowStride,
                                table.rowLayout, to: pointers.output + index * rowSize, outputRowLayout)
        }
    }
}

/// Sendable pointers for the threads of ``gatherRowsAdding(table:rows:count:rowSize:addend:addendRows:into:)``.
private struct GatherAddPointers<S>: @unchecked Sendable {
    let table: UnsafePointer<S>
    let rows: UnsafePointer<Int64>
    let addend: UnsafePointer<S>
    let output: UnsafeMutablePointer<S>
}

/// `output[r] = table[rows[r]] + addend[r % addendRows]` for every row `r`: a gather and a
/// broadcast add (a token lookup and its learned positions) in one pass over the output, split
/// over threads by output rows, streamed when large.
///
/// Kernel precondition: `S` is `Float` or `Double`; the table's rows are contiguous, `rowSize`
/// elements apart, and every row number is valid; `addend` holds `addendRows` rows and `output`
/// `count` rows (a multiple of `addendRows`) of `rowSize`, not overlapping the inputs.
func gatherRowsAdding<S: FloatingTensorScalar>(
    table: UnsafePointer<S>, rows: UnsafePointer<Int64>, count: Int, rowSize: Int,
    addend: UnsafePointer<S>, addendRows: Int, into output: UnsafeMutablePointer<S>
) {
    let kernels = InstructionSet.currentKernels
    let stream: Int32 = StreamingStores.pays(count: count * rowSize, of: S.self) ? 1 : 0
    let pointers = GatherAddPointers(table: table, rows: rows, addend: addend, output: output)
    parallelForBalanced(count, grain: Swift.max(1, ParallelConfiguration.elementwiseGrain / rowSize)) { range in
        let first = range.lowerBound
        if S.self == Float.self {
            kernels.pointee.rows.gather_rows_adding_f32(cast(pointers.output + first * rowSize, Float.self),
                                                   cast(pointers.table, Float.self), pointers.rows + first,
                                                   range.count, rowSize, cast(pointers.addend, Float.self),
                                                   addendRows, first, stream)
        } else {
            kernels.pointee.rows.gather_rows_adding_f64(cast(pointers.output + first * rowSize, Double.self),
                                                   cast(pointers.table, Double.self), pointers.rows + first,
                                                   range.count, rowSize, cast(pointers.addend, Double.self),
                                                   addendRows, first, stream)
        }
        if stream != 0 { kernels.pointee.rows.store_fence() }
    }
}

/// Pointers for the scatter-add threads: each thread adds only into the table rows it owns.
private struct ScatterPointers<S>: @unchecked Sendable {
    let table: UnsafeMutablePointer<S>
    let positions: UnsafePointer<Int>
    let values: UnsafePointer<S>
}

/// Adds value row `i` into table row `positions[i]` for every `i`, in order of `i`, so a row
/// named several times receives its values in index order (PyTorch's
/// `embedding_dense_backward` order), on any number of threads (``applyInEntryOrder``).
///
/// Kernel precondition: the table is contiguous with `tableRows` rows of `rowSize` elements,
/// every position is a valid row, `values` holds `positions.count` rows of `rowSize`, and the
/// values do not overlap the table.
func scatterAddRows<S: NumericTensorScalar>(
    table: UnsafeMutablePointer<S>, tableRows: Int, rowSize: Int,
    positions: UnsafeBufferPointer<Int>, values: UnsafePointer<S>
) {
    guard let positionBase = positions.baseAddress, rowSize > 0 else { return }
    let pointers = ScatterPointers(table: table, positions: positionBase, values: values)
    if S.self == Float.self {
        scatterAddLoop(retyped(pointers, Float.self), tableRows, rowSize, positions.count)
    } else if S.self == Double.self {
        scatterAddLoop(retyped(pointers, Double.self), tableRows, rowSize, positions.count)
    } else if S.self == Int64.self {
        scatterAddLoop(retyped(pointers, Int64.self), tableRows, rowSize, positions.count)
    } else if S.self == Int32.self {
        scatterAddLoop(retyped(pointers, Int32.self), tableRows, rowSize, positions.count)
    } else if S.self == UInt8.self {
        scatterAddLoop(retyped(pointers, UInt8.self), tableRows, rowSize, positions.count)
    } else {
        preconditionFailure("no scatter-add kernel for \(S.self)")
    }
}

@inline(__always)
private func retyped<S, T>(_ pointers: ScatterPointers<S>, _ type: T.Type) -> ScatterPointers<T> {
    ScatterPointers(table: cast(pointers.table, T.self), positions: pointers.positions,
                    values: cast(pointers.values, T.self))
}

private func scatterAddLoop<S: AccumulatingScalar>(
    _ pointers: ScatterPointers<S>, _ tableRows: Int, _ rowSize: Int, _ count: Int
) {
    // Float and Double rows are added by the C kernels; integers wrap in Swift.
    let kernels = InstructionSet.currentKernels
    applyInEntryOrder(entryCount: count, targetCount: tableRows, workPerEntry: rowSize,
                      target: { pointers.positions[$0] }) { index, row in
        let destination = pointers.table + row * rowSize, source = pointers.values + index * rowSize
        if S.self == Float.self {
            kernels.pointee.rows.accumulate_f32(cast(destination, Float.self), cast(source, Float.self), rowSize)
        } else if S.self == Double.self {
            kernels.pointee.rows.accumulate_f64(cast(destination, Double.self), cast(source, Double.self), rowSize)
        } else {
            for column in 0..<rowSize { destination[column] = S.accumulating(destination[column], source[column]) }
        }
    }
}

// MARK: - Adding rows

/// `sum[i] += value[i]` for `i` in `0..<count`, one rounding per element (the C kernels at the
/// current instruction-set level for `Float` and `Double`): the row addition of the optimizers'
/// row sums and of NN's collectives. `level` is read on the calling thread.
package func addRow<S: FloatingTensorScalar>(
    _ value: UnsafePointer<S>, into sum: UnsafeMutablePointer<S>, count: Int, at level: InstructionSet
) {
    let kernels = level.kernels
    if S.self == Float.self {
        kernels.pointee.rows.accumulate_f32(cast(sum, Float.self), cast(value, Float.self), count)
    } else if S.self == Double.self {
        kernels.pointee.rows.accumulate_f64(cast(sum, Double.self), cast(value, Double.self), count)
    } else {
        for i in 0..<count { sum[i] += value[i] }
    }
}

/// `sum[i] = 0 + value[i]`: the first term of a sum started from zero, which turns −0 into +0 as a
/// dense scatter-add into zeros does.
package func startRowSum<S: FloatingTensorScalar>(
    from value: UnsafePointer<S>, into sum: UnsafeMutablePointer<S>, count: Int, at level: InstructionSet
) {
    let kernels = level.kernels
    if S.self == Float.self {
        withUnsafePointer(to: Optional(cast(value, Float.self))) {
            kernels.pointee.rows.sum_runs_f32(cast(sum, Float.self), $0, 1, count)
        }
    } else if S.self == Double.self {
        withUnsafePointer(to: Optional(cast(value, Double.self))) {
            kernels.pointee.rows.sum_runs_f64(cast(sum, Double.self), $0, 1, count)
        }
    } else {
        for i in 0..<count { sum[i] = 0 + value[i] }
    }
}

// MARK: - Entries in entry order

/// Applies entries to their targets (table rows, or the slots of rows being summed) so that every
/// target receives its entries in entry order, on any number of threads: threads own contiguous
/// ranges of targets and each scans every entry, applying only those whose target it owns. A
/// target's entries are thus applied by one thread, in order, and the result is the same bits
/// whatever the thread count — the order PyTorch's dense scatter-add accumulates duplicates in.
///
/// This is the one ordered scatter of the library: `indexAdd`'s scatter-add, the optimizers' row
/// sums of a row-sparse gradient and the frequency-scaled embedding gradient all run through it.
///
/// - `target(entry)`: the entry's target in `0..<targetCount`, or nil to skip the entry.
/// - `workPerEntry`: the elements one entry touches; a second thread joins only when each gets
///   ``ParallelConfiguration/elementwiseGrain`` elements of work.
/// - `apply(entry, target)` must write only `target`'s own elements.
package func applyInEntryOrder(
    entryCount: Int, targetCount: Int, workPerEntry: Int,
    target: (_ entry: Int) -> Int?, _ apply: (_ entry: Int, _ target: Int) -> Void
) {
    let threads = Swift.min(ParallelConfiguration.maximumThreadCount,
                            entryCount * workPerEntry / ParallelConfiguration.elementwiseGrain)
    parallelFor(targetCount, grain: Swift.max(1, targetCount / Swift.max(threads, 1))) { owned in
        for entry in 0..<entryCount {
            guard let target = target(entry), owned.contains(target) else { continue }
            apply(entry, target)
        }
    }
}

/// Entries grouped by the table row they target: the one grouping behind the optimizers' row sums
/// (`RowGradientAccumulator`) and an embedding's scaling by frequency
/// (`EmbeddingKernels.coalescedScaledSums`). Each row with entries gets a slot, numbered in order of
/// first appearance, and each entry the slot of its row, so that a thread owning a range of slots
/// can scan the entries once and accumulate each of its rows in entry order — the order, and so the
/// result, is the same for any thread count.
package enum RowSlots {
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
    package static func assign(
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
    package static func decode(_ code: Int32) -> (slot: Int, isFirst: Bool) {
        code < 0 ? (Int(~code), true) : (Int(code), false)
    }
}
