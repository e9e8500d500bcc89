import Testing
@testable import NN

@Suite("TokenAndPositionEmbedding")
struct TokenAndPositionTests {
    static func randomLayer(paddingIndex: Int? = nil) -> TokenAndPositionEmbedding<Float> {
        TokenAndPositionEmbedding(vocabularySize: 20, embeddingSize: 8, maxLength: 6, paddingIndex: paddingIndex,
                                  generator: Generator(seed: 11))
    }

    static let ids = Tensor<Int64>(nested: [[3, 19, 3, 0, 7], [7, 7, 1, 0, 2], [5, 3, 3, 3, 18]])

    @Test func tablesAreDrawnTokenFirstLikeTwoPyTorchEmbeddings() {
        // golden.json: token_plus_position_training (tok_weight0, pos_weight0, then target = randn(2, 3, 4)).
        let golden = EmbeddingGolden.vectors.tokenPlusPositionTraining
        let generator = Generator(seed: golden.seed)
        let layer = TokenAndPositionEmbedding(vocabularySize: 10, embeddingSize: 4, maxLength: 3, generator: generator)
        #expect(layer.token.weight.value == floatTensor(golden.tokWeight0))
        #expect(layer.position.weight.value == floatTensor(golden.posWeight0))
        #expect(Tensor<Float>.randn([2, 3, 4], generator: generator) == floatTensor(golden.target))
    }

    @Test func parametersAreNamedAfterTheChildren() {
        #expect(Self.randomLayer().namedParameters.map(\.name) == ["token.weight", "position.weight"])
    }

    @Test func forwardEqualsTheComposedLayers() throws {
        let layer = Self.randomLayer()
        let fused = try layer(Self.ids)
        let composed = try layer.token(Self.ids) + layer.position(length: 5)
        #expect(fused.shape == [3, 5, 8])
        #expect(fused.value == composed.value)
        #expect(fused.gradFunctionName == "TokenAndPositionEmbeddingBackward")
    }

    @Test func outputsBeyondTheStreamingThresholdAreExact() throws {
        // 5 × 1000 rows of 1001 floats: 20 MB, written with streaming stores; an odd width puts
        // row starts off 16-byte boundaries, so heads and tails are exercised too.
        let width = 1001, vocabulary = 300, length = 1000
        let layer = TokenAndPositionEmbedding(vocabularySize: vocabulary, embeddingSize: width, maxLength: length,
                                              generator: Generator(seed: 12))
        let ids = Tensor<Int64>.randint(low: 0, high: vocabulary, shape: [5, length], generator: Generator(seed: 13))
        #expect(StreamingStores.pays(count: ids.count * width, of: Float.self))
        let fused = try noGrad { try layer(ids) }.value.scalars
        let lookup = try noGrad { try layer.token(ids) }.value.scalars
        let table = layer.token.weight.value.scalars, positions = layer.position.weight.value.scalars
        let idList = ids.scalars
        var fusedMismatches = 0, lookupMismatches = 0
        for (entry, id) in idList.enumerated() {
            let row = Int(id) * width, position = (entry % length) * width, output = entry * width
            for column in 0..<width {
                if fused[output + column] != table[row + column] + positions[position + column] { fusedMismatches += 1 }
                if lookup[output + column] != table[row + column] { lookupMismatches += 1 }
            }
        }
        #expect(fusedMismatches == 0)
        #expect(lookupMismatches == 0)
    }

    @Test func gradientsEqualTheComposedLayers() throws {
        let layer = Self.randomLayer()
        let upstream = Tensor<Float>.randn([3, 5, 8], generator: Generator(seed: 12))
        try layer(Self.ids).backward(gradient: upstream)
        let fusedToken = layer.token.weight.grad, fusedPosition = layer.position.weight.grad
        layer.token.weight.zeroGrad()
        layer.position.weight.zeroGrad()
        (try layer.token(Self.ids) + layer.position(length: 5)).backward(gradient: upstream)
        #expect(fusedToken == layer.token.weight.grad)
        #expect(fusedPosition == layer.position.weight.grad)
    }

