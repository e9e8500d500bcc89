import Testing
@testable import NN

@Suite("EmbeddingBag")
struct EmbeddingBagTests {
    /// Rows [1, 2], [3, -1], [0, 5], [-2, 4], [6, 0].
    static let table = Tensor<Float>(shape: [5, 2], scalars: [1, 2, 3, -1, 0, 5, -2, 4, 6, 0])
    static let ids = Tensor<Int64>([1, 2, 4, 0, 3])
    static let offsets = Tensor<Int64>([0, 2])

    static func bag(_ mode: EmbeddingBagMode, paddingIndex: Int? = nil, includeLastOffset: Bool = false,
                    scaleGradientByFrequency: Bool = false) -> EmbeddingBag<Float> {
        EmbeddingBag(pretrained: table, freeze: false, mode: mode, paddingIndex: paddingIndex,
                     scaleGradientByFrequency: scaleGradientByFrequency, includeLastOffset: includeLastOffset)
    }

    // MARK: Forward

    @Test func sumModeAddsTheRowsOfEachBag() throws {
        let result = try Self.bag(.sum)(Self.ids, offsets: Self.offsets)
        #expect(result.value == Tensor(shape: [2, 2], scalars: [3, 4, 5, 6]))
    }

    @Test func meanModeAveragesTheRowsOfEachBag() throws {
        let result = try Self.bag(.mean)(Self.ids, offsets: Self.offsets)
        #expect(result.value == Tensor(shape: [2, 2], scalars: [1.5, 2, Float(5) / 3, 2]))
    }

    @Test func maxModeTakesTheElementwiseMaximum() throws {
        let result = try Self.bag(.max)(Self.ids, offsets: Self.offsets)
        #expect(result.value == Tensor(shape: [2, 2], scalars: [3, 5, 6, 4]))
    }

    @Test func meanIsTheDefaultMode() {
        #expect(EmbeddingBag(vocabularySize: 3, embeddingSize: 2, generator: Generator(seed: 0)).mode == .mean)
    }

    @Test func twoDimensionalIdsAreBagsOfFixedLength() throws {
        let bag = Self.bag(.sum)
        let fixed = try bag(Tensor<Int64>(nested: [[1, 2], [4, 0]]))
        let flat = try bag(Tensor<Int64>([1, 2, 4, 0]), offsets: Self.offsets)
        #expect(fixed.value == flat.value)
    }

    @Test func lastOffsetCanCloseTheLastBag() throws {
        let result = try Self.bag(.sum, includeLastOffset: true)(Self.ids, offsets: Tensor<Int64>([0, 2, 4]))
        #expect(result.value == Tensor(shape: [2, 2], scalars: [3, 4, 7, 2]))
    }

    @Test(arguments: [EmbeddingBagMode.sum, .mean, .max])
    func emptyBagGivesZeros(mode: EmbeddingBagMode) throws {
        let result = try Self.bag(mode)(Self.ids, offsets: Tensor<Int64>([0, 2, 2]))
        #expect(result.value[1].scalars == [0, 0])
    }

    @Test func noOffsetsGiveNoBags() throws {
        #expect(try Self.bag(.sum)(Self.ids, offsets: Tensor<Int64>.zeros([0])).shape == [0, 2])
    }

    @Test func meanDoesNotCountPadding() throws {
        let result = try Self.bag(.mean, paddingIndex: 0)(Tensor<Int64>([0, 1, 3]), offsets: Tensor<Int64>([0]))
        #expect(result.value.scalars == [0.5, 1.5])
    }

    @Test(arguments: [EmbeddingBagMode.sum, .mean, .max])
    func bagOfPaddingOnlyGivesZeros(mode: EmbeddingBagMode) throws {
        let result = try Self.bag(mode, paddingIndex: 2)(Tensor<Int64>([2, 2, 1]), offsets: Tensor<Int64>([0, 2]))
        #expect(result.value[0].scalars == [0, 0])
        #expect(result.value[1].scalars == [3, -1])
    }

    @Test func perSampleWeightsScaleTheRowsOfASum() throws {
        let weights = Variable(Tensor<Float>([2, 0.5, 1, 1, -1]))
        let result = try Self.bag(.sum)(Self.ids, offsets: Self.offsets, perSampleWeights: weights)
        #expect(result.value == Tensor(shape: [2, 2], scalars: [6, 0.5, 9, -2]))
    }

