import Testing
import Autograd

/// Deterministic, well-spread test values (no RNG dependency): a sine pattern scaled to `range`.
func sample(_ shape: [Int], offset: Double = 0, range: Double = 1.5) -> Tensor<Double> {
    let count = shape.reduce(1, *)
    return Tensor(shape: shape, scalars: (0..<count).map { range * Foundation.sin(Double($0) * 1.7 + offset + 0.3) })
}

/// Positive values for log/sqrt/pow/division.
func positiveSample(_ shape: [Int], offset: Double = 0) -> Tensor<Double> {
    sample(shape, offset: offset).abs() + 0.5
}

func expectPasses(_ result: GradientCheckResult, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.passed, "\(result)", sourceLocation: sourceLocation)
}

@Suite struct ElementwiseGradientChecks {
    @Test func addSubtractWithBroadcasting() {
        expectPasses(gradCheck(inputs: [sample([2, 3]), sample([3], offset: 1)]) { x in ((x[0] + x[1]) * (x[0] - x[1])).sum() })
        expectPasses(gradCheck(inputs: [sample([2, 1, 3]), sample([4, 1], offset: 2)]) { x in (x[0] - x[1]).squared().sum() })
    }

    @Test func multiplyDivideWithBroadcasting() {
        expectPasses(gradCheck(inputs: [sample([3, 4]), positiveSample([4])]) { x in x[0] * x[1] / (x[1] + x[0].squared() + 1) })
    }

    @Test func scalarOperandsOnBothSides() {
        expectPasses(gradCheck(inputs: [positiveSample([5])]) { x in
            let left: Variable<Double> = (2 - x[0]) * 3
            let reciprocal: Variable<Double> = 1 / x[0]
            let quarter: Variable<Double> = x[0] / 4
            let shifted: Variable<Double> = (1 + x[0]) - (x[0] - 2)
            return left + reciprocal - quarter + shifted
        })
    }

    @Test func negation() {
        expectPasses(gradCheck(inputs: [sample([3])]) { x in -x[0] * x[0] })
    }

    @Test func unaryMath() {
        expectPasses(gradCheck(inputs: [sample([2, 3])]) { x in x[0].exp() + x[0].tanh() + x[0].sigmoid() + x[0].sin() + x[0].cos() })
        expectPasses(gradCheck(inputs: [positiveSample([2, 3])]) { x in x[0].log() + x[0].sqrt() + x[0].log1p() + x[0].pow(2.5) })
        expectPasses(gradCheck(inputs: [sample([7])]) { x in x[0].relu() + x[0].gelu() + x[0].abs() + x[0].squared() })
        expectPasses(gradCheck(inputs: [sample([7])]) { x in x[0].clamped(min: -0.5, max: 0.7) * 2 })
    }

    @Test func maximumAndMinimum() {
        expectPasses(gradCheck(inputs: [sample([3, 4]), sample([4], offset: 2)]) { x in x[0].maximum(x[1]) + x[0].minimum(x[1]) * 2 })
    }

    @Test func nonContiguousInputs() {
        expectPasses(gradCheck(inputs: [sample([3, 4]), sample([4, 3], offset: 1)]) { x in
            (x[0].transposed() * x[1]).exp().sum(axis: 0)
        })
        expectPasses(gradCheck(inputs: [sample([4, 6])]) { x in
            x[0][.all, .range(0..<6, step: 2)].tanh() * x[0].sliced(axis: 0, range: 1..<3).sum(axis: 0, keepingDimensions: true).narrowed(axis: 1, start: 0, length: 3)
        })
        expectPasses(gradCheck(inputs: [sample([3, 1])]) { x in x[0].expanded(to: [2, 3, 4]).sigmoid() })
    }

    @Test func whereSelectsGradients() {
        let mask = Tensor<Bool>(shape: [2, 3], scalars: [true, false, true, false, false, true])
        expectPasses(gradCheck(inputs: [sample([2, 3]), sample([3], offset: 1)]) { x in Variable.where(mask, x[0].exp(), x[1] * 2) })
    }
}

@Suite struct ReductionGradientChecks {
    @Test func sumAndMeanOverAxes() {
        expectPasses(gradCheck(inputs: [sample([2, 3, 4])]) { x in x[0].sum(alongAxes: [0, 2]) * x[0].mean(axis: 1).sum() })
        expectPasses(gradCheck(inputs: [sample([2, 3])]) { x in x[0].mean() + x[0].sum(axis: -1, keepingDimensions: true).sum() })
        expectPasses(gradCheck(inputs: [sample([2, 3, 2])]) { x in x[0].mean(alongAxes: [0, 1], keepingDimensions: true).exp() })
    }

    @Test func maxAndMinAlongAnAxis() {
        expectPasses(gradCheck(inputs: [sample([3, 5])]) { x in x[0].max(axis: 1) + x[0].min(axis: 1, keepingDimensions: false) })
        expectPasses(gradCheck(inputs: [sample([3, 5])]) { x in x[0].max(axis: 0, keepingDimensions: true).exp() })
    }

