import Foundation

/// A word as ``WordHashTable`` looks it up: its bytes, their first 8 as one integer, and the hash.
struct WordKey {
    /// The bytes (nil only for the empty word).
    let bytes: UnsafeRawPointer?
    let count: Int
    /// The first `min(count, 8)` bytes as a little-endian integer, zero above them.
    let prefix: UInt64
    let hash: UInt64

    /// The key of the `count` bytes at `bytes`, reading the 8 bytes at `bytes` in one load even
    /// when the word is shorter, which spares the branches of loads sized to the word.
    ///
    /// Precondition: `count >= 1`, and the `max(count, 8)` bytes at `bytes` are readable.
    @inline(__always)
    init(readingPast bytes: UnsafeRawPointer, count: Int) {
        let first = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        if count <= 8 {
            // The shift keeps the low `count` bytes: 56 bits for one byte, none for eight.
            let prefix = first & (~0 &>> UInt64(64 - 8 * count))
            self.init(bytes: bytes, count: count, prefix: prefix, hash: ByteStringHash.hash(prefix: prefix, count: count))
        } else {
            self.init(bytes: bytes, count: count, prefix: first,
                      hash: ByteStringHash.hash(longString: bytes, count: count))
        }
    }

    /// The key of `word`, reading nothing outside it.
    init(_ word: UnsafeRawBufferPointer) {
        if let base = word.baseAddress, word.count >= 8 {
            self.init(readingPast: base, count: word.count)
            return
        }
        var padded: UInt64 = 0
        withUnsafeMutableBytes(of: &padded) { $0.copyMemory(from: word) }
        let prefix = UInt64(littleEndian: padded)
        self.init(bytes: word.baseAddress, count: word.count, prefix: prefix,
                  hash: ByteStringHash.hash(prefix: prefix, count: word.count))
    }

    @inline(__always)
    private init(bytes: UnsafeRawPointer?, count: Int, prefix: UInt64, hash: UInt64) {
        self.bytes = bytes
        self.count = count
        self.prefix = prefix
        self.hash = hash
    }
}

/// A set of words kept as bytes, numbered 0, 1, 2… in the order they were first inserted, with a
/// lookup by bytes that builds no `String`.
///
/// The counting pass looks up every word of the text here, and the encoding pass every word of
/// every epoch, so the table is built for that one operation: open addressing with linear
/// probing in a power-of-two array of 16-byte slots kept at most half full. A slot holds its
/// word's first 8 bytes beside its length and number, so finding a word of up to 8 bytes (most
/// words) compares two integers and reads nothing else; a longer word's remaining bytes are
/// compared with the copy kept in one array of every word's bytes, one after another.
struct WordHashTable: Sendable {
    /// Slot `s` is `slots[2s]`, the word's ``WordKey/prefix``, and `slots[2s + 1]`, its length
    /// in the high 32 bits and its number + 1 in the low 32 (0 for an empty slot).
    private var slots: [UInt64]
    /// Every word's bytes, in number order.
    private var arena: [UInt8] = []
    /// Word `n` is `arena[starts[n]..<starts[n + 1]]`.
    private var starts: [Int] = [0]

    /// An empty table with room for `minimumCapacity` words before it grows.
    init(minimumCapacity: Int = 0) {
        var slotCount = 1024
        while slotCount < 2 * minimumCapacity { slotCount *= 2 }
        slots = [UInt64](repeating: 0, count: 2 * slotCount)
    }

    /// The number of words.
    var count: Int { starts.count - 1 }

    /// The number of the word of `key`, or nil when the table lacks it.
    @inline(__always)
    func number(of key: WordKey) -> Int? { probe(key).number }

    /// The number of the word of `key`, added as the next number when the table lacks it.
    @inline(__always)
    mutating func insert(_ key: WordKey) -> (number: Int, inserted: Bool) {
        let (slot, found) = probe(key)
        if let found { return (found, false) }
        let number = count
        precondition(number < Int(UInt32.max) - 1 && key.count <= Int(UInt32.max),
                     "a word table holds fewer than 2³² words, each shorter than 4 GiB")
        arena.append(contentsOf: UnsafeRawBufferPointer(start: key.bytes, count: key.count))
        starts.append(arena.count)
        slots[2 * slot] = key.prefix
        slots[2 * slot + 1] = Self.slotMetadata(count: key.count, number: number)
        if count * 2 > slots.count / 2 { doubleSlots() }
        return (number, true)
    }

    /// The number of `word`, added as the next number when the table lacks it.
    mutating func insert(_ word: String) -> (number: Int, inserted: Bool) {
        var word = word
        return word.withUTF8 { insert(WordKey(UnsafeRawBufferPointer($0))) }
    }

    /// The number of `word`, or nil when the table lacks it.
    func number(of word: String) -> Int? {
        var word = word
        return word.withUTF8 { number(of: WordKey(UnsafeRawBufferPointer($0))) }
    }

    /// The bytes of word `number`, passed to `body`.
    func withBytes<Result>(of number: Int, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try arena.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[starts[number]..<starts[number + 1]])) }
    }

    /// Word `number` as a string (the table holds the bytes of well-formed UTF-8 only).
    func string(at number: Int) -> String {
        withBytes(of: number) { String(decoding: $0, as: UTF8.self) }
    }

    @inline(__always)
    private static func slotMetadata(count: Int, number: Int) -> UInt64 {
        UInt64(truncatingIfNeeded: count) << 32 | UInt64(truncatingIfNeeded: number + 1)
    }

    /// The slot holding the word of `key`, with its number, or the empty slot where it would go.
    @inline(__always)
    private func probe(_ key: WordKey) -> (slot: Int, number: Int?) {
        slots.withUnsafeBufferPointer { slots -> (slot: Int, number: Int?) in
            let mask = slots.count / 2 - 1
            let length = UInt64(truncatingIfNeeded: key.count)
            var slot = Int(truncatingIfNeeded: key.hash) & mask
            while true {
                let metadata = slots[2 * slot + 1]
                if metadata == 0 { return (slot, nil) }
                if metadata >> 32 == length && slots[2 * slot] == key.prefix {
                    let number = Int(truncatingIfNeeded: metadata & 0xFFFF_FFFF) - 1
                    if key.count <= 8 || restEqual(of: number, key) { return (slot, number) }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Whether the bytes of word `number` after the first 8 equal those of `key`'s word, of the
    /// same length, longer than 8 bytes.
    private func restEqual(of number: Int, _ key: WordKey) -> Bool {
        arena.withUnsafeBytes { arena in
            memcmp(arena.baseAddress! + starts[number] + 8, key.bytes! + 8, key.count - 8) == 0
        }
    }

    /// Moves every word to a table of twice as many slots.
    private mutating func doubleSlots() {
        var grown = [UInt64](repeating: 0, count: slots.count * 2)
        let mask = grown.count / 2 - 1
        arena.withUnsafeBytes { arena in
            for number in 0..<count {
                let key = WordKey(UnsafeRawBufferPointer(rebasing: arena[starts[number]..<starts[number + 1]]))
                var slot = Int(truncatingIfNeeded: key.hash) & mask
                while grown[2 * slot + 1] != 0 { slot = (slot + 1) & mask }
                grown[2 * slot] = key.prefix
                grown[2 * slot + 1] = Self.slotMetadata(count: key.count, number: number)
            }
        }
        slots = grown
    }
}
