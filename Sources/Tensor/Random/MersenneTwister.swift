/// The 32-bit Mersenne Twister (mt19937) exactly as PyTorch's CPU generator runs it.
///
/// Seeding keeps the full 64-bit seed for ``seed`` but only its low 32 bits reach the engine, so
/// seeds equal modulo 2^32 give the same stream. The outputs are those of `std::mt19937`.
///
/// ```swift
/// var engine = MersenneTwister(seed: 5489)
/// engine.random()     // 3499211612
/// engine.random64()   // (581869302 << 32) | 3890346734: the first draw is the high word
/// ```
package struct MersenneTwister: Sendable {
    private static let stateCount = 624
    private static let shift = 397

    /// The seed this engine was created with, all 64 bits.
    package let seed: UInt64
    private var state: [UInt32]
    /// The next state word to temper; `stateCount` means the state must be regenerated first.
    private var nextIndex: Int

    /// An engine seeded as `at::mt19937(seed)`: only `seed & 0xffffffff` initialises the state.
    package init(seed: UInt64) {
        self.seed = seed
        var state = [UInt32](repeating: 0, count: Self.stateCount)
        state[0] = UInt32(truncatingIfNeeded: seed)
        for index in 1..<Self.stateCount {
            let previous = state[index - 1]
            state[index] = 1_812_433_253 &* (previous ^ (previous >> 30)) &+ UInt32(index)
        }
        self.state = state
        nextIndex = Self.stateCount
    }

    /// The next 32 uniformly distributed bits.
    @inline(__always)
    package mutating func random() -> UInt32 {
        if nextIndex == Self.stateCount { regenerate() }
        defer { nextIndex += 1 }
        return Self.tempered(state[nextIndex])
    }

    /// Writes `transform` of each of the next `count` draws to `output`: the values of `count`
    /// calls to ``random()``, produced a whole state run at a time so the loop vectorises.
    @inline(__always)
    mutating func generate<Element>(
        _ count: Int, into output: UnsafeMutablePointer<Element>, _ transform: (UInt32) -> Element
    ) {
        var written = 0
        while written < count {
            if nextIndex == Self.stateCount { regenerate() }
            let run = Swift.min(Self.stateCount - nextIndex, count - written)
            let first = nextIndex, destination = output + written
            state.withUnsafeBufferPointer { words in
                for offset in 0..<run { destination[offset] = transform(Self.tempered(words[first + offset])) }
            }
            nextIndex += run
            written += run
        }
    }

    @inline(__always)
    private static func tempered(_ word: UInt32) -> UInt32 {
        var word = word
        word ^= word >> 11
        word ^= (word << 7) & 0x9D2C_5680
        word ^= (word << 15) & 0xEFC6_0000
        word ^= word >> 18
        return word
    }

    /// Two draws joined as PyTorch's `random64()` joins them: the first is the high word.
    @inline(__always)
    package mutating func random64() -> UInt64 {
        let high = UInt64(random())
        let low = UInt64(random())
        return high << 32 | low
    }

    private mutating func regenerate() {
        let count = Self.stateCount, shift = Self.shift
        state.withUnsafeMutableBufferPointer { words in
            @inline(__always) func twisted(_ upper: UInt32, _ lower: UInt32) -> UInt32 {
                let mixed = (upper & 0x8000_0000) | (lower & 0x7FFF_FFFF)
                return (mixed >> 1) ^ (lower & 1 == 0 ? 0 : 0x9908_B0DF)
            }
            for index in 0..<(count - shift) {
                words[index] = words[index + shift] ^ twisted(words[index], words[index + 1])
            }
            for index in (count - shift)..<(count - 1) {
                words[index] = words[index + shift - count] ^ twisted(words[index], words[index + 1])
            }
            words[count - 1] = words[shift - 1] ^ twisted(words[count - 1], words[0])
        }
        nextIndex = 0
    }
}
