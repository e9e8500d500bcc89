import Foundation

/// GPT-2's byte-level byte-pair encoding, read from the `vocab.json` and `merges.txt` files that
/// ship with GPT-2 (as used by `tiktoken.get_encoding("gpt2")` and Hugging Face's `GPT2Tokenizer`).
///
/// Text is first split by GPT-2's pattern (words with their leading space, numbers, punctuation
/// runs, whitespace); each piece's UTF-8 bytes become printable symbols (GPT-2's byte-to-unicode
/// table, so a space shows as `Ġ`) and are merged pairwise, the pair ranked first in
/// `merges.txt` first, until no listed pair remains. Special tokens such as `<|endoftext|>` are
/// recognised whole, as `tiktoken`'s `encode(text, allowed_special="all")`.
///
/// ```swift
/// let gpt2 = try BytePairTokenizer(vocabularyFile: directory.appending(path: "vocab.json"),
///                                  mergesFile: directory.appending(path: "merges.txt"))
/// gpt2.encode("Hello, world")   // [15496, 11, 995]
/// ```
public struct BytePairTokenizer: Tokenizer, VocabularyDocumentWriting {
    static let kind = "gpt2-bpe"

    /// Every vocabulary entry, indexed by id, in GPT-2's symbol spelling (`Ġworld`).
    public let tokens: [String]
    /// The merge rules in rank order: the earlier a pair, the sooner it merges.
    public let merges: [(left: String, right: String)]
    /// Entries recognised whole in text, never split.
    public let specialTokens: [String]
    private let ids: [String: Int]
    private let byteSymbolIDs: [Int32]
    private let mergeTable: BytePairMergeTable
    /// The special tokens' UTF-8 bytes and ids, longest first.
    private let specialTokenBytes: [(bytes: [UInt8], id: Int)]

    /// Reads `vocab.json` (an object from symbol string to id, ids `0..<count`) and `merges.txt`
    /// (an optional `#version` line, then one `left right` pair per line).
    ///
    /// - Parameters:
    ///   - vocabularyFile: `vocab.json` (Hugging Face's name; OpenAI's `encoder.json` is the same format).
    ///   - mergesFile: `merges.txt` (OpenAI's `vocab.bpe`).
    ///   - specialTokens: Entries to recognise whole in text; by default `<|endoftext|>` when the
    ///     vocabulary holds it.
    /// - Throws: `TensorError.io(path:reason:)` for an unreadable file,
    ///   `TensorError.malformedFile(path:offset:reason:)` for a file that is not a valid
    ///   vocabulary or merge list (a missing byte symbol, a merge of unknown symbols, a bad line).
    public init(vocabularyFile: URL, mergesFile: URL, specialTokens: [String]? = nil) throws(TensorError) {
        let vocabulary = try Self.readVocabulary(vocabularyFile)
        let merges = try Self.readMerges(mergesFile)
        try self.init(tokens: vocabulary, merges: merges.pairs, specialTokens: specialTokens) { line, reason in
            if let line {
                return .malformedFile(path: mergesFile.path, offset: merges.lineOffsets[line], reason: reason)
            }
            return .malformedFile(path: vocabularyFile.path, offset: 0, reason: reason)
        }
    }

    init(document: VocabularyDocument) throws(TensorError) {
        let tokens = try document.strings("tokens")
        var merges: [(left: String, right: String)] = []
        for line in try document.strings("merges") {
            guard let pair = Self.parseMerge(line) else { throw document.malformed("bad merge '\(line)'") }
            merges.append(pair)
        }
        try self.init(tokens: tokens, merges: merges, specialTokens: try document.strings("specialTokens")) { _, reason in
            document.malformed(reason)
        }
    }

