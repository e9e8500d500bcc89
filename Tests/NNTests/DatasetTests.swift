import Testing
import NN

@Suite struct DatasetTests {
    @Test func windowCountFollowsGPTDatasetV1() {
        // `range(0, len(tokens) - max_length, stride)` in the seed documents' GPTDatasetV1.
        #expect(SlidingWindowDataset(tokens: 0..<40, maxLength: 4, stride: 4).count == 9)
        #expect(SlidingWindowDataset(tokens: 0..<10, maxLength: 4, stride: 1).count == 6)
        #expect(SlidingWindowDataset(tokens: 0..<10, maxLength: 4, stride: 3).count == 2)
        #expect(SlidingWindowDataset(tokens: 0..<4, maxLength: 4, stride: 1).isEmpty)
        #expect(SlidingWindowDataset(tokens: [Int](), maxLength: 2, stride: 1).isEmpty)
    }

    @Test func targetIsInputShiftedByOneToken() {
        let dataset = SlidingWindowDataset(tokens: [40, 367, 2885, 1464, 1807, 3619, 402, 271], maxLength: 4, stride: 1)
        #expect(dataset[0].input.scalars == [40, 367, 2885, 1464])
        #expect(dataset[0].target.scalars == [367, 2885, 1464, 1807])
        #expect(dataset[3].input.scalars == [1464, 1807, 3619, 402])
        #expect(dataset[3].target.scalars == [1807, 3619, 402, 271])
    }

    @Test func windowsStartEveryStrideTokens() {
        let dataset = SlidingWindowDataset(tokens: 0..<20, maxLength: 3, stride: 5)
        #expect(dataset.map { $0.input.scalars.first! } == [0, 5, 10, 15])
    }

    @Test func samplesAreViewsOfTheTokenStream() {
        let dataset = SlidingWindowDataset(tokens: 0..<10, maxLength: 4, stride: 2)
        #expect(dataset[2].input.sharesStorage(with: dataset.tokens))
        #expect(dataset[2].target.sharesStorage(with: dataset.tokens))
    }

    @Test func batchStacksWindowsInTheOrderGiven() {
        let dataset = SlidingWindowDataset(tokens: Array(100..<120), maxLength: 3, stride: 3)
        let batch = dataset.batch(at: [4, 0])
        #expect(batch.input.shape == [2, 3])
        #expect(batch.input.scalars == [112, 113, 114, 100, 101, 102])
        #expect(batch.target.scalars == [113, 114, 115, 101, 102, 103])
    }

    @Test func outOfRangeWindowTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = SlidingWindowDataset(tokens: 0..<10, maxLength: 4, stride: 4)[2]
        }
    }
}
