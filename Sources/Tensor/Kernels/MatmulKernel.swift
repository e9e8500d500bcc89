/// A matrix as the matmul kernels read it: element (row, column) at
/// `base[row * rowStride + column * columnStride]`. Any strides work (transposed, broadcast),
/// because the packed kernel copies its operands into panels first.
struct MatrixOperand<S>: @unchecked Sendable {
    let base: UnsafePointer<S>
    let rowStride: Int
    let columnStride: Int

    @inline(__always)
    subscript(row: Int, column: Int) -> S { base[row * rowStride + column * columnStride] }
}

/// Float and Double, which get the packed register-tiled kernel.
///
/// A register tile is ``packedTileRows`` rows of one `TileRow` vector each. The left operand is
/// packed with every element repeated across a `HalfTileRow`, so the kernel broadcasts it with a
/// plain aligned load instead of a shuffle (x86-64's baseline SSE has no broadcast load).
protocol PackedMatmulScalar: SIMDFloatingScalar, AccumulatingScalar {
    associatedtype TileRow: SIMD where TileRow.Scalar == Self
    associatedtype HalfTileRow: SIMD where HalfTileRow.Scalar == Self
    /// A tile row holding `half` twice.
    static func tileRow(repeating half: HalfTileRow) -> TileRow
    /// Columns per block of the right operand, sized so that a packed block of
    /// ``packedDepthBlock`` rows stays in the second-level cache.
    static var packedColumnBlock: Int { get }
}

extension Float: PackedMatmulScalar {
    typealias TileRow = SIMD8<Float>
    typealias HalfTileRow = SIMD4<Float>
    @inline(__always)
    static func tileRow(repeating half: SIMD4<Float>) -> SIMD8<Float> { SIMD8(lowHalf: half, highHalf: half) }
    static var packedColumnBlock: Int { 512 }
}

extension Double: PackedMatmulScalar {
    typealias TileRow = SIMD4<Double>
    typealias HalfTileRow = SIMD2<Double>
    @inline(__always)
    static func tileRow(repeating half: SIMD2<Double>) -> SIMD4<Double> { SIMD4(lowHalf: half, highHalf: half) }
    static var packedColumnBlock: Int { 256 }
}

/// Rows of a register tile: 6 rows of accumulators, plus the right operand's vector and a
/// product, fill the 16 vector registers of x86-64 (as 12 SSE or 6 AVX registers of sums).
let packedTileRows = 6
/// Depth of one packed block: a packed left panel (6 × 128 broadcast half rows, 12 KiB) stays in the
/// first-level cache, beside the right panel it meets.
let packedDepthBlock = 128
/// Below this many multiply-adds the packing costs more than it saves.
let packedMinimumWork = 32 * 32 * 32

// Kernel precondition for everything below: operands address `rows × depth` and
// `depth × columns` live elements through their strides, and `output` addresses `rows` rows of
// `columns` elements, `outputRowStride` apart, overlapping neither operand.
//
// Every output element is the sequential sum `((0 + a₀b₀) + a₁b₁) + …` in increasing depth order,
// whichever path computes it and however the rows are split over threads; so results are
// identical for any thread count and equal to a naive triple loop (multiplies and adds are
// never fused).

