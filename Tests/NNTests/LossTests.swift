import Foundation
import Testing
import NN

/// −log softmax(row)[target], computed directly in Double.
private func referenceCrossEntropy(_ row: [Double], _ target: Int) -> Double {
    let maximum = row.max()!
    return maximum + log(row.map { exp($0 - maximum) }.reduce(0, +)) - row[target]
}

private let sampleLogits: [[Double]] = [[1.5, -0.25, 0.75, 2.0], [0.1, 0.2, -3.0, 0.4], [-1.0, 2.5, 0.0, 0.3]]

@Suite struct CrossEntropyTests {
    @Test func meanMatchesTheDefinition() throws {
        let logits = Variable(Tensor<Double>(nested: sampleLogits))
        let loss = try crossEntropy(logits: logits, targets: Tensor<Int64>([3, 0, 1]))
        let expected = (referenceCrossEntropy(sampleLogits[0], 3) + referenceCrossEntropy(sampleLogits[1], 0)
                        + referenceCrossEntropy(sampleLogits[2], 1)) / 3
        #expect(loss.shape == [])
        #expect(Swift.abs(loss.value.scalar - expected) < 1e-12)
    }

    @Test func documentedExampleValue() throws {
        let logits = Variable(Tensor<Float>(nested: [[2, 0, 0], [0, 0, 2]]), requiresGrad: true)
        let loss = try crossEntropy(logits: logits, targets: Tensor<Int64>([0, 2]))
        #expect(Swift.abs(loss.value.scalar - Float(log(exp(2.0) + 2) - 2)) < 1e-6)
        #expect(loss.gradFunctionName == "NllLossBackward0")
    }

    @Test func ignoredTargetsAreLeftOutOfTheMeanAndGetNoGradient() throws {
        let logits = Variable(Tensor<Double>(nested: sampleLogits), requiresGrad: true)
        let loss = try crossEntropy(logits: logits, targets: Tensor<Int64>([3, -100, 1]))
        let expected = (referenceCrossEntropy(sampleLogits[0], 3) + referenceCrossEntropy(sampleLogits[2], 1)) / 2
        #expect(Swift.abs(loss.value.scalar - expected) < 1e-12)
        loss.backward()
        #expect(logits.grad?[1].scalars == [0, 0, 0, 0])
    }

    @Test func customIgnoreIndex() throws {
        let logits = Variable(Tensor<Double>(nested: sampleLogits))
        let loss = try crossEntropy(logits: logits, targets: Tensor<Int64>([3, 0, 1]), ignoreIndex: 0, reduction: .sum)
        let expected = referenceCrossEntropy(sampleLogits[0], 3) + referenceCrossEntropy(sampleLogits[2], 1)
        #expect(Swift.abs(loss.value.scalar - expected) < 1e-12)
    }

    @Test func unreducedLossesArePerRowWithZerosForIgnoredRows() throws {
        let logits = Variable(Tensor<Double>(nested: sampleLogits))
        let losses = try crossEntropy(logits: logits, targets: Tensor<Int64>([2, 1, -100]), reduction: .none)
        #expect(losses.shape == [3])
        let values = losses.value.scalars
        #expect(Swift.abs(values[0] - referenceCrossEntropy(sampleLogits[0], 2)) < 1e-12)
        #expect(Swift.abs(values[1] - referenceCrossEntropy(sampleLogits[1], 1)) < 1e-12)
        #expect(values[2] == 0)
    }

    @Test func meanOverOnlyIgnoredTargetsIsNaN() throws {
        let loss = try crossEntropy(logits: Variable(Tensor<Float>(nested: [[1, 2]])), targets: Tensor<Int64>([-100]))
        #expect(loss.value.scalar.isNaN)
    }

    @Test func gradientIsSoftmaxMinusOneHotOverTheCount() throws {
        let logits = Variable(Tensor<Double>(nested: sampleLogits), requiresGrad: true)
        try crossEntropy(logits: logits, targets: Tensor<Int64>([3, 0, 1])).backward()
        let gradient = logits.grad!.scalars
        for (row, target) in [3, 0, 1].enumerated() {
            let exponentials = sampleLogits[row].map(exp)
            let total = exponentials.reduce(0, +)
            for column in 0..<4 {
                let expected = (exponentials[column] / total - (column == target ? 1 : 0)) / 3
                #expect(Swift.abs(gradient[row * 4 + column] - expected) < 1e-12)
            }
        }
    }

