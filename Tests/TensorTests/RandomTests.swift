import Foundation
import Dispatch
import Synchronization
import Testing
@testable import Tensor

/// Golden vectors from Fixtures/rng.json, a copy of reference/golden.json keys `rng`,
/// `seed_document_example` and `Embedding_50257x256_seed123` (torch 2.15.0, x86-64). Keys
/// named `seedS_…` were produced right after `torch.manual_seed(S)`, which a fresh
/// `Generator(seed: S)` reproduces.
private struct RandomGolden: Sendable, Decodable {
    /// A number or an arbitrarily nested list of numbers.
    indirect enum Numbers: Sendable, Decodable {
        case number(Double)
        case list([Numbers])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else {
                self = .list(try container.decode([Numbers].self))
            }
        }

        /// All numbers, row-major.
        var flattened: [Double] {
            switch self {
            case let .number(value): return [value]
            case let .list(items): return items.flatMap(\.flattened)
            }
        }

        /// One flattened list per top-level item.
        var rows: [[Double]] {
            guard case let .list(items) = self else { return [flattened] }
            return items.map(\.flattened)
        }
    }

    let rng: [String: Numbers]
    let seedDocumentExample: [String: Numbers]
    let embedding50257x256Seed123: [String: Numbers]

    enum CodingKeys: String, CodingKey {
        case rng
        case seedDocumentExample = "seed_document_example"
        case embedding50257x256Seed123 = "Embedding_50257x256_seed123"
    }

    // JSONDecoder, not JSONSerialization: the latter can be off by one ulp in Double parsing.
    static let shared: RandomGolden = {
        let url = Bundle.module.url(forResource: "Fixtures/rng", withExtension: "json")!
        return try! JSONDecoder().decode(RandomGolden.self, from: Data(contentsOf: url))
    }()

    func rng(_ key: String) -> [Double] { rng[key]!.flattened }
    func rngRows(_ key: String) -> [[Double]] { rng[key]!.rows }
}

/// Bitwise equality of float results with golden float32 values stored as exact doubles.
private func bitwiseEqual(_ values: [Float], _ golden: [Double]) -> Bool {
    values.count == golden.count && zip(values, golden).allSatisfy { $0.bitPattern == Float($1).bitPattern }
}

private func bitwiseEqual(_ values: [Double], _ golden: [Double]) -> Bool {
    values.count == golden.count && zip(values, golden).allSatisfy { $0.bitPattern == $1.bitPattern }
}

@Suite struct RandomTests {
    private let golden = RandomGolden.shared

    // MARK: Engine

    @Test func mersenneTwisterMatchesStdMt19937ForSeed5489() {
        var engine = MersenneTwister(seed: 5489)
        #expect((0..<3).map { _ in engine.random() } == [3_499_211_612, 581_869_302, 3_890_346_734])
    }

