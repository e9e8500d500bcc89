internal import TensorSIMD

/// A matrix as the matmul kernels read it: element (row, column) at
/// `base[row * rowStride + column * columnStride]`. Any strides work (transposed, broadcast),
/// because the packed kernel copies its operands into panels first.
struct MatrixOperand<S>: @unchecked Sendable {
    let base: UnsafePointer<S>
    let rowStride: Int
    let columnStride: Int

    @inline(__always)
    subscript(row: Int, column: Int) -> S { base[row * rowStride + column * columnStride] }

    /// The operand starting at (`row`, `column`).
    @inline(__always)
    func offset(row: Int, column: Int) -> MatrixOperand {
        MatrixOperand(base: base + row * rowStride + column * columnStride, rowStride: rowStride,
                      columnStride: columnStride)
    }
}

/// True when the unpacked kernel is the faster one: few rows (each row streams the right operand
/// once, so packing it buys nothing), or a left operand that stays in the second-level cache
/// while the right one sweeps past it in a product of at most 256³ multiply-adds — packing costs a
/// third of a 64³ product (measured for the AVX-512 and AVX2 kernels, Float and Double).
func prefersUnpackedProduct(rows: Int, columns: Int, depth: Int, elementSize: Int) -> Bool {
    rows < 8 || (rows * depth * elementSize <= 256 << 10 && rows * columns * depth <= 256 * 256 * 256)
}

// Kernel precondition for everything below: operands address `rows × depth` and
// `depth × columns` live elements through their strides, and `output` addresses `rows` rows of
// `columns` elements, `outputRowStride` apart, overlapping neither operand.
//
// Float and Double products are the C kernels' (Kernels/SIMD/Matmul.h): every output element is
// the fused multiply-add chain `fma(a[i,k], b[k,j], …)` over k in increasing order from +0,
// whichever path, blocking, vector width or instruction-set level computes it and however the
// work is split over threads; so results are identical for any thread count and any level.
// Integers accumulate in the same order with wrapping arithmetic.

/// Entry point from generic code: `output = lhs · rhs` with the kernel for the concrete scalar
/// type; `threaded` allows splitting the output over threads.
func matrixMultiplyKernel<S: NumericTensorScalar>(
    rows: Int, columns: Int, depth: Int, lhs: MatrixOperand<S>, rhs: MatrixOperand<S>,
    output: UnsafeMutablePointer<S>, outputRowStride: Int, threaded: Bool
) {
    if rows == 0 || columns == 0 { return }
    if S.self == Float.self {
        FloatingMatrixProduct<Float>(rows: rows, columns: columns, depth: depth, lhs: retyped(lhs, Float.self),
                                     rhs: retyped(rhs, Float.self), output: cast(output, Float.self),
                                     outputRowStride: outputRowStride).run(threaded: threaded)
    } else if S.self == Double.self {
        FloatingMatrixProduct<Double>(rows: rows, columns: columns, depth: depth, lhs: retyped(lhs, Double.self),
                                      rhs: retyped(rhs, Double.self), output: cast(output, Double.self),
                                      outputRowStride: outputRowStride).run(threaded: threaded)
    } else if S.self == Int64.self {
        integerMultiply(rows, columns, depth, retyped(lhs, Int64.self), retyped(rhs, Int64.self),
                        cast(output, Int64.self), outputRowStride, threaded)
    } else if S.self == Int32.self {
        integerMultiply(rows, columns, depth, retyped(lhs, Int32.self), retyped(rhs, Int32.self),
                        cast(output, Int32.self), outputRowStride, threaded)
    } else if S.self == UInt8.self {
        integerMultiply(rows, columns, depth, retyped(lhs, UInt8.self), retyped(rhs, UInt8.self),
                        cast(output, UInt8.self), outputRowStride, threaded)
    } else {
        preconditionFailure("no matmul kernel for \(S.self)")
    }
}

