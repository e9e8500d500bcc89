import Foundation
import Testing
@testable import NN

/// The vectors of `Fixtures/embedding_golden.json`, copied verbatim from `reference/golden.json`
/// (torch 2.15, x86-64); every property is named after its golden.json key.
struct EmbeddingGolden: Decodable, Sendable {
    struct SeedDocument: Decodable, Sendable {
        let seed: UInt64
        let embedding6x3: [[Double]]
        let printed: String
        let lookupIndex3: String

        enum CodingKeys: String, CodingKey {
            case seed, printed, lookupIndex3
            case embedding6x3 = "embedding6X3"   // "Embedding_6x3" after snake-case conversion
        }
    }

    struct Options: Decodable, Sendable {
        let paddingIdx: Int?
        let maxNorm: Double?
        let normType: Double?
        let scaleGradByFreq: Bool?
    }

    struct ForwardBackward: Decodable, Sendable {
        let options: Options
        let weightBefore: [[Double]]
        let indices: [[Int64]]
        let upstreamGrad: [[[Double]]]
        let output: [[[Double]]]
        let weightAfterForward: [[Double]]
        let weightGrad: [[Double]]
    }

    struct RelativePositions: Decodable, Sendable {
        let maxDistance: Int
        let length: Int
        let table: [[Double]]
        let output: [[[Double]]]
        let upstreamGrad: [[[Double]]]
        let tableGrad: [[Double]]
    }

    struct TokenPlusPositionTraining: Decodable, Sendable {
        let seed: UInt64
        let indices: [[Int64]]
        let target: [[[Double]]]
        let tokWeight0: [[Double]]
        let posWeight0: [[Double]]
        let losses: [Double]
        let tokWeightFinal: [[Double]]
        let posWeightFinal: [[Double]]
    }

    let seedDocumentExample: SeedDocument
    let embeddingForwardBackward: [ForwardBackward]
    let sinusoidal8x6: [[Double]]
    let relativePositions: RelativePositions
    let tokenPlusPositionTraining: TokenPlusPositionTraining

    enum CodingKeys: String, CodingKey {
        case seedDocumentExample, embeddingForwardBackward, relativePositions, tokenPlusPositionTraining
        case sinusoidal8x6 = "sinusoidal8X6"   // "sinusoidal_8x6" after snake-case conversion
    }

    static let vectors: EmbeddingGolden = {
        let url = Bundle.module.url(forResource: "embedding_golden", withExtension: "json", subdirectory: "Fixtures")!
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try! decoder.decode(EmbeddingGolden.self, from: Data(contentsOf: url))
    }()
}

/// A `Float` tensor from golden rows (float32 values stored exactly as doubles).
func floatTensor(_ rows: [[Double]]) -> Tensor<Float> {
    Tensor(shape: [rows.count, rows.first?.count ?? 0], scalars: rows.flatMap { $0.map { Float($0) } })
}

/// A `Float` tensor from golden planes.
func floatTensor(_ planes: [[[Double]]]) -> Tensor<Float> {
    Tensor(shape: [planes.count, planes.first?.count ?? 0, planes.first?.first?.count ?? 0],
           scalars: planes.flatMap { $0.flatMap { $0.map { Float($0) } } })
}


@Suite("Embedding")
struct EmbeddingTests {
    // MARK: Initialisation

    @Test func seededTableEqualsPyTorchTable() {
        let golden = EmbeddingGolden.vectors.seedDocumentExample   // golden.json: seed_document_example
        let generator = Generator(seed: golden.seed)
        let embedding = Embedding(vocabularySize: 6, embeddingSize: 3, generator: generator)
        #expect(embedding.weight.value == floatTensor(golden.embedding6x3))
    }

    @Test func seededTablePrintsLikePyTorch() {
        let golden = EmbeddingGolden.vectors.seedDocumentExample   // golden.json: seed_document_example
        let embedding = Embedding(vocabularySize: 6, embeddingSize: 3, generator: Generator(seed: golden.seed))
        #expect(embedding.weight.value.description == golden.printed)
    }

    @Test func lookupOfTokenThreePrintsLikePyTorch() throws {
        let golden = EmbeddingGolden.vectors.seedDocumentExample   // golden.json: seed_document_example
        let embedding = Embedding(vocabularySize: 6, embeddingSize: 3, generator: Generator(seed: golden.seed))
        #expect(try embedding(Tensor<Int64>([3])).value.description == golden.lookupIndex3)
    }

