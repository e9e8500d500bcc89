/// A 64-bit hash of a byte string, for ``WordHashTable``.
///
/// Words are short, so the hash reads a word of up to 16 bytes with at most two loads (which
/// overlap for lengths between 4 and 16) and no loop, then mixes with two 64×64→128-bit
/// multiplications folded to 64 bits (high half xor low half), which spread every input bit
/// over every output bit. Longer strings fold in 16 bytes per step first. The value is the same
/// on every run (no random seed): the tables keyed by it order their entries by insertion, never
/// by hash, so nothing observable depends on it beyond speed.
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

    /// The hash of `string`'s bytes (nothing around them is read).
    @inline(__always)
    static func hash(_ string: UnsafeRawBufferPointer) -> UInt64 {
        let count = string.count
        guard let bytes = string.baseAddress, count > 0 else { return fold(golden ^ root3, golden ^ root5) }
        var state = golden ^ UInt64(truncatingIfNeeded: count)
        let first: UInt64, last: UInt64
        if count >= 8 {
            var offset = 0
            while count - offset > 16 {
                state = fold(bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self) ^ root2,
                             bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self) ^ state)
                offset += 16
            }
            first = bytes.loadUnaligned(fromByteOffset: count > 16 ? count - 16 : 0, as: UInt64.self)
            last = bytes.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        } else if count >= 4 {
            first = UInt64(bytes.loadUnaligned(as: UInt32.self))
            last = UInt64(bytes.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
        } else {
            // One to three bytes: the first, middle and last cover them all.
            first = UInt64(bytes.load(as: UInt8.self)) << 16
                | UInt64(bytes.load(fromByteOffset: count >> 1, as: UInt8.self)) << 8
                | UInt64(bytes.load(fromByteOffset: count - 1, as: UInt8.self))
            last = 0
        }
        return fold(fold(first ^ root2, last ^ state) ^ root3, state ^ root5)
    }
}
