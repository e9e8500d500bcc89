/// Reductions understood by the kernels.
enum ReductionOperation: Sendable {
    case sum, maximum, minimum
}

/// Float and Double: the scalars whose kernels are written with explicit SIMD vectors, because
/// the compiler may not reorder a floating-point sum by itself and so would not vectorise it.
///
/// Arithmetic on `SIMD8<Self>` specialises well from generic code, but lane comparisons and
/// selections do not (the generic versions compare lane by lane through witnesses), so those
/// are requirements implemented on the concrete vector types.
protocol SIMDFloatingScalar: FloatingTensorScalar, SIMDScalar, Codable {
    /// Lane by lane, `candidate` where it is NaN or preferred (greater when `greater`, else
    /// smaller) over `current`, and `current` elsewhere: a NaN lane stays NaN.
    static func extremumLanes(_ current: SIMD8<Self>, _ candidate: SIMD8<Self>, greater: Bool) -> SIMD8<Self>
}

extension Float: SIMDFloatingScalar {
    @inline(__always)
    static func extremumLanes(_ current: SIMD8<Float>, _ candidate: SIMD8<Float>, greater: Bool) -> SIMD8<Float> {
        let preferred = greater ? candidate .> current : candidate .< current
        return current.replacing(with: candidate, where: preferred .| (candidate .!= candidate))
    }
}

extension Double: SIMDFloatingScalar {
    @inline(__always)
    static func extremumLanes(_ current: SIMD8<Double>, _ candidate: SIMD8<Double>, greater: Bool) -> SIMD8<Double> {
        let preferred = greater ? candidate .> current : candidate .< current
        return current.replacing(with: candidate, where: preferred .| (candidate .!= candidate))
    }
}

// Kernel precondition for everything below: every pointer addresses the elements its count and
// strides describe inside live storage, and outputs never overlap inputs.

@inline(__always)
func loadVector<S: SIMDScalar>(_ pointer: UnsafePointer<S>) -> SIMD8<S> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<S>.self)
}

/// Lanes added as a fixed tree, so the result does not depend on how the vector was produced.
@inline(__always)
func horizontalSum<S: SIMDFloatingScalar>(_ vector: SIMD8<S>) -> S {
    let four = vector.lowHalf + vector.highHalf
    let two = four.lowHalf + four.highHalf
    return two[0] + two[1]
}

/// Elements per leaf of the pairwise sum: long enough to keep the vector loop busy, short enough
/// that the error inside a leaf stays small.
let pairwiseLeafCount = 256

/// The sum of `count` contiguous elements, pairwise: leaves of at most ``pairwiseLeafCount``
/// elements are summed in 32 vector lanes and combined as a balanced tree, so the rounding error
/// grows like log(count) instead of count (the role of PyTorch's cascade sum).
func pairwiseSum<S: SIMDFloatingScalar>(_ start: UnsafePointer<S>, _ count: Int) -> S {
    if count > pairwiseLeafCount {
        // Split points are multiples of 32 so that every leaf but the last runs whole vector steps.
        let half = (count / 2 + 31) & ~31
        return pairwiseSum(start, half) + pairwiseSum(start + half, count - half)
    }
    var lanes0 = SIMD8<S>(), lanes1 = SIMD8<S>(), lanes2 = SIMD8<S>(), lanes3 = SIMD8<S>()
    var index = 0
    while index + 32 <= count {
        lanes0 += loadVector(start + index)
        lanes1 += loadVector(start + index + 8)
        lanes2 += loadVector(start + index + 16)
        lanes3 += loadVector(start + index + 24)
        index += 32
    }
    while index + 8 <= count {
        lanes0 += loadVector(start + index)
        index += 8
    }
    var total = horizontalSum((lanes0 + lanes1) + (lanes2 + lanes3))
    while index < count {
        total += start[index]
        index += 1
    }
    return total
}