    @Test func globalSeedDrivesTheDefaultInitialisation() {
        // golden.json: seed_document_example (manualSeed(123) then Embedding(6, 3)).
        let golden = EmbeddingGolden.vectors.seedDocumentExample
        let embedding = withManualSeed(golden.seed) { Embedding(vocabularySize: 6, embeddingSize: 3) }
        #expect(embedding.weight.value == floatTensor(golden.embedding6x3))
    }

    @Test func seedDocumentFlowGivesBatchTimeEmbeddingShapes() throws {
        let generator = Generator(seed: 123)
        let token = Embedding(vocabularySize: 50257, embeddingSize: 256, generator: generator)
        let position = PositionalEmbedding(maxLength: 4, embeddingSize: 256, generator: generator)
        let ids = Tensor<Int64>.randint(low: 0, high: 50257, shape: [8, 4], generator: generator)
        let tokens = try token(ids)
        #expect(tokens.shape == [8, 4, 256])
        let positions = try position(length: 4)
        #expect(positions.shape == [4, 256])
        let sum = tokens + positions
        #expect(sum.shape == [8, 4, 256])
        let first = ids[element: [2, 1]]
        let expected = token.weight.value[Int(first)] + position.weight.value[1]
        #expect(sum.value[.index(2), .index(1)].scalars == expected.scalars)
    }

    @Test func untypedInitialiserBuildsAFloatTable() {
        let embedding = Embedding(vocabularySize: 2, embeddingSize: 3, generator: Generator(seed: 0))
        #expect(type(of: embedding) == Embedding<Float>.self)
        let double = Embedding<Double>(vocabularySize: 2, embeddingSize: 3, generator: Generator(seed: 0))
        #expect(double.weight.value.shape == [2, 3])
    }

    @Test func paddingRowIsZeroedAfterInitialisation() {
        let embedding = Embedding(vocabularySize: 5, embeddingSize: 4, paddingIndex: 2, generator: Generator(seed: 1))
        #expect(bitPatterns(embedding.weight.value[2]) == bitPatterns([0, 0, 0, 0]))
        #expect(embedding.weight.value[1].scalars != [0, 0, 0, 0])
    }

    @Test func negativePaddingIndexCountsFromTheEnd() {
        let embedding = Embedding(vocabularySize: 6, embeddingSize: 3, paddingIndex: -1, generator: Generator(seed: 0))
        #expect(embedding.paddingIndex == 5)
        #expect(bitPatterns(embedding.weight.value[5]) == bitPatterns([0, 0, 0]))
    }

    @Test func paddingDoesNotChangeTheRandomDraws() {
        let plain = Embedding(vocabularySize: 4, embeddingSize: 5, generator: Generator(seed: 9))
        let padded = Embedding(vocabularySize: 4, embeddingSize: 5, paddingIndex: 0, generator: Generator(seed: 9))
        #expect(padded.weight.value[1..<4].scalars == plain.weight.value[1..<4].scalars)
    }

    @Test func paddingIndexPastTheTableTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Embedding(vocabularySize: 6, embeddingSize: 3, paddingIndex: 6, generator: Generator(seed: 0))
        }
    }

    @Test func negativePaddingIndexPastTheTableTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Embedding(vocabularySize: 6, embeddingSize: 3, paddingIndex: -7, generator: Generator(seed: 0))
        }
    }

    @Test func scalingByFrequencyWithSparseGradientsTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Embedding(vocabularySize: 6, embeddingSize: 3, scaleGradientByFrequency: true, sparse: true,
                          generator: Generator(seed: 0))
        }
    }

    @Test func negativeSizeTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Embedding(vocabularySize: -1, embeddingSize: 3, generator: Generator(seed: 0))
        }
    }

    @Test func pretrainedTableIsSharedNotCopied() {
        let table = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let embedding = Embedding(pretrained: table)
        #expect(embedding.weight.value.sharesStorage(with: table))
    }

    @Test func pretrainedTableIsFrozenByDefault() {
        let table = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(Embedding(pretrained: table).weight.requiresGrad == false)
        #expect(Embedding(pretrained: table, freeze: false).weight.requiresGrad == true)
    }

    @Test func pretrainedPaddingRowKeepsItsValuesButGetsNoGradient() throws {
        let table = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let embedding = Embedding(pretrained: table, freeze: false, paddingIndex: 0)
        #expect(bitPatterns(embedding.weight.value[0]) == bitPatterns([1, 2, 3]))
        try embedding(Tensor<Int64>([0, 1, 0])).sum().backward()
        #expect(embedding.weight.grad?.scalars == [0, 0, 0, 1, 1, 1])
    }

    @Test func pretrainedTableMustBeTwoDimensional() async {
        await #expect(processExitsWith: .failure) {
            _ = Embedding(pretrained: Tensor<Float>([1, 2, 3]))
        }
    }

    @Test func parametersAreNamedWeight() {
        let embedding = Embedding(vocabularySize: 3, embeddingSize: 2, generator: Generator(seed: 0))
        #expect(embedding.namedParameters.map(\.name) == ["weight"])
        #expect(embedding.parameters.first === embedding.weight)
    }

    @Test func descriptionListsNonDefaultOptions() {
        let plain = Embedding(vocabularySize: 6, embeddingSize: 3, generator: Generator(seed: 0))
        #expect(plain.description == "Embedding(6, 3)")
        let options = Embedding(vocabularySize: 6, embeddingSize: 3, paddingIndex: -1, maxNorm: 1, normType: 1,
                                sparse: true, generator: Generator(seed: 0))
        #expect(options.description == "Embedding(6, 3, paddingIndex: 5, maxNorm: 1.0, normType: 1.0, sparse: true)")
    }

    // MARK: Forward

    @Test(arguments: 0..<6)
    func forwardAndBackwardMatchPyTorch(optionSet: Int) throws {
        // golden.json: embedding_forward_backward[optionSet]; every number is compared exactly.
        let golden = EmbeddingGolden.vectors.embeddingForwardBackward[optionSet]
        let options = golden.options
        let embedding = Embedding(
            pretrained: floatTensor(golden.weightBefore), freeze: false, paddingIndex: options.paddingIdx,
            maxNorm: options.maxNorm, normType: options.normType ?? 2,
            scaleGradientByFrequency: options.scaleGradByFreq ?? false)
        let ids = Tensor<Int64>(nested: golden.indices)
        let output = try embedding(ids)
        #expect(output.value == floatTensor(golden.output))
        #expect(bitPatterns(embedding.weight.value) == bitPatterns(floatTensor(golden.weightAfterForward)))
        output.backward(gradient: floatTensor(golden.upstreamGrad))
        #expect(embedding.weight.grad == floatTensor(golden.weightGrad))
    }

    @Test func outputShapeIsIdShapePlusEmbeddingSize() throws {
        let embedding = Embedding(vocabularySize: 10, embeddingSize: 4, generator: Generator(seed: 0))
        #expect(try embedding(Tensor<Int64>.zeros([2, 3, 5])).shape == [2, 3, 5, 4])
        #expect(try embedding(Tensor<Int64>(scalar: 7)).shape == [4])
    }

    @Test func scalarIdGivesItsRow() throws {
        let embedding = Embedding(vocabularySize: 10, embeddingSize: 4, generator: Generator(seed: 0))
        #expect(try embedding(Tensor<Int64>(scalar: 7)).value.scalars == embedding.weight.value[7].scalars)
    }

    @Test func emptyIdsGiveEmptyOutput() throws {
        let embedding = Embedding(vocabularySize: 10, embeddingSize: 4, generator: Generator(seed: 0))
        #expect(try embedding(Tensor<Int64>.zeros([0])).shape == [0, 4])
        #expect(try embedding(Tensor<Int64>.zeros([2, 0])).shape == [2, 0, 4])
    }

    @Test func emptyIdsGiveAZeroGradient() throws {
        let embedding = Embedding(vocabularySize: 3, embeddingSize: 2, generator: Generator(seed: 0))
        try embedding(Tensor<Int64>.zeros([0])).sum().backward()
        #expect(embedding.weight.grad == Tensor<Float>.zeros([3, 2]))
    }

    @Test func int32IdsGiveTheSameRowsAsInt64() throws {
        let embedding = Embedding(vocabularySize: 10, embeddingSize: 4, generator: Generator(seed: 0))
        let wide = try embedding(Tensor<Int64>(shape: [2, 2], scalars: [1, 9, 0, 4]))
        let narrow = try embedding(Tensor<Int32>(shape: [2, 2], scalars: [1, 9, 0, 4]))
        #expect(wide.value == narrow.value)
    }

    @Test func nonContiguousIdsAreRead() throws {
        let embedding = Embedding(vocabularySize: 10, embeddingSize: 2, generator: Generator(seed: 0))
        let ids = Tensor<Int64>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]).transposed()
        let rows = try embedding(ids)
        #expect(rows.value[.index(0), .index(1)].scalars == embedding.weight.value[4].scalars)
    }

    @Test func idPastTheVocabularyThrowsWithItsPosition() {
        let embedding = Embedding(vocabularySize: 6, embeddingSize: 3, generator: Generator(seed: 0))
        #expect(throws: TensorError.indexOutOfRange(index: 7, position: [1, 0], bound: 6)) {
            try embedding(Tensor<Int64>(shape: [2, 2], scalars: [0, 1, 7, 2]))
        }
    }

    @Test func idsAreCheckedAgainstTheTableAsItIsNow() throws {
        let embedding = Embedding(vocabularySize: 6, embeddingSize: 3, generator: Generator(seed: 0))
        embedding.weight.value = Tensor<Float>.ones([2, 3])
        #expect(throws: TensorError.indexOutOfRange(index: 5, position: [1], bound: 2)) {
            try embedding(Tensor<Int64>([1, 5]))
        }
        #expect(try embedding(Tensor<Int64>([1, 0])).value == Tensor<Float>.ones([2, 3]))
    }

    @Test func negativeIdThrowsInsteadOfWrapping() {
        let embedding = Embedding(vocabularySize: 6, embeddingSize: 3, generator: Generator(seed: 0))
        #expect(throws: TensorError.indexOutOfRange(index: -1, position: [2], bound: 6)) {
            try embedding(Tensor<Int64>([0, 1, -1]))
        }
    }

    @Test func int32IdPastTheVocabularyThrows() {
        let embedding = Embedding(vocabularySize: 6, embeddingSize: 3, generator: Generator(seed: 0))
        #expect(throws: TensorError.indexOutOfRange(index: 6, position: [0], bound: 6)) {
            try embedding(Tensor<Int32>([6]))
        }
    }

    @Test func rejectedIdsLeaveTheMaxNormTableUnchanged() {
        let embedding = Embedding(vocabularySize: 6, embeddingSize: 3, maxNorm: 0.01, generator: Generator(seed: 0))
        let before = embedding.weight.value.scalars
        #expect(throws: TensorError.self) { try embedding(Tensor<Int64>([0, 1, 2, 99])) }
        #expect(bitPatterns(embedding.weight.value) == bitPatterns(before))
    }

    @Test func maxNormOnlyTouchesReferencedRows() throws {
        let embedding = Embedding(vocabularySize: 4, embeddingSize: 2, maxNorm: 1, generator: Generator(seed: 0))
        let before = embedding.weight.value
        _ = try embedding(Tensor<Int64>([1, 1]))
        #expect(bitPatterns(embedding.weight.value[0]) == bitPatterns(before[0]))
        #expect(bitPatterns(embedding.weight.value[2..<4]) == bitPatterns(before[2..<4]))
    }

    @Test func maxNormWithInfinityNormBoundsTheLargestEntry() throws {
        let table = Tensor<Float>(shape: [2, 3], scalars: [3, -4, 1, 0.5, 0.25, 0])
        let embedding = Embedding(pretrained: table, maxNorm: 2, normType: .infinity)
        let rows = try embedding(Tensor<Int64>([0, 1]))
        let scale = Float(2 / (4 + 1e-7))
        #expect(rows.value[0].scalars == [3 * scale, -4 * scale, 1 * scale])
        #expect(rows.value[1].scalars == [0.5, 0.25, 0])
    }

    @Test func maxNormRenormalisationIsNotRecorded() throws {
        let embedding = Embedding(vocabularySize: 4, embeddingSize: 2, maxNorm: 0.1, generator: Generator(seed: 0))
        let rows = try embedding(Tensor<Int64>([1, 2]))
        #expect(rows.gradFunctionName == "EmbeddingBackward0")
        #expect(embedding.weight.gradient == nil)
        #expect(embedding.weight.isLeaf)
    }

    @Test func maxNormWritesPrivateCopyOfASharedTable() throws {
        let table = Tensor<Float>(shape: [1, 2], scalars: [3, 4])
        let embedding = Embedding(pretrained: table, maxNorm: 1)
        _ = try embedding(Tensor<Int64>([0]))
        #expect(table.scalars == [3, 4])
        #expect(embedding.weight.value.scalars != [3, 4])
    }

    // MARK: Backward

    @Test func backwardKeepsTheGradientAsRows() throws {
        let embedding = Embedding(vocabularySize: 100, embeddingSize: 3, generator: Generator(seed: 0))
        let ids = Tensor<Int64>([5, 7, 5])
        let upstream = Tensor<Float>(shape: [3, 3], scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        try embedding(ids).backward(gradient: upstream)
        guard case .rows(let rows)? = embedding.weight.gradient else {
            Issue.record("expected a row-sparse gradient, got \(String(describing: embedding.weight.gradient))")
            return
        }
        #expect(rows.rowIndices.scalars == [5, 7, 5])
        #expect(rows.values.scalars == upstream.scalars)
        #expect(rows.rowCount == 100)
    }

    @Test func readingGradMaterialisesTheDenseSum() throws {
        let embedding = Embedding(vocabularySize: 4, embeddingSize: 2, generator: Generator(seed: 0))
        let upstream = Tensor<Float>(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])
        try embedding(Tensor<Int64>([2, 0, 2])).backward(gradient: upstream)
        #expect(embedding.weight.grad?.scalars == [3, 4, 0, 0, 6, 8, 0, 0])
    }

    @Test func paddingEntriesAreDroppedFromTheRowGradient() throws {
        let embedding = Embedding(vocabularySize: 5, embeddingSize: 2, paddingIndex: 0, generator: Generator(seed: 0))
        let upstream = Tensor<Float>(shape: [4, 2], scalars: [1, 2, 3, 4, 5, 6, 7, 8])
        try embedding(Tensor<Int64>([0, 3, 0, 1])).backward(gradient: upstream)
        guard case .rows(let rows)? = embedding.weight.gradient else {
            Issue.record("expected a row-sparse gradient")
            return
        }
        #expect(rows.rowIndices.scalars == [3, 1])
        #expect(rows.values.scalars == [3, 4, 7, 8])
    }

    @Test func paddingRowGetsNoGradient() throws {
        let embedding = Embedding(vocabularySize: 3, embeddingSize: 2, paddingIndex: -1, generator: Generator(seed: 0))
        try embedding(Tensor<Int64>([2, 2, 1])).sum().backward()
        #expect(embedding.weight.grad?.scalars == [0, 0, 1, 1, 0, 0])
    }

    @Test func scalingByFrequencyDividesByTheBatchCount() throws {
        let embedding = Embedding(vocabularySize: 3, embeddingSize: 1, scaleGradientByFrequency: true,
                                  generator: Generator(seed: 0))
        let upstream = Tensor<Float>(shape: [4, 1], scalars: [1, 2, 3, 4])
        try embedding(Tensor<Int64>(nested: [[0, 2], [0, 0]])).backward(gradient: upstream.reshaped([2, 2, 1]))
        let gradient = try #require(embedding.weight.grad?.scalars)
        #expect(Swift.abs(gradient[0] - 8.0 / 3) < 1e-6)
        #expect(gradient[1...] == [0, 2])
    }

    @Test func sparseTableMarksItsParameterForOptimisers() {
        let embedding = Embedding(vocabularySize: 5, embeddingSize: 2, sparse: true, generator: Generator(seed: 0))
        #expect(embedding.isSparse)
        #expect(embedding.weight.isSparse)
        #expect(Embedding(vocabularySize: 5, embeddingSize: 2, generator: Generator(seed: 0)).weight.isSparse == false)
        #expect(Embedding(pretrained: Tensor<Float>.zeros([2, 2]), sparse: true).weight.isSparse)
    }

    @Test func sparseTableGetsEntryByEntryUpdatesFromSGD() throws {
        // PyTorch's sparse SGD applies duplicate entries one after the other; the dense update
        // subtracts their sum. With 1 − 1 − 1e-8 the two round differently.
        func updatedValue(sparse: Bool) throws -> Float {
            let embedding = Embedding(pretrained: Tensor<Float>(shape: [1, 1], scalars: [1]), freeze: false,
                                      sparse: sparse)
            let sgd = SGD(parameters: embedding.parameters, learningRate: 1)
            try embedding(Tensor<Int64>([0, 0])).backward(gradient: Tensor(shape: [2, 1], scalars: [1, 1e-8]))
            sgd.step()
            return embedding.weight.value[element: [0, 0]]
        }
        #expect(try updatedValue(sparse: true) == -1e-8)
        #expect(try updatedValue(sparse: false) == 0)
    }

    @Test func sparseTableKeepsDuplicateEntriesInIdOrder() throws {
        let embedding = Embedding(vocabularySize: 5, embeddingSize: 1, paddingIndex: 4, sparse: true,
                                  generator: Generator(seed: 0))
        let upstream = Tensor<Float>(shape: [4, 1], scalars: [1, 2, 3, 4])
        try embedding(Tensor<Int64>([3, 4, 1, 3])).backward(gradient: upstream)
        guard case .rows(let rows)? = embedding.weight.gradient else {
            Issue.record("expected a row-sparse gradient")
            return
        }
        #expect(rows.rowIndices.scalars == [3, 1, 3])
        #expect(rows.values.scalars == [1, 3, 4])
    }

    @Test func gradientsAccumulateUntilCleared() throws {
        let embedding = Embedding(vocabularySize: 3, embeddingSize: 2, generator: Generator(seed: 0))
        try embedding(Tensor<Int64>([1])).sum().backward()
        try embedding(Tensor<Int64>([1, 2])).sum().backward()
        #expect(embedding.weight.grad?.scalars == [0, 0, 2, 2, 1, 1])
        embedding.weight.zeroGrad()
        #expect(embedding.weight.grad == nil)
    }

    @Test func frozenTableRecordsNothing() throws {
        let embedding = Embedding(vocabularySize: 3, embeddingSize: 2, generator: Generator(seed: 0))
        embedding.freeze()
        let rows = try embedding(Tensor<Int64>([1, 2]))
        #expect(rows.requiresGrad == false)
        #expect(rows.gradFunctionName == nil)
    }

    @Test func frozenTableGetsNoGradient() throws {
        let embedding = Embedding(vocabularySize: 3, embeddingSize: 2, generator: Generator(seed: 0))
        embedding.freeze()
        let scale = Parameter(Tensor<Float>.ones([2]))
        (try embedding(Tensor<Int64>([1, 2])) * scale).sum().backward()
        #expect(embedding.weight.grad == nil)
        #expect(scale.grad != nil)
    }

    @Test func lookupRecordsNothingWithoutGradientMode() throws {
        let embedding = Embedding(vocabularySize: 3, embeddingSize: 2, generator: Generator(seed: 0))
        let rows = try noGrad { try embedding(Tensor<Int64>([1])) }
        #expect(rows.requiresGrad == false)
    }

    @Test func plainLookupPassesGradientCheck() throws {
        let table = Tensor<Double>.randn([5, 3], generator: Generator(seed: 4))
        let ids = try CheckedIndices(Tensor<Int64>(shape: [2, 3], scalars: [4, 0, 4, 2, 2, 1]), rowCount: 5)
        let result = gradCheck(inputs: [table]) { variables in
            let rows = EmbeddingLookup.rows(of: variables[0], at: ids, options: .plain)
            return (rows * rows).sum(alongAxes: [2])
        }
        #expect(result.passed, "\(result)")
    }

    @Test func doubleLayerBackwardMatchesTheGradientCheckedLookup() throws {
        let embedding = Embedding<Double>(vocabularySize: 5, embeddingSize: 3, generator: Generator(seed: 4))
        let ids = Tensor<Int64>([1, 3, 1])
        let rows = try embedding(ids)
        (rows * rows).sum().backward()
        let table = embedding.weight.value
        var expected = Tensor<Double>.zeros([5, 3])
        for id in [1, 3, 1] {
            expected[id] = expected[id] + 2 * table[id]
        }
        #expect(embedding.weight.grad == expected)
    }

    @Test func resultsDoNotDependOnTheThreadCount() throws {
        // Enough distinct ids (about 1 700) that the per-row accumulation is split across threads too.
        let embedding = Embedding(vocabularySize: 5000, embeddingSize: 64, scaleGradientByFrequency: true,
                                  generator: Generator(seed: 2))
        let ids = Tensor<Int64>.randint(low: 0, high: 5000, shape: [32, 64], generator: Generator(seed: 3))
        let upstream = Tensor<Float>.randn([32, 64, 64], generator: Generator(seed: 5))
        func run(threads: Int) throws -> (Tensor<Float>, Tensor<Float>?) {
            try withMaximumThreadCount(threads) {
                embedding.weight.zeroGrad()
                let rows = try embedding(ids)
                rows.backward(gradient: upstream)
                return (rows.value, embedding.weight.grad)
            }
        }
        let single = try run(threads: 1), parallel = try run(threads: 4)
        #expect(single.0 == parallel.0)
        #expect(single.1 == parallel.1)
    }
}
