import Testing
import NN

/// Next-token prediction with a sampled head: `NextTokenModel.sampledLoss(input:target:negatives:)`.
@Suite struct SampledNextTokenTests {
    private func model() -> NextTokenModel<Float> {
        NextTokenModel(vocabularySize: 30, embeddingSize: 8, contextLength: 4, generator: Generator(seed: 3))
    }

    @Test func theSampledLossIsNegativeSamplingOnTheFeaturesAndTheHeadRows() throws {
        let model = model()
        let input = Tensor<Int64>(shape: [2, 4], scalars: [1, 2, 3, 4, 5, 6, 7, 8])
        let target = Tensor<Int64>(shape: [2, 4], scalars: [2, 3, 4, 5, 6, 7, 8, 9])
        let noise = Tensor<Int64>(shape: [2, 4, 3], scalars: (0..<24).map { Int64(($0 * 7) % 30) })
        let loss = try model.sampledLoss(input: input, target: target, negatives: noise)
        // The same loss written out: features, the head rows of target then noise, averaged over positions.
        let features = try model.features(input).reshaped([8, 8])
        let rows = Tensor.concatenated([target.reshaped([8, 1]), noise.reshaped([8, 3])], axis: 1)
        let outputs = try model.head.weight.indexSelect(rows: rows)
        let expected = negativeSamplingLoss(inputs: features, outputs: outputs, reduction: .mean)
        #expect(loss.value.scalar.bitPattern == expected.value.scalar.bitPattern)
        loss.backward()
        guard case .rows(let headGradient)? = model.head.weight.gradient else {
            Issue.record("the head's gradient is not row-sparse")
            return
        }
        #expect(headGradient.rowIndices.scalars == rows.reshaped([-1]).scalars)
        #expect(model.head.bias?.grad == nil)
    }

    @Test func badNoiseIdsThrowBeforeAnythingChanges() throws {
        let model = model()
        let input = Tensor<Int64>(shape: [1, 2], scalars: [1, 2])
        let before = model.head.weight.value.scalars
        #expect(throws: TensorError.self) {
            try model.sampledLoss(input: input, target: input, negatives: Tensor<Int64>(shape: [1, 2, 1], scalars: [3, 99]))
        }
        #expect(model.head.weight.value.scalars == before)
    }
}
