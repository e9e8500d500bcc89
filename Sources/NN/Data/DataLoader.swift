/// Batches of a ``Dataset``, in order or shuffled anew each epoch, as PyTorch's
/// `DataLoader(dataset, batch_size, shuffle, drop_last, generator)` with no worker processes.
///
/// Each `for batch in loader` is one epoch. Shuffled epochs consume random numbers exactly as
/// PyTorch does, so a program seeded like its PyTorch original sees the same batches and leaves
/// the generator in the same state:
/// - starting an epoch draws 64 bits (PyTorch's `_base_seed`) from `generator`, or from the
///   global generator when none is given — even when not shuffling;
/// - the first batch of a shuffled epoch draws the order: with a `generator`, `randperm(count)`
///   from it; without one, 64 more bits from the global generator seed a fresh generator that
///   draws the `randperm` (so the global generator advances by four 32-bit draws per epoch);
/// - running out of samples draws one more `randperm(count)` from that same generator (PyTorch's
///   sampler computes it and keeps none of it), which shows only when `generator` was given.
///
/// ```swift
/// manualSeed(123)
/// let dataset = SlidingWindowDataset(tokens: 0...10, maxLength: 1, stride: 1)
/// for (input, _) in DataLoader(dataset, batchSize: 4, shuffle: true) {
///     print(input.scalars)   // [8, 2, 6, 7], then [0, 3, 9, 1], then [5, 4]
/// }
/// ```
public struct DataLoader<Source: Dataset>: Sequence {
    /// The samples.
    public let dataset: Source
    /// The number of samples in each batch (the last one may hold fewer unless ``dropLast``).
    public let batchSize: Int
    /// Whether each epoch visits the samples in a fresh random order.
    public let shuffle: Bool
    /// Whether a last batch smaller than ``batchSize`` is left out.
    public let dropLast: Bool
    /// The generator that orders shuffled epochs; nil means the global generator.
    ///
    /// Spelled `NN.Generator` in this type because `Sequence` still declares an obsolete
    /// `Generator` alias of `Iterator`, which would otherwise win the name lookup.
    public let generator: NN.Generator?
    /// Which part of each batch this loader yields: rank `shard.rank` of `shard.count` ranks (see
    /// ``sharded(rank:of:)``); rank 0 of 1 unless sharded.
    public private(set) var shard: (rank: Int, count: Int) = (0, 1)

    /// A loader of `batchSize` samples at a time from `dataset`.
    public init(_ dataset: Source, batchSize: Int = 1, shuffle: Bool = false, dropLast: Bool = false,
                generator: NN.Generator? = nil) {
        precondition(batchSize >= 1, "batchSize must be at least 1, got \(batchSize)")
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.generator = generator
    }

    /// This rank's share of a data-parallel job: the loader draws the order of one process with
    /// batches of `batchSize × count` samples (the same random numbers, on every rank) and yields
    /// part `rank` of each such batch, `batchSize` samples, so that the ranks' batches in rank
    /// order are that process's batch. A last batch of m < `batchSize × count` samples (without
    /// ``dropLast``) is split into `count` runs of m·r/count ..< m·(r+1)/count; if m < `count`, some
    /// rank would get nothing, and the epoch ends there on every rank.
    ///
    /// Ranks that are processes draw alike from their own global generators when seeded alike.
    /// Ranks that are threads of one process (``ProcessGroup/local(size:)``) share the global
    /// generator: give each rank's loader its own `generator`, seeded alike.
    ///
    /// ```swift
    /// let dataset = SlidingWindowDataset(tokens: 0...8, maxLength: 1, stride: 1)
    /// let loader = DataLoader(dataset, batchSize: 2)
    /// loader.sharded(rank: 1, of: 2).map { $0.0.scalars }   // [[2, 3], [6, 7]]
    /// ```
    public func sharded(rank: Int, of count: Int) -> DataLoader {
        precondition(count >= 1 && (0..<count).contains(rank), "shard: rank \(rank) of \(count) ranks is not a rank")
        var copy = self
        copy.shard = (rank, count)
        return copy
    }

