import Foundation

/// The simplest tokenizer: one id per UTF-8 byte, 256 ids, nothing to train.
///
/// Any text encodes; decoding bytes that do not form valid UTF-8 replaces them with U+FFFD,
/// as Python's `bytes.decode(errors="replace")`.
///
/// ```swift
/// let tokenizer = ByteTokenizer()
/// tokenizer.encode("hé")             // [104, 195, 169]
/// try tokenizer.decode([104, 105])   // "hi"
/// ```
public struct ByteTokenizer: Tokenizer, VocabularyDocumentWriting {
    static let kind = "byte"

    /// The byte tokenizer; it has no options and nothing to load.
    ///
    /// ```swift
    /// ByteTokenizer().vocabularySize   // 256
    /// ```
    public init() {}

    public var vocabularySize: Int { 256 }

    public func encode(_ text: String) -> [Int] { text.utf8.map(Int.init) }

    public func decode(_ ids: [Int]) throws(TensorError) -> String {
        try checkIDs(ids)
        return String(decoding: ids.map(UInt8.init), as: UTF8.self)
    }

    /// Printable ASCII as itself, every other byte as `<0xHH>`.
    public func token(for id: Int) -> String? {
        guard (0..<256).contains(id) else { return nil }
        if (0x21...0x7E).contains(id) { return String(UnicodeScalar(UInt8(id))) }
        let hex = String(id, radix: 16, uppercase: true)
        return "<0x\(hex.count == 1 ? "0" + hex : hex)>"
    }

    public func id(for token: String) -> Int? {
        (0..<256).first { self.token(for: $0) == token }
    }

    /// Writes the vocabulary to `url` as JSON (atomically), for ``loadTokenizer(contentsOf:)``.
    ///
    /// ```swift
    /// try tokenizer.save(to: runDirectory.appending(path: "vocabulary.json"))
    /// ```
    public func save(to url: URL) throws(TensorError) { try writeVocabularyDocument(to: url) }

    package func vocabularyDocument() -> [String: Any] { ["kind": Self.kind] }
}