/// Which of two values an extremum keeps. The requirement is a plain constant so that, once the
/// conforming type is known, the comparisons below specialise and inline (a generic method
/// requirement would be called through its witness for every element).
protocol ExtremumOrder {
    static var prefersGreater: Bool { get }
}

extension ExtremumOrder {
    @inline(__always)
    static func prefers<S: Comparable>(_ candidate: S, over current: S) -> Bool {
        prefersGreater ? candidate > current : candidate < current
    }
}

/// The larger value wins (max, argmax).
enum GreatestFirst: ExtremumOrder {
    static var prefersGreater: Bool { true }
}

/// The smaller value wins (min, argmin).
enum LeastFirst: ExtremumOrder {
    static var prefersGreater: Bool { false }
}

/// One reduction for one scalar type: how it folds a contiguous run, and how it folds whole rows
/// elementwise (for reductions over outer axes, where neighbouring outputs are neighbours in
/// memory).
protocol ReductionKernel {
    associatedtype Element: NumericTensorScalar
    /// The value of a reduction over nothing; nil when that is an error (max and min).
    static var emptyValue: Element? { get }
    /// Folds `count ≥ 1` contiguous elements.
    static func reduceRun(_ start: UnsafePointer<Element>, count: Int) -> Element
    /// Folds the (non-empty) `rows`, each `width` contiguous elements, elementwise into
    /// `output`, using `scratch` (``scratchCount(rows:width:)`` elements) as it needs.
    ///
    /// Folding `rows` must equal folding its two halves split at ``pairwiseRowSplit(_:)`` and
    /// combining them with ``combineRows(_:_:width:)``: that is what lets threads share rows.
    static func reduceRows(
        _ rows: Range<Int>, width: Int, rowAt: (Int) -> UnsafePointer<Element>,
        into output: UnsafeMutablePointer<Element>, scratch: UnsafeMutablePointer<Element>
    )
    /// Folds `other` into `output` elementwise: `output` holds the earlier rows.
    static func combineRows(_ output: UnsafeMutablePointer<Element>, _ other: UnsafePointer<Element>, width: Int)
    /// Scratch elements ``reduceRows(_:width:rowAt:into:scratch:)`` needs for `rows` rows.
    static func scratchCount(rows: Int, width: Int) -> Int
}

/// A reduction whose rows fold one after another into the output: exact for integers and for
/// max/min, so no pairwise tree or scratch is needed.
protocol SequentialRowReduction: ReductionKernel {}

extension SequentialRowReduction {
    static func reduceRows(
        _ rows: Range<Int>, width: Int, rowAt: (Int) -> UnsafePointer<Element>,
        into output: UnsafeMutablePointer<Element>, scratch: UnsafeMutablePointer<Element>
    ) {
        output.update(from: rowAt(rows.lowerBound), count: width)
        for row in rows.dropFirst() { combineRows(output, rowAt(row), width: width) }
    }

    static func scratchCount(rows: Int, width: Int) -> Int { 0 }
}

/// Rows summed sequentially inside a leaf of the pairwise row sum.
private let pairwiseRowLeafCount = 16

/// Where the pairwise row fold splits `rows`, or nil for a leaf folded row by row.
private func pairwiseRowSplit(_ rows: Range<Int>) -> Int? {
    rows.count > pairwiseRowLeafCount ? rows.lowerBound + rows.count / 2 : nil
}

/// Floating-point sum: pairwise within runs and across rows.
enum FloatingSum<S: SIMDFloatingScalar>: ReductionKernel {
    static var emptyValue: S? { S.zero }

    static func reduceRun(_ start: UnsafePointer<S>, count: Int) -> S { pairwiseSum(start, count) }