@inline(__always)
private func retyped<S, T>(_ operand: MatrixOperand<S>, _ type: T.Type) -> MatrixOperand<T> {
    MatrixOperand(base: cast(operand.base, T.self), rowStride: operand.rowStride, columnStride: operand.columnStride)
}

/// A sendable copy of the output pointer: threads write disjoint parts.
private struct OutputPointer<S>: @unchecked Sendable {
    let base: UnsafeMutablePointer<S>
}

/// Runs `body` over output rows when there are enough of them for every thread, else over columns
/// (in chunks of whole `columnUnit`s), splitting only work of `minimumWork` multiply-adds or more.
private func splitOutput(
    rows: Int, columns: Int, depth: Int, threaded: Bool, rowUnit: Int, columnUnit: Int,
    _ body: (_ rows: Range<Int>, _ columns: Range<Int>) -> Void
) {
    let work = rows * columns * depth
    let threads = ParallelConfiguration.maximumThreadCount
    if !threaded || threads == 1 || work < 2 * ParallelConfiguration.elementwiseGrain {
        body(0..<rows, 0..<columns)
    } else if (rows + rowUnit - 1) / rowUnit >= threads {
        let units = (rows + rowUnit - 1) / rowUnit
        parallelForBalanced(units, grain: Swift.max(1, (1 << 17) / Swift.max(1, rowUnit * columns * depth))) {
            body(($0.lowerBound * rowUnit)..<Swift.min(rows, $0.upperBound * rowUnit), 0..<columns)
        }
    } else {
        let units = (columns + columnUnit - 1) / columnUnit
        parallelForBalanced(units, grain: Swift.max(1, (1 << 17) / Swift.max(1, columnUnit * rows * depth))) {
            body(0..<rows, ($0.lowerBound * columnUnit)..<Swift.min(columns, $0.upperBound * columnUnit))
        }
    }
}

/// Integers (which wrap on overflow, as PyTorch's do): each output row accumulates
/// `a[i, k] · b[k, :]` for k in order, a loop over contiguous output that the compiler vectorises.
private func integerMultiply<S: WrappingMultiplyAccumulate>(
    _ rows: Int, _ columns: Int, _ depth: Int, _ lhs: MatrixOperand<S>, _ rhs: MatrixOperand<S>,
    _ output: UnsafeMutablePointer<S>, _ outputRowStride: Int, _ threaded: Bool
) {
    let destination = OutputPointer(base: output)
    splitOutput(rows: rows, columns: columns, depth: depth, threaded: threaded, rowUnit: 1, columnUnit: 64) {
        rowRange, columnRange in
        for row in rowRange {
            let outputRow = destination.base + row * outputRowStride
            (outputRow + columnRange.lowerBound).update(repeating: S.zero, count: columnRange.count)
            for inner in 0..<depth {
                let factor = lhs[row, inner]
                let rhsRow = rhs.base + inner * rhs.rowStride
                for column in columnRange {
                    outputRow[column] = S.accumulating(outputRow[column], product: factor, rhsRow[column * rhs.columnStride])
                }
            }
        }
    }
}

/// A Float or Double product through the C kernels of the current instruction-set level.
///
/// Small products (see `prefersUnpackedProduct`) run unpacked. Larger ones are blocked as the level's
/// `sa_gemm_blocking` says: for each block of `nc` columns, the right operand is packed once for
/// every depth block, into panels shared by all threads; then each thread takes ranges of
/// `mr`-row panels of the output (or of `nr`-column panels, when there are too few rows for every
/// thread) and, at most `mc` rows at a time and depth block by depth block, packs its left panels and
/// runs the level's block kernel over them. The first depth block starts the sums at zero; later
/// ones continue them from the output.
private struct FloatingMatrixProduct<S: FloatingTensorScalar> {
    let rows: Int, columns: Int, depth: Int
    let lhs: MatrixOperand<S>, rhs: MatrixOperand<S>
    let output: UnsafeMutablePointer<S>, outputRowStride: Int
    /// Read on the calling thread: worker threads do not see the task's instruction-set scope.
    let kernels = InstructionSet.currentKernels

