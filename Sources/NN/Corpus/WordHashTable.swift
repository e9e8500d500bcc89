import Foundation

/// A set of words kept as bytes, numbered 0, 1, 2… in the order they were first inserted, with a
/// lookup by bytes that builds no `String`.
///
/// The counting pass looks up every word of the text here, and the encoding pass every word of
/// every epoch, so the table is built for that one operation: open addressing with linear
/// probing in a power-of-two array of 64-bit slots kept at most half full, each slot holding the
/// high half of its word's hash beside the word's number, so that a probe compares bytes only
/// when the hashes' halves agree (for a different word, one time in 2³²). The words' bytes sit
/// one after another in a single array, their numbers index the array of their start offsets.
struct WordHashTable: Sendable {
    /// 0 for an empty slot, else `hash & 0xFFFF_FFFF_0000_0000 | (number + 1)`.
    private var slots: [UInt64]
    /// Every word's bytes, in number order.
    private var arena: [UInt8] = []
    /// Word `n` is `arena[starts[n]..<starts[n + 1]]`.
    private var starts: [Int] = [0]

    private static let tagMask: UInt64 = 0xFFFF_FFFF_0000_0000
    private static let numberMask: UInt64 = 0x0000_0000_FFFF_FFFF

    /// An empty table with room for `minimumCapacity` words before it grows.
    init(minimumCapacity: Int = 0) {
        var slotCount = 1024
        while slotCount < 2 * minimumCapacity { slotCount *= 2 }
        slots = [UInt64](repeating: 0, count: slotCount)
    }

    /// The number of words.
    var count: Int { starts.count - 1 }

    /// The number of `word`, or nil when the table lacks it.
    @inline(__always)
    func number(of word: UnsafeRawBufferPointer) -> Int? {
        probe(word, hash: ByteStringHash.hash(word)).number
    }

    /// The number of `word`, added as the next number when the table lacks it.
    @inline(__always)
    mutating func insert(_ word: UnsafeRawBufferPointer) -> (number: Int, inserted: Bool) {
        let hash = ByteStringHash.hash(word)
        let (slot, found) = probe(word, hash: hash)
        if let found { return (found, false) }
        let number = count
        precondition(number < Int(Self.numberMask), "a word table holds fewer than 2³² words")
        arena.append(contentsOf: word)
        starts.append(arena.count)
        slots[slot] = hash & Self.tagMask | UInt64(number + 1)
        if count * 2 > slots.count { doubleSlots() }
        return (number, true)
    }

    /// The number of `word`, added as the next number when the table lacks it.
    mutating func insert(_ word: String) -> (number: Int, inserted: Bool) {
        var word = word
        return word.withUTF8 { insert(UnsafeRawBufferPointer($0)) }
    }

    /// The number of `word`, or nil when the table lacks it.
    func number(of word: String) -> Int? {
        var word = word
        return word.withUTF8 { number(of: UnsafeRawBufferPointer($0)) }
    }

    /// The bytes of word `number`, passed to `body`.
    func withBytes<Result>(of number: Int, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try arena.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[starts[number]..<starts[number + 1]])) }
    }

    /// Word `number` as a string (the table holds the bytes of well-formed UTF-8 only).
    func string(at number: Int) -> String {
        withBytes(of: number) { String(decoding: $0, as: UTF8.self) }
    }

    /// The slot holding `word`, with its number, or the empty slot where it would go.
    ///
    /// Precondition: `hash` is the hash of `word`.
    @inline(__always)
    private func probe(_ word: UnsafeRawBufferPointer, hash: UInt64) -> (slot: Int, number: Int?) {
        let count = word.count
        return slots.withUnsafeBufferPointer { slots in
            starts.withUnsafeBufferPointer { starts in
                arena.withUnsafeBytes { arena -> (slot: Int, number: Int?) in
                    let mask = slots.count - 1
                    let tag = hash & Self.tagMask
                    var slot = Int(truncatingIfNeeded: hash) & mask
                    while true {
                        let entry = slots[slot]
                        if entry == 0 { return (slot, nil) }
                        if entry & Self.tagMask == tag {
                            let number = Int(truncatingIfNeeded: entry & Self.numberMask) - 1
                            let start = starts[number]
                            if starts[number + 1] - start == count
                                && (count == 0 || Self.bytesEqual(arena.baseAddress! + start, word.baseAddress!, count: count)) {
                                return (slot, number)
                            }
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

    /// Whether the `count` bytes at `a` and at `b` are equal, compared inline (a call to
    /// `memcmp` costs more than the comparison of a short word).
    ///
    /// Precondition: `count` > 0 and the `count` bytes at `a` and at `b` are readable (nothing
    /// around them is read).
    @inline(__always)
    private static func bytesEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
        if count >= 8 {
            var offset = 0
            while count - offset > 8 {
                guard a.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                        == b.loadUnaligned(fromByteOffset: offset, as: UInt64.self) else { return false }
                offset += 8
            }
            return a.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
                == b.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        }
        if count >= 4 {
            return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
                && a.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
                    == b.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
        }
        for offset in 0..<count where a.load(fromByteOffset: offset, as: UInt8.self) != b.load(fromByteOffset: offset, as: UInt8.self) {
            return false
        }
        return true
    }

    /// Moves every word to a table of twice as many slots.
    private mutating func doubleSlots() {
        var grown = [UInt64](repeating: 0, count: slots.count * 2)
        let mask = grown.count - 1
        arena.withUnsafeBytes { arena in
            for number in 0..<count {
                let hash = ByteStringHash.hash(UnsafeRawBufferPointer(rebasing: arena[starts[number]..<starts[number + 1]]))
                var slot = Int(truncatingIfNeeded: hash) & mask
                while grown[slot] != 0 { slot = (slot + 1) & mask }
                grown[slot] = hash & Self.tagMask | UInt64(number + 1)
            }
        }
        slots = grown
    }
}