    /// The lower half lands in `output`, the upper half in the first scratch row; deeper levels
    /// use the scratch rows after it, so one row per level of recursion suffices.
    static func reduceRows(
        _ rows: Range<Int>, width: Int, rowAt: (Int) -> UnsafePointer<S>,
        into output: UnsafeMutablePointer<S>, scratch: UnsafeMutablePointer<S>
    ) {
        guard let middle = pairwiseRowSplit(rows) else {
            output.update(from: rowAt(rows.lowerBound), count: width)
            for row in rows.dropFirst() { combineRows(output, rowAt(row), width: width) }
            return
        }
        reduceRows(rows.lowerBound..<middle, width: width, rowAt: rowAt, into: output, scratch: scratch)
        reduceRows(middle..<rows.upperBound, width: width, rowAt: rowAt, into: scratch, scratch: scratch + width)
        combineRows(output, scratch, width: width)
    }

    @inline(__always)
    static func combineRows(_ output: UnsafeMutablePointer<S>, _ other: UnsafePointer<S>, width: Int) {
        for column in 0..<width { output[column] += other[column] }
    }

    static func scratchCount(rows: Int, width: Int) -> Int {
        let levels = Int.bitWidth - (rows / pairwiseRowLeafCount).leadingZeroBitCount + 1
        return levels * width
    }
}

/// Floating-point max or min. NaN wins, as in `torch.max`: one NaN makes the result NaN.
/// Ties keep the earlier value, so any split of the rows gives the same result.
enum FloatingExtremum<S: SIMDFloatingScalar, Order: ExtremumOrder>: SequentialRowReduction {
    static var emptyValue: S? { nil }

    static func reduceRun(_ start: UnsafePointer<S>, count: Int) -> S {
        var best = SIMD8<S>(repeating: start[0])
        var index = 0
        while index + 8 <= count {
            best = S.extremumLanes(best, loadVector(start + index), greater: Order.prefersGreater)
            index += 8
        }
        var result = best[0]
        for lane in 1..<8 { result = preferred(result, best[lane]) }
        while index < count {
            result = preferred(result, start[index])
            index += 1
        }
        return result
    }

    /// The scalar form of ``SIMDFloatingScalar/extremumLanes(_:_:greater:)``.
    @inline(__always)
    private static func preferred(_ current: S, _ candidate: S) -> S {
        Order.prefers(candidate, over: current) || candidate.isNaN ? candidate : current
    }

    @inline(__always)
    static func combineRows(_ output: UnsafeMutablePointer<S>, _ other: UnsafePointer<S>, width: Int) {
        for column in 0..<width { output[column] = preferred(output[column], other[column]) }
    }

}

/// Integer sum; wraps on overflow as PyTorch's integer tensors do, so the order is irrelevant.
enum IntegerSum<S: NumericTensorScalar & FixedWidthInteger>: SequentialRowReduction {
    static var emptyValue: S? { S.zero }

    static func reduceRun(_ start: UnsafePointer<S>, count: Int) -> S {
        var total = S.zero
        for index in 0..<count { total &+= start[index] }
        return total
    }

    @inline(__always)
    static func combineRows(_ output: UnsafeMutablePointer<S>, _ other: UnsafePointer<S>, width: Int) {
        for column in 0..<width { output[column] &+= other[column] }
    }

}

/// Integer max or min.
enum IntegerExtremum<S: NumericTensorScalar & FixedWidthInteger, Order: ExtremumOrder>: SequentialRowReduction {
    static var emptyValue: S? { nil }

    static func reduceRun(_ start: UnsafePointer<S>, count: Int) -> S {
        var best = start[0]
        for index in 1..<count where Order.prefers(start[index], over: best) { best = start[index] }
        return best
    }

    @inline(__always)
    static func combineRows(_ output: UnsafeMutablePointer<S>, _ other: UnsafePointer<S>, width: Int) {
        for column in 0..<width where Order.prefers(other[column], over: output[column]) {
            output[column] = other[column]
        }
    }

}