    func run(threaded: Bool) {
        if depth == 0 {
            for row in 0..<rows { (output + row * outputRowStride).update(repeating: 0, count: columns) }
        } else if prefersUnpackedProduct(rows: rows, columns: columns, depth: depth, elementSize: MemoryLayout<S>.stride) {
            runUnpacked(threaded: threaded)
        } else {
            runPacked(threaded: threaded)
        }
    }

    private var blocking: sa_gemm_blocking {
        S.self == Float.self ? kernels.pointee.gemm.gemm_f32_blocking : kernels.pointee.gemm.gemm_f64_blocking
    }

    private func runUnpacked(threaded: Bool) {
        let destination = OutputPointer(base: output)
        splitOutput(rows: rows, columns: columns, depth: depth, threaded: threaded, rowUnit: 1, columnUnit: 64) {
            rowRange, columnRange in
            small(rows: rowRange.count, columns: columnRange.count,
                  lhs.offset(row: rowRange.lowerBound, column: 0), rhs.offset(row: 0, column: columnRange.lowerBound),
                  destination.base + rowRange.lowerBound * outputRowStride + columnRange.lowerBound)
        }
    }

    private func runPacked(threaded: Bool) {
        let blocking = self.blocking
        let mr = Int(blocking.mr), nr = Int(blocking.nr), kc = blocking.kc, mc = blocking.mc, nc = blocking.nc
        let depthBlocks = (depth + kc - 1) / kc
        let widestBlock = Swift.min(nc, columns)
        let panelWidth = (widestBlock + nr - 1) / nr * nr
        // Depth block d of the packed right operand starts at d · kc · panelWidth.
        let packedRightCount = panelWidth * depth
        let packedRightBytes = packedRightCount * MemoryLayout<S>.stride
        let packedRight = StorageAllocator.allocate(byteCount: packedRightBytes).bindMemory(to: S.self, capacity: packedRightCount)
        defer { StorageAllocator.deallocate(packedRight, byteCount: packedRightBytes) }
        let right = OutputPointer(base: packedRight)
        let destination = OutputPointer(base: output)
        var firstColumn = 0
        while firstColumn < columns {
            let blockColumns = Swift.min(nc, columns - firstColumn)
            let columnPanels = (blockColumns + nr - 1) / nr
            let roundedColumns = columnPanels * nr
            // Pack every (depth block, column panel) once, in parallel.
            let packItems = depthBlocks * columnPanels
            let packGrain = Swift.max(1, ParallelConfiguration.elementwiseGrain / (kc * nr))
            let pack = { (items: Range<Int>) in
                for item in items {
                    let block = item / columnPanels, panel = item % columnPanels
                    let firstInner = block * kc, blockDepth = Swift.min(kc, depth - firstInner)
                    let panelColumns = Swift.min(nr, blockColumns - panel * nr)
                    packRight(rhs.offset(row: firstInner, column: firstColumn + panel * nr), depth: blockDepth,
                              columns: panelColumns, into: right.base + firstInner * roundedColumns + panel * nr * blockDepth)
                }
            }
            if threaded { parallelFor(packItems, grain: packGrain, pack) } else { pack(0..<packItems) }

            let columnBase = firstColumn
            splitOutput(rows: rows, columns: blockColumns, depth: depth, threaded: threaded, rowUnit: mr, columnUnit: nr) {
                rowRange, columnRange in
                let packedLeftCount = Swift.min(mc, (rowRange.count + mr - 1) / mr * mr) * kc
                let packedLeft = UnsafeMutableRawPointer.allocate(byteCount: packedLeftCount * MemoryLayout<S>.stride, alignment: 64)
                    .bindMemory(to: S.self, capacity: packedLeftCount)
                defer { packedLeft.deallocate() }
                var firstRow = rowRange.lowerBound
                while firstRow < rowRange.upperBound {
                    let blockRows = Swift.min(mc, rowRange.upperBound - firstRow)
                    for block in 0..<depthBlocks {
                        let firstInner = block * kc, blockDepth = Swift.min(kc, depth - firstInner)
                        packLeft(lhs.offset(row: firstRow, column: firstInner), rows: blockRows, depth: blockDepth,
                                 into: packedLeft)
                        let panels = right.base + firstInner * roundedColumns + columnRange.lowerBound * blockDepth
                        multiplyBlock(rows: blockRows, columns: columnRange.count, depth: blockDepth,
                                      packedLeft: packedLeft, packedRight: panels,
                                      into: destination.base + firstRow * outputRowStride + columnBase + columnRange.lowerBound,
                                      accumulate: block > 0)
                    }
                    firstRow += blockRows
                }
            }
            firstColumn += blockColumns
        }
    }

