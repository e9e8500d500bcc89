import Testing
import NN

// golden.json `token_plus_position_training` (PyTorch 2.15): manual_seed(3); tok = Embedding(10, 4);
// pos = Embedding(3, 4), created in that order; tgt = randn(2, 3, 4); SGD(lr 0.5, momentum 0.9);
// three steps of loss = sum((tok(idx) + pos(arange(3))) * tgt).

private let indices: [Int64] = [1, 4, 4, 9, 0, 1]
private let expectedLosses: [Float] = [-0.777692, -21.106548, -59.731377]
private let expectedTokenTable: [[Float]] = [
    [-3.346752, -1.2855189, -2.9618528, -1.0622668],
    [2.5625734, 0.80476856, -0.016386807, 1.3854843],
    [-0.051680963, -0.3059757, 0.24850175, -0.22256084],
    [0.9131519, 0.20434111, 0.5739847, 0.4163313],
    [-7.1666164, -1.832891, 2.13211, -3.361217],
    [1.0460228, 0.522187, -0.16680916, 0.0530334],
    [-1.1963196, 1.0279965, 0.07189109, -0.1844762],
    [-1.5158845, 0.91251725, 0.2538871, -0.6923636],
    [0.5615939, -0.24814683, -1.079961, 0.59162176],
    [-3.6682076, -1.8415195, 3.5065656, -5.3321323],
]
private let expectedPositionTable: [[Float]] = [
    [-6.368125, -1.6131057, 4.4462414, -2.8291903],
    [-8.38699, -2.650054, 3.0606203, 0.77517426],
    [1.0008154, -0.14731848, -5.3375854, -1.0234522],
]

private func expectClose(_ actual: [Float], _ expected: [Float], _ what: String,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(what): \(actual.count) values", sourceLocation: sourceLocation)
    for (index, (value, reference)) in zip(actual, expected).enumerated() {
        #expect(Swift.abs(value - reference) <= 1e-5 * Swift.max(1, Swift.abs(reference)),
                "\(what)[\(index)]: \(value), PyTorch \(reference)", sourceLocation: sourceLocation)
    }
}

@Test func tokenPlusPositionTrainingReproducesPyTorch() throws {
    let (token, position, target) = withManualSeed(3) {
        (Embedding(vocabularySize: 10, embeddingSize: 4), PositionalEmbedding(maxLength: 3, embeddingSize: 4),
         Tensor<Float>.randn([2, 3, 4]))
    }
    let ids = Tensor<Int64>(shape: [2, 3], scalars: indices)
    let sgd = SGD(parameters: token.parameters + position.parameters, learningRate: 0.5, momentum: 0.9)
    var losses: [Float] = []
    for _ in 0..<3 {
        sgd.zeroGrad()
        let loss = ((try token(ids) + position(length: 3)) * target).sum()
        loss.backward()
        sgd.step()
        losses.append(loss.value.scalar)
    }
    expectClose(losses, expectedLosses, "losses")
    expectClose(token.weight.value.scalars, expectedTokenTable.flatMap { $0 }, "token table")
    expectClose(position.weight.value.scalars, expectedPositionTable.flatMap { $0 }, "position table")
}
