import Foundation

/// Turns text into token ids and back.
///
/// Three tokenizers conform: ``WordTokenizer`` (a vocabulary built from a text),
/// ``ByteTokenizer`` (the 256 byte values, no training) and ``BytePairTokenizer`` (GPT-2's
/// byte-level BPE from `vocab.json` and `merges.txt`). Each saves its vocabulary as JSON with
/// ``Tokenizer/save(to:)``, to be read back by ``loadTokenizer(contentsOf:)`` — the file that belongs beside
/// a checkpoint, since token ids mean nothing without it.
///
/// ```swift
/// let tokenizer = WordTokenizer(training: "the cat sat. the dog sat.")
/// let ids = tokenizer.encode("the dog sat.")
/// try tokenizer.decode(ids)   // "the dog sat."
/// ```
public protocol Tokenizer: Sendable {
    /// The number of distinct ids; every id is in `0..<vocabularySize`.
    var vocabularySize: Int { get }

    /// The ids of `text`, in order.
    func encode(_ text: String) -> [Int]

    /// The text of `ids`. An id outside `0..<vocabularySize` throws
    /// `TensorError.indexOutOfRange(index:position:bound:)` naming the id and its position.
    func decode(_ ids: [Int]) throws(TensorError) -> String

    /// The vocabulary entry of `id` as readable text, or nil when `id` is out of range.
    func token(for id: Int) -> String?

    /// The id of the vocabulary entry `token`, or nil when the vocabulary lacks it.
    func id(for token: String) -> Int?

    /// Writes what rebuilds this tokenizer to `url`.
    ///
    /// The library's three tokenizers write their vocabulary as JSON (atomically: a temporary file,
    /// then a rename), which ``loadTokenizer(contentsOf:)`` reads back. A tokenizer of your own
    /// chooses its own format; only the library's kinds are read by ``loadTokenizer(contentsOf:)``.
    ///
    /// ```swift
    /// try tokenizer.save(to: runDirectory.appending(path: "vocabulary.json"))
    /// ```
    func save(to url: URL) throws(TensorError)
}

extension Tokenizer {
    /// The ids of `text` as a one-dimensional `Tensor<Int64>`, ready for an embedding.
    ///
    /// ```swift
    /// let ids = ByteTokenizer().encodedTensor("hi")   // tensor([104, 105])
    /// ```
    public func encodedTensor(_ text: String) -> Tensor<Int64> {
        Tensor(encode(text).map(Int64.init))
    }

    /// Checks every id against the vocabulary before anything is decoded.
    func checkIDs(_ ids: [Int]) throws(TensorError) {
        for (position, id) in ids.enumerated() where id < 0 || id >= vocabularySize {
            throw .indexOutOfRange(index: Int64(id), position: [position], bound: vocabularySize)
        }
    }
}

/// Reads a vocabulary saved by a ``WordTokenizer``, ``ByteTokenizer`` or ``BytePairTokenizer``
/// (``Tokenizer/save(to:)``) and rebuilds the tokenizer, whichever of the three it is.
///
/// ```swift
/// let tokenizer = try loadTokenizer(contentsOf: runDirectory.appending(path: "vocabulary.json"))
/// tokenizer.vocabularySize
/// ```
public func loadTokenizer(contentsOf url: URL) throws(TensorError) -> any Tokenizer {
    let document = try VocabularyDocument(contentsOf: url)
    switch try document.string("kind") {
    case WordTokenizer.kind: return try WordTokenizer(document: document)
    case ByteTokenizer.kind: return ByteTokenizer()
    case BytePairTokenizer.kind: return try BytePairTokenizer(document: document)
    case let other: throw document.malformed("unknown tokenizer kind '\(other)'")
    }
}

/// The library's tokenizers: each describes its vocabulary as the JSON object that
/// ``loadTokenizer(contentsOf:)`` reads back. Package-only, so that a user's own ``Tokenizer``
/// needs no JSON dictionary of untyped values.
package protocol VocabularyDocumentWriting: Tokenizer {
    /// The vocabulary as a JSON object; `"kind"` names the tokenizer.
    func vocabularyDocument() -> [String: Any]
}

extension VocabularyDocumentWriting {
    /// Writes ``vocabularyDocument()`` to `url` as JSON, atomically (a temporary file, then a rename).
    func writeVocabularyDocument(to url: URL) throws(TensorError) {
        let data: Data
        do {
            data = try JSONSerialization.data(withJSONObject: vocabularyDocument(),
                                              options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        } catch {
            throw .invalidArgument("cannot encode the vocabulary as JSON: \(error)")
        }
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw .io(path: url.path, reason: error.localizedDescription)
        }
    }
}

/// A parsed vocabulary file, with typed accessors that throw naming the file and the field.
struct VocabularyDocument {
    let path: String
    let object: [String: Any]

    init(contentsOf url: URL) throws(TensorError) {
        path = url.path
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .io(path: url.path, reason: error.localizedDescription)
        }
        guard let parsed = try? JSONSerialization.jsonObject(with: data),
              let object = parsed as? [String: Any] else {
            throw .malformedFile(path: url.path, offset: 0, reason: "not a JSON object")
        }
        self.object = object
    }

    func malformed(_ reason: String) -> TensorError {
        .malformedFile(path: path, offset: 0, reason: reason)
    }

    func string(_ key: String) throws(TensorError) -> String {
        guard let value = object[key] as? String else { throw malformed("field '\(key)' must be a string") }
        return value
    }

    func strings(_ key: String) throws(TensorError) -> [String] {
        guard let value = object[key] as? [String] else { throw malformed("field '\(key)' must be an array of strings") }
        return value
    }
}

extension String {
    /// Orders by Unicode code points, as Python's `sorted` does, so vocabularies sort the same
    /// way as in the seed documents (Swift's `<` compares canonical equivalents instead).
    func precedesByCodePoints(_ other: String) -> Bool {
        unicodeScalars.lexicographicallyPrecedes(other.unicodeScalars) { $0.value < $1.value }
    }
}