/// Entry point from generic code: `output = lhs · rhs` with the kernel for the concrete scalar
/// type; `threaded` allows splitting the output rows over threads.
func matrixMultiplyKernel<S: NumericTensorScalar>(
    rows: Int, columns: Int, depth: Int, lhs: MatrixOperand<S>, rhs: MatrixOperand<S>,
    output: UnsafeMutablePointer<S>, outputRowStride: Int, threaded: Bool
) {
    if S.self == Float.self {
        floatingMatrixMultiply(rows, columns, depth, lhs: retyped(lhs, Float.self), rhs: retyped(rhs, Float.self),
                               cast(output, Float.self), outputRowStride, threaded)
    } else if S.self == Double.self {
        floatingMatrixMultiply(rows, columns, depth, lhs: retyped(lhs, Double.self), rhs: retyped(rhs, Double.self),
                               cast(output, Double.self), outputRowStride, threaded)
    } else if S.self == Int64.self {
        rowByRowMultiply(rows, columns, depth, retyped(lhs, Int64.self), retyped(rhs, Int64.self),
                         cast(output, Int64.self), outputRowStride, threaded)
    } else if S.self == Int32.self {
        rowByRowMultiply(rows, columns, depth, retyped(lhs, Int32.self), retyped(rhs, Int32.self),
                         cast(output, Int32.self), outputRowStride, threaded)
    } else if S.self == UInt8.self {
        rowByRowMultiply(rows, columns, depth, retyped(lhs, UInt8.self), retyped(rhs, UInt8.self),
                         cast(output, UInt8.self), outputRowStride, threaded)
    } else {
        preconditionFailure("no matmul kernel for \(S.self)")
    }
}

@inline(__always)
private func retyped<S, T>(_ operand: MatrixOperand<S>, _ type: T.Type) -> MatrixOperand<T> {
    MatrixOperand(base: cast(operand.base, T.self), rowStride: operand.rowStride, columnStride: operand.columnStride)
}

private func floatingMatrixMultiply<S: PackedMatmulScalar>(
    _ rows: Int, _ columns: Int, _ depth: Int, lhs: MatrixOperand<S>, rhs: MatrixOperand<S>,
    _ output: UnsafeMutablePointer<S>, _ outputRowStride: Int, _ threaded: Bool
) {
    if rows == 1 || rows * columns * depth < packedMinimumWork {
        rowByRowMultiply(rows, columns, depth, lhs, rhs, output, outputRowStride, threaded)
    } else {
        packedMultiply(rows, columns, depth, lhs, rhs, output, outputRowStride, threaded)
    }
}


/// A sendable copy of the output pointer: threads write disjoint rows.
private struct OutputPointer<S>: @unchecked Sendable {
    let base: UnsafeMutablePointer<S>
}

/// Small products, single rows and integers (which wrap on overflow, as PyTorch's do): each
/// output row accumulates `a[i, k] · b[k, :]` for k in order, a loop over contiguous output that
/// the compiler vectorises. Large ones split their rows over threads, or their columns when
/// there are fewer rows than threads.
private func rowByRowMultiply<S: AccumulatingScalar>(
    _ rows: Int, _ columns: Int, _ depth: Int, _ lhs: MatrixOperand<S>, _ rhs: MatrixOperand<S>,
    _ output: UnsafeMutablePointer<S>, _ outputRowStride: Int, _ threaded: Bool
) {
    let destination = OutputPointer(base: output)
    func multiply(rows rowRange: Range<Int>, columns columnRange: Range<Int>) {
        for row in rowRange {
            let outputRow = destination.base + row * outputRowStride
            (outputRow + columnRange.lowerBound).update(repeating: S.zero, count: columnRange.count)
            for inner in 0..<depth {
                let factor = lhs[row, inner]
                let rhsRow = rhs.base + inner * rhs.rowStride
                if rhs.columnStride == 1 {
                    for column in columnRange {
                        outputRow[column] = S.accumulating(outputRow[column], product: factor, rhsRow[column])
                    }
                } else {
                    for column in columnRange {
                        let element = rhsRow[column * rhs.columnStride]
                        outputRow[column] = S.accumulating(outputRow[column], product: factor, element)
                    }
                }
            }
        }
    }
    let work = rows * columns * depth
    if !threaded || work < 2 * ParallelConfiguration.elementwiseGrain {
        multiply(rows: 0..<rows, columns: 0..<columns)
    } else if rows >= ParallelConfiguration.maximumThreadCount {
        parallelFor(rows, grain: Swift.max(1, ParallelConfiguration.elementwiseGrain / (columns * depth))) {
            multiply(rows: $0, columns: 0..<columns)
        }
    } else {
        parallelFor(columns, grain: Swift.max(64, ParallelConfiguration.elementwiseGrain / (rows * depth))) {
            multiply(rows: 0..<rows, columns: $0)
        }
    }
}

