import Foundation
import Testing
import NN

/// −log σ(x·u₀) − Σₖ log σ(−x·uₖ) over every input of every group, in Double.
private func referenceLoss(inputs: [[Double]], outputs: [[[Double]]], offsets: [Int]) -> [Double] {
    func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    func logSigmoid(_ s: Double) -> Double { -log1p(exp(-s)) }
    return outputs.indices.map { group in
        (offsets[group]..<offsets[group + 1]).reduce(0.0) { sum, input in
            sum - logSigmoid(dot(inputs[input], outputs[group][0]))
                - outputs[group].dropFirst().reduce(0.0) { $0 + logSigmoid(-dot(inputs[input], $1)) }
        }
    }
}

/// The reference loss of each group's mean input.
private func referenceMeanLoss(inputs: [[Double]], outputs: [[[Double]]], offsets: [Int]) -> [Double] {
    let means = outputs.indices.map { group -> [Double] in
        let members = inputs[offsets[group]..<offsets[group + 1]]
        return (0..<inputs[0].count).map { column in members.reduce(0) { $0 + $1[column] } / Double(members.count) }
    }
    return referenceLoss(inputs: means, outputs: outputs, offsets: Array(0...outputs.count))
}

@Suite struct NegativeSamplingLossTests {
    // Three inputs of width 4 in two groups ([0, 1] and [2]), each group with a positive and two negatives.
    let inputs: [[Double]] = [[0.5, -0.25, 1.0, 0.1], [-0.3, 0.8, 0.2, -0.6], [1.2, 0.05, -0.7, 0.4]]
    let outputs: [[[Double]]] = [
        [[0.2, 0.1, -0.4, 0.9], [-0.5, 0.3, 0.3, 0.0], [0.7, -0.2, 0.1, -0.8]],
        [[-0.1, 0.6, 0.5, 0.2], [0.4, 0.4, -0.9, 0.3], [0.0, -0.3, 0.2, 0.6]],
    ]
    let offsets = [0, 2, 3]

    var inputTensor: Tensor<Double> { Tensor(nested: inputs) }
    var outputTensor: Tensor<Double> { Tensor(shape: [2, 3, 4], scalars: outputs.flatMap { $0.flatMap { $0 } }) }