    @Test func norms() {
        for p in [1.0, 2.0, 3.5, .infinity] {
            expectPasses(gradCheck(inputs: [sample([3, 4])]) { x in x[0].norm(p: p) })
            expectPasses(gradCheck(inputs: [sample([3, 4])]) { x in x[0].norm(p: p, alongAxes: [1], keepingDimensions: true) * 2 })
        }
    }

    @Test func softmaxFamily() {
        expectPasses(gradCheck(inputs: [sample([3, 4])]) { x in x[0].softmax(axis: 1) * x[0] })
        expectPasses(gradCheck(inputs: [sample([3, 4])]) { x in x[0].logSoftmax(axis: 0).squared() })
        expectPasses(gradCheck(inputs: [sample([3, 4])]) { x in x[0].logSumExp(axis: -1) })
        expectPasses(gradCheck(inputs: [sample([2, 3, 4])]) { x in x[0].transposed(0, 2).softmax(axis: 1).squared() })
    }
}

@Suite struct StructuralGradientChecks {
    @Test func viewsReshapePermuteSqueeze() {
        expectPasses(gradCheck(inputs: [sample([2, 3, 4])]) { x in
            x[0].reshaped([6, -1]).permuted([1, 0]).unsqueezed(axis: 0).squeezed().exp()
        })
        expectPasses(gradCheck(inputs: [sample([2, 1, 3])]) { x in x[0].squeezed(axis: 1).transposed() * x[0].flattened().narrowed(axis: 0, start: 0, length: 2) })
        expectPasses(gradCheck(inputs: [sample([3, 4])]) { x in x[0].selected(axis: 1, index: -1) * x[0][.index(0), .range(1..<4)] })
        expectPasses(gradCheck(inputs: [sample([3, 4])]) { x in x[0].transposed().contiguous().reshaped([12]).tanh() })
    }

    @Test func matmulAllShapes() {
        expectPasses(gradCheck(inputs: [sample([3, 4]), sample([4, 2], offset: 1)]) { x in x[0].matmul(x[1]) })
        expectPasses(gradCheck(inputs: [sample([2, 3, 4]), sample([4, 5], offset: 1)]) { x in x[0].matmul(x[1]) })
        expectPasses(gradCheck(inputs: [sample([1, 3, 4]), sample([2, 4, 2], offset: 1)]) { x in x[0].matmul(x[1]) })
        expectPasses(gradCheck(inputs: [sample([4]), sample([4, 3], offset: 1)]) { x in x[0].matmul(x[1]) })
        expectPasses(gradCheck(inputs: [sample([3, 4]), sample([4], offset: 1)]) { x in x[0].matmul(x[1]) })
        expectPasses(gradCheck(inputs: [sample([4]), sample([4], offset: 1)]) { x in x[0].matmul(x[1]) })
        expectPasses(gradCheck(inputs: [sample([4, 3]), sample([2, 4], offset: 1)]) { x in x[0].transposed().matmul(x[1].transposed()) })
    }

    @Test func indexSelectWithRepeatedIndices() throws {
        let ids = Tensor<Int64>(shape: [2, 3], scalars: [1, 3, 1, 0, 3, 3])
        expectPasses(gradCheck(inputs: [sample([4, 2])]) { x in
            try! x[0].indexSelect(rows: ids).squared()
        })
        expectPasses(gradCheck(inputs: [sample([4, 2])]) { x in
            try! x[0].indexSelect(rows: Tensor<Int32>([2, 2, 0])).tanh() * x[0].sliced(axis: 0, range: 0..<3)
        })
    }

    @Test func concatenateAndStack() {
        expectPasses(gradCheck(inputs: [sample([2, 3]), sample([2, 2], offset: 1)]) { x in
            Variable.concatenated([x[0], x[1].exp()], axis: 1).squared()
        })
        expectPasses(gradCheck(inputs: [sample([2, 3]), sample([2, 3], offset: 1)]) { x in
            Variable.stacked([x[0], x[1] * x[0]], axis: 1).sin()
        })
    }
}

@Suite struct CompositeGradientChecks {
    @Test func twoLayerComputation() {
        expectPasses(gradCheck(inputs: [sample([4, 3]), sample([3, 5], offset: 1), sample([5], offset: 2), sample([5, 2], offset: 3)]) { x in
            (x[0].matmul(x[1]) + x[2]).tanh().matmul(x[3]).sum()
        })
    }

    @Test func softmaxCrossEntropyByHand() {
        let oneHot = Tensor<Double>(shape: [3, 4], scalars: [1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0])
        expectPasses(gradCheck(inputs: [sample([3, 4])]) { x in
            -(x[0].logSoftmax(axis: 1) * oneHot).sum() / 3
        })
    }

    @Test func gradCheckCatchesAWrongGradient() {
        let wrong = gradCheck(inputs: [sample([3])]) { x in
            Variable.recordDense(x[0].value.squared(), name: "WrongBackward", inputs: [x[0]]) { [$0 * 3] }
        }
        #expect(!wrong.passed)
        #expect(wrong.inputIndex == 0)
        #expect(wrong.inputElement.count == 1)
    }
}

import Foundation
