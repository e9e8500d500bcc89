import Testing
import NN

// `DataLoader.sharded(rank:of:)`: each rank's loader yields its part of the batches one process
// would draw with `batchSize × ranks`. The ranks' loaders are driven one after another here (they
// exchange nothing); each has its own generator seeded alike, as each process of a job would.

/// `count` samples; sample i has input `[i]`, so a batch's input scalars are its sample indices.
private func samples(_ count: Int) -> SlidingWindowDataset {
    SlidingWindowDataset(tokens: 0...count, maxLength: 1, stride: 1)
}

/// The input and target scalars of each batch of `epochs` epochs, epoch by epoch.
private func batches(_ source: DataLoader<SlidingWindowDataset>, epochs: Int = 1) -> [[(input: [Int64], target: [Int64])]] {
    (0..<epochs).map { _ in source.map { (input: $0.input.scalars, target: $0.target.scalars) } }
}

/// Rank `rank` of `ranks`' loader of `batchSize` samples from `sampleCount` samples, with a
/// generator seeded 11.
private func shard(_ rank: Int, of ranks: Int, sampleCount: Int, batchSize: Int, shuffle: Bool,
                   dropLast: Bool = false, generator: Generator = Generator(seed: 11)) -> DataLoader<SlidingWindowDataset> {
    DataLoader(samples(sampleCount), batchSize: batchSize, shuffle: shuffle, dropLast: dropLast, generator: generator)
        .sharded(rank: rank, of: ranks)
}