    /// Beyond 16 sequences the batch sum is a pairwise fold, and a batch of −0 sums to −0: the
    /// fused layer's gradients and the composed layers' must agree bit for bit there too.
    @Test(arguments: [1, 3, 20, 37])
    func gradientsEqualTheComposedLayersBitForBit(batchCount: Int) throws {
        let layer = Self.randomLayer()
        let ids = Tensor<Int64>.randint(low: 0, high: 20, shape: [batchCount, 5], generator: Generator(seed: 14))
        for upstream in [Tensor<Float>.randn([batchCount, 5, 8], generator: Generator(seed: 15)),
                         Tensor<Float>.full([batchCount, 5, 8], value: -0.0)] {
            try layer(ids).backward(gradient: upstream)
            let fused = [layer.token.weight.grad!, layer.position.weight.grad!]
            layer.zeroGrad()
            (try layer.token(ids) + layer.position(length: 5)).backward(gradient: upstream)
            let composed = [layer.token.weight.grad!, layer.position.weight.grad!]
            layer.zeroGrad()
            #expect(fused.map { $0.scalars.map(\.bitPattern) } == composed.map { $0.scalars.map(\.bitPattern) })
        }
    }

    @Test func gradientsAreRowSparse() throws {
        let layer = Self.randomLayer()
        try layer(Self.ids).sum().backward()
        guard case .rows(let token)? = layer.token.weight.gradient,
              case .rows(let position)? = layer.position.weight.gradient else {
            Issue.record("expected row-sparse gradients")
            return
        }
        #expect(token.rowIndices == Self.ids.flattened())
        #expect(position.rowIndices.scalars == [0, 1, 2, 3, 4])
        #expect(position.values == Tensor<Float>.full([5, 8], value: 3))
    }

    @Test func trainingStepsMatchPyTorch() throws {
        // golden.json: token_plus_position_training: 3 steps of SGD(lr 0.5, momentum 0.9) on
        // loss = sum((tok(idx) + pos(arange(3))) * tgt). The update is written out here.
        let golden = EmbeddingGolden.vectors.tokenPlusPositionTraining
        let layer = TokenAndPositionEmbedding(vocabularySize: 10, embeddingSize: 4, maxLength: 3,
                                              generator: Generator(seed: golden.seed))
        let ids = Tensor<Int64>(nested: golden.indices), target = floatTensor(golden.target)
        var momentum: [Tensor<Float>?] = [nil, nil]
        for step in 0..<3 {
            let loss = (try layer(ids) * target).sum()
            let expectedLoss = Float(golden.losses[step])
            #expect(Swift.abs(loss.value.scalar - expectedLoss) <= 1e-5 * Swift.abs(expectedLoss))
            loss.backward()
            for (index, parameter) in layer.parameters.enumerated() {
                let gradient = try #require(parameter.grad)
                let buffer = momentum[index].map { $0 * 0.9 + gradient } ?? gradient
                momentum[index] = buffer
                parameter.value = parameter.value + buffer * -0.5
                parameter.zeroGrad()
            }
        }
        #expect(bitPatterns(layer.token.weight.value) == bitPatterns(floatTensor(golden.tokWeightFinal)))
        #expect(bitPatterns(layer.position.weight.value) == bitPatterns(floatTensor(golden.posWeightFinal)))
    }

    @Test func fusedLookupPassesGradientCheck() {
        let token = Tensor<Double>.randn([6, 3], generator: Generator(seed: 13))
        let position = Tensor<Double>.randn([4, 3], generator: Generator(seed: 14))
        let indices = CheckedIndices(trusted: Tensor<Int64>([5, 0, 5, 2, 1, 1]), shape: [2, 3])
        let result = gradCheck(inputs: [token, position]) { variables in
            let sum = TokenAndPositionEmbedding<Double>.fusedLookup(
                tokenTable: variables[0], positionTable: variables[1], at: indices, tokenOptions: .plain)
            return sum * sum
        }
        #expect(result.passed, "\(result)")
    }

    @Test func paddingTokenGetsNoGradient() throws {
        let layer = Self.randomLayer(paddingIndex: 0)
        try layer(Self.ids).sum().backward()
        let gradient = try #require(layer.token.weight.grad)
        #expect(gradient[0].scalars == [Float](repeating: 0, count: 8))
        #expect(layer.position.weight.grad?[3].scalars == [Float](repeating: 3, count: 8))
    }

    @Test func frozenPositionTableGetsNoGradient() throws {
        let layer = Self.randomLayer()
        layer.position.freeze()
        try layer(Self.ids).sum().backward()
        #expect(layer.position.weight.grad == nil)
        #expect(layer.token.weight.grad != nil)
    }

