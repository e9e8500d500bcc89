import Foundation

/// Draws noise words for negative sampling: word `w` with probability proportional to
/// `count(w)^power` (word2vec's unigram distribution raised to 0.75), in constant time per draw.
///
/// The table is Walker's alias method (as Vose builds it): one uniform bucket and one biased coin
/// per draw, both from a single 64-bit random number, instead of word2vec's 10⁸-entry table or
/// gensim's binary search over cumulative counts. It is built in a fixed order, so the same counts
/// give the same draws for the same random numbers.
///
/// ```swift
/// let noise = NegativeSampler(counts: [50, 30, 20, 0])
/// var random = StreamRandom(seed: 1)
/// let word = noise.sample(using: &random)      // 0, 1 or 2; never 3 (count 0)
/// noise.probability(of: 0)                     // 50^0.75 / (50^0.75 + 30^0.75 + 20^0.75) ≈ 0.458
/// ```
public struct NegativeSampler: Sendable {
    /// The power the counts are raised to.
    public let power: Double
    private let probabilities: [Double]
    /// Bucket → the chance, in units of 2⁻³², that a draw landing in it keeps its own word.
    private let keepThresholds: [UInt64]
    /// Bucket → the word a draw that does not keep the bucket's word takes instead.
    private let aliases: [Int32]

    /// A sampler over words `0..<counts.count`, word `w` drawn with probability ∝ `counts[w]^power`.
    ///
    /// Traps when `counts` is empty, has more than `Int32.max` words, holds a negative count or only
    /// zeros, or when `power` is negative: the distribution would not exist.
    public init(counts: [Int], power: Double = 0.75) {
        precondition(!counts.isEmpty && counts.count <= Int(Int32.max),
                     "NegativeSampler needs between 1 and \(Int32.max) words, got \(counts.count)")
        precondition(power >= 0 && power.isFinite, "NegativeSampler: the power must be a non-negative number, got \(power)")
        precondition(counts.allSatisfy { $0 >= 0 }, "NegativeSampler: counts must not be negative")
        let weights = counts.map { $0 == 0 ? 0 : Double($0).pow(power) }
        let total = weights.reduce(0, +)
        precondition(total > 0, "NegativeSampler: every count is zero")
        self.power = power
        probabilities = weights.map { $0 / total }

        // Vose: scaled probabilities n·p; buckets below 1 are topped up by a word above 1, which
        // gives away what it filled. Lists are scanned in index order, so the table is deterministic.
        let n = counts.count
        var scaled = probabilities.map { $0 * Double(n) }
        var small: [Int] = [], large: [Int] = []
        for word in (0..<n).reversed() { if scaled[word] < 1 { small.append(word) } else { large.append(word) } }
        var thresholds = [UInt64](repeating: 1 << 32, count: n)
        var aliasOf = [Int32](repeating: 0, count: n)
        for word in 0..<n { aliasOf[word] = Int32(word) }
        while let lacking = small.popLast() {
            guard let giving = large.last else {
                thresholds[lacking] = 1 << 32   // rounding left it just under 1
                continue
            }
            thresholds[lacking] = UInt64((scaled[lacking] * 4_294_967_296).rounded())
            aliasOf[lacking] = Int32(giving)
            scaled[giving] -= 1 - scaled[lacking]
            if scaled[giving] < 1 {
                large.removeLast()
                small.append(giving)
            }
        }
        keepThresholds = thresholds
        aliases = aliasOf
    }

    /// The number of words.
    public var count: Int { probabilities.count }

    /// The probability that a draw gives `word`.
    public func probability(of word: Int) -> Double { probabilities[word] }

    /// One word, drawn with 64 random bits from `generator`: the low half picks the bucket, the
    /// high half tosses its coin.
    @inlinable
    public func sample<Generator: RandomNumberGenerator>(using generator: inout Generator) -> Int {
        let bits = generator.next()
        let bucket = Int(((bits & 0xFFFF_FFFF) &* UInt64(aliasCount)) >> 32)
        return bits >> 32 < thresholdsAt(bucket) ? bucket : Int(aliasAt(bucket))
    }

    /// A draw that is not `word`: drawn again while it equals `word`, at most `redrawLimit` times
    /// (so a distribution of one frequent word cannot loop forever), then kept whatever it is.
    /// word2vec's rule for the noise of a window: its centre word is not its own noise.
    ///
    /// ```swift
    /// let noise = NegativeSampler(counts: [90, 5, 5])
    /// var random = StreamRandom(seed: 1, stream: 0)
    /// let word = noise.sample(avoiding: 0, redrawLimit: 16, using: &random)   // almost always 1 or 2
    /// ```
    @inlinable
    public func sample<Generator: RandomNumberGenerator>(
        avoiding word: Int, redrawLimit: Int, using generator: inout Generator
    ) -> Int {
        var drawn = sample(using: &generator)
        var redraws = 0
        while drawn == word && redraws < redrawLimit {
            drawn = sample(using: &generator)
            redraws += 1
        }
        return drawn
    }

    @usableFromInline var aliasCount: Int { aliases.count }
    @usableFromInline func thresholdsAt(_ bucket: Int) -> UInt64 { keepThresholds[bucket] }
    @usableFromInline func aliasAt(_ bucket: Int) -> Int32 { aliases[bucket] }
}

extension Double {
    fileprivate func pow(_ exponent: Double) -> Double {
        exponent == 1 ? self : Foundation.pow(self, exponent)
    }
}