/// Scratch memory for packed panels, 64-byte aligned so that broadcast halves load aligned.
private struct PackedBuffer<S>: @unchecked Sendable {
    let base: UnsafeMutablePointer<S>

    init(count: Int) {
        base = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(1, count) * MemoryLayout<S>.stride, alignment: 64)
            .bindMemory(to: S.self, capacity: Swift.max(1, count))
    }

    func deallocate() { UnsafeMutableRawPointer(base).deallocate() }
}

/// The blocked product. For each block of columns, the right operand is packed once, for all
/// depth blocks, into panels of one tile-row width shared by all threads. Then each thread takes
/// a contiguous range of 6-row panels of the output (or of column panels, when there are fewer
/// row panels than threads) and, depth block by depth block, packs its left panels and sweeps
/// them over the right panels of the block with the register-tiled micro-kernel.
/// The first depth block starts the sums at zero; later blocks continue them from the output.
/// Threads only meet twice per column block, and never while computing.
private func packedMultiply<S: PackedMatmulScalar>(
    _ rows: Int, _ columns: Int, _ depth: Int, _ lhs: MatrixOperand<S>, _ rhs: MatrixOperand<S>,
    _ output: UnsafeMutablePointer<S>, _ outputRowStride: Int, _ threaded: Bool
) {
    let tileColumns = S.TileRow.scalarCount
    let columnBlock = S.packedColumnBlock
    let rowPanels = (rows + packedTileRows - 1) / packedTileRows
    let depthBlocks = (depth + packedDepthBlock - 1) / packedDepthBlock
    // Depth block `d` of right panel `p` starts at d * packedDepthBlock * columnBlock + p * blockDepth * tileColumns.
    let packedRight = PackedBuffer<S>(count: depthBlocks * packedDepthBlock * columnBlock)
    defer { packedRight.deallocate() }
    let destination = OutputPointer(base: output)
    var firstColumn = 0
    while firstColumn < columns {
        let blockColumns = Swift.min(columnBlock, columns - firstColumn)
        let columnPanels = (blockColumns + tileColumns - 1) / tileColumns

        func packRight(_ items: Range<Int>) {
            for item in items {
                let depthIndex = item / columnPanels, panel = item % columnPanels
                let firstInner = depthIndex * packedDepthBlock
                let blockDepth = Swift.min(packedDepthBlock, depth - firstInner)
                packRightPanel(rhs, firstInner: firstInner, depth: blockDepth,
                               firstColumn: firstColumn + panel * tileColumns,
                               columns: Swift.min(tileColumns, blockColumns - panel * tileColumns),
                               into: packedRight.base + firstInner * columnBlock + panel * blockDepth * tileColumns)
            }
        }

        func sweep(rowPanels panels: Range<Int>, columnPanels columnRange: Range<Int>) {
            let packedLeft = PackedBuffer<S>(count: packedDepthBlock * packedTileRows * S.HalfTileRow.scalarCount)
            let edgeTile = PackedBuffer<S>(count: packedTileRows * tileColumns)
            defer {
                packedLeft.deallocate()
                edgeTile.deallocate()
            }
            for depthIndex in 0..<depthBlocks {
                let firstInner = depthIndex * packedDepthBlock
                let blockDepth = Swift.min(packedDepthBlock, depth - firstInner)
                let rightBlock = UnsafePointer(packedRight.base + firstInner * columnBlock)
                for panel in panels {
                    let firstRow = panel * packedTileRows
                    let panelRows = Swift.min(packedTileRows, rows - firstRow)
                    packLeftPanel(lhs, firstRow: firstRow, rows: panelRows, firstInner: firstInner, depth: blockDepth,
                                  into: packedLeft.base)
                    for columnPanel in columnRange {
                        let panelColumns = Swift.min(tileColumns, blockColumns - columnPanel * tileColumns)
                        let tileColumn = firstColumn + columnPanel * tileColumns
                        let tile = destination.base + firstRow * outputRowStride + tileColumn
                        let right = rightBlock + columnPanel * blockDepth * tileColumns
                        if panelRows == packedTileRows && panelColumns == tileColumns {
                            microKernel(depth: blockDepth, packedLeft: UnsafePointer(packedLeft.base),
                                        packedRight: right, output: tile, outputRowStride: outputRowStride,
                                        accumulate: depthIndex > 0)
                        } else {
                            edgeMicroKernel(depth: blockDepth, packedLeft: UnsafePointer(packedLeft.base),
                                            packedRight: right, output: tile, outputRowStride: outputRowStride,
                                            rows: panelRows, columns: panelColumns, accumulate: depthIndex > 0,
                                            scratch: edgeTile.base)
                        }
                    }
                }
            }
        }

        if threaded {
            let packGrain = Swift.max(1, ParallelConfiguration.elementwiseGrain / (packedDepthBlock * tileColumns))
            parallelFor(depthBlocks * columnPanels, grain: packGrain, packRight)
            // Rows are the natural split; a product too short for every thread splits its columns.
            let tileWork = packedTileRows * tileColumns * depth
            if rowPanels >= ParallelConfiguration.maximumThreadCount {
                parallelForBalanced(rowPanels, grain: Swift.max(1, (1 << 17) / (tileWork * columnPanels))) {
                    sweep(rowPanels: $0, columnPanels: 0..<columnPanels)
                }
            } else {
                parallelForBalanced(columnPanels, grain: Swift.max(1, (1 << 17) / (tileWork * rowPanels))) {
                    sweep(rowPanels: 0..<rowPanels, columnPanels: $0)
                }
            }
        } else {
            packRight(0..<(depthBlocks * columnPanels))
            sweep(rowPanels: 0..<rowPanels, columnPanels: 0..<columnPanels)
        }
        firstColumn += blockColumns
    }
}

