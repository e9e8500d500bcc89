import Foundation

/// A word-level tokenizer with a vocabulary built from a text, as the seed documents'
/// `SimpleTokenizerV2`.
///
/// Text splits at whitespace and around the punctuation marks `, . : ; ? _ ! " ( ) '` and the
/// dash `--`, each mark a token of its own; special tokens (such as `<|endoftext|>`) are
/// recognised whole wherever they appear. The vocabulary is every word seen at least
/// `minimumCount` times, sorted by code point, then the special tokens, then the unknown token,
/// which stands for every other word. Decoding joins tokens with spaces and removes the space
/// before `, . ? ! " ( ) '`.
///
/// ```swift
/// let tokenizer = WordTokenizer(training: "the cat sat. the dog sat.")
/// tokenizer.encode("the cow sat.")                   // [4, 6, 3, 0]: "cow" is unknown
/// try tokenizer.decode(tokenizer.encode("the cow sat."))   // "the <|unk|> sat."
/// ```
public struct WordTokenizer: Tokenizer, VocabularyDocumentWriting {
    static let kind = "word"
    private static let punctuation: Set<Unicode.Scalar> = [",", ".", ":", ";", "?", "_", "!", "\"", "(", ")", "'"]
    private static let attachingPunctuation: Set<String> = [",", ".", "?", "!", "\"", "(", ")", "'"]

    /// Every vocabulary entry, indexed by id.
    public let tokens: [String]
    /// The entry that stands for words outside the vocabulary.
    public let unknownToken: String
    /// Entries recognised whole in text, never split.
    public let specialTokens: [String]
    private let ids: [String: Int]

    /// Builds the vocabulary of `text`.
    ///
    /// - Parameters:
    ///   - text: The text whose words (and punctuation marks) become the vocabulary.
    ///   - minimumCount: Words seen fewer times than this are left out and encode as
    ///     `unknownToken`.
    ///   - unknownToken: The entry every word outside the vocabulary encodes as (the last id).
    ///   - specialTokens: Entries appended after the words, in this order, then `unknownToken`.
    public init(training text: String, minimumCount: Int = 1, unknownToken: String = "<|unk|>",
                specialTokens: [String] = ["<|endoftext|>"]) {
        precondition(minimumCount >= 1, "minimumCount must be at least 1, got \(minimumCount)")
        let reserved = Set(specialTokens + [unknownToken])
        var counts: [String: Int] = [:]
        for word in Self.split(text, specialTokens: specialTokens) where !reserved.contains(word) {
            counts[word, default: 0] += 1
        }
        let words = counts.filter { $0.value >= minimumCount }.keys.sorted { $0.precedesByCodePoints($1) }
        self.init(tokens: words + specialTokens.filter { $0 != unknownToken } + [unknownToken],
                  unknownToken: unknownToken, specialTokens: specialTokens)
    }

    /// A tokenizer over a given vocabulary, which must hold `unknownToken` and every special
    /// token, each entry once.
    public init(tokens: [String], unknownToken: String = "<|unk|>", specialTokens: [String] = ["<|endoftext|>"]) {
        var ids: [String: Int] = [:]
        for (id, token) in tokens.enumerated() {
            precondition(ids.updateValue(id, forKey: token) == nil, "vocabulary entry '\(token)' appears twice")
        }
        precondition(ids[unknownToken] != nil, "the vocabulary lacks the unknown token '\(unknownToken)'")
        for special in specialTokens {
            precondition(ids[special] != nil, "the vocabulary lacks the special token '\(special)'")
        }
        self.tokens = tokens
        self.unknownToken = unknownToken
        self.specialTokens = specialTokens
        self.ids = ids
    }

    init(document: VocabularyDocument) throws(TensorError) {
        let tokens = try document.strings("tokens")
        let unknownToken = try document.string("unknownToken")
        let specialTokens = try document.strings("specialTokens")
        guard Set(tokens).count == tokens.count else { throw document.malformed("'tokens' repeats an entry") }
        guard Set(tokens).isSuperset(of: specialTokens + [unknownToken]) else {
            throw document.malformed("'tokens' lacks the unknown token or a special token")
        }
        self.init(tokens: tokens, unknownToken: unknownToken, specialTokens: specialTokens)
    }

    public var vocabularySize: Int { tokens.count }

    /// The words and marks of `text` that ``encode(_:)`` looks up, in order.
    ///
    /// ```swift
    /// WordTokenizer.split("Hello, world--again.")   // ["Hello", ",", "world", "--", "again", "."]
    /// ```
    public static func split(_ text: String, specialTokens: [String] = ["<|endoftext|>"]) -> [String] {
        var pieces: [String] = []
        for (segment, isSpecial) in SpecialTokenSplitter(specialTokens: specialTokens).segments(of: text) {
            if isSpecial { pieces.append(segment) } else { splitWords(segment, into: &pieces) }
        }
        return pieces
    }

    private static func splitWords(_ text: String, into pieces: inout [String]) {
        let scalars = Array(text.unicodeScalars)
        var word = String.UnicodeScalarView()
        func finishWord() {
            if !word.isEmpty { pieces.append(String(word)); word = String.UnicodeScalarView() }
        }
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar.properties.isWhitespace {
                finishWord()
            } else if punctuation.contains(scalar) {
                finishWord()
                pieces.append(String(scalar))
            } else if scalar == "-", index + 1 < scalars.count, scalars[index + 1] == "-" {
                finishWord()
                pieces.append("--")
                index += 1
            } else {
                word.append(scalar)
            }
            index += 1
        }
        finishWord()
    }

    public func encode(_ text: String) -> [Int] {
        let unknownID = ids[unknownToken]!
        return Self.split(text, specialTokens: specialTokens).map { ids[$0] ?? unknownID }
    }

    public func decode(_ ids: [Int]) throws(TensorError) -> String {
        try checkIDs(ids)
        var text = ""
        for (position, id) in ids.enumerated() {
            let token = tokens[id]
            if position > 0 && !Self.attachingPunctuation.contains(token) { text += " " }
            text += token
        }
        return text
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
        ["kind": Self.kind, "tokens": tokens, "unknownToken": unknownToken, "specialTokens": specialTokens]
    }
}

/// Cuts text into plain stretches and whole special tokens in one pass, taking at each place
/// the longest special token that starts there.
struct SpecialTokenSplitter {
    private let candidates: [[Unicode.Scalar]]
    private let firstScalars: Set<Unicode.Scalar>

    init(specialTokens: [String]) {
        candidates = specialTokens.map { Array($0.unicodeScalars) }.filter { !$0.isEmpty }
            .sorted { $0.count > $1.count }
        firstScalars = Set(candidates.map { $0[0] })
    }

    func segments(of text: String) -> [(text: String, isSpecial: Bool)] {
        let scalars = Array(text.unicodeScalars)
        var result: [(text: String, isSpecial: Bool)] = []
        var plainStart = 0
        var index = 0
        func emit(_ range: Range<Int>, isSpecial: Bool) {
            if !range.isEmpty {
                result.append((String(String.UnicodeScalarView(scalars[range])), isSpecial))
            }
        }
        while index < scalars.count {
            if firstScalars.contains(scalars[index]),
               let match = candidates.first(where: { scalars[index...].starts(with: $0) }) {
                emit(plainStart..<index, isSpecial: false)
                emit(index..<index + match.count, isSpecial: true)
                index += match.count
                plainStart = index
            } else {
                index += 1
            }
        }
        emit(plainStart..<scalars.count, isSpecial: false)
        return result
    }
}
