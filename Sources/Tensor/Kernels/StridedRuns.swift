/// Iterates up to three operands of one shape (an output and two inputs) as runs along the
/// innermost dimension, after dropping size-1 axes and merging axes that are contiguous for all
/// operands, so that kernels see long 1-D runs with fixed strides.
struct StridedRuns {
    private(set) var sizes: [Int] = []
    private(set) var strides: ([Int], [Int], [Int]) = ([], [], [])

    init(shape: [Int], strides first: [Int], _ second: [Int], _ third: [Int]) {
        var sizes = [Int](), a = [Int](), b = [Int](), c = [Int]()
        sizes.reserveCapacity(shape.count)
        a.reserveCapacity(shape.count)
        b.reserveCapacity(shape.count)
        c.reserveCapacity(shape.count)
        for axis in 0..<shape.count where shape[axis] != 1 {
            let mergeable = !sizes.isEmpty
                && a[a.count - 1] == first[axis] * shape[axis]
                && b[b.count - 1] == second[axis] * shape[axis]
                && c[c.count - 1] == third[axis] * shape[axis]
            if mergeable {
                sizes[sizes.count - 1] *= shape[axis]
                a[a.count - 1] = first[axis]
                b[b.count - 1] = second[axis]
                c[c.count - 1] = third[axis]
            } else {
                sizes.append(shape[axis]); a.append(first[axis]); b.append(second[axis]); c.append(third[axis])
            }
        }
        if sizes.isEmpty { sizes = [1]; a = [0]; b = [0]; c = [0] }
        self.sizes = sizes
        self.strides = (a, b, c)
    }

    var innerCount: Int { sizes[sizes.count - 1] }
    var innerStrides: (Int, Int, Int) {
        (strides.0[sizes.count - 1], strides.1[sizes.count - 1], strides.2[sizes.count - 1])
    }
    var outerCount: Int { sizes.dropLast().reduce(1, *) }

    /// Calls `body(position0, position1, position2, count)` for each run with outer number in
    /// `outer`, starting from the three base offsets.
    func forEachRun(outer: Range<Int>, offsets: (Int, Int, Int), _ body: (Int, Int, Int, Int) -> Void) {
        let outerRank = sizes.count - 1
        var index = [Int](repeating: 0, count: outerRank)
        var remainder = outer.lowerBound
        var p0 = offsets.0, p1 = offsets.1, p2 = offsets.2
        for axis in stride(from: outerRank - 1, through: 0, by: -1) {
            index[axis] = remainder % sizes[axis]
            remainder /= sizes[axis]
            p0 += index[axis] * strides.0[axis]
            p1 += index[axis] * strides.1[axis]
            p2 += index[axis] * strides.2[axis]
        }
        let count = innerCount
        for _ in outer {
            body(p0, p1, p2, count)
            var axis = outerRank - 1
            while axis >= 0 {
                index[axis] += 1
                p0 += strides.0[axis]; p1 += strides.1[axis]; p2 += strides.2[axis]
                if index[axis] < sizes[axis] { break }
                p0 -= strides.0[axis] * sizes[axis]
                p1 -= strides.1[axis] * sizes[axis]
                p2 -= strides.2[axis] * sizes[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }

    /// Runs every element, split across threads when large: by outer runs when there are enough,
    /// otherwise by pieces of the single inner run. Each output element is written once by one
    /// thread, so results do not depend on the split.
    func forEachRunInParallel(offsets: (Int, Int, Int), _ body: (Int, Int, Int, Int) -> Void) {
        let total = outerCount * innerCount
        let grain = ParallelConfiguration.elementwiseGrain
        if total < 2 * grain || ParallelConfiguration.maximumThreadCount == 1 {
            forEachRun(outer: 0..<outerCount, offsets: offsets, body)
            return
        }
        if outerCount >= ParallelConfiguration.maximumThreadCount {
            parallelFor(outerCount, grain: Swift.max(1, grain / innerCount)) { range in
                forEachRun(outer: range, offsets: offsets, body)
            }
        } else {
            let (s0, s1, s2) = innerStrides
            forEachRun(outer: 0..<outerCount, offsets: offsets) { p0, p1, p2, count in
                parallelFor(count, grain: grain) { range in
                    body(p0 + range.lowerBound * s0, p1 + range.lowerBound * s1,
                         p2 + range.lowerBound * s2, range.count)
                }
            }
        }
    }
}
