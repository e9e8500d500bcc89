/// Turns sentences of word ids into skip-gram and CBOW windows as word2vec does: frequent words
/// subsampled away first, then for each remaining word a window of random radius (the dynamic
/// window: 1 … `maximumRadius`, drawn uniformly, so nearer words are context more often), and
/// `negatives` noise words drawn once for the window.
///
/// Windows never cross a sentence's ends, and a word left without context (a one-word sentence)
/// makes no window. A noise word equal to the centre word is drawn again (up to 16 times), so a
/// window never takes its own target as noise. Every random choice of a sentence comes from the
/// generator passed in, in a fixed order: the keep-or-drop coin of each word, then for each window
/// its radius and its noise words. Give each sentence its own ``StreamRandom`` stream and the
/// windows are the same however the sentences are shared among threads.
///
/// ```swift
/// let counts = [900, 500, 300, 120, 80]
/// let sampler = ContextWindowSampler(maximumRadius: 5, negatives: 5,
///                                    subsampler: FrequentWordSubsampler(counts: counts, threshold: 1e-3),
///                                    noise: NegativeSampler(counts: counts))
/// var windows = ContextWindows(negativesPerWindow: 5)
/// var random = StreamRandom(seed: 42, stream: 0)
/// sampler.appendWindows(of: [3, 0, 4, 1, 2], to: &windows, using: &random)
/// ```
public struct ContextWindowSampler: Sendable {
    /// The largest distance from the centre word to a context word (word2vec's `window`).
    public let maximumRadius: Int
    /// Noise words per window.
    public let negatives: Int
    /// The subsampling of frequent words, or nil to keep every word.
    public let subsampler: FrequentWordSubsampler?
    /// The distribution noise words are drawn from.
    public let noise: NegativeSampler

    /// How often a noise word equal to the centre word is drawn again before it is kept (16), so
    /// that a vocabulary of one frequent word cannot loop forever.
    public static let redrawLimit = 16

    /// A sampler; traps unless `maximumRadius ≥ 1`, `negatives ≥ 0`, and the subsampler (when
    /// given) covers as many words as the noise distribution.
    public init(maximumRadius: Int, negatives: Int, subsampler: FrequentWordSubsampler?, noise: NegativeSampler) {
        precondition(maximumRadius >= 1, "ContextWindowSampler: maximumRadius must be at least 1, got \(maximumRadius)")
        precondition(negatives >= 0, "ContextWindowSampler: negatives must not be negative, got \(negatives)")
        precondition(subsampler == nil || subsampler!.count == noise.count,
                     "ContextWindowSampler: the subsampler covers \(subsampler?.count ?? 0) words, the noise \(noise.count)")
        self.maximumRadius = maximumRadius
        self.negatives = negatives
        self.subsampler = subsampler
        self.noise = noise
    }

    /// Appends the windows of `sentence` (word ids in `0..<noise.count`) to `windows`, whose
    /// `negativesPerWindow` must be ``negatives``; returns the number of words kept by subsampling.
    @inlinable @discardableResult
    public func appendWindows<Generator: RandomNumberGenerator>(
        of sentence: some Collection<Int32>, to windows: inout ContextWindows, using generator: inout Generator
    ) -> Int {
        if let kept = sentence.withContiguousStorageIfAvailable({ appendWindows(of: $0, to: &windows, using: &generator) }) {
            return kept
        }
        return Array(sentence).withUnsafeBufferPointer { appendWindows(of: $0, to: &windows, using: &generator) }
    }

    @usableFromInline @_specialize(where Generator == StreamRandom)
    func appendWindows<Generator: RandomNumberGenerator>(
        of sentence: UnsafeBufferPointer<Int32>, to windows: inout ContextWindows, using generator: inout Generator
    ) -> Int {
        precondition(windows.negativesPerWindow == negatives,
                     "the windows hold \(windows.negativesPerWindow) negatives each, the sampler draws \(negatives)")
        let wordCount = noise.count
        var kept = [Int32]()
        kept.reserveCapacity(sentence.count)
        for word in sentence {
            precondition(word >= 0 && Int(word) < wordCount, "word id \(word) is outside 0..<\(wordCount)")
            if subsampler?.keeps(Int(word), using: &generator) ?? true { kept.append(word) }
        }
        guard kept.count >= 2 else { return kept.count }
        var drawn = [Int32](repeating: 0, count: negatives)
        kept.withUnsafeBufferPointer { kept in
            drawn.withUnsafeMutableBufferPointer { drawn in
                for position in kept.indices {
                    let radius = 1 + Int(((generator.next() & 0xFFFF_FFFF) &* UInt64(maximumRadius)) >> 32)
                    let center = kept[position]
                    for k in 0..<negatives {
                        drawn[k] = Int32(noise.sample(avoiding: Int(center), redrawLimit: Self.redrawLimit,
                                                      using: &generator))
                    }
                    windows.appendWindow(center: center, sentence: kept,
                                         contexts: Swift.max(0, position - radius)..<Swift.min(kept.count, position + radius + 1),
                                         skipping: position, negatives: UnsafeBufferPointer(drawn))
                }
            }
        }
        return kept.count
    }
}