    @Test func eachGroupsLossIsTheLogisticLossOfItsPairs() {
        let expected = referenceLoss(inputs: inputs, outputs: outputs, offsets: offsets)
        let perGroup = negativeSamplingLoss(inputs: Variable(inputTensor), outputs: Variable(outputTensor),
                                            groupOffsets: offsets, reduction: .none)
        #expect(perGroup.shape == [2])
        for (value, reference) in zip(perGroup.value.scalars, expected) { #expect(Swift.abs(value - reference) < 1e-14) }
        let sum = negativeSamplingLoss(inputs: Variable(inputTensor), outputs: Variable(outputTensor), groupOffsets: offsets)
        #expect(Swift.abs(sum.value.scalar - expected.reduce(0, +)) < 1e-14)
        let mean = negativeSamplingLoss(inputs: Variable(inputTensor), outputs: Variable(outputTensor),
                                        groupOffsets: offsets, reduction: .mean)
        #expect(Swift.abs(mean.value.scalar - expected.reduce(0, +) / 3) < 1e-14)
    }

    @Test func aMeanOfInputsScoresEachGroupOnce() {
        let expected = referenceMeanLoss(inputs: inputs, outputs: outputs, offsets: offsets)
        let perGroup = negativeSamplingLoss(inputs: Variable(inputTensor), outputs: Variable(outputTensor),
                                            groupOffsets: offsets, scoring: .meanOfInputs, reduction: .none)
        for (value, reference) in zip(perGroup.value.scalars, expected) { #expect(Swift.abs(value - reference) < 1e-14) }
        let mean = negativeSamplingLoss(inputs: Variable(inputTensor), outputs: Variable(outputTensor),
                                        groupOffsets: offsets, scoring: .meanOfInputs, reduction: .mean)
        #expect(Swift.abs(mean.value.scalar - expected.reduce(0, +) / 2) < 1e-14)
    }

    @Test(arguments: [LossReduction.sum, .mean, .none], [NegativeSamplingScoring.eachInput, .meanOfInputs])
    func gradientsPassGradCheck(reduction: LossReduction, scoring: NegativeSamplingScoring) {
        let offsets = offsets
        let check = gradCheck(inputs: [inputTensor, outputTensor]) { variables in
            let loss = negativeSamplingLoss(inputs: variables[0], outputs: variables[1], groupOffsets: offsets,
                                            scoring: scoring, reduction: reduction)
            // Weights the groups differently, so that `.none`'s per-group upstream values are checked.
            return reduction == .none ? (loss * Variable(Tensor<Double>([1.5, -0.5]))).sum() : loss * 2
        }
        #expect(check.passed, "\(check)")
    }

    @Test func oneInputPerGroupWhenNoOffsetsAreGiven() {
        let pairs = negativeSamplingLoss(inputs: Variable(inputTensor.narrowed(axis: 0, start: 1, length: 2)),
                                         outputs: Variable(outputTensor), reduction: .none)
        let expected = referenceLoss(inputs: Array(inputs[1...]), outputs: outputs, offsets: [0, 1, 2])
        for (value, reference) in zip(pairs.value.scalars, expected) { #expect(Swift.abs(value - reference) < 1e-14) }
    }

    @Test func extremeScoresGiveFiniteLossesAndSaturatedGradients() {
        let x = Variable(Tensor<Float>(shape: [2, 1], scalars: [100, -100]), requiresGrad: true)
        let u = Variable(Tensor<Float>(shape: [2, 2, 1], scalars: [1, 1, 1, 1]), requiresGrad: true)
        let losses = negativeSamplingLoss(inputs: x, outputs: u, reduction: .none)
        // Input 0 scores +100 against both: the positive costs nothing, the negative 100.
        #expect(losses.value.scalars == [100, 100])
        losses.sum().backward()
        #expect(x.grad?.scalars == [1, -1])
    }

    @Test func theLookupsOfATrainingStepGetRowSparseGradients() throws {
        let input = Embedding(vocabularySize: 20, embeddingSize: 6, sparse: true, generator: Generator(seed: 1))
        let output = Embedding(vocabularySize: 20, embeddingSize: 6, sparse: true, generator: Generator(seed: 2))
        let contexts = try input(Tensor<Int64>([3, 7, 2, 3]))
        let targets = try output(Tensor<Int64>(shape: [2, 3], scalars: [5, 11, 12, 9, 1, 5]))
        let loss = negativeSamplingLoss(inputs: contexts, outputs: targets, groupOffsets: [0, 2, 4])
        #expect(loss.gradFunctionName == "NegativeSamplingLossBackward")
        loss.backward()
        guard case .rows(let rows)? = input.weight.gradient, case .rows(let outputRows)? = output.weight.gradient else {
            Issue.record("the tables' gradients are not row-sparse")
            return
        }
        #expect(rows.rowIndices.scalars == [3, 7, 2, 3])
        #expect(outputRows.rowIndices.scalars == [5, 11, 12, 9, 1, 5])
        // The same loss from plain tensors: the gradient of an input row is its lookups' sum.
        let plain = Variable(try input.weight.value.indexSelect(rows: Tensor<Int64>([3, 7, 2, 3])), requiresGrad: true)
        negativeSamplingLoss(inputs: plain, outputs: Variable(targets.value), groupOffsets: [0, 2, 4]).backward()
        let perEntry = plain.grad!.scalars
        let dense = input.weight.grad!
        for column in 0..<6 {
            #expect(dense[3, column].scalar == perEntry[column] + perEntry[18 + column])
            #expect(dense[7, column].scalar == perEntry[6 + column])
        }
    }

    @Test(arguments: [NegativeSamplingScoring.eachInput, .meanOfInputs])
    func theFusedFormGivesTheBitsOfLookupsThenTheLoss(scoring: NegativeSamplingScoring) throws {
        func tables() -> (Embedding<Float>, Embedding<Float>) {
            (Embedding(vocabularySize: 50, embeddingSize: 21, sparse: true, generator: Generator(seed: 1)),
             Embedding(vocabularySize: 50, embeddingSize: 21, sparse: true, generator: Generator(seed: 2)))
        }
        let inputIDs = Tensor<Int64>([3, 7, 2, 3, 9, 9, 40])
        let outputIDs = Tensor<Int64>(shape: [3, 4], scalars: [5, 11, 12, 9, 1, 5, 3, 3, 44, 0, 7, 2])
        let offsets = [0, 2, 6, 7]
        let (input, output) = tables()
        let composed = negativeSamplingLoss(inputs: try input(inputIDs), outputs: try output(outputIDs),
                                            groupOffsets: offsets, scoring: scoring)
        composed.backward()
        let (fusedInput, fusedOutput) = tables()
        let fused = try negativeSamplingLoss(input: fusedInput, inputIDs: inputIDs, output: fusedOutput,
                                             outputIDs: outputIDs, groupOffsets: offsets, scoring: scoring)
        fused.backward()
        #expect(fused.value.scalar.bitPattern == composed.value.scalar.bitPattern)
        #expect(fusedInput.weight.grad!.scalars.map(\.bitPattern) == input.weight.grad!.scalars.map(\.bitPattern))
        #expect(fusedOutput.weight.grad!.scalars.map(\.bitPattern) == output.weight.grad!.scalars.map(\.bitPattern))
    }

    @Test func aBadIDInTheFusedFormThrowsAndChangesNothing() {
        let input = Embedding(vocabularySize: 10, embeddingSize: 4, maxNorm: 0.1, generator: Generator(seed: 1))
        let output = Embedding(vocabularySize: 10, embeddingSize: 4, maxNorm: 0.1, generator: Generator(seed: 2))
        let before = input.weight.value.scalars + output.weight.value.scalars
        #expect(throws: TensorError.indexOutOfRange(index: 10, position: [1, 1], bound: 10)) {
            try negativeSamplingLoss(input: input, inputIDs: Tensor<Int64>([1, 2]), output: output,
                                     outputIDs: Tensor<Int64>(shape: [2, 2], scalars: [1, 2, 3, 10]))
        }
        #expect(input.weight.value.scalars + output.weight.value.scalars == before)
    }

    @Test func tablesReplacedByOthersAreReadAsTheyAreNow() throws {
        let input = Embedding(vocabularySize: 3, embeddingSize: 2, generator: Generator(seed: 1))
        let output = Embedding(vocabularySize: 3, embeddingSize: 2, generator: Generator(seed: 2))
        // Larger tables, of other widths than the layers were made with: ids past the old rows are
        // valid, the rows are read whole, and the gradients have the tables' shapes.
        input.weight.value = Tensor<Float>.full([6, 4], value: 0.1)
        output.weight.value = Tensor<Float>.full([5, 4], value: 0.2)
        let loss = try negativeSamplingLoss(input: input, inputIDs: Tensor<Int64>([5]), output: output,
                                            outputIDs: Tensor<Int64>(shape: [1, 2], scalars: [4, 3]))
        loss.backward()
        let score = Float(4 * 0.1 * 0.2)
        #expect(abs(loss.value.scalar - (log1p(exp(-score)) + log1p(exp(score)))) < 1e-6)
        #expect(input.weight.grad?.shape == [6, 4])
        #expect(output.weight.grad?.shape == [5, 4])
        #expect(throws: TensorError.indexOutOfRange(index: 6, position: [0], bound: 6)) {
            try negativeSamplingLoss(input: input, inputIDs: Tensor<Int64>([6]), output: output,
                                     outputIDs: Tensor<Int64>(shape: [1, 2], scalars: [4, 3]))
        }
    }

    @Test func aLookupWithPaddingMaxNormAndFrequencyScalingGivesTheSameBitsFused() throws {
        // Each option of the tables goes through the lookup's own gradient in both forms.
        func tables() -> (Embedding<Float>, Embedding<Float>) {
            (Embedding(vocabularySize: 30, embeddingSize: 17, paddingIndex: 3, maxNorm: 1.5, generator: Generator(seed: 4)),
             Embedding(vocabularySize: 30, embeddingSize: 17, scaleGradientByFrequency: true, generator: Generator(seed: 5)))
        }
        let inputIDs = Tensor<Int64>([3, 7, 7, 3, 9, 1])
        let outputIDs = Tensor<Int64>(shape: [2, 3], scalars: [5, 11, 5, 9, 9, 3])
        let (input, output) = tables()
        negativeSamplingLoss(inputs: try input(inputIDs), outputs: try output(outputIDs), groupOffsets: [0, 4, 6]).backward()
        let (fusedInput, fusedOutput) = tables()
        try negativeSamplingLoss(input: fusedInput, inputIDs: inputIDs, output: fusedOutput, outputIDs: outputIDs,
                                 groupOffsets: [0, 4, 6]).backward()
        #expect(fusedInput.weight.value.scalars.map(\.bitPattern) == input.weight.value.scalars.map(\.bitPattern))
        #expect(fusedInput.weight.grad!.scalars.map(\.bitPattern) == input.weight.grad!.scalars.map(\.bitPattern))
        #expect(fusedOutput.weight.grad!.scalars.map(\.bitPattern) == output.weight.grad!.scalars.map(\.bitPattern))
        #expect(input.weight.grad![3].scalars.allSatisfy { $0 == 0 }, "the padding row gets no gradient")
    }

    @Test func aBatchWithoutGroupsHasAZeroLossAndEmptyGradients() throws {
        let input = Embedding(vocabularySize: 10, embeddingSize: 4, sparse: true, generator: Generator(seed: 1))
        let output = Embedding(vocabularySize: 10, embeddingSize: 4, sparse: true, generator: Generator(seed: 2))
        let loss = try negativeSamplingLoss(input: input, inputIDs: Tensor<Int64>(shape: [0], scalars: []), output: output,
                                            outputIDs: Tensor<Int64>(shape: [0, 3], scalars: []), groupOffsets: [0])
        #expect(loss.value.scalar == 0)
        loss.backward()
        #expect(input.weight.grad!.scalars.allSatisfy { $0 == 0 })
        let dense = negativeSamplingLoss(inputs: Variable(Tensor<Float>.zeros([0, 4]), requiresGrad: true),
                                         outputs: Variable(Tensor<Float>.zeros([0, 3, 4]), requiresGrad: true))
        dense.backward()
        #expect(dense.value.scalar == 0)
    }

    @Test func anEmptyGroupHasNoMeanToScore() {
        // Group 1 of three is empty: it adds nothing, and `.mean` divides by the two others.
        let offsets = [0, 2, 2, 3]
        let outputs = Tensor<Double>(shape: [3, 3, 4], scalars: self.outputs.flatMap { $0.flatMap { $0 } }
                                     + Array(repeating: 0.5, count: 12))
        let expected = referenceMeanLoss(inputs: inputs, outputs: [self.outputs[0], self.outputs[1]], offsets: [0, 2, 3])
        let losses = negativeSamplingLoss(inputs: Variable(inputTensor), outputs: Variable(outputs), groupOffsets: offsets,
                                          scoring: .meanOfInputs, reduction: .none).value.scalars
        #expect(losses[1] == 0)
        #expect(Swift.abs(losses[0] - expected[0]) < 1e-14)
        let mean = negativeSamplingLoss(inputs: Variable(inputTensor), outputs: Variable(outputs), groupOffsets: offsets,
                                        scoring: .meanOfInputs, reduction: .mean)
        #expect(Swift.abs(mean.value.scalar - (losses[0] + losses[2]) / 2) < 1e-14)
    }

    @Test func anInfinityInARepeatedLaneStaysAnInfinity() {
        // Width 100: the last chunk re-reads elements 84 …< 96, which the sixth chunk already summed.
        var x = [Float](repeating: 0, count: 100), u = [Float](repeating: 0, count: 200)
        x[90] = .infinity
        u[90] = 1
        u[190] = 1
        let losses = negativeSamplingLoss(inputs: Variable(Tensor(shape: [1, 100], scalars: x)),
                                          outputs: Variable(Tensor(shape: [1, 2, 100], scalars: u)), reduction: .none)
        // The positive scores +∞ (loss 0), the negative too (loss +∞): not NaN.
        #expect(losses.value.scalars == [.infinity])
    }

    @Test func noGradientIsComputedOrRecordedForConstants() {
        let loss = negativeSamplingLoss(inputs: Variable(inputTensor), outputs: Variable(outputTensor), groupOffsets: offsets)
        #expect(loss.gradFunctionName == nil)
        let frozen = noGrad {
            negativeSamplingLoss(inputs: Variable(inputTensor, requiresGrad: true), outputs: Variable(outputTensor),
                                 groupOffsets: offsets)
        }
        #expect(frozen.gradFunctionName == nil)
    }

    /// Every level and thread count: the same loss and gradients, bit for bit.
    @Test(arguments: [NegativeSamplingScoring.eachInput, .meanOfInputs], [37, 5])
    func sameBitsAtEveryInstructionSetAndThreadCount(scoring: NegativeSamplingScoring, width: Int) {
        func run() -> [UInt32] {
            let generator = Generator(seed: 5)
            let x = Variable(Tensor<Float>.randn([300, width], generator: generator), requiresGrad: true)
            let u = Variable(Tensor<Float>.randn([100, 6, width], generator: generator), requiresGrad: true)
            let offsets = (0...100).map { $0 * 3 }
            let loss = negativeSamplingLoss(inputs: x, outputs: u, groupOffsets: offsets, scoring: scoring)
            loss.backward()
            return [loss.value.scalar.bitPattern] + x.grad!.scalars.map(\.bitPattern) + u.grad!.scalars.map(\.bitPattern)
        }
        let reference = withInstructionSet(InstructionSet.supported[0]) { withMaximumThreadCount(1) { run() } }
        for level in InstructionSet.supported {
            for threads in [1, 2, 4] {
                #expect(withInstructionSet(level) { withMaximumThreadCount(threads) { run() } } == reference,
                        "\(level), \(threads) threads")
            }
        }
    }
}