    @Test func frozenLayerRecordsNothing() throws {
        let layer = Self.randomLayer()
        layer.freeze()
        #expect(try layer(Self.ids).requiresGrad == false)
    }

    @Test func tokenOptionsApplyThroughAnExistingTable() throws {
        let token = Embedding(vocabularySize: 20, embeddingSize: 8, maxNorm: 0.5, generator: Generator(seed: 15))
        let position = PositionalEmbedding(maxLength: 6, embeddingSize: 8, generator: Generator(seed: 0))
        let layer = TokenAndPositionEmbedding(token: token, position: position)
        let fused = try layer(Self.ids)
        let composed = try token(Self.ids) + layer.position(length: 5)
        #expect(fused.value == composed.value)
        #expect(token.weight.value[3].scalars.map { $0 * $0 }.reduce(0, +) <= 0.25 + 1e-6)
    }

    @Test func shorterSequencesUseTheFirstPositions() throws {
        let layer = Self.randomLayer()
        let ids = Tensor<Int64>([4, 9])
        #expect(try layer(ids).value == (try layer.token(ids) + layer.position(length: 2)).value)
    }

    @Test func int32IdsGiveTheSameResult() throws {
        let layer = Self.randomLayer()
        #expect(try layer(Self.ids.converted(to: Int32.self)).value == (try layer(Self.ids)).value)
    }

    @Test func sequencePastMaxLengthThrows() {
        let layer = Self.randomLayer()
        #expect(throws: TensorError.invalidArgument("sequence length 7 exceeds the positional embedding's maxLength 6")) {
            try layer(Tensor<Int64>.zeros([2, 7]))
        }
    }

    @Test func idPastTheVocabularyThrowsAndChangesNothing() {
        let token = Embedding(vocabularySize: 20, embeddingSize: 8, maxNorm: 0.1, generator: Generator(seed: 0))
        let position = PositionalEmbedding(maxLength: 6, embeddingSize: 8, generator: Generator(seed: 0))
        let layer = TokenAndPositionEmbedding(token: token, position: position)
        let before = token.weight.value.scalars
        #expect(throws: TensorError.indexOutOfRange(index: 20, position: [1, 1], bound: 20)) {
            try layer(Tensor<Int64>(nested: [[0, 1], [2, 20]]))
        }
        #expect(bitPatterns(token.weight.value) == bitPatterns(before))
    }

    @Test func emptyBatchGivesEmptyOutput() throws {
        let layer = Self.randomLayer()
        #expect(try layer(Tensor<Int64>.zeros([0, 4])).shape == [0, 4, 8])
        #expect(try layer(Tensor<Int64>.zeros([2, 0])).shape == [2, 0, 8])
    }

    @Test func resultsDoNotDependOnTheThreadCount() throws {
        let layer = TokenAndPositionEmbedding(vocabularySize: 500, embeddingSize: 64, maxLength: 32,
                                              generator: Generator(seed: 16))
        let ids = Tensor<Int64>.randint(low: 0, high: 500, shape: [64, 32], generator: Generator(seed: 17))
        let upstream = Tensor<Float>.randn([64, 32, 64], generator: Generator(seed: 18))
        func run(threads: Int) throws -> [Tensor<Float>?] {
            try withMaximumThreadCount(threads) {
                for parameter in layer.parameters { parameter.zeroGrad() }
                let output = try layer(ids)
                output.backward(gradient: upstream)
                return [output.value, layer.token.weight.grad, layer.position.weight.grad]
            }
        }
        #expect(try run(threads: 1) == run(threads: 4))
    }

    @Test func tablesOfDifferentWidthsTrap() async {
        await #expect(processExitsWith: .failure) {
            let token = Embedding(vocabularySize: 3, embeddingSize: 2, generator: Generator(seed: 0))
            let position = PositionalEmbedding(maxLength: 3, embeddingSize: 4, generator: Generator(seed: 0))
            _ = TokenAndPositionEmbedding(token: token, position: position)
        }
    }

    @Test func scalarIdsTrap() async {
        await #expect(processExitsWith: .failure) {
            let layer = TokenAndPositionEmbedding(vocabularySize: 3, embeddingSize: 2, maxLength: 2,
                                                  generator: Generator(seed: 0))
            _ = try layer(Tensor<Int64>(scalar: 1))
        }
    }
}