/// Entry point from generic code: runs `operation` with the kernel specialised for the concrete
/// scalar type. `input` is the element at the plan's zero offset; `output` is contiguous.
func reductionKernel<S: NumericTensorScalar>(
    _ operation: ReductionOperation, plan: ReductionPlan,
    input: UnsafePointer<S>, output: UnsafeMutablePointer<S>
) {
    if S.self == Float.self {
        floatingReduction(operation, plan, cast(input, Float.self), cast(output, Float.self))
    } else if S.self == Double.self {
        floatingReduction(operation, plan, cast(input, Double.self), cast(output, Double.self))
    } else if S.self == Int64.self {
        integerReduction(operation, plan, cast(input, Int64.self), cast(output, Int64.self))
    } else if S.self == Int32.self {
        integerReduction(operation, plan, cast(input, Int32.self), cast(output, Int32.self))
    } else if S.self == UInt8.self {
        integerReduction(operation, plan, cast(input, UInt8.self), cast(output, UInt8.self))
    } else {
        preconditionFailure("no reduction kernel for \(S.self)")
    }
}

private func floatingReduction<S: SIMDFloatingScalar>(
    _ operation: ReductionOperation, _ plan: ReductionPlan, _ input: UnsafePointer<S>, _ output: UnsafeMutablePointer<S>
) {
    switch operation {
    case .sum: runReduction(FloatingSum<S>.self, plan, input, output)
    case .maximum: runReduction(FloatingExtremum<S, GreatestFirst>.self, plan, input, output)
    case .minimum: runReduction(FloatingExtremum<S, LeastFirst>.self, plan, input, output)
    }
}

private func integerReduction<S: NumericTensorScalar & FixedWidthInteger>(
    _ operation: ReductionOperation, _ plan: ReductionPlan, _ input: UnsafePointer<S>, _ output: UnsafeMutablePointer<S>
) {
    switch operation {
    case .sum: runReduction(IntegerSum<S>.self, plan, input, output)
    case .maximum: runReduction(IntegerExtremum<S, GreatestFirst>.self, plan, input, output)
    case .minimum: runReduction(IntegerExtremum<S, LeastFirst>.self, plan, input, output)
    }
}

/// Elements per block of a long run. Blocks are reduced independently (in parallel when there
/// are few outputs) and their results combined in block order; the block size is fixed, so the
/// result is the same for any thread count.
let reductionBlockCount = 1 << 16

/// Reduces `input` as `plan` describes into the contiguous `output`. The plan must either reduce
/// contiguous runs, have a contiguous kept axis, or reduce nothing (see ``ReductionPlan``).
private func runReduction<K: ReductionKernel>(
    _ kernel: K.Type, _ plan: ReductionPlan,
    _ input: UnsafePointer<K.Element>, _ output: UnsafeMutablePointer<K.Element>
) {
    let outputCount = plan.outputCount
    if outputCount == 0 { return }
    if plan.reducedCount == 0 {
        guard let empty = K.emptyValue else { preconditionFailure("reduction over an empty axis has no value") }
        output.update(repeating: empty, count: outputCount)
        return
    }
    if plan.reducedSizes.isEmpty {
        var next = 0
        forEachOffset(sizes: plan.keptSizes, strides: plan.keptStrides, range: 0..<outputCount) { offset in
            output[next] = input[offset]
            next += 1
        }
    } else if plan.reducesContiguousRuns {
        reduceRuns(kernel, plan, input, output)
    } else if let axis = plan.contiguousKeptAxis {
        reduceRows(kernel, plan, contiguousAxis: axis, input, output)
    } else {
        preconditionFailure("reduction plan without a unit-stride axis")
    }
}

/// A sendable view of the kernel's pointers for worker threads: each thread writes only the
/// outputs of its own range, and the input is only read.
private struct ReductionPointers<Input, Output>: @unchecked Sendable {
    let input: UnsafePointer<Input>
    let output: UnsafeMutablePointer<Output>
}