@Suite struct ShardedDataLoaderTests {
    @Test(arguments: [false, true], [2, 3, 4])
    func theRanksBatchesInRankOrderAreTheUnshardedLoadersBatches(shuffle: Bool, ranks: Int) {
        let batchSize = 2, global = batchSize * ranks
        // A last batch of 0, `ranks`, `2 × ranks − 1` and `ranks + 1` samples: every rank gets some.
        for sampleCount in [3 * global, 3 * global + ranks, 3 * global + global - 1, 2 * global + ranks + 1] {
            let unsharded = batches(DataLoader(samples(sampleCount), batchSize: global, shuffle: shuffle,
                                               generator: Generator(seed: 11)), epochs: 2)
            let perRank = (0..<ranks).map { rank in
                batches(shard(rank, of: ranks, sampleCount: sampleCount, batchSize: batchSize, shuffle: shuffle), epochs: 2)
            }
            for epoch in 0..<2 {
                for rank in 0..<ranks {
                    #expect(perRank[rank][epoch].count == unsharded[epoch].count,
                            "\(sampleCount) samples, epoch \(epoch), rank \(rank)")
                }
                for (index, whole) in unsharded[epoch].enumerated() where perRank.allSatisfy({ $0[epoch].count > index }) {
                    let parts = perRank.map { $0[epoch][index] }
                    #expect(parts.flatMap(\.input) == whole.input, "\(sampleCount) samples, epoch \(epoch), batch \(index)")
                    #expect(parts.flatMap(\.target) == whole.target, "\(sampleCount) samples, epoch \(epoch), batch \(index)")
                    if whole.input.count == global {
                        #expect(parts.allSatisfy { $0.input.count == batchSize })
                    }
                }
            }
        }
    }

    @Test(arguments: [1, 2, 3, 4])
    func countIsTheNumberOfBatchesEachRankYields(ranks: Int) {
        let batchSize = 2, global = batchSize * ranks
        for dropLast in [false, true] {
            for sampleCount in 0...(3 * global + 1) {
                let unshardedCount = DataLoader(samples(sampleCount), batchSize: global, dropLast: dropLast).count
                let remainder = sampleCount % global
                let expected = unshardedCount - (!dropLast && remainder > 0 && remainder < ranks ? 1 : 0)
                for rank in 0..<ranks {
                    let loader = shard(rank, of: ranks, sampleCount: sampleCount, batchSize: batchSize, shuffle: false,
                                       dropLast: dropLast)
                    #expect(loader.count == expected, "\(sampleCount) samples, dropLast \(dropLast), rank \(rank)")
                    #expect(Array(loader).count == expected, "\(sampleCount) samples, dropLast \(dropLast), rank \(rank)")
                }
            }
        }
    }

    @Test func aShortLastBatchIsSplitIntoRunsOfMTimesROverNSamples() {
        // 10 samples, 3 ranks of 2: one batch of 6, then 4 samples split 4·r/3: [6], [7], [8, 9].
        let perRank = (0..<3).map { rank in
            batches(shard(rank, of: 3, sampleCount: 10, batchSize: 2, shuffle: false))[0].map(\.input)
        }
        #expect(perRank == [[[0, 1], [6]], [[2, 3], [7]], [[4, 5], [8, 9]]])
    }

    @Test(arguments: [2, 3, 4, 5])
    func everyShortLastBatchIsSplitTheSameWay(ranks: Int) {
        let batchSize = 3, global = batchSize * ranks
        for last in ranks..<global {
            let sampleCount = global + last
            for rank in 0..<ranks {
                let lastBatch = batches(shard(rank, of: ranks, sampleCount: sampleCount, batchSize: batchSize,
                                              shuffle: false))[0].last?.input
                let start = global + last * rank / ranks, end = global + last * (rank + 1) / ranks
                #expect(lastBatch == (start..<end).map(Int64.init), "last batch of \(last), rank \(rank)")
            }
        }
    }

    @Test func theEpochEndsWhenTheLastBatchHasFewerSamplesThanRanks() {
        // 8 samples, 3 ranks of 2: a batch of 6, then 2 samples for 3 ranks, which no rank gets.
        let perRank = (0..<3).map { rank in
            batches(shard(rank, of: 3, sampleCount: 8, batchSize: 2, shuffle: false))[0].map(\.input)
        }
        #expect(perRank == [[[0, 1]], [[2, 3]], [[4, 5]]])
        #expect(shard(1, of: 3, sampleCount: 8, batchSize: 2, shuffle: false).count == 1)
        #expect(DataLoader(samples(8), batchSize: 6).count == 2)
    }

    @Test func dropLastDropsTheShortLastBatchOnEveryRank() {
        let perRank = (0..<3).map { rank in
            batches(shard(rank, of: 3, sampleCount: 10, batchSize: 2, shuffle: true, dropLast: true))[0].count
        }
        #expect(perRank == [1, 1, 1])
    }

    @Test(arguments: [false, true], [false, true])
    func everyRankLeavesTheGeneratorAsTheUnshardedLoaderDoes(shuffle: Bool, dropLast: Bool) {
        // 3 ranks of 2: last batches of 0, 2 (< 3 ranks), 1 and 5 samples.
        for sampleCount in [12, 14, 13, 11] {
            let unshardedGenerator = Generator(seed: 11)
            _ = batches(DataLoader(samples(sampleCount), batchSize: 6, shuffle: shuffle, dropLast: dropLast,
                                   generator: unshardedGenerator), epochs: 2)
            let expected = unshardedGenerator.randomUInt32()
            for rank in 0..<3 {
                let generator = Generator(seed: 11)
                _ = batches(shard(rank, of: 3, sampleCount: sampleCount, batchSize: 2, shuffle: shuffle, dropLast: dropLast,
                                  generator: generator), epochs: 2)
                #expect(generator.randomUInt32() == expected, "\(sampleCount) samples, rank \(rank)")
            }
        }
    }

    @Test func shardingForAGroupTakesItsRankAndSizeAndKeepsTheOtherSettings() {
        let unsharded = DataLoader(samples(10), batchSize: 2, shuffle: true, dropLast: true, generator: Generator(seed: 1))
        #expect(unsharded.shard.rank == 0 && unsharded.shard.count == 1)
        let groups = ProcessGroup.local(size: 3)
        let sharded = unsharded.sharded(for: groups[2])
        #expect(sharded.shard.rank == 2 && sharded.shard.count == 3)
        #expect(sharded.batchSize == 2 && sharded.shuffle && sharded.dropLast)
        let single = unsharded.sharded(for: .single)
        #expect(single.shard.rank == 0 && single.shard.count == 1)
    }

    @Test func shardingOverOneRankChangesNothing() {
        let plain = batches(DataLoader(samples(11), batchSize: 4, shuffle: true, generator: Generator(seed: 3)), epochs: 2)
        let sharded = batches(shard(0, of: 1, sampleCount: 11, batchSize: 4, shuffle: true, generator: Generator(seed: 3)),
                              epochs: 2)
        #expect(sharded.map { $0.map(\.input) } == plain.map { $0.map(\.input) })
        #expect(sharded.map { $0.map(\.target) } == plain.map { $0.map(\.target) })
    }
}
