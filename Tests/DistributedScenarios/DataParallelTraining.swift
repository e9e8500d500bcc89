import NN

/// A small training run that the equivalence checks repeat on N ranks and on one process: the
/// same data, model and optimizer, the ranks each taking their share of every batch.
///
/// The model is an embedding table (row-sparse gradients) whose rows are pulled towards a frozen
/// target table's rows by a mean squared error, with a `Linear` layer between them when
/// `withDenseLayer` is set (dense gradients). Rank r's table starts from its own seed, so only the
/// broadcast from rank 0 makes the ranks agree.
public struct DataParallelTraining: Sendable {
    public enum OptimizerKind: String, CaseIterable, Sendable {
        case sgdMomentum, sgdSparse, adam
    }

    public var optimizer: OptimizerKind
    public var withDenseLayer: Bool
    public var steps = 6
    public var vocabularySize = 40
    public var embeddingSize = 8
    public var windowLength = 3

    public init(optimizer: OptimizerKind, withDenseLayer: Bool) {
        self.optimizer = optimizer
        self.withDenseLayer = withDenseLayer
    }

    /// Trains on `group`'s share of batches of `globalBatchSize` windows (each rank
    /// `globalBatchSize / group.size`) and returns the trained parameters, table first.
    public func run(group: ProcessGroup, globalBatchSize: Int) throws -> [Tensor<Float>] {
        precondition(globalBatchSize % group.size == 0, "the global batch splits evenly over the ranks")
        let tokens = (0..<(steps * globalBatchSize * windowLength + 1)).map { ($0 * 7 + $0 / 5) % vocabularySize }
        let dataset = SlidingWindowDataset(tokens: tokens, maxLength: windowLength, stride: windowLength)
        let loader = DataLoader(dataset, batchSize: globalBatchSize / group.size, shuffle: true, dropLast: true,
                                generator: Generator(seed: 7)).sharded(for: group)
        let table = Embedding(vocabularySize: vocabularySize, embeddingSize: embeddingSize,
                              sparse: optimizer == .sgdSparse, generator: Generator(seed: 100 + UInt64(group.rank)))
        let targets = Embedding(pretrained: Tensor<Float>.randn([vocabularySize, embeddingSize], generator: Generator(seed: 5)))
        let dense = withDenseLayer
            ? Linear<Float>(inputSize: embeddingSize, outputSize: embeddingSize, generator: Generator(seed: 200 + UInt64(group.rank)))
            : nil
        let parameters = [table.weight] + (dense?.parameters ?? [])
        let base: any Optimizer<Float>
        switch optimizer {
        case .sgdMomentum: base = SGD(parameters: parameters, learningRate: 0.5, momentum: 0.9)
        case .sgdSparse: base = SGD(parameters: parameters, learningRate: 0.5)
        case .adam: base = Adam(parameters: parameters, learningRate: 0.05)
        }
        let distributed = try DistributedOptimizer(base, group: group)
        for (inputs, outputs) in loader {
            distributed.zeroGrad()
            var embedded = try table(inputs)
            if let dense { embedded = dense(embedded) }
            try mseLoss(embedded, targets(outputs).value).backward()
            distributed.step()
        }
        return parameters.map(\.value)
    }
}

extension DataParallelTraining {
    /// The largest difference allowed between a rank's dense parameters and one process's,
    /// relative to the largest magnitude of the parameter: per-rank partial sums round apart
    /// from one sum over the whole batch by a few units in the last place per step.
    public static let denseTolerance: Float = 1e-5

    /// What differs between the parameters trained by ranks and by one process: without a dense
    /// layer (row-sparse gradients only) every bit must match; with one, every parameter within
    /// ``denseTolerance`` (the dense layer's rounding reaches the table's gradient from the
    /// second step on). Empty when they agree.
    public func differences(distributed: [Tensor<Float>], reference: [Tensor<Float>]) -> [String] {
        var problems: [String] = []
        for (index, (trained, expected)) in zip(distributed, reference).enumerated() {
            let name = index == 0 ? "table" : "linear parameter \(index)"
            if !withDenseLayer {
                let differing = zip(trained.scalars, expected.scalars).filter { $0.bitPattern != $1.bitPattern }.count
                if differing > 0 { problems.append("\(name): \(differing) of \(trained.count) elements differ in bits") }
            } else {
                let scale = expected.scalars.map(abs).max() ?? 1
                let largest = zip(trained.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? 0
                if largest > Self.denseTolerance * scale {
                    problems.append("\(name): differs by \(largest), more than \(Self.denseTolerance) × \(scale)")
                }
            }
        }
        return problems
    }
}