/// Packs `depth × columns` of the right operand as `depth` rows of one tile row each, padding
/// missing columns with zeros (their sums are computed and discarded).
@inline(__always)
private func packRightPanel<S: PackedMatmulScalar>(
    _ rhs: MatrixOperand<S>, firstInner: Int, depth: Int, firstColumn: Int, columns: Int,
    into packed: UnsafeMutablePointer<S>
) {
    let tileColumns = S.TileRow.scalarCount
    for inner in 0..<depth {
        let destination = packed + inner * tileColumns
        let source = rhs.base + (firstInner + inner) * rhs.rowStride + firstColumn * rhs.columnStride
        if rhs.columnStride == 1 && columns == tileColumns {
            destination.update(from: source, count: tileColumns)
        } else {
            for column in 0..<columns { destination[column] = source[column * rhs.columnStride] }
            for column in columns..<tileColumns { destination[column] = S.zero }
        }
    }
}

/// Packs `rows × depth` of the left operand depth-major, each element repeated across a half
/// tile row, padding missing rows with zeros.
@inline(__always)
private func packLeftPanel<S: PackedMatmulScalar>(
    _ lhs: MatrixOperand<S>, firstRow: Int, rows: Int, firstInner: Int, depth: Int,
    into packed: UnsafeMutablePointer<S>
) {
    let lanes = S.HalfTileRow.scalarCount
    let step = packedTileRows * lanes
    for row in 0..<packedTileRows {
        var destination = packed + row * lanes
        if row < rows {
            let source = lhs.base + (firstRow + row) * lhs.rowStride + firstInner * lhs.columnStride
            for inner in 0..<depth {
                let value = source[inner * lhs.columnStride]
                for lane in 0..<lanes { destination[lane] = value }
                destination += step
            }
        } else {
            for _ in 0..<depth {
                for lane in 0..<lanes { destination[lane] = S.zero }
                destination += step
            }
        }
    }
}