/// Folds one contiguous run, in fixed blocks when it is long; `parallel` spreads the blocks
/// over threads without changing the result.
private func reduceLongRun<K: ReductionKernel>(
    _ kernel: K.Type, _ start: UnsafePointer<K.Element>, count: Int, parallel: Bool
) -> K.Element {
    if count <= reductionBlockCount { return K.reduceRun(start, count: count) }
    let blockCount = (count + reductionBlockCount - 1) / reductionBlockCount
    let partials = UnsafeMutablePointer<K.Element>.allocate(capacity: blockCount)
    defer { partials.deallocate() }
    let pointers = ReductionPointers(input: start, output: partials)
    let body = { (blocks: Range<Int>) in
        for block in blocks {
            let first = block * reductionBlockCount
            pointers.output[block] = K.reduceRun(pointers.input + first,
                                                  count: Swift.min(reductionBlockCount, count - first))
        }
    }
    if parallel { parallelFor(blockCount, grain: 1, body) } else { body(0..<blockCount) }
    return K.reduceRun(partials, count: blockCount)
}

/// Each output folds contiguous runs along the fastest reduced axis; with several runs per
/// output, the run results are folded again as one contiguous run.
private func reduceRuns<K: ReductionKernel>(
    _ kernel: K.Type, _ plan: ReductionPlan,
    _ input: UnsafePointer<K.Element>, _ output: UnsafeMutablePointer<K.Element>
) {
    let runLength = plan.reducedSizes[plan.reducedSizes.count - 1]
    let outerSizes = Array(plan.reducedSizes.dropLast()), outerStrides = Array(plan.reducedStrides.dropLast())
    let runCount = outerSizes.reduce(1, *)
    let outputCount = plan.outputCount
    let pointers = ReductionPointers(input: input, output: output)

    // The value of one output, given the input offset of its first element. `parallel` only
    // changes which thread computes which block or run.
    func reduceOutput(at base: Int, parallel: Bool) -> K.Element {
        if runCount == 1 { return reduceLongRun(kernel, pointers.input + base, count: runLength, parallel: parallel) }
        let partials = UnsafeMutablePointer<K.Element>.allocate(capacity: runCount)
        defer { partials.deallocate() }
        let runPointers = ReductionPointers(input: pointers.input, output: partials)
        let body = { (runs: Range<Int>) in
            var next = runs.lowerBound
            forEachOffset(sizes: outerSizes, strides: outerStrides, range: runs) { offset in
                runPointers.output[next] = reduceLongRun(kernel, runPointers.input + base + offset,
                                                         count: runLength, parallel: false)
                next += 1
            }
        }
        if parallel {
            parallelFor(runCount, grain: Swift.max(1, ParallelConfiguration.elementwiseGrain / runLength), body)
        } else {
            body(0..<runCount)
        }
        return K.reduceRun(partials, count: runCount)
    }

    if outputCount >= ParallelConfiguration.maximumThreadCount {
        let grain = Swift.max(1, ParallelConfiguration.elementwiseGrain / plan.reducedCount)
        parallelFor(outputCount, grain: grain) { outputs in
            var next = outputs.lowerBound
            forEachOffset(sizes: plan.keptSizes, strides: plan.keptStrides, range: outputs) { base in
                pointers.output[next] = reduceOutput(at: base, parallel: false)
                next += 1
            }
        }
    } else {
        var next = 0
        forEachOffset(sizes: plan.keptSizes, strides: plan.keptStrides, range: 0..<outputCount) { base in
            pointers.output[next] = reduceOutput(at: base, parallel: true)
            next += 1
        }
    }
}

/// `output[c] = Σ_r input[r · width + c]` for a contiguous `[rows, width]` input, folded exactly
/// as ``reductionKernel(_:plan:input:output:)`` folds rows over leading axes (the same bits),
/// without its planning: the gradient of a broadcast add, taken on every backward. Returns false,
/// touching nothing, when the general kernel would split the fold tree over threads (many rows,
/// few columns) or the type has no floating sum.
///
/// Kernel precondition: `input` holds `rows × width` elements and `output` `width`, not overlapping.
func sumLeadingRows<S: NumericTensorScalar>(
    _ input: UnsafePointer<S>, rows: Int, width: Int, into output: UnsafeMutablePointer<S>
) -> Bool {
    if S.self == Float.self {
        return sumLeadingRows(FloatingSum<Float>.self, cast(input, Float.self), rows, width, cast(output, Float.self))
    } else if S.self == Double.self {
        return sumLeadingRows(FloatingSum<Double>.self, cast(input, Double.self), rows, width, cast(output, Double.self))
    }
    return false
}

