import Foundation
import Testing
import NN

/// The random pieces of word2vec's training examples: the stream generator, the noise
/// distribution, frequent-word subsampling and the dynamic window.
@Suite struct Word2VecSamplingTests {
    /// SplitMix64 from the state `mix(seed + mix(stream + 0x632BE59BD9B4E019))`, computed in Python:
    /// `M=2**64-1; mix=lambda z:(lambda z:(lambda z:z^(z>>31))((z^(z>>27))*0x94D049BB133111EB&M))((z^(z>>30))*0xBF58476D1CE4E5B9&M)`,
    /// then `state = (state + 0x9E3779B97F4A7C15) & M; print(hex(mix(state)))` three times.
    @Test func streamRandomIsSplitMix64FromAMixedSeed() {
        var random = StreamRandom(seed: 42, stream: 7)
        #expect([random.next(), random.next(), random.next()]
                 == [0x3CED_E419_4510_612F, 0xE5A7_EFDE_F050_40B2, 0xC105_ECCD_6C80_E9C2])
        var first = StreamRandom(seed: 0, stream: 0)
        #expect([first.next(), first.next()] == [0x8331_8A92_8240_0131, 0xD247_D392_1DF9_1BD3])
    }

    @Test func streamsOfOneSeedDiffer() {
        let firsts = (0..<1000).map { stream -> UInt64 in
            var random = StreamRandom(seed: 5, stream: UInt64(stream))
            return random.next()
        }
        #expect(Set(firsts).count == 1000)
    }

    @Test func noiseProbabilitiesFollowThePowerOfTheCounts() {
        let counts = [50, 30, 20, 0, 1]
        let noise = NegativeSampler(counts: counts)
        let weights = counts.map { pow(Double($0), 0.75) }
        let total = weights.reduce(0, +)
        for word in counts.indices {
            #expect(Swift.abs(noise.probability(of: word) - weights[word] / total) < 1e-15)
        }
        #expect(NegativeSampler(counts: counts, power: 1).probability(of: 0) == 50.0 / 101)
    }

    @Test func noiseDrawsMatchTheirProbabilities() {
        let counts = [1000, 400, 90, 7, 0, 3, 250]
        let noise = NegativeSampler(counts: counts)
        var random = StreamRandom(seed: 3)
        let draws = 700_000
        var seen = [Int](repeating: 0, count: counts.count)
        for _ in 0..<draws { seen[noise.sample(using: &random)] += 1 }
        #expect(seen[4] == 0)
        for word in counts.indices where counts[word] > 0 {
            let expected = noise.probability(of: word) * Double(draws)
            // Five standard deviations of a binomial count.
            let tolerance = 5 * (expected * (1 - noise.probability(of: word))).squareRoot()
            #expect(Swift.abs(Double(seen[word]) - expected) < tolerance, "word \(word): \(seen[word]) vs \(expected)")
        }
    }

    @Test func theSameRandomNumbersDrawTheSameNoise() {
        let noise = NegativeSampler(counts: (1...500).map { 10_000 / $0 })
        var first = StreamRandom(seed: 9, stream: 2), second = StreamRandom(seed: 9, stream: 2)
        let a = (0..<1000).map { _ in noise.sample(using: &first) }
        let b = (0..<1000).map { _ in noise.sample(using: &second) }
        #expect(a == b)
    }

    /// word2vec's and gensim's formula: kept with probability (√(c/(t·N)) + 1)·t·N/c, capped at 1.
    @Test func subsamplingKeepsFrequentWordsAsWord2VecDoes() {
        let counts = [60_000, 900, 40, 1]
        let subsampler = FrequentWordSubsampler(counts: counts, threshold: 1e-3)
        let limit = 1e-3 * Double(counts.reduce(0, +))
        let expected = (Double(60_000 / 1).squareRoot() / limit.squareRoot() + 1) * limit / 60_000
        #expect(Swift.abs(subsampler.keepProbability(of: 0) - expected) < 1e-15)
        #expect(subsampler.keepProbability(of: 2) == 1)
        #expect(subsampler.keepProbability(of: 3) == 1)
        var random = StreamRandom(seed: 1)
        let kept = (0..<200_000).filter { _ in subsampler.keeps(0, using: &random) }.count
        let mean = expected * 200_000
        #expect(Swift.abs(Double(kept) - mean) < 5 * (mean * (1 - expected)).squareRoot())
    }

    @Test func theDocumentedExamplesHoldTheirNumbers() {
        #expect(Swift.abs(NegativeSampler(counts: [50, 30, 20, 0]).probability(of: 0) - 0.458) < 5e-4)
        #expect(Swift.abs(FrequentWordSubsampler(counts: [60_000, 900, 40], threshold: 1e-3).keepProbability(of: 0) - 0.0329) < 5e-5)
        #expect(FrequentWordSubsampler(counts: [60_000, 900, 40], threshold: 1e-3).keepProbability(of: 2) == 1)
    }

    @Test func aZeroThresholdKeepsEveryWord() {
        let subsampler = FrequentWordSubsampler(counts: [1_000_000, 1], threshold: 0)
        var random = StreamRandom(seed: 1)
        #expect((0..<1000).allSatisfy { _ in subsampler.keeps(0, using: &random) })
        #expect(subsampler.keepProbability(of: 0) == 1)
    }

    /// A sampler without subsampling over ten equally frequent words.
    private func plainSampler(radius: Int, negatives: Int) -> ContextWindowSampler {
        ContextWindowSampler(maximumRadius: radius, negatives: negatives, subsampler: nil,
                             noise: NegativeSampler(counts: Array(repeating: 10, count: 10)))
    }

    @Test func everyWordGetsAWindowOfItsNeighboursWithinTheRadius() {
        let sampler = plainSampler(radius: 3, negatives: 2)
        let sentence: [Int32] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
        var windows = ContextWindows(negativesPerWindow: 2)
        var random = StreamRandom(seed: 11)
        let kept = sampler.appendWindows(of: sentence, to: &windows, using: &random)
        #expect(kept == 10 && windows.count == 10)
        for window in 0..<windows.count {
            let center = windows.outputIDs[window * 3]
            #expect(center == Int64(window))
            let contexts = Array(windows.contextIDs[windows.contextOffsets[window]..<windows.contextOffsets[window + 1]])
            // The contexts are the words at distance 1 … r on both sides, for one r in 1…3, in order.
            let radius = contexts.map { Swift.abs($0 - center) }.max()!
            #expect((1...3).contains(radius))
            let expected = (Swift.max(0, center - radius)...Swift.min(9, center + radius)).filter { $0 != center }
            #expect(contexts == expected, "window \(window)")
            #expect(windows.outputIDs[(window * 3 + 1)...(window * 3 + 2)].allSatisfy { $0 != center })
        }
    }

    @Test func theRadiusIsDrawnUniformly() {
        let sampler = plainSampler(radius: 5, negatives: 0)
        let sentence = [Int32](repeating: 1, count: 11)
        var tally = [Int](repeating: 0, count: 6)
        var random = StreamRandom(seed: 4)
        for _ in 0..<4000 {
            var windows = ContextWindows(negativesPerWindow: 0)
            sampler.appendWindows(of: sentence, to: &windows, using: &random)
            // The middle word sees r words on each side.
            tally[(windows.contextOffsets[6] - windows.contextOffsets[5]) / 2] += 1
        }
        #expect(tally[0] == 0)
        for radius in 1...5 { #expect(Swift.abs(tally[radius] - 800) < 120, "radius \(radius): \(tally[radius])") }
    }

    @Test func aSentenceOfOneWordMakesNoWindow() {
        var windows = ContextWindows(negativesPerWindow: 1)
        var random = StreamRandom(seed: 1)
        plainSampler(radius: 2, negatives: 1).appendWindows(of: [Int32(4)], to: &windows, using: &random)
        #expect(windows.count == 0 && windows.contextOffsets == [0])
    }

    @Test func subsampledWordsLeaveTheWindowsBeforeTheyAreBuilt() {
        // Word 0 is so frequent that it is almost always dropped: windows then span the words around it.
        let counts = [10_000_000, 1, 1, 1]
        let sampler = ContextWindowSampler(maximumRadius: 1, negatives: 0,
                                           subsampler: FrequentWordSubsampler(counts: counts, threshold: 1e-5),
                                           noise: NegativeSampler(counts: counts))
        var windows = ContextWindows(negativesPerWindow: 0)
        var random = StreamRandom(seed: 2)
        let kept = sampler.appendWindows(of: [1, 0, 0, 0, 2] as [Int32], to: &windows, using: &random)
        #expect(kept == 2)
        #expect(windows.contextIDs == [2, 1])
    }

    @Test func theSameStreamGivesTheSameWindows() {
        let counts = (1...50).map { 5000 / $0 }
        let sampler = ContextWindowSampler(maximumRadius: 5, negatives: 5,
                                           subsampler: FrequentWordSubsampler(counts: counts, threshold: 1e-2),
                                           noise: NegativeSampler(counts: counts))
        let sentence = (0..<300).map { Int32(($0 * 7919) % 50) }
        func windows(stream: UInt64) -> ContextWindows {
            var windows = ContextWindows(negativesPerWindow: 5)
            var random = StreamRandom(seed: 8, stream: stream)
            sampler.appendWindows(of: sentence, to: &windows, using: &random)
            return windows
        }
        let first = windows(stream: 3), again = windows(stream: 3), other = windows(stream: 4)
        #expect(first.outputIDs == again.outputIDs && first.contextIDs == again.contextIDs)
        #expect(first.outputIDs != other.outputIDs)
    }

    @Test func aSliceOfWindowsIsABatchOfItsOwn() {
        var windows = ContextWindows(negativesPerWindow: 1)
        windows.append(center: 1, contexts: [2, 3], negatives: [9])
        windows.append(center: 2, contexts: [1], negatives: [8])
        windows.append(center: 3, contexts: [1, 2, 4], negatives: [7])
        let slice = windows.windows(1..<3)
        #expect(slice.outputIDs == [2, 8, 3, 7])
        #expect(slice.contextIDs == [1, 1, 2, 4])
        #expect(slice.contextOffsets == [0, 1, 4])
        windows.removeAll()
        #expect(windows.count == 0 && windows.contextIDs.isEmpty)
    }

    @Test func linearDecayFallsFromTheInitialToTheFinalRate() {
        let schedule = LinearDecay(initial: 0.025, final: 0.0001)
        #expect(schedule.rate(atProgress: 0) == 0.025)
        #expect(schedule.rate(atProgress: 1) == 0.0001)
        #expect(Swift.abs(schedule.rate(atProgress: 0.5) - 0.01255) < 1e-15)
        #expect(schedule.rate(atProgress: 2) == 0.0001 && schedule.rate(atProgress: -1) == 0.025)
    }
}
