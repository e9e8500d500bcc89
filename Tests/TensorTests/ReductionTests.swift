import Foundation
import Testing
@testable import Tensor

@Suite struct ReductionTests {
    /// 0, 1, …, 23 as a [2, 3, 4] tensor: element [i, j, k] is 12i + 4j + k.
    let cube = Tensor<Float>.arange(24).reshaped([2, 3, 4])

    @Test func sumOfAllElementsIsZeroDimensional() {
        let total = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]).sum()
        #expect(total.shape == [])
        #expect(total.scalar == 21)
    }

    @Test func sumAlongEachAxisMatchesHandComputedValues() {
        #expect(cube.sum(axis: 0) == Tensor(shape: [3, 4], scalars: [12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34]))
        #expect(cube.sum(axis: 1) == Tensor(shape: [2, 4], scalars: [12, 15, 18, 21, 48, 51, 54, 57]))
        #expect(cube.sum(axis: 2) == Tensor(shape: [2, 3], scalars: [6, 22, 38, 54, 70, 86]))
    }

    @Test func sumAlongSeveralAxes() {
        #expect(cube.sum(alongAxes: [0, 2]) == Tensor([60, 92, 124]))
        #expect(cube.sum(alongAxes: [0, 1]) == Tensor([60, 66, 72, 78]))
        #expect(cube.sum(alongAxes: [0, 1, 2]).scalar == 276)
    }

    @Test func negativeAxesCountFromTheEnd() {
        #expect(cube.sum(axis: -1) == cube.sum(axis: 2))
        #expect(cube.sum(alongAxes: [-1, -3]) == cube.sum(alongAxes: [0, 2]))
        #expect(cube.max(axis: -2) == cube.max(axis: 1))
    }

    @Test func keepingDimensionsLeavesSizeOneAxes() {
        let kept = cube.sum(alongAxes: [0, 2], keepingDimensions: true)
        #expect(kept.shape == [1, 3, 1])
        #expect(kept.scalars == [60, 92, 124])
        #expect(cube.max(axis: 1, keepingDimensions: true).shape == [2, 1, 4])
        #expect(cube.argmax(axis: 2, keepingDimensions: true).shape == [2, 3, 1])
    }

    @Test func emptyAxisListReducesNothing() {
        #expect(cube.sum(alongAxes: []) == cube)
        #expect(cube.max(alongAxes: [], keepingDimensions: true) == cube)
    }

    @Test func maxAndMinAlongAxes() {
        let m = Tensor<Float>(shape: [2, 3], scalars: [4, -1, 7, 2, 9, -5])
        #expect(m.max(axis: 0).scalars == [4, 9, 7])
        #expect(m.max(axis: 1).scalars == [7, 9])
        #expect(m.min(axis: 0).scalars == [2, -1, -5])
        #expect(m.min(axis: 1).scalars == [-1, -5])
        #expect(m.max().scalar == 9)
        #expect(m.min().scalar == -5)
    }

    @Test func extremaOfLongRowsUseEveryLane() {
        let values = (0..<37).map { Float(($0 * 17) % 37) - 18 }
        let row = Tensor<Float>(values)
        #expect(row.max().scalar == values.max())
        #expect(row.min().scalar == values.min())
        #expect(Tensor<Double>(values.map(Double.init)).max().scalar == Double(values.max()!))
    }

    @Test func nanPropagatesThroughMaxAndMin() {
        var values = (0..<40).map { Float($0) }
        values[29] = .nan
        let m = Tensor<Float>(shape: [2, 20], scalars: values)
        let rowMaxima = m.max(axis: 1).scalars
        #expect(rowMaxima[0] == 19 && rowMaxima[1].isNaN)
        let columnMinima = m.min(axis: 0).scalars
        #expect(columnMinima[9].isNaN)
        #expect(columnMinima.enumerated().allSatisfy { $0.offset == 9 || $0.element == Float($0.offset) })
        #expect(m.max().scalar.isNaN)
        #expect(Tensor<Float>([1, .nan, 3]).min().scalar.isNaN)
    }

    @Test func argmaxAndArgminKeepTheFirstOccurrenceOnTies() {
        let m = Tensor<Float>(shape: [2, 4], scalars: [1, 5, 5, 0, 9, 0, 9, 0])
        #expect(m.argmax(axis: 1).scalars == [1, 0])
        #expect(m.argmin(axis: 1).scalars == [3, 1])
        #expect(m.argmax(axis: 0).scalars == [1, 0, 1, 0])
        #expect(m.argmax().scalar == 4)
        #expect(m.argmin().scalar == 3)
        #expect(Tensor<Int64>([3, 8, 8, 1]).argmax(axis: 0).scalar == 1)
    }

    @Test func argmaxAndArgminPickTheFirstNaN() {
        let row = Tensor<Double>([1, .nan, 7, .nan])
        #expect(row.argmax(axis: 0).scalar == 1)
        #expect(row.argmin(axis: 0).scalar == 1)
    }

    @Test func nonContiguousInputsMatchTheirContiguousCopies() {
        let base = Tensor<Float>.arange(60).reshaped([3, 4, 5])
        let views = [
            base.permuted([2, 0, 1]),
            base.sliced(axis: 2, range: 0..<5, step: 2),
            base[1..<3].transposed(0, 2),
            Tensor<Float>.arange(20).reshaped([1, 4, 5]).expanded(to: [3, 4, 5]),
        ]
        let axisSets = [[0], [1], [2], [0, 1], [1, 2], [0, 2], [0, 1, 2]]
        for view in views {
            let copy = view.contiguous()
            for axes in axisSets {
                #expect(view.sum(alongAxes: axes) == copy.sum(alongAxes: axes), "sum \(axes) of \(view.strides)")
                #expect(view.max(alongAxes: axes) == copy.max(alongAxes: axes), "max \(axes) of \(view.strides)")
                #expect(view.min(alongAxes: axes) == copy.min(alongAxes: axes), "min \(axes) of \(view.strides)")
            }
            for axis in 0..<3 {
                #expect(view.argmax(axis: axis) == copy.argmax(axis: axis))
                #expect(view.argmin(axis: axis) == copy.argmin(axis: axis))
            }
        }
    }

    @Test func meanDividesByTheReducedCount() {
        #expect(cube.mean().scalar == 11.5)
        #expect(cube.mean(axis: 2).scalars == [1.5, 5.5, 9.5, 13.5, 17.5, 21.5])
        #expect(cube.mean(alongAxes: [0, 2], keepingDimensions: true).scalars == [7.5, 11.5, 15.5])
    }

    @Test func normsForEachP() {
        let v = Tensor<Double>([3, -4])
        #expect(v.norm().scalar == 5)
        #expect(v.norm(p: 1).scalar == 7)
        #expect(v.norm(p: .infinity).scalar == 4)
        #expect(abs(v.norm(p: 3).scalar - 4.497941445275415) < 1e-14)
        let m = Tensor<Float>(shape: [2, 2], scalars: [3, 4, -6, 8])
        #expect(m.norm(alongAxes: [1]).scalars == [5, 10])
        #expect(m.norm(p: 1, alongAxes: [0], keepingDimensions: true).shape == [1, 2])
        #expect(m.norm(p: .infinity, alongAxes: [0]).scalars == [6, 8])
    }

    @Test func summedToShapeUndoesBroadcasting() {
        let gradient = Tensor<Float>.ones([8, 4, 3])
        #expect(gradient.summed(toShape: [4, 1]) == Tensor<Float>.full([4, 1], value: 24))
        #expect(gradient.summed(toShape: [3]) == Tensor<Float>.full([3], value: 32))
        #expect(gradient.summed(toShape: [1, 1, 3]) == Tensor<Float>.full([1, 1, 3], value: 32))
        #expect(gradient.summed(toShape: []).scalar == 96)
        #expect(gradient.summed(toShape: [8, 4, 3]) == gradient)
        let bias = cube.summed(toShape: [4])
        #expect(bias == cube.sum(alongAxes: [0, 1]))
    }

    @Test func emptyReductions() {
        let empty = Tensor<Float>.zeros([0, 3])
        #expect(empty.sum().scalar == 0)
        #expect(empty.sum(axis: 0) == Tensor<Float>.zeros([3]))
        #expect(empty.max(axis: 1).shape == [0])
        #expect(empty.mean().scalar.isNaN)
        #expect(empty.norm().scalar == 0)
        #expect(empty.norm(p: .infinity).scalar == 0)
    }

    @Test func maxOverAnEmptyAxisTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor<Float>.zeros([0, 3]).max(axis: 0)
        }
    }

    @Test func repeatedAxisTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor<Float>.zeros([2, 3]).sum(alongAxes: [1, -1])
        }
    }

    @Test func zeroDimensionalTensorReducesToItself() {
        let five = Tensor<Float>(scalar: 5)
        #expect(five.sum(axis: 0).shape == [])
        #expect(five.sum(axis: 0).scalar == 5)
        #expect(five.max().scalar == 5)
        #expect(five.argmax(axis: 0).scalar == 0)
        #expect(five.sum(alongAxes: [0], keepingDimensions: true).shape == [])
    }

    @Test func integerReductionsWrapOnOverflow() {
        #expect(Tensor<Int64>([Int64.max, 1]).sum().scalar == Int64.min)
        let m = Tensor<Int32>(shape: [2, 3], scalars: [4, -1, 7, 2, 9, -5])
        #expect(m.sum(axis: 0).scalars == [6, 8, 2])
        #expect(m.max(axis: 1).scalars == [7, 9])
        #expect(m.min(axis: 0).scalars == [2, -1, -5])
        #expect(Tensor<UInt8>([200, 100]).sum().scalar == 44)
    }

    @Test func floatSumIsPairwiseAccurate() {
        let count = 1 << 22
        let tenth = Tensor<Float>.full([count], value: 0.1)
        let exact = Double(Float(0.1)) * Double(count)
        // A sequential Float sum drifts by about 1e-2 relative here; pairwise stays near 1e-7.
        #expect(abs(Double(tenth.sum().scalar) - exact) / exact < 1e-6)
        let columns = Tensor<Float>.full([count / 4, 4], value: 0.1).sum(axis: 0)
        for column in columns.scalars { #expect(abs(Double(column) - exact / 4) / exact < 1e-6) }
    }

    @Test func largeReductionsAreIndependentOfThreadCount() {
        let rows = 700, columns = 3001
        let values = (0..<(rows * columns)).map { Float(($0 &* 2_654_435_761) % 10_007) / 997 - 5 }
        let matrix = Tensor<Float>(shape: [rows, columns], scalars: values)
        func reductions() -> [[Float]] {
            [matrix.sum().scalars, matrix.sum(axis: 0).scalars, matrix.sum(axis: 1).scalars,
             matrix.transposed().sum(axis: 1).scalars, matrix.max(axis: 0).scalars,
             matrix.reshaped([-1]).sum().scalars, matrix.mean(axis: 1).scalars]
        }
        let single = withMaximumThreadCount(1) { reductions() }
        let multiple = withMaximumThreadCount(4) { reductions() }
        #expect(single == multiple)
        let exact = values.reduce(0.0) { $0 + Double($1) }
        let magnitude = values.reduce(0.0) { $0 + Double(abs($1)) }
        #expect(abs(Double(single[0][0]) - exact) < 1e-7 * magnitude)
    }

    /// `summed(toShape:)` over leading axes takes its own path (no reduction plan); it must fold
    /// exactly as `sum(alongAxes:)` does, for every width (1 is a contiguous run to the general
    /// plan, summed in lanes; wider ones are rows), batch (past the 16-row leaf of the pairwise
    /// fold) and thread count.
    @Test func summedOverLeadingAxesMatchesTheGeneralReductionBitForBit() {
        func bits(_ tensor: Tensor<Float>) -> [UInt32] { tensor.scalars.map(\.bitPattern) }
        for threads in [1, 2, 3] {
            for batch in [2, 9, 16, 17, 100] {
                for (length, width) in [(1, 1), (4, 1), (1, 2), (5, 8), (3, 3000), (1, 9000)] {
                    let gradient = Tensor<Float>.randn([batch, length, width], generator: Generator(seed: UInt64(batch + width)))
                    let (fast, general) = withMaximumThreadCount(threads) {
                        (gradient.summed(toShape: [length, width]), gradient.sum(alongAxes: [0]))
                    }
                    #expect(bits(fast) == bits(general), "threads \(threads), shape \([batch, length, width])")
                }
            }
        }
        // Sums that cancel, and −0s: a row-by-row fold and a lane-wise one differ on both.
        let cancelling = Tensor<Float>([1e8, 1, 1, 1, 1, 1, 1, 1, -1e8, 1, 1, 1, 1, 1, 1, 1])
        #expect(bits(cancelling.summed(toShape: [1])) == bits(cancelling.sum(alongAxes: [0], keepingDimensions: true)))
        #expect(bits(cancelling.summed(toShape: [])) == bits(cancelling.sum()))
        let negativeZeros = Tensor<Float>(shape: [2, 1], scalars: [-0.0, -0.0])
        #expect(bits(negativeZeros.summed(toShape: [1]))
                    == bits(negativeZeros.sum(alongAxes: [0], keepingDimensions: true).reshaped([1])))
    }
}
