import Testing
import NN

/// A small version of what `train-embeddings` does, returning the held-out loss, the unigram
/// baseline and the precision@5 of the planted classes.
private func trainSmallModel(positionalEncoding: PositionalEncodingKind) throws -> (heldOut: Double, baseline: Double, precision: Double) {
    let corpus = PlantedClassCorpus(sentenceCount: 1500, seed: 7)
    let tokenizer = WordTokenizer(training: corpus.text, specialTokens: [])
    let tokens = tokenizer.encode(corpus.text)
    let split = tokens.count * 9 / 10
    let context = 8
    let trainSet = SlidingWindowDataset(tokens: tokens[..<split], maxLength: context, stride: context)
    let heldOutSet = SlidingWindowDataset(tokens: tokens[split...], maxLength: context, stride: context)
    let generator = Generator(seed: 1)
    let model = NextTokenModel(vocabularySize: tokenizer.vocabularySize, embeddingSize: 16, contextLength: context,
                               positionalEncoding: positionalEncoding, generator: generator)
    let optimizer = Adam(parameters: model.parameters, learningRate: 0.02)
    let loader = DataLoader(trainSet, batchSize: 8, shuffle: true, dropLast: true, generator: generator)
    var step = 0
    while step < 250 {
        for batch in loader where step < 250 {
            optimizer.zeroGrad()
            try model.loss(input: batch.input, target: batch.target).backward()
            optimizer.step()
            step += 1
        }
    }
    let heldOut = heldOutSet.batch(at: Array(heldOutSet.indices))
    let loss = try noGrad { try model.loss(input: heldOut.input, target: heldOut.target) }
    var labels: [Int: String] = [:]
    for (id, word) in tokenizer.tokens.enumerated() {
        if let name = PlantedClassCorpus.wordClass(of: word) { labels[id] = name }
    }
    let precision = CosineNeighbors(table: model.token.weight.value).precision(atK: 5, labels: labels)
    return (Double(loss.value.scalar), unigramEntropy(of: tokens[..<split]), precision)
}

@Suite struct TrainEmbeddingsModelTests {
    @Test func learnedPositionsModelBeatsUnigramBaselineAndClustersClasses() throws {
        let result = try trainSmallModel(positionalEncoding: .learned)
        // The grammar's bigram entropy is about half the unigram entropy; chance precision is about 0.17.
        #expect(result.heldOut < 0.7 * result.baseline)
        #expect(result.precision > 0.6)
    }

    @Test func sinusoidalPositionsModelLearnsToo() throws {
        let result = try trainSmallModel(positionalEncoding: .sinusoidal)
        #expect(result.heldOut < 0.7 * result.baseline)
        #expect(result.precision > 0.6)
    }

    @Test func parametersAreNamedForTheCheckpoint() {
        let learned = NextTokenModel(vocabularySize: 10, embeddingSize: 4, contextLength: 3)
        #expect(learned.namedParameters.map(\.name) == ["token.weight", "position.weight", "head.weight", "head.bias"])
        #expect(learned.namedParameters.map(\.parameter.shape) == [[10, 4], [3, 4], [10, 4], [10]])
        let plain = NextTokenModel(vocabularySize: 10, embeddingSize: 4, contextLength: 3, positionalEncoding: .none)
        #expect(plain.namedParameters.map(\.name) == ["token.weight", "head.weight", "head.bias"])
    }

    @Test func logitsCoverTheVocabularyAtEveryPosition() throws {
        let model = NextTokenModel(vocabularySize: 10, embeddingSize: 4, contextLength: 3, generator: Generator(seed: 0))
        let logits = try model(Tensor<Int64>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        #expect(logits.shape == [2, 3, 10])
    }

    @Test func sequenceLongerThanTheContextThrows() {
        let model = NextTokenModel(vocabularySize: 10, embeddingSize: 4, contextLength: 3)
        #expect(throws: TensorError.self) {
            try model(Tensor<Int64>(shape: [1, 4], scalars: [1, 2, 3, 4]))
        }
    }
}

@Suite struct EmbeddingAnalysisTests {
    private let table = Tensor<Double>(shape: [4, 2], scalars: [1, 0, 0.9, 0.1, 0, 1, -1, 0])

    @Test func nearestNeighboursAreOrderedByCosineSimilarity() {
        let neighbors = CosineNeighbors(table: table)
        let nearest = neighbors.nearest(to: 0, count: 3)
        #expect(nearest.map(\.row) == [1, 2, 3])
        #expect(abs(nearest[0].similarity - 0.9 / (0.82).squareRoot()) < 1e-12)
        #expect(abs(nearest[2].similarity + 1) < 1e-12)
    }

    @Test func precisionAtKCountsSameLabelNeighbours() {
        let neighbors = CosineNeighbors(table: table)
        #expect(neighbors.precision(atK: 1, labels: [0: "a", 1: "a", 2: "b"]) == 2.0 / 3.0)
    }

    @Test func principalComponentsFollowTheSpread() {
        // Points along the direction (3, 4)/5 with a little spread across it, centred on the origin.
        let points = Tensor<Double>(shape: [6, 2], scalars: [3, 4, 6, 8, -3, -4, -6, -8, 0.4, -0.3, -0.4, 0.3])
        let pca = PrincipalComponents(of: points, count: 2)
        #expect(abs(pca.directions[0][0] - 0.6) < 1e-9 && abs(pca.directions[0][1] - 0.8) < 1e-9)
        #expect(pca.variances[0] > 100 * pca.variances[1])
        #expect(abs(pca.variances[0] + pca.variances[1] - pca.totalVariance) < 1e-9)
        #expect(abs(pca.projections[1][0] - 10) < 1e-9)
    }

    @Test func unigramEntropyIsInNats() {
        #expect(abs(unigramEntropy(of: [1, 1, 2, 3]) - 1.5 * 0.6931471805599453) < 1e-12)
        #expect(unigramEntropy(of: [Int]()) == 0)
    }
}

@Suite struct NextTokenModelDropoutTests {
    @Test func dropoutActsInTrainingOnlyAndAddsNoParameters() throws {
        let plain = NextTokenModel(vocabularySize: 20, embeddingSize: 8, contextLength: 4, generator: Generator(seed: 4))
        let dropped = NextTokenModel(vocabularySize: 20, embeddingSize: 8, contextLength: 4, dropout: 0.5,
                                     generator: Generator(seed: 4))
        #expect(dropped.namedParameters.map(\.name) == plain.namedParameters.map(\.name))
        let ids = Tensor<Int64>(shape: [2, 4], scalars: [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(try dropped(ids).value != (try plain(ids).value))
        dropped.eval()
        #expect(try dropped(ids).value == (try plain(ids).value))
        dropped.train()
        #expect(dropped.dropout?.isTraining == true)
    }
}