    @Test func int32IdsAndOffsetsGiveTheSameBags() throws {
        let bag = Self.bag(.mean)
        let wide = try bag(Self.ids, offsets: Self.offsets)
        let narrow = try bag(Tensor<Int32>([1, 2, 4, 0, 3]), offsets: Tensor<Int32>([0, 2]))
        #expect(wide.value == narrow.value)
    }

    @Test func maxNormRenormalisesTheReferencedRows() throws {
        let bag = EmbeddingBag(pretrained: Self.table, mode: .sum, maxNorm: 1)
        _ = try bag(Tensor<Int64>([4]), offsets: Tensor<Int64>([0]))
        #expect(bitPatterns(bag.weight.value[4]) == bitPatterns([Float(1 / (6 + 1e-7)) * 6, 0]))
        #expect(bitPatterns(bag.weight.value[0]) == bitPatterns([1, 2]))
    }

    @Test func seededTableEqualsTheEmbeddingTable() {
        let bag = EmbeddingBag(vocabularySize: 4, embeddingSize: 3, paddingIndex: 1, generator: Generator(seed: 8))
        let embedding = Embedding(vocabularySize: 4, embeddingSize: 3, paddingIndex: 1, generator: Generator(seed: 8))
        #expect(bitPatterns(bag.weight.value) == bitPatterns(embedding.weight.value))
        #expect(bag.namedParameters.map(\.name) == ["weight"])
    }

    @Test func sparseTableMarksItsParameterForOptimisers() {
        let bag = EmbeddingBag(pretrained: Self.table, mode: .sum, sparse: true)
        #expect(bag.isSparse)
        #expect(bag.weight.isSparse)
        #expect(Self.bag(.sum).weight.isSparse == false)
    }

    @Test func resultsDoNotDependOnTheThreadCount() throws {
        let bag = EmbeddingBag(vocabularySize: 200, embeddingSize: 128, mode: .max, generator: Generator(seed: 1))
        let ids = Tensor<Int64>.randint(low: 0, high: 200, shape: [600, 3], generator: Generator(seed: 2))
        let single = try withMaximumThreadCount(1) { try bag(ids).value }
        let parallel = try withMaximumThreadCount(4) { try bag(ids).value }
        #expect(single == parallel)
    }

    // MARK: Backward

    @Test func sumGradientGivesEachIdItsBagGradient() throws {
        let bag = Self.bag(.sum)
        let upstream = Tensor<Float>(shape: [2, 2], scalars: [1, 2, 3, 4])
        try bag(Self.ids, offsets: Self.offsets).backward(gradient: upstream)
        guard case .rows(let rows)? = bag.weight.gradient else {
            Issue.record("expected a row-sparse gradient")
            return
        }
        #expect(rows.rowIndices.scalars == [1, 2, 4, 0, 3])
        #expect(bag.weight.grad?.scalars == [3, 4, 1, 2, 1, 2, 3, 4, 3, 4])
    }

    @Test func meanGradientIsDividedByTheBagSize() throws {
        let bag = Self.bag(.mean, paddingIndex: 0)
        let upstream = Tensor<Float>(shape: [2, 2], scalars: [2, 4, 3, 6])
        try bag(Self.ids, offsets: Self.offsets).backward(gradient: upstream)
        #expect(bag.weight.grad?.scalars == [0, 0, 1, 2, 1, 2, 1.5, 3, 1.5, 3])
    }

    @Test func maxGradientGoesToTheWinningRowOfEachFeature() throws {
        let bag = Self.bag(.max)
        let upstream = Tensor<Float>(shape: [2, 2], scalars: [1, 2, 3, 4])
        try bag(Self.ids, offsets: Self.offsets).backward(gradient: upstream)
        #expect(bag.weight.grad?.scalars == [0, 0, 1, 0, 0, 2, 0, 4, 3, 0])
    }

    @Test func maxTieGivesTheGradientToTheEarlierRow() throws {
        let table = Tensor<Float>(shape: [2, 1], scalars: [5, 5])
        let bag = EmbeddingBag(pretrained: table, freeze: false, mode: .max)
        try bag(Tensor<Int64>([1, 0]), offsets: Tensor<Int64>([0])).sum().backward()
        #expect(bag.weight.grad?.scalars == [0, 1])
    }

