internal import TensorSIMD

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