private func sumLeadingRows<K: ReductionKernel>(
    _ kernel: K.Type, _ input: UnsafePointer<K.Element>, _ rows: Int, _ width: Int,
    _ output: UnsafeMutablePointer<K.Element>
) -> Bool {
    let chunkWidth = Swift.min(width, reductionMaximumColumnChunk)
    let chunkCount = (width + chunkWidth - 1) / chunkWidth
    let threads = ParallelConfiguration.maximumThreadCount
    guard rows > 0, width > 0, chunkCount >= threads || threads == 1 || pairwiseRowSplit(0..<rows) == nil else {
        return false
    }
    let pointers = ReductionPointers(input: input, output: output)
    let grain = Swift.max(1, ParallelConfiguration.elementwiseGrain / Swift.max(1, rows * chunkWidth))
    parallelFor(chunkCount, grain: grain) { chunks in
        let scratch = UnsafeMutablePointer<K.Element>.allocate(capacity: Swift.max(1, K.scratchCount(rows: rows,
                                                                                                     width: chunkWidth)))
        defer { scratch.deallocate() }
        for chunk in chunks {
            let firstColumn = chunk * chunkWidth, columns = Swift.min(chunkWidth, width - firstColumn)
            let start = pointers.input + firstColumn
            K.reduceRows(0..<rows, width: columns, rowAt: { start + $0 * width },
                         into: pointers.output + firstColumn, scratch: scratch)
        }
    }
    return true
}

/// The widest run of columns folded together: rows are streamed in segments this long (longer
/// segments stream better), and the pairwise scratch rows (one per level) stay in the
/// second-level cache.
private let reductionMaximumColumnChunk = 4096

