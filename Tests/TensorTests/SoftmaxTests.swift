import Foundation
import Testing
@testable import Tensor

@Suite struct SoftmaxTests {
    @Test func softmaxMatchesHandComputedValues() {
        let denominator = exp(1.0) + exp(2.0) + exp(3.0)
        let expected = [exp(1.0), exp(2.0), exp(3.0)].map { $0 / denominator }
        let result = Tensor<Double>([1, 2, 3]).softmax(axis: 0).scalars
        for (value, reference) in zip(result, expected) { #expect(abs(value - reference) < 1e-15) }
        let single = Tensor<Float>([1, 2, 3]).softmax(axis: -1).scalars
        for (value, reference) in zip(single, expected) { #expect(abs(Double(value) - reference) < 1e-7) }
    }

    @Test func softmaxRowsSumToOneAlongAnyAxis() {
        let t = Tensor<Double>.arange(24).reshaped([2, 3, 4]) / 5
        for axis in 0..<3 {
            let sums = t.softmax(axis: axis).sum(axis: axis).scalars
            for total in sums { #expect(abs(total - 1) < 1e-15) }
        }
    }

    @Test func nonContiguousInputsMatchTheirContiguousCopies() {
        let t = (Tensor<Float>.arange(60).reshaped([3, 4, 5]) / 7).permuted([2, 0, 1])
        let copy = t.contiguous()
        for axis in 0..<3 {
            #expect(t.softmax(axis: axis) == copy.softmax(axis: axis))
            #expect(t.logSoftmax(axis: axis) == copy.logSoftmax(axis: axis))
            #expect(t.logSumExp(axis: axis) == copy.logSumExp(axis: axis))
        }
    }

    @Test func logSoftmaxIsStableForLargeInputs() {
        let ln2 = log(2.0)
        #expect(Tensor<Double>([1000, 1000]).logSoftmax(axis: 0).scalars == [-ln2, -ln2])
        #expect(Tensor<Float>([-1000, 0]).logSoftmax(axis: 0).scalars == [-1000, 0])
        let probabilities = Tensor<Float>([1000, 0]).softmax(axis: 0).scalars
        #expect(probabilities == [1, 0])
    }

    @Test func logSumExpIsShiftedByTheRowMaximum() {
        #expect(Tensor<Double>([1000, 1000]).logSumExp(axis: 0).scalar == 1000 + log(2.0))
        let m = Tensor<Double>(shape: [2, 2], scalars: [0, 0, 1, 1])
        #expect(m.logSumExp(axis: 1).scalars == [log(2.0), 1 + log(2.0)])
        #expect(m.logSumExp(axis: 0, keepingDimensions: true).shape == [1, 2])
    }

    @Test func logSumExpHandlesInfiniteAndEmptyRows() {
        let rows = Tensor<Float>(shape: [3, 2], scalars: [-.infinity, -.infinity, .infinity, 1, .nan, 1])
        let result = rows.logSumExp(axis: 1).scalars
        #expect(result[0] == -.infinity)
        #expect(result[1] == .infinity)
        #expect(result[2].isNaN)
        #expect(Tensor<Float>.zeros([2, 0]).logSumExp(axis: 1).scalars == [-.infinity, -.infinity])
    }

    @Test func softmaxOfAnAllNegativeInfinityRowIsNaN() {
        // As in PyTorch: the shifted row is -inf - (-inf) = NaN.
        let result = Tensor<Float>([-.infinity, -.infinity]).softmax(axis: 0).scalars
        #expect(result.allSatisfy { $0.isNaN })
    }

    @Test func zeroDimensionalSoftmaxIsOne() {
        #expect(Tensor<Float>(scalar: 3).softmax(axis: 0).scalar == 1)
        #expect(Tensor<Float>(scalar: 3).logSoftmax(axis: 0).scalar == 0)
        #expect(Tensor<Float>(scalar: 3).logSumExp(axis: 0).scalar == 3)
    }

    @Test func largeSoftmaxIsIndependentOfThreadCount() {
        let logits = Tensor<Float>(shape: [64, 1000], scalars: (0..<64_000).map { Float(($0 * 7919) % 1000) / 100 })
        func results() -> [Tensor<Float>] {
            [logits.softmax(axis: 1), logits.logSoftmax(axis: 0), logits.logSumExp(axis: 1)]
        }
        let single = withMaximumThreadCount(1) { results() }
        let multiple = withMaximumThreadCount(4) { results() }
        #expect(single == multiple)
    }
}
