import Testing
import NN

/// Window `i` of this dataset has input `[i]`, so a batch's inputs are the sample indices.
private let tenSamples = SlidingWindowDataset(tokens: 0...10, maxLength: 1, stride: 1)

private func epoch(_ loader: DataLoader<SlidingWindowDataset>) -> [[Int64]] {
    loader.map { $0.input.scalars }
}

/// The next 32-bit draw of a generator seeded with `seed` after `draws` draws.
private func drawAfter(_ draws: Int, seed: UInt64) -> UInt32 {
    let generator = Generator(seed: seed)
    for _ in 0..<draws { _ = generator.randomUInt32() }
    return generator.randomUInt32()
}

@Suite struct DataLoaderTests {
    @Test func unshuffledBatchesTileTheSeedDocumentsDataset() {
        // create_dataloader_v1(raw_text, batch_size=8, max_length=4, stride=4, shuffle=False):
        // drop_last=True, windows taken in order.
        let dataset = SlidingWindowDataset(tokens: 0..<40, maxLength: 4, stride: 4)
        let batches = Array(DataLoader(dataset, batchSize: 8, shuffle: false, dropLast: true))
        #expect(batches.count == 1)
        #expect(batches[0].input.shape == [8, 4])
        #expect(batches[0].input.scalars == (0..<32).map(Int64.init))
        #expect(batches[0].target.scalars == (1...32).map(Int64.init))
    }

    @Test func textLoaderTokenizesAndBatchesLikeCreateDataloaderV1() {
        let text = String(repeating: "abcdefgh", count: 5)
        let loader = DataLoader(text: text, tokenizer: ByteTokenizer(), batchSize: 8, maxLength: 4, stride: 4, shuffle: false)
        let batches = Array(loader)
        #expect(batches.count == 1)
        #expect(batches[0].input.shape == [8, 4])
        #expect(batches[0].input[1].scalars == [101, 102, 103, 104])
        #expect(batches[0].target[1].scalars == [102, 103, 104, 97])
    }

    @Test func lastShortBatchIsKeptOrDropped() {
        #expect(epoch(DataLoader(tenSamples, batchSize: 4)).map(\.count) == [4, 4, 2])
        #expect(epoch(DataLoader(tenSamples, batchSize: 4, dropLast: true)).map(\.count) == [4, 4])
        #expect(DataLoader(tenSamples, batchSize: 4).count == 3)
        #expect(DataLoader(tenSamples, batchSize: 4, dropLast: true).count == 2)
    }

    // The global generator is shared by the whole test process, where other suites draw from it
    // concurrently; these tests therefore run in a process of their own (an exit test).

    @Test func shuffledEpochsMatchPyTorchWithTheGlobalGenerator() async {
        // pytorch-parity.md §A.4 (VERIFIED): manual_seed(123); DataLoader(range(10), batch_size=4,
        // shuffle=True) → [[8,2,6,7],[0,3,9,1],[5,4]]. The second epoch follows the same rule
        // (reference/emulators/mt.py driven as torch/utils/data/sampler.py).
        await #expect(processExitsWith: .success) {
            manualSeed(123)
            let loader = DataLoader(tenSamples, batchSize: 4, shuffle: true)
            precondition(epoch(loader) == [[8, 2, 6, 7], [0, 3, 9, 1], [5, 4]])
            precondition(epoch(loader) == [[5, 9, 2, 7], [8, 6, 4, 0], [1, 3]])
        }
    }

    @Test func shuffledEpochAdvancesTheGlobalGeneratorByFourDraws() async {
        await #expect(processExitsWith: .success) {
            manualSeed(123)
            _ = epoch(DataLoader(tenSamples, batchSize: 4, shuffle: true))
            precondition(Generator.default.randomUInt32() == drawAfter(4, seed: 123))
        }
    }

    @Test func everyEpochDrawsABaseSeedEvenWithoutShuffling() async {
        await #expect(processExitsWith: .success) {
            manualSeed(7)
            _ = epoch(DataLoader(tenSamples, batchSize: 4))
            precondition(Generator.default.randomUInt32() == drawAfter(2, seed: 7))
        }
    }

    @Test func givenGeneratorLeavesTheGlobalOneAlone() async {
        await #expect(processExitsWith: .success) {
            manualSeed(5)
            _ = epoch(DataLoader(tenSamples, batchSize: 4, shuffle: true, generator: Generator(seed: 42)))
            precondition(Generator.default.randomUInt32() == drawAfter(0, seed: 5))
        }
    }

    @Test func givenGeneratorOrdersEachEpoch() {
        // Emulated as above: base seed (64 bits) then randperm(10) from the generator itself.
        let loader = DataLoader(tenSamples, batchSize: 4, shuffle: true, generator: Generator(seed: 42))
        #expect(epoch(loader) == [[6, 5, 4, 0], [8, 9, 2, 1], [3, 7]])
        #expect(epoch(loader) == [[3, 6, 5, 8], [9, 4, 2, 0], [7, 1]])
    }

    @Test func runningOutOfSamplesDrawsOneMorePermutation() {
        // Per epoch of 10 samples: 2 draws of base seed, 9 for the order, 9 for the permutation
        // PyTorch's sampler computes and discards when it runs dry.
        let generator = Generator(seed: 42)
        _ = epoch(DataLoader(tenSamples, batchSize: 4, shuffle: true, generator: generator))
        #expect(generator.randomUInt32() == drawAfter(20, seed: 42))
    }

    @Test func droppedShortBatchStillRunsTheSamplerDry() {
        let generator = Generator(seed: 42)
        _ = epoch(DataLoader(tenSamples, batchSize: 3, shuffle: true, dropLast: true, generator: generator))
        #expect(generator.randomUInt32() == drawAfter(20, seed: 42))
    }

    @Test func epochLeftAfterTheFirstBatchDrawsNoMore() {
        let generator = Generator(seed: 42)
        var iterator = DataLoader(tenSamples, batchSize: 4, shuffle: true, generator: generator).makeIterator()
        _ = iterator.next()
        #expect(generator.randomUInt32() == drawAfter(11, seed: 42))
    }

    @Test func sameSeedGivesSameBatches() {
        let first = epoch(DataLoader(tenSamples, batchSize: 3, shuffle: true, generator: Generator(seed: 9)))
        let second = epoch(DataLoader(tenSamples, batchSize: 3, shuffle: true, generator: Generator(seed: 9)))
        #expect(first == second)
        #expect(Set(first.joined()) == Set(0..<10))
    }
}
