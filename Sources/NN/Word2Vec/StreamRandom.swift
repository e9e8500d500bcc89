/// A small, fast random number generator with numbered, independent streams: SplitMix64 (Steele,
/// Lea and Flood 2014) started from a state mixed out of a seed and a stream number.
///
/// Training on many threads needs randomness that does not depend on which thread draws it: give
/// each unit of work (a sentence, a batch) its own stream, numbered by its place in the data, and
/// the draws are the same whatever the thread count. Streams of different numbers start at
/// unrelated points of a 2⁶⁴-long sequence, so streams of any realistic length do not overlap.
/// It is not cryptographically secure, and its draws differ from PyTorch's `Generator`.
///
/// ```swift
/// var random = StreamRandom(seed: 42, stream: 7)
/// let word = random.next() % 100              // conforms to RandomNumberGenerator
/// let coin = Bool.random(using: &random)
/// ```
public struct StreamRandom: RandomNumberGenerator, Sendable {
    @usableFromInline var state: UInt64

    /// The stream `stream` of the generator seeded with `seed`.
    public init(seed: UInt64, stream: UInt64 = 0) {
        state = StreamRandom.mixed(seed &+ StreamRandom.mixed(stream &+ 0x632B_E59B_D9B4_E019))
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return StreamRandom.mixed(state)
    }

    /// SplitMix64's output function: a bijection of 64-bit words that spreads every input bit.
    @inlinable
    static func mixed(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