    /// This rank's share of each batch of `group`'s job (``sharded(rank:of:)`` with the group's
    /// rank and size).
    public func sharded(for group: ProcessGroup) -> DataLoader {
        sharded(rank: group.rank, of: group.size)
    }

    /// The number of samples one process's batch holds: every rank's together.
    private var globalBatchSize: Int { batchSize * shard.count }

    /// The number of batches in one epoch, as `len(loader)`.
    public var count: Int {
        let full = dataset.count / globalBatchSize, remainder = dataset.count % globalBatchSize
        return full + (dropLast || remainder < shard.count ? 0 : 1)
    }

    public var underestimatedCount: Int { count }

    /// Starts an epoch (drawing PyTorch's base seed, see ``DataLoader``).
    public func makeIterator() -> Iterator {
        _ = (generator ?? .default).randomUInt64()
        return Iterator(loader: self)
    }

    /// One epoch of batches.
    public struct Iterator: IteratorProtocol {
        private let loader: DataLoader
        private var order: [Int]?
        private var orderGenerator: NN.Generator?
        private var cursor = 0
        private var isFinished = false

        init(loader: DataLoader) {
            self.loader = loader
        }

        public mutating func next() -> Source.Batch? {
            if isFinished { return nil }
            let total = loader.dataset.count
            if order == nil { order = drawOrder(count: total) }
            let remaining = total - cursor
            let (rank, ranks) = loader.shard
            if remaining >= loader.globalBatchSize {
                let start = cursor + rank * loader.batchSize
                cursor += loader.globalBatchSize
                return loader.dataset.batch(at: Array(order![start..<(start + loader.batchSize)]))
            }
            // The sampler runs dry only when asked for a sample past the end: right after the last
            // full batch is taken nothing is drawn yet, as in PyTorch.
            isFinished = true
            if let orderGenerator { _ = Tensor<Int64>.randperm(total, generator: orderGenerator) }
            if remaining < ranks || loader.dropLast { return nil }
            cursor = total
            let base = total - remaining
            return loader.dataset.batch(at: Array(order![(base + remaining * rank / ranks)..<(base + remaining * (rank + 1) / ranks)]))
        }

        private mutating func drawOrder(count: Int) -> [Int] {
            guard loader.shuffle else { return Array(0..<count) }
            let source: NN.Generator
            if let generator = loader.generator {
                source = generator
            } else {
                // PyTorch's `RandomSampler` seeds a private generator with a non-negative int64
                // drawn from the global one; only its low 32 bits reach the engine.
                source = NN.Generator(seed: NN.Generator.default.randomUInt64() & UInt64(Int64.max))
            }
            orderGenerator = source
            return Tensor<Int64>.randperm(count, generator: source).scalars.map { Int($0) }
        }
    }
}

extension DataLoader: Sendable where Source: Sendable {}

extension DataLoader where Source == SlidingWindowDataset {
    /// Tokenizes `text` and batches its sliding windows, as the seed documents'
    /// `create_dataloader_v1(txt, batch_size=4, max_length=256, stride=128, shuffle=True,
    /// drop_last=True)` (same defaults).
    ///
    /// ```swift
    /// let loader = DataLoader(text: rawText, tokenizer: gpt2, batchSize: 8, maxLength: 4, stride: 4, shuffle: false)
    /// var batches = loader.makeIterator()                // data_iter = iter(dataloader)
    /// let (inputs, targets) = batches.next()!            // both [8, 4]
    /// ```
    public init(text: String, tokenizer: some Tokenizer, batchSize: Int = 4, maxLength: Int = 256, stride: Int = 128,
                shuffle: Bool = true, dropLast: Bool = true, generator: NN.Generator? = nil) {
        self.init(SlidingWindowDataset(tokens: tokenizer.encode(text), maxLength: maxLength, stride: stride),
                  batchSize: batchSize, shuffle: shuffle, dropLast: dropLast, generator: generator)
    }
}