/// The contiguous kept axis is walked as rows: every reduced position contributes a row of
/// neighbouring outputs, folded elementwise. Work items are (other kept position, column chunk)
/// pairs, split over threads when there are enough of them; otherwise each item's rows are split
/// along the fold's own tree (``pairwiseRowSplit(_:)``), so every thread count gives the same
/// result.
private func reduceRows<K: ReductionKernel>(
    _ kernel: K.Type, _ plan: ReductionPlan, contiguousAxis axis: Int,
    _ input: UnsafePointer<K.Element>, _ output: UnsafeMutablePointer<K.Element>
) {
    let width = plan.keptSizes[axis]
    var otherSizes = plan.keptSizes, otherInputStrides = plan.keptStrides, otherOutputStrides = plan.outputStrides
    let columnOutputStride = otherOutputStrides[axis]
    otherSizes.remove(at: axis)
    otherInputStrides.remove(at: axis)
    otherOutputStrides.remove(at: axis)
    let otherCount = otherSizes.reduce(1, *)
    let chunkWidth = Swift.min(width, reductionMaximumColumnChunk)
    let chunkCount = (width + chunkWidth - 1) / chunkWidth
    let rowCount = plan.reducedCount
    let reducedSizes = plan.reducedSizes, reducedStrides = plan.reducedStrides
    let singleReducedStride = reducedSizes.count == 1 ? reducedStrides[0] : nil
    let pointers = ReductionPointers(input: input, output: output)

    func reducedOffset(_ row: Int) -> Int {
        if let singleReducedStride { return row * singleReducedStride }
        var remainder = row, offset = 0
        for axis in stride(from: reducedSizes.count - 1, through: 0, by: -1) {
            offset += (remainder % reducedSizes[axis]) * reducedStrides[axis]
            remainder /= reducedSizes[axis]
        }
        return offset
    }

    // Folds `rows` of one item into `destination` (contiguous), with its own scratch.
    func fold(_ rows: Range<Int>, inputBase: Int, firstColumn: Int, columns: Int,
              into destination: UnsafeMutablePointer<K.Element>) {
        let scratch = UnsafeMutablePointer<K.Element>.allocate(capacity: Swift.max(1, K.scratchCount(rows: rows.count,
                                                                                                     width: columns)))
        defer { scratch.deallocate() }
        let rowStart = pointers.input + inputBase + firstColumn
        K.reduceRows(rows, width: columns, rowAt: { rowStart + reducedOffset($0) }, into: destination, scratch: scratch)
    }

    func store(_ values: UnsafePointer<K.Element>, outputBase: Int, firstColumn: Int, columns: Int) {
        for column in 0..<columns {
            pointers.output[outputBase + (firstColumn + column) * columnOutputStride] = values[column]
        }
    }

    let threads = ParallelConfiguration.maximumThreadCount
    let itemCount = otherCount * chunkCount
    if itemCount >= threads || threads == 1 || pairwiseRowSplit(0..<rowCount) == nil {
        let grain = Swift.max(1, ParallelConfiguration.elementwiseGrain / Swift.max(1, rowCount * chunkWidth))
        parallelFor(itemCount, grain: grain) { items in
            let staging = UnsafeMutablePointer<K.Element>.allocate(capacity: chunkWidth)
            defer { staging.deallocate() }
            var item = items.lowerBound / chunkCount * chunkCount
            let otherRange = (items.lowerBound / chunkCount)..<((items.upperBound + chunkCount - 1) / chunkCount)
            forEachOffsetPair(sizes: otherSizes, firstStrides: otherInputStrides, secondStrides: otherOutputStrides,
                              range: otherRange) { inputBase, outputBase in
                for chunk in 0..<chunkCount {
                    defer { item += 1 }
                    if !items.contains(item) { continue }
                    let firstColumn = chunk * chunkWidth, columns = Swift.min(chunkWidth, width - firstColumn)
                    if columnOutputStride == 1 {
                        fold(0..<rowCount, inputBase: inputBase, firstColumn: firstColumn, columns: columns,
                             into: pointers.output + outputBase + firstColumn)
                    } else {
                        fold(0..<rowCount, inputBase: inputBase, firstColumn: firstColumn, columns: columns,
                             into: staging)
                        store(staging, outputBase: outputBase, firstColumn: firstColumn, columns: columns)
                    }
                }
            }
        }
        return
    }

    // Few items: the top `levels` of the fold tree become pieces folded on separate threads,
    // then combined bottom-up in the tree's order.
    let levels = Int.bitWidth - (threads - 1).leadingZeroBitCount
    func pieces(_ rows: Range<Int>, _ depth: Int) -> [Range<Int>] {
        guard depth > 0, let middle = pairwiseRowSplit(rows) else { return [rows] }
        return pieces(rows.lowerBound..<middle, depth - 1) + pieces(middle..<rows.upperBound, depth - 1)
    }
    let rowPieces = pieces(0..<rowCount, levels)
    let partials = UnsafeMutablePointer<K.Element>.allocate(capacity: rowPieces.count * chunkWidth)
    defer { partials.deallocate() }
    let partialPointer = UncheckedSendableBox(partials)
    forEachOffsetPair(sizes: otherSizes, firstStrides: otherInputStrides, secondStrides: otherOutputStrides,
                      range: 0..<otherCount) { inputBase, outputBase in
        for chunk in 0..<chunkCount {
            let firstColumn = chunk * chunkWidth, columns = Swift.min(chunkWidth, width - firstColumn)
            parallelFor(rowPieces.count, grain: 1) { range in
                for piece in range {
                    fold(rowPieces[piece], inputBase: inputBase, firstColumn: firstColumn, columns: columns,
                         into: partialPointer.value + piece * chunkWidth)
                }
            }
            var nextPiece = 0
            func combine(_ rows: Range<Int>, _ depth: Int) -> Int {
                guard depth > 0, let middle = pairwiseRowSplit(rows) else {
                    defer { nextPiece += 1 }
                    return nextPiece
                }
                let lower = combine(rows.lowerBound..<middle, depth - 1)
                let upper = combine(middle..<rows.upperBound, depth - 1)
                K.combineRows(partials + lower * chunkWidth, partials + upper * chunkWidth, width: columns)
                return lower
            }
            let result = combine(0..<rowCount, levels)
            store(partials + result * chunkWidth, outputBase: outputBase, firstColumn: firstColumn, columns: columns)
        }
    }
}

