/// How a reduction sees its input: the kept axes (the output's, in output order) and the reduced
/// axes, both with the input's strides, after dropping size-1 axes and merging neighbours that
/// are contiguous with each other.
///
/// The reduced axes are ordered by decreasing stride, so the last one is the one to walk fastest;
/// the reduction kernels pick their loop shape from where the unit stride lies.
struct ReductionPlan {
    private(set) var keptSizes: [Int] = []
    private(set) var keptStrides: [Int] = []
    private(set) var reducedSizes: [Int] = []
    private(set) var reducedStrides: [Int] = []

    /// A plan reducing `layout` over the (resolved, distinct) `axes`.
    init(layout: Layout, reducing axes: [Int]) {
        var keptAxes = [(size: Int, stride: Int)]()
        var reducedAxes = [(size: Int, stride: Int)]()
        let shape = layout.shape, strides = layout.strides   // strides computed once if implied
        for axis in 0..<layout.rank where shape[axis] != 1 {
            let entry = (size: shape[axis], stride: strides[axis])
            if axes.contains(axis) { reducedAxes.append(entry) } else { keptAxes.append(entry) }
        }
        // A stable sort keeps equal strides (only stride-0 broadcast axes) in logical order.
        reducedAxes = reducedAxes.enumerated()
            .sorted { ($0.element.stride, $1.offset) > ($1.element.stride, $0.offset) }
            .map(\.element)
        (keptSizes, keptStrides) = ReductionPlan.merged(keptAxes)
        (reducedSizes, reducedStrides) = ReductionPlan.merged(reducedAxes)
    }

    /// Neighbouring axes merge when the outer one steps exactly over the whole inner one.
    private static func merged(_ axes: [(size: Int, stride: Int)]) -> ([Int], [Int]) {
        var sizes = [Int](), strides = [Int]()
        for axis in axes {
            if let last = strides.last, last == axis.stride * axis.size {
                sizes[sizes.count - 1] *= axis.size
                strides[strides.count - 1] = axis.stride
            } else {
                sizes.append(axis.size)
                strides.append(axis.stride)
            }
        }
        return (sizes, strides)
    }

    /// The number of output elements.
    var outputCount: Int { keptSizes.reduce(1, *) }
    /// The number of input elements folded into each output element.
    var reducedCount: Int { reducedSizes.reduce(1, *) }

    /// True when the fastest reduced axis has unit stride: each output reduces contiguous runs.
    var reducesContiguousRuns: Bool { reducedStrides.last == 1 }

    /// The kept axis with unit stride, when there is one: outputs along it sit side by side in
    /// every reduced position, so whole rows can be accumulated at once.
    var contiguousKeptAxis: Int? { keptStrides.lastIndex(of: 1) }

    /// Output strides of the kept axes (the output is contiguous in kept-axis order).
    var outputStrides: [Int] { Layout.contiguousStrides(for: keptSizes) }
}

/// Row-major walk over `sizes` carrying two offsets with their own strides: calls
/// `body(first, second)` for the flat positions `range`.
func forEachOffsetPair(
    sizes: [Int], firstStrides: [Int], secondStrides: [Int], range: Range<Int>,
    _ body: (Int, Int) -> Void
) {
    if range.isEmpty { return }
    let rank = sizes.count
    if rank == 0 {
        body(0, 0)
        return
    }
    var index = [Int](repeating: 0, count: rank)
    var remainder = range.lowerBound
    var first = 0, second = 0
    for axis in stride(from: rank - 1, through: 0, by: -1) {
        index[axis] = remainder % sizes[axis]
        remainder /= sizes[axis]
        first += index[axis] * firstStrides[axis]
        second += index[axis] * secondStrides[axis]
    }
    let innerSize = sizes[rank - 1], innerFirst = firstStrides[rank - 1], innerSecond = secondStrides[rank - 1]
    var remaining = range.count
    while true {
        // The innermost axis is walked in a tight loop; carries happen once per inner run.
        let run = Swift.min(remaining, innerSize - index[rank - 1])
        for _ in 0..<run {
            body(first, second)
            first += innerFirst
            second += innerSecond
        }
        remaining -= run
        if remaining == 0 { return }
        index[rank - 1] += run
        var axis = rank - 1
        while index[axis] == sizes[axis] {
            first -= sizes[axis] * firstStrides[axis]
            second -= sizes[axis] * secondStrides[axis]
            index[axis] = 0
            axis -= 1
            index[axis] += 1
            first += firstStrides[axis]
            second += secondStrides[axis]
        }
    }
}

/// Row-major walk over `sizes` with `strides`: calls `body(offset)` for the flat positions `range`.
func forEachOffset(sizes: [Int], strides: [Int], range: Range<Int>, _ body: (Int) -> Void) {
    forEachOffsetPair(sizes: sizes, firstStrides: strides, secondStrides: strides, range: range) { offset, _ in
        body(offset)
    }
}
