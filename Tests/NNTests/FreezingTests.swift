import Testing
import NN

/// Freezing as the issue states it: a frozen table gets `grad == nil`, does not move, records no
/// graph; unfreezing resumes training.
@Suite struct FreezingTests {
    func model() -> (Embedding<Float>, PositionalEmbedding<Float>) {
        (Embedding(vocabularySize: 10, embeddingSize: 4, generator: Generator(seed: 3)),
         PositionalEmbedding(maxLength: 3, embeddingSize: 4, generator: Generator(seed: 4)))
    }
    let ids = Tensor<Int64>(shape: [2, 3], scalars: [1, 4, 4, 9, 0, 1])

    @Test func frozenTableDoesNotMoveAndUnfreezingResumes() throws {
        let (token, position) = model()
        let optimizer = SGD(parameters: token.parameters + position.parameters, learningRate: 0.5, momentum: 0.9)
        position.freeze()
        let frozenValue = position.weight.value
        let tokenBefore = token.weight.value
        for _ in 0..<3 {
            optimizer.zeroGrad()
            (try token(ids) + position(length: 3)).squared().sum().backward()
            #expect(position.weight.grad == nil)
            optimizer.step()
        }
        #expect(bitPatterns(position.weight.value) == bitPatterns(frozenValue))
        #expect(token.weight.value != tokenBefore)
        #expect(optimizer.momentumBuffer(for: position.weight) == nil)

        position.unfreeze()
        optimizer.zeroGrad()
        (try token(ids) + position(length: 3)).squared().sum().backward()
        #expect(position.weight.grad != nil)
        optimizer.step()
        #expect(position.weight.value != frozenValue)
    }

    @Test func operationsOnAFrozenModelRecordNothing() throws {
        let (token, position) = model()
        token.freeze()
        position.freeze()
        let output = try token(ids) + position(length: 3)
        #expect(!output.requiresGrad)
        #expect(output.gradFunctionName == nil)
    }

    @Test func freezingByNameRejectsUnknownNamesAndChangesNothing() {
        let (token, _) = model()
        #expect(throws: TensorError.self) { try token.freeze(names: ["weight", "bias"]) }
        #expect(token.weight.requiresGrad)
        #expect(throws: Never.self) { try token.freeze(names: ["weight"]) }
        #expect(!token.weight.requiresGrad)
    }
}
