import Foundation

/// The merge rules of a byte-pair encoding as a flat open-addressing table from a pair of symbol
/// ids to its rank and the id it merges into: the encoder looks a pair up for every adjacent pair
/// of every new piece, so the table is built for that (one multiply and a probe or two, no hashing
/// of a generic key).
struct BytePairMergeTable: Sendable {
    private let keys: [UInt64]
    private let ranks: [UInt32]
    private let mergedIDs: [Int32]
    private let shift: UInt64

    /// The rank of a pair that has no rule.
    static let unmerged = UInt32.max
    private static let emptyKey = UInt64.max

    /// `rules[rank]` = (left id, right id, merged id); the first rule for a pair wins.
    init(rules: [(left: Int, right: Int, merged: Int)]) {
        var capacityBits: UInt64 = 4
        while (1 << capacityBits) < 2 * Swift.max(rules.count, 1) { capacityBits += 1 }
        let capacity = 1 << Int(capacityBits)
        var keys = [UInt64](repeating: Self.emptyKey, count: capacity)
        var ranks = [UInt32](repeating: Self.unmerged, count: capacity)
        var mergedIDs = [Int32](repeating: -1, count: capacity)
        let shift = 64 - capacityBits
        for (rank, rule) in rules.enumerated() {
            let key = Self.key(rule.left, rule.right)
            var slot = Self.slot(of: key, shift: shift)
            while keys[slot] != Self.emptyKey && keys[slot] != key { slot = (slot + 1) & (capacity - 1) }
            if keys[slot] == key { continue }
            keys[slot] = key
            ranks[slot] = UInt32(rank)
            mergedIDs[slot] = Int32(rule.merged)
        }
        self.keys = keys
        self.ranks = ranks
        self.mergedIDs = mergedIDs
        self.shift = shift
    }

    @inline(__always)
    private static func key(_ left: Int, _ right: Int) -> UInt64 { UInt64(UInt32(left)) << 32 | UInt64(UInt32(right)) }

    @inline(__always)
    private static func slot(of key: UInt64, shift: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// Calls `body` with a view of the table over its raw storage, for loops that look up many pairs.
    @inline(__always)
    private func withLookup<Result>(_ body: (Lookup) -> Result) -> Result {
        keys.withUnsafeBufferPointer { keys in
            ranks.withUnsafeBufferPointer { ranks in
                mergedIDs.withUnsafeBufferPointer { mergedIDs in
                    body(Lookup(keys: keys.baseAddress!, ranks: ranks.baseAddress!, mergedIDs: mergedIDs.baseAddress!,
                                mask: keys.count - 1, shift: shift))
                }
            }
        }
    }

    /// The table's arrays as pointers. Kernel precondition: valid while the table's arrays are.
    private struct Lookup {
        let keys: UnsafePointer<UInt64>
        let ranks: UnsafePointer<UInt32>
        let mergedIDs: UnsafePointer<Int32>
        let mask: Int
        let shift: UInt64

        /// The rank of the rule merging `left` and `right` (``unmerged`` when there is none) and
        /// the id it makes.
        @inline(__always)
        func rule(_ left: Int32, _ right: Int32) -> (rank: UInt32, merged: Int32) {
            let key = BytePairMergeTable.key(Int(left), Int(right))
            var slot = BytePairMergeTable.slot(of: key, shift: shift)
            while true {
                let found = keys[slot]
                if found == key { return (ranks[slot], mergedIDs[slot]) }
                if found == BytePairMergeTable.emptyKey { return (BytePairMergeTable.unmerged, -1) }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Merges `symbols[0..<count]` in place as GPT-2's `bpe()` does — the adjacent pair of lowest
    /// rank first (the leftmost of equals), until no pair has a rule — and returns the new count.
    ///
    /// Each pair's rank is kept beside it, so a merge scans for the minimum and looks up only the
    /// two pairs it changed: long pieces (a line of Chinese is one piece) stay cheap.
    ///
    /// Kernel precondition: `symbols` and `pairRanks` address at least `count` elements.
    func merge(_ symbols: UnsafeMutablePointer<Int32>, count initialCount: Int,
               pairRanks: UnsafeMutablePointer<UInt32>) -> Int {
        if initialCount < 2 { return initialCount }
        return withLookup { table in
            var count = initialCount
            for index in 0..<(count - 1) { pairRanks[index] = table.rule(symbols[index], symbols[index + 1]).rank }
            while count > 1 {
                var best = 0
                var bestRank = pairRanks[0]
                var index = 1
                while index < count - 1 {
                    if pairRanks[index] < bestRank {
                        best = index
                        bestRank = pairRanks[index]
                    }
                    index += 1
                }
                if bestRank == Self.unmerged { break }
                symbols[best] = table.rule(symbols[best], symbols[best + 1]).merged
                // Close the gap left by the right symbol and by its pair.
                let tail = count - best - 2
                if tail > 0 {
                    (symbols + best + 1).update(from: symbols + best + 2, count: tail)
                    (pairRanks + best + 1).update(from: pairRanks + best + 2, count: tail - 1)
                }
                count -= 1
                if best > 0 { pairRanks[best - 1] = table.rule(symbols[best - 1], symbols[best]).rank }
                if best < count - 1 { pairRanks[best] = table.rule(symbols[best], symbols[best + 1]).rank }
            }
            return count
        }
    }
}

/// The encodings of pieces already seen, keyed by their bytes: most pieces of a text repeat
/// (words, spaces, punctuation), and a look-up costs less than merging again. One cache per
/// thread; it only grows while one text is encoded.
struct BytePairPieceCache {
    private var slots: [Int32]
    private var entryHashes: [UInt64] = []
    private var entryKeyStarts: [Int32] = []
    private var entryKeyLengths: [Int32] = []
    private var entryIDStarts: [Int32] = []
    private var entryIDCounts: [Int32] = []
    private var keyBytes: [UInt8] = []
    private(set) var ids: [Int32] = []

    init() {
        slots = [Int32](repeating: -1, count: 1 << 12)
    }

    /// FNV-1a over the piece's bytes.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for index in range { hash = (hash ^ UInt64(bytes[index])) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    /// Where the ids of the piece `bytes[range]` are in ``ids``, if it was seen.
    @inline(__always)
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, hash: UInt64) -> Range<Int>? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { return nil }
            if entryHashes[entry] == hash && Int(entryKeyLengths[entry]) == range.count {
                let start = Int(entryKeyStarts[entry])
                let equal = keyBytes.withUnsafeBufferPointer { key in
                    memcmp(key.baseAddress! + start, bytes.baseAddress! + range.lowerBound, range.count) == 0
                }
                if equal {
                    let idStart = Int(entryIDStarts[entry])
                    return idStart..<(idStart + Int(entryIDCounts[entry]))
                }
            }
            slot = (slot + 1) & mask
        }
    }

    /// Records the ids of the piece `bytes[range]`.
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, hash: UInt64,
                         ids pieceIDs: UnsafeBufferPointer<Int32>) {
        if 2 * (entryHashes.count + 1) > slots.count { grow() }
        let entry = Int32(entryHashes.count)
        entryHashes.append(hash)
        entryKeyStarts.append(Int32(keyBytes.count))
        entryKeyLengths.append(Int32(range.count))
        entryIDStarts.append(Int32(ids.count))
        entryIDCounts.append(Int32(pieceIDs.count))
        keyBytes.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[range]))
        ids.append(contentsOf: pieceIDs)
        place(entry, hash: hash)
    }

    private mutating func place(_ entry: Int32, hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = entry
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        for entry in entryHashes.indices { place(Int32(entry), hash: entryHashes[entry]) }
    }
}