    private init(tokens: [String], merges: [(left: String, right: String)], specialTokens: [String]?,
                 error: (_ mergeLine: Int?, _ reason: String) -> TensorError) throws(TensorError) {
        var ids: [String: Int] = [:]
        for (id, token) in tokens.enumerated() { ids[token] = id }
        var byteSymbolIDs: [Int32] = []
        for (byte, symbol) in GPT2ByteSymbols.symbols.enumerated() {
            guard let id = ids[symbol] else {
                throw error(nil, "the vocabulary lacks the symbol '\(symbol)' of byte \(byte)")
            }
            byteSymbolIDs.append(Int32(id))
        }
        var rules: [(left: Int, right: Int, merged: Int)] = []
        rules.reserveCapacity(merges.count)
        for (rank, merge) in merges.enumerated() {
            guard let left = ids[merge.left], let right = ids[merge.right], let merged = ids[merge.left + merge.right] else {
                throw error(rank, "the merge '\(merge.left) \(merge.right)' uses or makes a symbol outside the vocabulary")
            }
            rules.append((left, right, merged))
        }
        let specials = specialTokens ?? ["<|endoftext|>"].filter { ids[$0] != nil }
        for special in specials where ids[special] == nil {
            throw error(nil, "the vocabulary lacks the special token '\(special)'")
        }
        self.tokens = tokens
        self.merges = merges
        self.specialTokens = specials
        self.ids = ids
        self.byteSymbolIDs = byteSymbolIDs
        mergeTable = BytePairMergeTable(rules: rules)
        specialTokenBytes = specials.filter { !$0.isEmpty }.map { (Array($0.utf8), ids[$0]!) }
            .sorted { $0.bytes.count > $1.bytes.count }
    }