@inline(__always)
private func loadTileRow<S: PackedMatmulScalar>(_ pointer: UnsafePointer<S>) -> S.TileRow {
    UnsafeRawPointer(pointer).loadUnaligned(as: S.TileRow.self)
}

@inline(__always)
private func storeTileRow<S: PackedMatmulScalar>(_ row: S.TileRow, _ pointer: UnsafeMutablePointer<S>) {
    UnsafeMutableRawPointer(pointer).storeBytes(of: row, as: S.TileRow.self)
}

@inline(__always)
private func broadcastLeft<S: PackedMatmulScalar>(_ pointer: UnsafePointer<S>) -> S.TileRow {
    S.tileRow(repeating: UnsafeRawPointer(pointer).load(as: S.HalfTileRow.self))
}

/// One full register tile: `output[6 × tile row] (+)= packedLeft · packedRight` over `depth`.
/// The six accumulators are separate variables so that they live in registers.
@inline(__always)
private func microKernel<S: PackedMatmulScalar>(
    depth: Int, packedLeft: UnsafePointer<S>, packedRight: UnsafePointer<S>,
    output: UnsafeMutablePointer<S>, outputRowStride: Int, accumulate: Bool
) {
    let lanes = S.HalfTileRow.scalarCount
    var sum0 = S.TileRow(), sum1 = S.TileRow(), sum2 = S.TileRow()
    var sum3 = S.TileRow(), sum4 = S.TileRow(), sum5 = S.TileRow()
    if accumulate {
        sum0 = loadTileRow(output)
        sum1 = loadTileRow(output + outputRowStride)
        sum2 = loadTileRow(output + 2 * outputRowStride)
        sum3 = loadTileRow(output + 3 * outputRowStride)
        sum4 = loadTileRow(output + 4 * outputRowStride)
        sum5 = loadTileRow(output + 5 * outputRowStride)
    }
    var left = packedLeft, right = packedRight
    for _ in 0..<depth {
        let rightRow: S.TileRow = loadTileRow(right)
        sum0 += broadcastLeft(left) * rightRow
        sum1 += broadcastLeft(left + lanes) * rightRow
        sum2 += broadcastLeft(left + 2 * lanes) * rightRow
        sum3 += broadcastLeft(left + 3 * lanes) * rightRow
        sum4 += broadcastLeft(left + 4 * lanes) * rightRow
        sum5 += broadcastLeft(left + 5 * lanes) * rightRow
        left += packedTileRows * lanes
        right += S.TileRow.scalarCount
    }
    storeTileRow(sum0, output)
    storeTileRow(sum1, output + outputRowStride)
    storeTileRow(sum2, output + 2 * outputRowStride)
    storeTileRow(sum3, output + 3 * outputRowStride)
    storeTileRow(sum4, output + 4 * outputRowStride)
    storeTileRow(sum5, output + 5 * outputRowStride)
}

/// A partial tile at the bottom or right edge: the full kernel runs on `scratch` (a whole tile)
/// and only the `rows × columns` that exist are copied in and out.
private func edgeMicroKernel<S: PackedMatmulScalar>(
    depth: Int, packedLeft: UnsafePointer<S>, packedRight: UnsafePointer<S>,
    output: UnsafeMutablePointer<S>, outputRowStride: Int, rows: Int, columns: Int, accumulate: Bool,
    scratch: UnsafeMutablePointer<S>
) {
    let tileColumns = S.TileRow.scalarCount
    if accumulate {
        scratch.update(repeating: S.zero, count: packedTileRows * tileColumns)
        for row in 0..<rows {
            (scratch + row * tileColumns).update(from: output + row * outputRowStride, count: columns)
        }
    }
    microKernel(depth: depth, packedLeft: packedLeft, packedRight: packedRight, output: scratch,
                outputRowStride: tileColumns, accumulate: accumulate)
    for row in 0..<rows { (output + row * outputRowStride).update(from: scratch + row * tileColumns, count: columns) }
}