    @Test func perSampleWeightsGetTheDotProductGradient() throws {
        let bag = Self.bag(.sum)
        let weights = Variable(Tensor<Float>([2, 0.5, 1, 1, -1]), requiresGrad: true)
        let upstream = Tensor<Float>(shape: [2, 2], scalars: [1, 2, 3, 4])
        try bag(Self.ids, offsets: Self.offsets, perSampleWeights: weights).backward(gradient: upstream)
        #expect(weights.grad?.scalars == [1, 10, 18, 11, 10])
        #expect(bag.weight.grad?.scalars == [3, 4, 2, 4, 0.5, 1, -3, -4, 3, 4])
    }

    @Test func scalingByFrequencyDividesByTheBatchCount() throws {
        let bag = Self.bag(.sum, scaleGradientByFrequency: true)
        let upstream = Tensor<Float>(shape: [2, 1], scalars: [1, 2]).expanded(to: [2, 2])
        try bag(Tensor<Int64>([1, 1, 1, 3]), offsets: Tensor<Int64>([0, 1])).backward(gradient: upstream)
        let third = Float(1.0 / 3)
        #expect(bag.weight.grad?.scalars == [0, 0, third + 2 * third + 2 * third, third + 2 * third + 2 * third,
                                             0, 0, 2, 2, 0, 0])
    }

    @Test func frozenTableGetsNoGradient() throws {
        let bag = EmbeddingBag(pretrained: Self.table, mode: .sum)
        let weights = Variable(Tensor<Float>.ones([5]), requiresGrad: true)
        try bag(Self.ids, offsets: Self.offsets, perSampleWeights: weights).sum().backward()
        #expect(bag.weight.grad == nil)
        #expect(weights.grad != nil)
    }

    @Test(arguments: [EmbeddingBagMode.sum, .mean, .max])
    func bagPassesGradientCheck(mode: EmbeddingBagMode) throws {
        // Rows far apart, so that finite differences never change which row wins a maximum.
        let table = Tensor<Double>(shape: [4, 3], scalars: [0, 1, 2, 10, -5, 3, 4, 8, -9, -3, 6, 7])
        let ids = Tensor<Int64>([1, 0, 3, 2, 2, 1])
        let result = gradCheck(inputs: [table]) { variables in
            let bags = EmbeddingBagOperation(table: variables[0], ids: ids, bagStarts: [0, 3, 3, 6], mode: mode,
                                             paddingIndex: 0, scaleGradientByFrequency: false)
                .apply(perSampleWeights: nil)
            return bags * bags
        }
        #expect(result.passed, "\(result)")
    }

    @Test func perSampleWeightedSumPassesGradientCheck() throws {
        let table = Tensor<Double>.randn([4, 3], generator: Generator(seed: 6))
        let weights = Tensor<Double>.randn([5], generator: Generator(seed: 7))
        let ids = Tensor<Int64>([1, 0, 3, 2, 1])
        let result = gradCheck(inputs: [table, weights]) { variables in
            let bags = EmbeddingBagOperation(table: variables[0], ids: ids, bagStarts: [0, 2, 5], mode: .sum,
                                             paddingIndex: 3, scaleGradientByFrequency: false)
                .apply(perSampleWeights: variables[1])
            return bags * bags
        }
        #expect(result.passed, "\(result)")
    }

    // MARK: Errors

    @Test func twoDimensionalIdsRejectOffsets() {
        #expect(throws: TensorError.invalidArgument(
            "if input is 2D, then offsets has to be nil, as input is treated is a mini-batch of fixed length "
                + "sequences. However, found offsets of type Tensor<Int64>")) {
            try Self.bag(.sum)(Tensor<Int64>(nested: [[1, 2]]), offsets: Self.offsets)
        }
    }

    @Test func flatIdsNeedOffsets() {
        #expect(throws: TensorError.invalidArgument("offsets has to be a 1D Tensor but got nil")) {
            try Self.bag(.sum)(Self.ids)
        }
    }

    @Test func offsetsMustBeOneDimensional() {
        #expect(throws: TensorError.invalidArgument("offsets has to be a 1D Tensor, got shape [1, 2]")) {
            try Self.bag(.sum)(Self.ids, offsets: Tensor<Int64>(nested: [[0, 2]]))
        }
    }

    @Test func idsMustBeOneOrTwoDimensional() {
        #expect(throws: TensorError.invalidArgument("input has to be 1D or 2D Tensor, but got Tensor of dimension 3")) {
            try Self.bag(.sum)(Tensor<Int64>.zeros([1, 1, 1]))
        }
    }

    @Test func firstOffsetMustBeZero() {
        #expect(throws: TensorError.invalidArgument(
            "offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from position 0. "
                + "However, got 1")) {
            try Self.bag(.sum)(Self.ids, offsets: Tensor<Int64>([1, 2]))
        }
    }

    @Test func lastOffsetCannotPassTheEnd() {
        #expect(throws: TensorError.invalidArgument(
            "offsets[-1] can not be greater than input's length 5 but got offsets[-1] of 6")) {
            try Self.bag(.sum)(Self.ids, offsets: Tensor<Int64>([0, 6]))
        }
    }

    @Test func offsetsMustNotDecrease() {
        #expect(throws: TensorError.invalidArgument(
            "offsets must be non-decreasing, but offsets[2] = 1 follows offsets[1] = 3")) {
            try Self.bag(.sum)(Self.ids, offsets: Tensor<Int64>([0, 3, 1, 4]))
        }
    }

    @Test func closingLastOffsetNeedsAnOffset() {
        #expect(throws: TensorError.invalidArgument(
            "offsets has to hold at least the end of the last bag when includeLastOffset is true")) {
            try Self.bag(.sum, includeLastOffset: true)(Self.ids, offsets: Tensor<Int64>.zeros([0]))
        }
    }

    @Test func perSampleWeightsNeedSumMode() {
        #expect(throws: TensorError.invalidArgument(
            "embedding_bag: per_sample_weights was not nil. per_sample_weights is only supported for mode .sum "
                + "(got mode .mean).")) {
            try Self.bag(.mean)(Self.ids, offsets: Self.offsets, perSampleWeights: Variable(Tensor<Float>.ones([5])))
        }
    }

    @Test func perSampleWeightsNeedTheIdShape() {
        #expect(throws: TensorError.invalidArgument(
            "embedding_bag: If per_sample_weights ([4]) is not nil, then it must have the same shape as the input ([5])")) {
            try Self.bag(.sum)(Self.ids, offsets: Self.offsets, perSampleWeights: Variable(Tensor<Float>.ones([4])))
        }
    }

    @Test func idPastTheVocabularyThrowsAndLeavesTheTableUnchanged() {
        let bag = EmbeddingBag(pretrained: Self.table, mode: .sum, maxNorm: 0.5)
        #expect(throws: TensorError.indexOutOfRange(index: 9, position: [1], bound: 5)) {
            try bag(Tensor<Int64>([0, 9]), offsets: Tensor<Int64>([0]))
        }
        #expect(bitPatterns(bag.weight.value) == bitPatterns(Self.table))
    }

    @Test func idsAreCheckedAgainstTheTableAsItIsNow() {
        let bag = EmbeddingBag(pretrained: Self.table, mode: .sum)
        bag.weight.value = Tensor<Float>.ones([2, Self.table.shape[1]])
        #expect(throws: TensorError.indexOutOfRange(index: 4, position: [1], bound: 2)) {
            try bag(Tensor<Int64>([0, 4]), offsets: Tensor<Int64>([0]))
        }
    }

    @Test func maxModeWithFrequencyScalingTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = EmbeddingBag(vocabularySize: 3, embeddingSize: 2, mode: .max, scaleGradientByFrequency: true,
                             generator: Generator(seed: 0))
        }
    }

    @Test func maxModeWithSparseGradientsTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = EmbeddingBag(vocabularySize: 3, embeddingSize: 2, mode: .max, sparse: true, generator: Generator(seed: 0))
        }
    }

    @Test func paddingIndexPastTheTableTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = EmbeddingBag(vocabularySize: 3, embeddingSize: 2, paddingIndex: 3, generator: Generator(seed: 0))
        }
    }
}