    @Test func floatGradientIsCloseToTheExactSoftmax() throws {
        let values = Tensor<Float>.randn([8, 300], generator: Generator(seed: 90)) * 6
        let targets = Tensor<Int64>((0..<8).map { Int64($0 * 31) })
        let logits = Variable(values, requiresGrad: true)
        try crossEntropy(logits: logits, targets: targets, reduction: .sum).backward()
        let gradient = logits.grad!.scalars
        for row in 0..<8 {
            let rowValues = (0..<300).map { Double(values.scalars[row * 300 + $0]) }
            let maximum = rowValues.max()!
            let total = rowValues.map { exp($0 - maximum) }.reduce(0, +)
            for column in 0..<300 {
                let expected = exp(rowValues[column] - maximum) / total - (column == row * 31 ? 1 : 0)
                // Float rounding of x − logSumExp (|x| up to ~25 here) bounds the relative error near 3e-6.
                #expect(Swift.abs(Double(gradient[row * 300 + column]) - expected) <= 4e-6 * Swift.max(Swift.abs(expected), 1e-4))
            }
        }
    }

    @Test(arguments: [LossReduction.mean, .sum, .none])
    func passesGradientCheck(_ reduction: LossReduction) {
        let weights = Tensor<Double>([0.3, -1.2, 0.7, 2.0])
        let result = gradCheck(inputs: [Tensor<Double>(nested: sampleLogits + [[0.5, 0.5, -0.5, 1.0]])]) { inputs in
            let loss = try! crossEntropy(logits: inputs[0], targets: Tensor<Int64>([3, -100, 1, 2]), reduction: reduction)
            return reduction == .none ? (loss * weights).sum() : loss
        }
        #expect(result.passed, "\(result)")
    }

    @Test func outOfRangeTargetThrowsAndNamesItsPosition() {
        let logits = Variable(Tensor<Float>(nested: [[1, 2, 3], [4, 5, 6]]), requiresGrad: true)
        #expect(throws: TensorError.indexOutOfRange(index: 3, position: [1], bound: 3)) {
            try crossEntropy(logits: logits, targets: Tensor<Int64>([0, 3]))
        }
        #expect(throws: TensorError.indexOutOfRange(index: -1, position: [0], bound: 3)) {
            try crossEntropy(logits: logits, targets: Tensor<Int64>([-1, 0]))
        }
    }

    @Test func acceptsThirtyTwoBitTargets() throws {
        let logits = Variable(Tensor<Double>(nested: sampleLogits))
        let wide = try crossEntropy(logits: logits, targets: Tensor<Int64>([3, 0, 1]))
        let narrow = try crossEntropy(logits: logits, targets: Tensor<Int32>([3, 0, 1]))
        #expect(wide.value == narrow.value)
    }

    @Test func gradientDoesNotDependOnThreadCount() throws {
        let values = Tensor<Float>.randn([96, 1500], generator: Generator(seed: 80))
        let targets = Tensor<Int64>((0..<96).map { Int64(($0 * 37) % 1500) })
        var gradients: [[UInt32]] = []
        for threads in [1, 4] {
            try withMaximumThreadCount(threads) {
                let logits = Variable(values, requiresGrad: true)
                try crossEntropy(logits: logits, targets: targets).backward()
                gradients.append(logits.grad!.scalars.map(\.bitPattern))
            }
        }
        #expect(gradients[0] == gradients[1])
    }
}

@Suite struct MeanSquaredErrorTests {
    @Test func reductions() {
        let input = Variable(Tensor<Float>([1, 2, 3])), target = Variable(Tensor<Float>([1, 2, 5]))
        #expect(mseLoss(input, target).value.scalar == Float(4) / 3)
        #expect(mseLoss(input, target, reduction: .sum).value.scalar == 4)
        #expect(mseLoss(input, target, reduction: .none).value.scalars == [0, 0, 4])
    }

    @Test(arguments: [LossReduction.mean, .sum, .none])
    func passesGradientCheckForBothSides(_ reduction: LossReduction) {
        let input = Tensor<Double>(nested: [[0.5, -1.0, 2.0], [0.25, 3.0, -0.5]])
        let target = Tensor<Double>(nested: [[1.0, 1.0, 1.0], [-2.0, 0.0, 0.5]])
        let result = gradCheck(inputs: [input, target]) { inputs in
            let loss = mseLoss(inputs[0], inputs[1], reduction: reduction)
            return reduction == .none ? (loss * Tensor<Double>([0.5, -1.0, 2.0])).sum() : loss
        }
        #expect(result.passed, "\(result)")
    }

    @Test func constantTargetGetsNoGradient() {
        let input = Variable(Tensor<Double>([1, 2]), requiresGrad: true)
        let loss = mseLoss(input, Tensor<Double>([0, 0]))
        loss.backward()
        #expect(input.grad?.scalars == [1, 2])
        #expect(loss.gradFunctionName == "MseLossBackward0")
    }
}