    // The level's kernels for S (Float or Double).

    @inline(__always)
    private func small(rows: Int, columns: Int, _ a: MatrixOperand<S>, _ b: MatrixOperand<S>,
                       _ c: UnsafeMutablePointer<S>) {
        if S.self == Float.self {
            kernels.pointee.gemm.gemm_f32_small(rows, columns, depth, cast(a.base, Float.self), a.rowStride, a.columnStride,
                                           cast(b.base, Float.self), b.rowStride, b.columnStride, cast(c, Float.self),
                                           outputRowStride)
        } else {
            kernels.pointee.gemm.gemm_f64_small(rows, columns, depth, cast(a.base, Double.self), a.rowStride, a.columnStride,
                                           cast(b.base, Double.self), b.rowStride, b.columnStride, cast(c, Double.self),
                                           outputRowStride)
        }
    }

    @inline(__always)
    private func packLeft(_ a: MatrixOperand<S>, rows: Int, depth: Int, into packed: UnsafeMutablePointer<S>) {
        if S.self == Float.self {
            kernels.pointee.gemm.gemm_f32_pack_a(cast(a.base, Float.self), a.rowStride, a.columnStride, rows, depth,
                                            cast(packed, Float.self))
        } else {
            kernels.pointee.gemm.gemm_f64_pack_a(cast(a.base, Double.self), a.rowStride, a.columnStride, rows, depth,
                                            cast(packed, Double.self))
        }
    }

    @inline(__always)
    private func packRight(_ b: MatrixOperand<S>, depth: Int, columns: Int, into packed: UnsafeMutablePointer<S>) {
        if S.self == Float.self {
            kernels.pointee.gemm.gemm_f32_pack_b(cast(b.base, Float.self), b.rowStride, b.columnStride, depth, columns,
                                            cast(packed, Float.self))
        } else {
            kernels.pointee.gemm.gemm_f64_pack_b(cast(b.base, Double.self), b.rowStride, b.columnStride, depth, columns,
                                            cast(packed, Double.self))
        }
    }

    @inline(__always)
    private func multiplyBlock(rows: Int, columns: Int, depth: Int, packedLeft: UnsafeMutablePointer<S>,
                               packedRight: UnsafeMutablePointer<S>, into c: UnsafeMutablePointer<S>, accumulate: Bool) {
        if S.self == Float.self {
            kernels.pointee.gemm.gemm_f32_block(rows, columns, depth, cast(packedLeft, Float.self), cast(packedRight, Float.self),
                                           cast(c, Float.self), outputRowStride, accumulate ? 1 : 0)
        } else {
            kernels.pointee.gemm.gemm_f64_block(rows, columns, depth, cast(packedLeft, Double.self),
                                           cast(packedRight, Double.self), cast(c, Double.self), outputRowStride,
                                           accumulate ? 1 : 0)
        }
    }
}
