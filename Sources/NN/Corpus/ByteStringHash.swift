/// 64-bit hashes of byte strings, for ``WordHashTable``.
///
/// Most words are at most 8 bytes long, and those are hashed from their bytes as one integer
/// (the ``WordKey`` prefix) and their length, with one 64×64→128-bit multiplication folded to 64
/// bits (high half xor low half), which spreads every input bit over the output. Longer strings
/// fold in 16 bytes per step, then their last 16 bytes. The values are the same on every run (no
/// random seed): the tables keyed by them order their entries by insertion, never by hash, so
/// nothing observable depends on them beyond speed.
enum ByteStringHash {
    // Odd constants with irregular bit patterns (the fractional bits of the golden ratio and of
    // √2, √3, √5): any such constants would do.
    private static let golden: UInt64 = 0x9E37_79B9_7F4A_7C15
    private static let root2: UInt64 = 0x6A09_E667_F3BC_C909
    private static let root3: UInt64 = 0xBB67_AE85_84CA_A73B
    private static let root5: UInt64 = 0x3C6E_F372_FE94_F82B

    @inline(__always)
    private static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    /// The hash of a string of `count` bytes (at most 8) whose bytes, as a little-endian integer,
    /// are `prefix`.
    @inline(__always)
    static func hash(prefix: UInt64, count: Int) -> UInt64 {
        fold(prefix ^ root2, UInt64(truncatingIfNeeded: count) ^ golden)
    }

    /// The hash of the `count` bytes at `bytes`, more than 8.
    ///
    /// Precondition: the `count` bytes at `bytes` are readable (nothing around them is read).
    static func hash(longString bytes: UnsafeRawPointer, count: Int) -> UInt64 {
        var state = golden ^ UInt64(truncatingIfNeeded: count)
        var offset = 0
        while count - offset > 16 {
            state = fold(bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self) ^ root2,
                         bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self) ^ state)
            offset += 16
        }
        let first = bytes.loadUnaligned(fromByteOffset: max(count - 16, 0), as: UInt64.self)
        let last = bytes.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        return fold(fold(first ^ root3, last ^ state) ^ root5, state)
    }
}