/// Entry point from generic code for argmax/argmin: for each position of the kept axes (walked
/// row-major with `keptStrides`), the index of the preferred element among `length` elements
/// `stride` apart. Ties keep the first; the first NaN wins over everything.
func argumentOfExtremumKernel<S: NumericTensorScalar>(
    prefersGreater: Bool, keptSizes: [Int], keptStrides: [Int], length: Int, stride: Int,
    input: UnsafePointer<S>, output: UnsafeMutablePointer<Int64>
) {
    let layout = (keptSizes, keptStrides, length, stride)
    if S.self == Float.self {
        argumentOfExtremumLoops(prefersGreater, layout, cast(input, Float.self), output)
    } else if S.self == Double.self {
        argumentOfExtremumLoops(prefersGreater, layout, cast(input, Double.self), output)
    } else if S.self == Int64.self {
        argumentOfExtremumLoops(prefersGreater, layout, cast(input, Int64.self), output)
    } else if S.self == Int32.self {
        argumentOfExtremumLoops(prefersGreater, layout, cast(input, Int32.self), output)
    } else if S.self == UInt8.self {
        argumentOfExtremumLoops(prefersGreater, layout, cast(input, UInt8.self), output)
    } else {
        preconditionFailure("no argmax kernel for \(S.self)")
    }
}

private func argumentOfExtremumLoops<S: NumericTensorScalar>(
    _ prefersGreater: Bool, _ layout: (keptSizes: [Int], keptStrides: [Int], length: Int, stride: Int),
    _ input: UnsafePointer<S>, _ output: UnsafeMutablePointer<Int64>
) {
    let (sizes, strides, length, stride) = layout
    if prefersGreater {
        argumentOfExtremumLoop(GreatestFirst.self, sizes, strides, length, stride, input, output)
    } else {
        argumentOfExtremumLoop(LeastFirst.self, sizes, strides, length, stride, input, output)
    }
}

private func argumentOfExtremumLoop<S: NumericTensorScalar, Order: ExtremumOrder>(
    _ order: Order.Type, _ keptSizes: [Int], _ keptStrides: [Int], _ length: Int, _ stride: Int,
    _ input: UnsafePointer<S>, _ output: UnsafeMutablePointer<Int64>
) {
    let outputCount = keptSizes.reduce(1, *)
    let pointers = ReductionPointers(input: input, output: output)
    let grain = Swift.max(1, ParallelConfiguration.elementwiseGrain / Swift.max(1, length))
    parallelFor(outputCount, grain: grain) { outputs in
        var next = outputs.lowerBound
        forEachOffset(sizes: keptSizes, strides: keptStrides, range: outputs) { base in
            var best = pointers.input[base], bestIndex = 0
            // `x != x` is true only for NaN (never for integers).
            if best == best {
                for index in 1..<Swift.max(length, 1) {
                    let value = pointers.input[base + index * stride]
                    if value != value {
                        bestIndex = index
                        break
                    }
                    if Order.prefers(value, over: best) {
                        best = value
                        bestIndex = index
                    }
                }
            }
            pointers.output[next] = Int64(bestIndex)
            next += 1
        }
    }
}