    private static func readVocabulary(_ url: URL) throws(TensorError) -> [String] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw .io(path: url.path, reason: error.localizedDescription) }
        guard let parsed = try? JSONSerialization.jsonObject(with: data), let object = parsed as? [String: Any] else {
            throw .malformedFile(path: url.path, offset: 0, reason: "not a JSON object from symbol to id")
        }
        var tokens = [String?](repeating: nil, count: object.count)
        for (token, value) in object {
            guard let id = (value as? NSNumber)?.intValue, tokens.indices.contains(id), tokens[id] == nil else {
                throw .malformedFile(path: url.path, offset: 0,
                                     reason: "the id of '\(token)' is not a distinct integer in 0..<\(object.count)")
            }
            tokens[id] = token
        }
        return tokens.map { $0! }
    }

    private static func readMerges(_ url: URL) throws(TensorError) -> (pairs: [(left: String, right: String)], lineOffsets: [Int]) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw .io(path: url.path, reason: error.localizedDescription) }
        var pairs: [(left: String, right: String)] = []
        var lineOffsets: [Int] = []
        var offset = 0
        for lineBytes in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            defer { offset += lineBytes.count + 1 }
            guard let line = String(bytes: lineBytes, encoding: .utf8) else {
                throw .malformedFile(path: url.path, offset: offset, reason: "a line is not valid UTF-8")
            }
            let trimmed = line.hasSuffix("\r") ? String(line.dropLast()) : line
            if trimmed.isEmpty || (pairs.isEmpty && trimmed.hasPrefix("#version")) { continue }
            guard let pair = parseMerge(trimmed) else {
                throw .malformedFile(path: url.path, offset: offset, reason: "expected two symbols separated by one space, found '\(trimmed)'")
            }
            pairs.append(pair)
            lineOffsets.append(offset)
        }
        return (pairs, lineOffsets)
    }

    private static func parseMerge(_ line: String) -> (left: String, right: String)? {
        let parts = line.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return (String(parts[0]), String(parts[1]))
    }

    public var vocabularySize: Int { tokens.count }

    /// GPT-2's pre-tokenization of `text`: the pieces that merges never cross.
    ///
    /// ```swift
    /// BytePairTokenizer.pieces(of: "Hello, it's  2024!")   // ["Hello", ",", " it", "'s", " ", " 2024", "!"]
    /// ```
    public static func pieces(of text: String) -> [String] { GPT2PreTokenizer.pieces(of: text) }

    /// The ids of `text`, exactly as `tiktoken`'s `encode(text, allowed_special="all")`.
    ///
    /// Long texts are cut at piece boundaries (a line start that is not whitespace) and the parts
    /// encoded on several threads; the ids do not depend on the thread count.
    public func encode(_ text: String) -> [Int] {
        encode(text, partByteCount: Self.partByteCount)
    }

    /// Parts of a text encoded on their own: plain runs cut near this many bytes.
    static let partByteCount = 64 << 10

    /// ``encode(_:)`` with plain runs cut near every `partByteCount` bytes (tests make the parts
    /// small to check that the cuts change nothing).
    func encode(_ text: String, partByteCount: Int) -> [Int] {
        var text = text
        return text.withUTF8 { bytes in encode(bytes, partByteCount: Swift.max(partByteCount, 2)) }
    }

    private func encode(_ bytes: UnsafeBufferPointer<UInt8>, partByteCount: Int) -> [Int] {
        let parts = self.parts(of: bytes, partByteCount: partByteCount)
        let results = UnsafeMutableBufferPointer<[Int32]>.allocate(capacity: parts.count)
        results.initialize(repeating: [])
        defer { results.deinitialize().deallocate() }
        parallelForBalanced(parts.count, grain: 1) { range in
            var encoder = PieceEncoder(tokenizer: self)
            for index in range {
                switch parts[index] {
                case .special(let id): results[index] = [Int32(id)]
                case .plain(let plain): results[index] = encoder.encode(bytes, plain)
                }
            }
        }
        var ids: [Int] = []
        ids.reserveCapacity(results.reduce(0) { $0 + $1.count })
        for part in results { ids.append(contentsOf: part.lazy.map(Int.init)) }
        return ids
    }

    /// One part of a text: a special token, or a run of plain text that starts and ends at piece
    /// boundaries.
    private enum Part {
        case special(Int)
        case plain(Range<Int>)
    }

    /// `bytes` cut at special tokens, and the plain runs between them near every
    /// `partByteCount` bytes after a newline that is the only whitespace between an ASCII
    /// character that is not whitespace and one (any) that is not either. GPT-2's pattern makes that
    /// newline a piece of its own both in the whole text and at the end of a part (a longer
    /// whitespace run would split differently at the end of a part, where nothing follows it), and
    /// no other piece crosses it; so the parts encode to the same ids as the whole.
    private func parts(of bytes: UnsafeBufferPointer<UInt8>, partByteCount: Int) -> [Part] {
        var parts: [Part] = []
        func isCut(_ index: Int) -> Bool {
            let before = bytes[index - 2]
            return bytes[index - 1] == UInt8(ascii: "\n") && before < 0x80
                && GPT2PreTokenizer.characterClass(in: bytes, at: index - 2).class != .whitespace
                && GPT2PreTokenizer.characterClass(in: bytes, at: index).class != .whitespace
        }
        func addPlain(_ range: Range<Int>) {
            var start = range.lowerBound
            while range.upperBound - start > 2 * partByteCount {
                var cut = start + partByteCount
                while cut < range.upperBound && !isCut(cut) { cut += 1 }
                if cut >= range.upperBound { break }
                parts.append(.plain(start..<cut))
                start = cut
            }
            if start < range.upperBound { parts.append(.plain(start..<range.upperBound)) }
        }
        var plainStart = 0, index = 0
        scan: while index < bytes.count {
            for special in specialTokenBytes where special.bytes[0] == bytes[index] && index + special.bytes.count <= bytes.count {
                let matches = special.bytes.withUnsafeBufferPointer { token in
                    memcmp(token.baseAddress!, bytes.baseAddress! + index, token.count) == 0
                }
                if matches {
                    addPlain(plainStart..<index)
                    parts.append(.special(special.id))
                    index += special.bytes.count
                    plainStart = index
                    continue scan
                }
            }
            index += 1
        }
        addPlain(plainStart..<bytes.count)
        return parts
    }

    /// Encodes plain runs piece by piece, with its own cache of pieces seen (one per thread).
    private struct PieceEncoder {
        let byteSymbolIDs: [Int32]
        let mergeTable: BytePairMergeTable
        var cache = BytePairPieceCache()
        var symbols: [Int32] = []
        var pairRanks: [UInt32] = []

        init(tokenizer: BytePairTokenizer) {
            byteSymbolIDs = tokenizer.byteSymbolIDs
            mergeTable = tokenizer.mergeTable
        }

        mutating func encode(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [Int32] {
            var output: [Int32] = []
            output.reserveCapacity(range.count / 3)
            GPT2PreTokenizer.forEachPiece(in: bytes, range) { piece in
                if piece.count == 1 {
                    output.append(byteSymbolIDs[Int(bytes[piece.lowerBound])])
                    return
                }
                let hash = BytePairPieceCache.hash(bytes, piece)
                if let known = cache.lookup(bytes, piece, hash: hash) {
                    output.append(contentsOf: cache.ids[known])
                    return
                }
                if symbols.count < piece.count {
                    symbols = [Int32](repeating: 0, count: piece.count)
                    pairRanks = [UInt32](repeating: 0, count: piece.count)
                }
                let table = mergeTable, byteIDs = byteSymbolIDs
                let merged: Int = symbols.withUnsafeMutableBufferPointer { symbols in
                    pairRanks.withUnsafeMutableBufferPointer { ranks in
                        for (offset, index) in piece.enumerated() { symbols[offset] = byteIDs[Int(bytes[index])] }
                        return table.merge(symbols.baseAddress!, count: piece.count, pairRanks: ranks.baseAddress!)
                    }
                }
                symbols.withUnsafeBufferPointer { symbols in
                    let pieceIDs = UnsafeBufferPointer(rebasing: symbols[0..<merged])
                    cache.insert(bytes, piece, hash: hash, ids: pieceIDs)
                    output.append(contentsOf: pieceIDs)
                }
            }
            return output
        }
    }

    public func decode(_ ids: [Int]) throws(TensorError) -> String {
        try checkIDs(ids)
        var bytes: [UInt8] = []
        for id in ids {
            for scalar in tokens[id].unicodeScalars {
                if let byte = GPT2ByteSymbols.byteOfSymbol[scalar] {
                    bytes.append(byte)
                } else {
                    bytes += Array(String(scalar).utf8)
                }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public func token(for id: Int) -> String? { tokens.indices.contains(id) ? tokens[id] : nil }

    public func id(for token: String) -> Int? { ids[token] }

    /// Writes the vocabulary to `url` as JSON (atomically), for ``loadTokenizer(contentsOf:)``.
    ///
    /// ```swift
    /// try tokenizer.save(to: runDirectory.appending(path: "vocabulary.json"))
    /// ```
    public func save(to url: URL) throws(TensorError) { try writeVocabularyDocument(to: url) }

    package func vocabularyDocument() -> [String: Any] {
        ["kind": Self.kind, "tokens": tokens, "merges": merges.map { "\($0.left) \($0.right)" },
         "specialTokens": specialTokens]
    }
}

/// GPT-2's byte-to-unicode table: printable Latin-1 bytes stand for themselves, the other 68
/// bytes for code points from U+0100 upward, so every byte sequence is printable text.
enum GPT2ByteSymbols {
    static let scalars: [Unicode.Scalar] = {
        let printable = Array(0x21...0x7E) + Array(0xA1...0xAC) + Array(0xAE...0xFF)
        var table = [Unicode.Scalar](repeating: "\0", count: 256)
        for byte in printable { table[byte] = Unicode.Scalar(UInt8(byte)) }
        var next: UInt32 = 0x100
        for byte in 0..<256 where !printable.contains(byte) {
            table[byte] = Unicode.Scalar(next)!
            next += 1
        }
        return table
    }()

    static let symbols: [String] = scalars.map { String($0) }

    static let byteOfSymbol: [Unicode.Scalar: UInt8] = Dictionary(
        uniqueKeysWithValues: scalars.enumerated().map { ($1, UInt8($0)) })
}
