/// word2vec's subsampling of frequent words: each occurrence of a word is dropped from training at
/// random, the more often the more frequent the word, so that "the" and "of" stop crowding out the
/// pairs that carry meaning (Mikolov et al. 2013).
///
/// With threshold `t` and `N` the total of the counts, a word seen `c` times is kept with
/// probability `min(1, (√(c / (t·N)) + 1) · t·N / c)`, the formula of word2vec's C tool and gensim;
/// words rarer than about `t·N` are always kept. A threshold of 0 keeps every word.
///
/// ```swift
/// let subsampler = FrequentWordSubsampler(counts: [60_000, 900, 40], threshold: 1e-3)
/// subsampler.keepProbability(of: 0)              // ≈ 0.0329: the most frequent word is mostly dropped
/// subsampler.keepProbability(of: 2)              // 1
/// var random = StreamRandom(seed: 1)
/// let kept = subsampler.keeps(0, using: &random)
/// ```
public struct FrequentWordSubsampler: Sendable {
    /// The threshold `t` (word2vec's `sample`; 1e-3 by default in the main job, 0 keeps everything).
    public let threshold: Double
    /// Word → its keep probability in units of 2⁻³² (2³² keeps always).
    private let keepThresholds: [UInt64]
    private let probabilities: [Double]

    /// A subsampler for words `0..<counts.count` with these counts.
    ///
    /// Traps when `threshold` is negative or not finite, or a count is negative.
    public init(counts: [Int], threshold: Double) {
        precondition(threshold >= 0 && threshold.isFinite,
                     "FrequentWordSubsampler: the threshold must be a non-negative number, got \(threshold)")
        precondition(counts.allSatisfy { $0 >= 0 }, "FrequentWordSubsampler: counts must not be negative")
        self.threshold = threshold
        let limit = threshold * Double(counts.reduce(0, +))
        probabilities = counts.map { count in
            guard threshold > 0, count > 0 else { return 1 }
            let ratio = Double(count) / limit
            return Swift.min(1, (ratio.squareRoot() + 1) / ratio)
        }
        keepThresholds = probabilities.map { UInt64(($0 * 4_294_967_296).rounded()) }
    }

    /// The number of words.
    public var count: Int { probabilities.count }

    /// The probability that an occurrence of `word` is kept.
    public func keepProbability(of word: Int) -> Double { probabilities[word] }

    /// Whether this occurrence of `word` is kept, decided by the high 32 bits of one draw.
    @inlinable
    public func keeps<Generator: RandomNumberGenerator>(_ word: Int, using generator: inout Generator) -> Bool {
        generator.next() >> 32 < thresholdAt(word)
    }

    @usableFromInline func thresholdAt(_ word: Int) -> UInt64 { keepThresholds[word] }
}
