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
public struct BytePairTokenizer: Tokenizer {
    static let kind = "gpt2-bpe"

    /// Every vocabulary entry, indexed by id, in GPT-2's symbol spelling (`Ġworld`).
    public let tokens: [String]
    /// The merge rules in rank order: the earlier a pair, the sooner it merges.
    public let merges: [(left: String, right: String)]
    /// Entries recognised whole in text, never split.
    public let specialTokens: [String]
    private let ids: [String: Int]
    private let byteSymbolIDs: [Int]
    private let mergeRules: [UInt64: (rank: Int, merged: Int)]

    /// Reads `vocab.json` (an object from symbol string to id, ids `0..<count`) and `merges.txt`
    /// (an optional `#version` line, then one `left right` pair per line).
    ///
    /// - Parameter specialTokens: Entries to recognise whole in text; by default
    ///   `<|endoftext|>` when the vocabulary holds it.
    /// - Throws: ``TensorError/io(path:reason:)`` for an unreadable file,
    ///   ``TensorError/malformedFile(path:offset:reason:)`` for a file that is not a valid
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
        var byteSymbolIDs: [Int] = []
        for (byte, symbol) in GPT2ByteSymbols.symbols.enumerated() {
            guard let id = ids[symbol] else {
                throw error(nil, "the vocabulary lacks the symbol '\(symbol)' of byte \(byte)")
            }
            byteSymbolIDs.append(id)
        }
        var mergeRules: [UInt64: (rank: Int, merged: Int)] = [:]
        for (rank, merge) in merges.enumerated() {
            guard let left = ids[merge.left], let right = ids[merge.right], let merged = ids[merge.left + merge.right] else {
                throw error(rank, "the merge '\(merge.left) \(merge.right)' uses or makes a symbol outside the vocabulary")
            }
            let key = Self.pairKey(left, right)
            if mergeRules[key] == nil { mergeRules[key] = (rank, merged) }
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
        self.mergeRules = mergeRules
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

    private static func pairKey(_ left: Int, _ right: Int) -> UInt64 {
        UInt64(UInt32(left)) << 32 | UInt64(UInt32(right))
    }

    public var vocabularySize: Int { tokens.count }

    /// GPT-2's pre-tokenization of `text`: the pieces that merges never cross.
    ///
    /// ```swift
    /// BytePairTokenizer.pieces(of: "Hello, it's  2024!")   // ["Hello", ",", " it", "'s", " ", " 2024", "!"]
    /// ```
    public static func pieces(of text: String) -> [String] { GPT2PreTokenizer.pieces(of: text) }

    public func encode(_ text: String) -> [Int] {
        var result: [Int] = []
        var cache: [String: [Int]] = [:]
        for (segment, isSpecial) in SpecialTokenSplitter(specialTokens: specialTokens).segments(of: text) {
            if isSpecial {
                result.append(ids[segment]!)
                continue
            }
            for piece in GPT2PreTokenizer.pieces(of: segment) {
                if let known = cache[piece] {
                    result += known
                } else {
                    let merged = merge(piece.utf8.map { byteSymbolIDs[Int($0)] })
                    cache[piece] = merged
                    result += merged
                }
            }
        }
        return result
    }

    /// Applies the merge rules to one piece's symbols: repeatedly the best-ranked adjacent pair,
    /// every occurrence left to right, as GPT-2's `bpe()`.
    private func merge(_ initial: [Int]) -> [Int] {
        var symbols = initial
        while symbols.count > 1 {
            var best: (rank: Int, merged: Int, left: Int, right: Int)?
            for index in 0..<(symbols.count - 1) {
                if let rule = mergeRules[Self.pairKey(symbols[index], symbols[index + 1])],
                   rule.rank < best?.rank ?? .max {
                    best = (rule.rank, rule.merged, symbols[index], symbols[index + 1])
                }
            }
            guard let chosen = best else { break }
            var next: [Int] = []
            next.reserveCapacity(symbols.count)
            var index = 0
            while index < symbols.count {
                if index + 1 < symbols.count && symbols[index] == chosen.left && symbols[index + 1] == chosen.right {
                    next.append(chosen.merged)
                    index += 2
                } else {
                    next.append(symbols[index])
                    index += 1
                }
            }
            symbols = next
        }
        return symbols
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

    public func vocabularyDocument() -> [String: Any] {
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
