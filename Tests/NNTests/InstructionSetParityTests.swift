import Testing
@testable import NN

/// Every instruction-set level this CPU runs computes the same bits as the baseline, for every
/// kernel the C target holds: the normal fill, gathers and position sums, matrix products, the
/// softmax family, cross-entropy and every optimizer update. And the thread count changes nothing.
struct InstructionSetParityTests {
    /// The level every other is compared with: baseline on x86-64, NEON on arm64.
    let lowest = InstructionSet.supported[0]

    /// Everything one short training run produces, bit for bit.
    struct Outcome: Equatable {
        var parameters: [[UInt32]]
        var losses: [UInt32]

        /// How many parameter elements and losses differ from `other` (a readable failure).
        func differences(from other: Outcome) -> Int {
            zip(parameters, other.parameters).reduce(0) { $0 + zip($1.0, $1.1).filter { $0 != $1 }.count }
                + zip(losses, other.losses).filter { $0 != $1 }.count
                + (parameters.map(\.count) == other.parameters.map(\.count) ? 0 : 1)
        }
    }

    /// Seeded tables, three steps of token + position embedding → Linear → cross-entropy, with the
    /// optimizer `makeOptimizer` builds; returns every parameter and loss as bits.
    static func train(_ makeOptimizer: ([Parameter<Float>]) -> any Optimizer<Float>) throws -> Outcome {
        try withManualSeed(7) {
            let embedding = TokenAndPositionEmbedding(vocabularySize: 300, embeddingSize: 40, maxLength: 12)
            let head = Linear(inputSize: 40, outputSize: 300)
            let parameters = embedding.parameters + head.parameters
            let optimizer = makeOptimizer(parameters)
            let ids = Tensor<Int64>.randint(low: 0, high: 300, shape: [6, 12])
            let targets = Tensor<Int64>.randint(low: 0, high: 300, shape: [72])
            var losses: [UInt32] = []
            for _ in 0..<3 {
                optimizer.zeroGrad()
                let logits = head(try embedding(ids)).reshaped([72, 300])
                let loss = try crossEntropy(logits: logits, targets: targets)
                loss.backward()
                optimizer.step()
                losses.append(loss.value.scalar.bitPattern)
            }
            return Outcome(parameters: parameters.map { $0.value.scalars.map(\.bitPattern) }, losses: losses)
        }
    }

    static let optimizers: [(name: String, make: @Sendable ([Parameter<Float>]) -> any Optimizer<Float>)] = [
        ("SGD", { SGD(parameters: $0, learningRate: 0.3) }),
        ("SGD momentum nesterov decay", { SGD(parameters: $0, learningRate: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true) }),
        ("SGD dampening maximize", { SGD(parameters: $0, learningRate: 0.05, momentum: 0.5, dampening: 0.3, maximize: true) }),
        ("Adam AMSGrad", { Adam(parameters: $0, learningRate: 0.01, weightDecay: 0.001, amsgrad: true) }),
        ("AdamW", { AdamW(parameters: $0, learningRate: 0.01) }),
    ]

    @Test(arguments: optimizers.indices)
    func trainingIsBitIdenticalAtEveryLevelAndThreadCount(optimizer index: Int) throws {
        let make = Self.optimizers[index].make
        let reference = try withInstructionSet(lowest) { try withMaximumThreadCount(1) { try Self.train(make) } }
        for level in InstructionSet.supported {
            for threads in [1, 2, 4] {
                let outcome = try withInstructionSet(level) { try withMaximumThreadCount(threads) { try Self.train(make) } }
                #expect(outcome.differences(from: reference) == 0,
                        "\(Self.optimizers[index].name) at \(level) with \(threads) threads")
            }
        }
    }

    @Test func sparseAdamIsBitIdenticalAtEveryLevel() throws {
        func run() throws -> [UInt32] {
            try withManualSeed(3) {
                let table = Embedding(vocabularySize: 50, embeddingSize: 19, sparse: true)
                let optimizer = Adam(parameters: table.parameters, learningRate: 0.05)
                let ids = Tensor<Int64>.randint(low: 0, high: 50, shape: [4, 9])
                let upstream = Tensor<Float>.randn([4, 9, 19])
                for _ in 0..<3 {
                    optimizer.zeroGrad()
                    try table(ids).backward(gradient: upstream)
                    optimizer.step()
                }
                return table.weight.value.scalars.map(\.bitPattern)
            }
        }
        let reference = try withInstructionSet(lowest) { try run() }
        for level in InstructionSet.supported { #expect(try withInstructionSet(level) { try run() } == reference, "\(level)") }
    }

    @Test func normalFillAndSoftmaxFamilyAreBitIdenticalAtEveryLevel() {
        func run() -> [[UInt32]] {
            let normals = Tensor<Float>.randn([1000, 37], generator: Generator(seed: 11))
            var scaled = Tensor<Float>.zeros([4099])
            scaled.fillNormal(mean: -2, std: 0.3, generator: Generator(seed: 12))
            let logits = normals * 9
            return [normals, scaled, logits.softmax(axis: 1), logits.logSoftmax(axis: 0), logits.logSumExp(axis: 1),
                    logits.transposed().softmax(axis: 1)].map { $0.scalars.map(\.bitPattern) }
        }
        let reference = withInstructionSet(lowest) { run() }
        for level in InstructionSet.supported { #expect(withInstructionSet(level) { run() } == reference, "\(level)") }
    }

    @Test func doubleKernelsAreBitIdenticalAtEveryLevel() throws {
        func run() throws -> [UInt64] {
            try withManualSeed(5) {
                let embedding = TokenAndPositionEmbedding<Double>(vocabularySize: 30, embeddingSize: 9, maxLength: 5)
                let head = Linear<Double>(inputSize: 9, outputSize: 30)
                let optimizer = Adam(parameters: embedding.parameters + head.parameters, learningRate: 0.02, amsgrad: true)
                let ids = Tensor<Int64>.randint(low: 0, high: 30, shape: [3, 5])
                let targets = Tensor<Int64>.randint(low: 0, high: 30, shape: [15])
                for _ in 0..<2 {
                    optimizer.zeroGrad()
                    try crossEntropy(logits: head(try embedding(ids)).reshaped([15, 30]), targets: targets).backward()
                    optimizer.step()
                }
                return (embedding.parameters + head.parameters).flatMap { $0.value.scalars.map(\.bitPattern) }
            }
        }
        let reference = try withInstructionSet(lowest) { try run() }
        for level in InstructionSet.supported { #expect(try withInstructionSet(level) { try run() } == reference, "\(level)") }
    }

    @Test func askingForALevelThisCPUDoesNotRunTraps() async {
        await #expect(processExitsWith: .failure) {
            let missing = InstructionSet.allCases.first { !InstructionSet.supported.contains($0) }!
            _ = withInstructionSet(missing) { 0 }
        }
    }

    @Test func unsupportedLevelsAreNotListed() {
        #expect(InstructionSet.supported.first == (InstructionSet.supported.contains(.neon) ? .neon : .baseline))
        #expect(InstructionSet.supported.contains(InstructionSet.best))
        #expect(InstructionSet.supported.contains(InstructionSet.current))
        #expect(InstructionSet.supported == InstructionSet.supported.sorted())
        #expect(withInstructionSet(InstructionSet.supported[0]) { InstructionSet.current } == InstructionSet.supported[0])
    }
}