    @Test func mersenneTwisterMatchesStdMt19937ForSeed123() {
        var engine = MersenneTwister(seed: 123)
        #expect((0..<5).map { _ in engine.random() }
                == [2_991_312_382, 3_062_119_789, 1_228_959_102, 1_840_268_610, 974_319_580])
    }

    @Test func mersenneTwisterStaysExactAcrossStateRegenerations() {
        // The 10000th output of std::mt19937 with the default seed, fixed by the C++ standard.
        var engine = MersenneTwister(seed: 5489)
        for _ in 0..<9999 { _ = engine.random() }
        #expect(engine.random() == 4_123_659_995)
    }

    @Test func random64TakesTheFirstDrawAsTheHighWord() {
        var engine = MersenneTwister(seed: 5489)
        _ = engine.random()
        #expect(engine.random64() == UInt64(581_869_302) << 32 | 3_890_346_734)
    }

    // MARK: Seeding

    @Test func freshGeneratorUsesPyTorchDefaultSeed() {
        #expect(Generator().initialSeed == 67_280_421_310_721)
    }

    @Test func negativeSeedsWrapModulo2To64() {
        let wrapped = Generator()
        wrapped.manualSeed(-1)
        #expect(wrapped.initialSeed == UInt64.max)
        let direct = Generator(seed: 0xFFFF_FFFF)
        #expect((0..<8).map { _ in wrapped.randomUInt32() } == (0..<8).map { _ in direct.randomUInt32() })
    }

    @Test func seedsEqualModulo2To32GiveEqualStreams() {
        let large = Generator(seed: (1 << 32) + 5), small = Generator(seed: 5)
        #expect(large.initialSeed == (1 << 32) + 5)
        #expect(Tensor<Float>.randn([40], generator: large) == Tensor<Float>.randn([40], generator: small))
        #expect(Tensor<Float>.randn([3], generator: large) == Tensor<Float>.randn([3], generator: small))
    }

    @Test func manualSeedRestartsTheStreamAndDropsTheCachedNormal() {
        let generator = Generator(seed: 0)
        let first = Tensor<Float>.randn([1], generator: generator)
        generator.manualSeed(0)
        #expect(Tensor<Float>.randn([1], generator: generator) == first)
    }

    // MARK: Normal values

    @Test(arguments: [0, 123])
    func randnBelow16ElementsUsesDoubleBoxMuller(seed: UInt64) {
        let values = Tensor<Float>.randn([5], generator: Generator(seed: seed)).scalars
        #expect(bitwiseEqual(values, golden.rng("seed\(seed)_randn5_f32")))
    }

    @Test(arguments: [0, 123])
    func randnOf16ElementsIsOneAVX2Block(seed: UInt64) {
        let values = Tensor<Float>.randn([16], generator: Generator(seed: seed)).scalars
        #expect(bitwiseEqual(values, golden.rng("seed\(seed)_randn16_f32")))
    }

    @Test(arguments: [0, 123])
    func randnRedrawsTheLastBlockWhenNotAMultipleOf16(seed: UInt64) {
        let values = Tensor<Float>.randn([37], generator: Generator(seed: seed)).scalars
        #expect(bitwiseEqual(values, golden.rng("seed\(seed)_randn37_f32")))
    }

    @Test(arguments: [0, 123])
    func randnDoubleMatrixOf15ElementsUsesDoubleBoxMuller(seed: UInt64) {
        let values = Tensor<Double>.randn([3, 5], generator: Generator(seed: seed))
        #expect(values.shape == [3, 5])
        #expect(bitwiseEqual(values.scalars, golden.rng("seed\(seed)_randn3x5_f64")))
    }

    @Test func randnDoubleOf16ElementsTransformsWithDoublePrecision() {
        // normal_fill<double> pairs u[j] (radius) with u[j + 8] (angle), unlike the scalar path.
        let generator = Generator(seed: 0)
        let values = Tensor<Double>.randn([16], generator: Generator(seed: 0)).scalars
        let uniforms = generator.withState { state in (0..<16).map { _ in state.uniformDouble() } }
        for lane in 0..<8 {
            let radius = (-2 * Foundation.log(1 - uniforms[lane])).squareRoot()
            let theta = 2 * Double.pi * uniforms[lane + 8]
            #expect(values[lane] == radius * Foundation.cos(theta))
            #expect(values[lane + 8] == radius * Foundation.sin(theta))
        }
    }

    @Test(arguments: [0, 123])
    func embeddingWeightInitialisationIsRandn(seed: UInt64) {
        let weight = Tensor<Float>.randn([11, 7], generator: Generator(seed: seed))
        #expect(bitwiseEqual(weight.scalars, golden.rng("seed\(seed)_Embedding_11x7")))
    }

    @Test(arguments: [0, 123])
    func embeddingWithPaddingIndexIsRandnWithTheLastRowZeroed(seed: UInt64) {
        var weight = Tensor<Float>.randn([5, 4], generator: Generator(seed: seed))
        for column in 0..<4 { weight[element: [4, column]] = 0 }
        #expect(bitwiseEqual(weight.scalars, golden.rng("seed\(seed)_Embedding_5x4_pad-1")))
    }

    @Test func seedDocumentEmbeddingTableIsExact() {
        let weight = Tensor<Float>.randn([6, 3], generator: Generator(seed: 123))
        #expect(bitwiseEqual(weight.scalars, golden.seedDocumentExample["Embedding_6x3"]!.flattened))
        #expect(weight[element: [3, 0]] == -0.4014880061149597)
    }

    @Test(arguments: [0, 123])
    func cachedNormalSurvivesAVectorisedFill(seed: UInt64) {
        let generator = Generator(seed: seed)
        let rows = golden.rngRows("seed\(seed)_sequence_randn3_randn20_rand2")
        #expect(bitwiseEqual(Tensor<Float>.randn([3], generator: generator).scalars, rows[0]))
        #expect(bitwiseEqual(Tensor<Float>.randn([20], generator: generator).scalars, rows[1]))
        #expect(bitwiseEqual(Tensor<Float>.rand([2], generator: generator).scalars, rows[2]))
    }

    @Test func thirdScalarDrawReturnsTheSineCachedBeforeAVectorisedFill() {
        // randn(1); randn(16); randn(1): the last value is the r·sin θ of the first pair,
        // which is also element 1 of randn(5).
        let generator = Generator(seed: 0)
        let first = Tensor<Float>.randn([1], generator: generator)
        let block = Tensor<Float>.randn([16], generator: generator)
        let third = Tensor<Float>.randn([1], generator: generator)
        let expected = golden.rng("seed0_randn5_f32")
        #expect(bitwiseEqual(first.scalars + third.scalars, [expected[0], expected[1]]))

        let skipped = Generator(seed: 0)
        for _ in 0..<4 { _ = skipped.randomUInt32() }
        #expect(block == Tensor<Float>.randn([16], generator: skipped))
    }

    @Test func fullVocabularyEmbeddingMatchesPyTorch() {
        let golden = RandomGolden.shared.embedding50257x256Seed123.mapValues(\.flattened)
        let weight = Tensor<Float>.randn([50257, 256], generator: Generator(seed: 123))
        let values = weight.scalars
        #expect(bitwiseEqual(Array(values[0..<5]), golden["row0_first5"]!))
        #expect(bitwiseEqual(Array(values[256..<261]), golden["row1_first5"]!))
        #expect(bitwiseEqual(Array(values[(values.count - 5)...]), golden["lastrow_last5"]!))
        // Every element counts in these sums; one flipped last bit of a typical element moves
        // them by about 1e-7, far more than the summation-order difference to torch's sum.
        let (sum, absoluteSum) = compensatedSums(values)
        #expect(Swift.abs(sum - golden["sum_f64"]![0]) < 1e-8)
        #expect(Swift.abs(absoluteSum - golden["abs_sum_f64"]![0]) < 2e-8)
        // FNV-1a over all 12,865,792 bit patterns, computed with reference/emulators/vec_avx.py
        // after checking that it reproduces the three slices and both sums of that golden key.
        var digest: UInt64 = 0xCBF2_9CE4_8422_2325
        for value in values { digest = (digest ^ UInt64(value.bitPattern)) &* 0x100_0000_01B3 }
        #expect(digest == 0xBA9B_C587_1DCD_30BC)
    }

    private func compensatedSums(_ values: [Float]) -> (Double, Double) {
        var sum = 0.0, sumError = 0.0, absoluteSum = 0.0, absoluteError = 0.0
        func add(_ value: Double, _ total: inout Double, _ error: inout Double) {
            let next = total + value
            error += Swift.abs(total) >= Swift.abs(value) ? (total - next) + value : (value - next) + total
            total = next
        }
        for value in values {
            add(Double(value), &sum, &sumError)
            add(Double(Swift.abs(value)), &absoluteSum, &absoluteError)
        }
        return (sum + sumError, absoluteSum + absoluteError)
    }

    @Test func normalFillIsIdenticalForAnyThreadCount() {
        let serial = withMaximumThreadCount(1) { Tensor<Float>.randn([300_001], generator: Generator(seed: 7)) }
        let parallel = withMaximumThreadCount(4) { Tensor<Float>.randn([300_001], generator: Generator(seed: 7)) }
        #expect(serial == parallel)
    }

    @Test func meanAndStdAreOneFusedMultiplyAddOfTheStandardValue() {
        let standard = Tensor<Float>.randn([40], generator: Generator(seed: 3)).scalars
        var scaled = Tensor<Float>.zeros([40])
        scaled.fillNormal(mean: 0.25, std: 0.02, generator: Generator(seed: 3))
        #expect(scaled.scalars == standard.map { Float(0.25).addingProduct($0, Float(0.02)) })
    }

    @Test func fillNormalOnATransposedViewDrawsInStorageOrder() {
        // Non-contiguous: one double Box–Muller value per element, visiting storage in order.
        let expected = Generator(seed: 9)
        let storageOrder = Tensor<Float>.randn([10], generator: expected).scalars
            + Tensor<Float>.randn([10], generator: expected).scalars
        var view = Tensor<Float>.zeros([5, 4]).transposed()
        view.fillNormal(generator: Generator(seed: 9))
        #expect(view.shape == [4, 5])
        #expect(view.transposed().scalars == storageOrder)
    }

    @Test func rowRangeOfAContiguousTensorTakesTheVectorisedPath() {
        let base = Tensor<Float>.zeros([4, 8])
        var rows = base[.range(1..<3), .all]
        rows.fillNormal(generator: Generator(seed: 4))
        #expect(rows == Tensor<Float>.randn([2, 8], generator: Generator(seed: 4)))
        #expect(base == Tensor<Float>.zeros([4, 8]))
    }

    @Test func emptyTensorDrawsNothing() {
        let generator = Generator(seed: 0)
        #expect(Tensor<Float>.randn([0, 3], generator: generator).count == 0)
        #expect(Tensor<Float>.randn([1], generator: generator) == Tensor<Float>.randn([1], generator: Generator(seed: 0)))
    }

    @Test(arguments: [(5.0, 1.0), (-3.0, 2.0), (0.5, 0.25)])
    func normalFillWithMeanAndStdIsTheStandardFillScaledAndShifted(mean: Double, std: Double) {
        // fma(x, std, mean) with a power-of-two std is the exact product plus mean, one rounding:
        // the same as x·std + mean in float. Exercises the std = 1 loop and the general one.
        var filled = Tensor<Float>.zeros([4096])
        filled.fillNormal(mean: mean, std: std, generator: Generator(seed: 17))
        let standard = Tensor<Float>.randn([4096], generator: Generator(seed: 17)).scalars
        let expected = standard.map { $0 * Float(std) + Float(mean) }
        #expect(filled.scalars.map(\.bitPattern) == expected.map(\.bitPattern))
    }

    // MARK: Uniform values

    @Test(arguments: [0, 123])
    func randFloatUsesTheLow24BitsOfEachDraw(seed: UInt64) {
        let values = Tensor<Float>.rand([7], generator: Generator(seed: seed)).scalars
        #expect(bitwiseEqual(values, golden.rng("seed\(seed)_rand7_f32")))
    }

    @Test(arguments: [0, 123])
    func randDoubleUsesTheLow53BitsOf64BitDraws(seed: UInt64) {
        let values = Tensor<Double>.rand([4], generator: Generator(seed: seed)).scalars
        #expect(bitwiseEqual(values, golden.rng("seed\(seed)_rand4_f64")))
    }

    @Test func fillUniformScalesWithOneFusedMultiplyAdd() {
        let unit = Tensor<Float>.rand([50], generator: Generator(seed: 2)).scalars
        var scaled = Tensor<Float>.zeros([50])
        scaled.fillUniform(from: -0.1, to: 0.3, generator: Generator(seed: 2))
        let lower = Float(-0.1), width = Float(0.3) - Float(-0.1)
        #expect(scaled.scalars == unit.map { lower.addingProduct($0, width) })
    }

    @Test func fillUniformOnATransposedViewDrawsInStorageOrder() {
        let storageOrder = Tensor<Float>.rand([12], generator: Generator(seed: 5)).scalars
        var view = Tensor<Float>.zeros([3, 4]).transposed()
        view.fillUniform(generator: Generator(seed: 5))
        #expect(view.transposed().scalars == storageOrder)
    }

    // MARK: Integers

    @Test(arguments: [0, 123])
    func randintBelow2To28Uses32BitDraws(seed: UInt64) {
        let values = Tensor<Int64>.randint(low: 0, high: 10, shape: [6], generator: Generator(seed: seed))
        #expect(values.scalars == golden.rng("seed\(seed)_randint_0_10_x6").map { Int64($0) })
    }

    @Test(arguments: [0, 123])
    func randintFrom2To28Uses64BitDraws(seed: UInt64) {
        let values = Tensor<Int64>.randint(low: 0, high: 1 << 30, shape: [4], generator: Generator(seed: seed))
        #expect(values.scalars == golden.rng("seed\(seed)_randint_0_2p30_x4").map { Int64($0) })
    }

    @Test func randintInt32DrawsAsInt64Does() {
        let wide = Tensor<Int64>.randint(low: -5, high: 1 << 29, shape: [2, 3], generator: Generator(seed: 8))
        let narrow = Tensor<Int32>.randint(low: -5, high: 1 << 29, shape: [2, 3], generator: Generator(seed: 8))
        #expect(narrow.shape == [2, 3])
        #expect(narrow.scalars.map { Int64($0) } == wide.scalars)
        #expect(wide.scalars.allSatisfy { $0 >= -5 && $0 < 1 << 29 })
    }

    @Test(arguments: [0, 123])
    func randpermMatchesPyTorch(seed: UInt64) {
        let values = Tensor<Int64>.randperm(12, generator: Generator(seed: seed))
        #expect(values.scalars == golden.rng("seed\(seed)_randperm12").map { Int64($0) })
    }

    @Test func randpermOfOneElementDrawsNothing() {
        let generator = Generator(seed: 0)
        #expect(Tensor<Int64>.randperm(0, generator: generator).scalars == [])
        #expect(Tensor<Int64>.randperm(1, generator: generator).scalars == [0])
        #expect(generator.randomUInt32() == Generator(seed: 0).randomUInt32())
    }

    // MARK: Threads

    @Test func generatorsAreDeterministicPerGeneratorAcrossConcurrentTasks() async {
        let expected = (0..<6).map { Tensor<Float>.randn([100], generator: Generator(seed: UInt64($0))) }
        let results = await withTaskGroup(of: (Int, Tensor<Float>).self) { group in
            for seed in 0..<6 {
                group.addTask { (seed, Tensor<Float>.randn([100], generator: Generator(seed: UInt64(seed)))) }
            }
            var results = [Int: Tensor<Float>]()
            for await (seed, tensor) in group { results[seed] = tensor }
            return results
        }
        for seed in 0..<6 { #expect(results[seed] == expected[seed]) }
    }

    @Test func oneGeneratorSharedByConcurrentTasksHandsOutEachDrawOnce() async {
        let shared = Generator(seed: 11)
        let draws = await withTaskGroup(of: [UInt32].self) { group in
            for _ in 0..<4 {
                group.addTask { (0..<500).map { _ in shared.randomUInt32() } }
            }
            var all = [UInt32]()
            for await part in group { all += part }
            return all
        }
        let reference = Generator(seed: 11)
        #expect(draws.sorted() == (0..<2000).map { _ in reference.randomUInt32() }.sorted())
    }

    /// Tests of the default generator run inside `withManualSeed`, so that no other test's draws
    /// interleave with theirs.
    @Suite struct GlobalGenerator {
        @Test func manualSeedSeedsTheDefaultGenerator() {
            withManualSeed(123) {
                #expect(Generator.default.initialSeed == 123)
                let weight = Tensor<Float>.randn([6, 3])
                #expect(bitwiseEqual(weight.scalars, RandomGolden.shared.seedDocumentExample["Embedding_6x3"]!.flattened))
            }
        }

        @Test func explicitGeneratorLeavesTheDefaultUntouched() {
            withManualSeed(0) {
                _ = Tensor<Float>.randn([64], generator: Generator(seed: 5))
                _ = Tensor<Int64>.randperm(30, generator: Generator(seed: 5))
                #expect(bitwiseEqual(Tensor<Float>.rand([7]).scalars, RandomGolden.shared.rng("seed0_rand7_f32")))
            }
        }

        @Test func negativeGlobalSeedWraps() {
            withManualSeed(0) {
                manualSeed(-1)
                #expect(Generator.default.initialSeed == UInt64.max)
                manualSeed(Int64.min)
                #expect(Generator.default.initialSeed == 1 << 63)
            }
        }

        @Test func seededScopeIsIsolatedFromOtherDraws() {
            let inside = withManualSeed(123) { () -> [Float] in
                _ = Tensor<Float>.rand([3], generator: nil)
                return Tensor<Float>.randn([6, 3]).scalars
            }
            let generator = Generator(seed: 123)
            _ = Tensor<Float>.rand([3], generator: generator)
            let reference = Tensor<Float>.randn([6, 3], generator: generator)
            #expect(inside == reference.scalars)
        }

        @Test func concurrentThreadsCanShareTheProcessGenerator() {
            let total = Atomic<Int>(0)
            DispatchQueue.concurrentPerform(iterations: 8) { task in
                var count = 0
                for _ in 0..<20 {
                    count += task.isMultiple(of: 2)
                        ? Tensor<Float>.randn([37]).scalars.filter(\.isFinite).count
                        : Tensor<Double>.rand([5]).scalars.filter { $0 >= 0 && $0 < 1 }.count
                }
                total.add(count, ordering: .relaxed)
            }
            #expect(total.load(ordering: .relaxed) == 4 * 20 * 37 + 4 * 20 * 5)
    }
    }
}
