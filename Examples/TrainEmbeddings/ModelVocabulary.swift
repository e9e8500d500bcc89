import Foundation
import NN

/// Which tokenizer turns text into tokens.
enum TokenizerKind: String, CaseIterable {
    /// Words and punctuation, from the text itself (`WordTokenizer`, rare words become `<|unk|>`).
    case word
    /// UTF-8 bytes (`ByteTokenizer`): 256 tokens.
    case byte
    /// GPT-2's byte-pair encoding (`BytePairTokenizer.gpt2()`, or the files of `--tokenizer-files`).
    case gpt2
}

/// The rows the model's tables hold: the tokenizer's ids that occur in the training text, and one
/// more row for every other token (held-out tokens never seen in training).
///
/// GPT-2's tokenizer has 50 257 entries, of which a text of a few hundred kilobytes uses a few
/// thousand; tables over all of them would spend nearly every row, and most of each step (the
/// head's logits), on tokens the model can never learn. Word and byte vocabularies are already
/// the text's own and are used as they are.
struct ModelVocabulary {
    /// Model id → tokenizer id; `nil` for the row of unseen tokens.
    let tokenizerIDs: [Int?]
    private let modelIDOfTokenizerID: [Int: Int]

    /// The identity: one row per tokenizer entry.
    init(identityOf size: Int) {
        tokenizerIDs = Array(0..<size)
        modelIDOfTokenizerID = Dictionary(uniqueKeysWithValues: (0..<size).map { ($0, $0) })
    }

    /// The ids of `training` in increasing order, then the row of unseen tokens.
    init(seenIn training: [Int]) {
        self.init(tokenizerIDs: Set(training).sorted() + [nil])
    }

    /// Rows as listed (from a checkpoint's `model-vocabulary.json`).
    init(tokenizerIDs: [Int?]) {
        self.tokenizerIDs = tokenizerIDs
        var map: [Int: Int] = [:]
        for (modelID, tokenizerID) in tokenizerIDs.enumerated() {
            if let tokenizerID { map[tokenizerID] = modelID }
        }
        modelIDOfTokenizerID = map
    }

    var count: Int { tokenizerIDs.count }

    /// The model row of the unseen tokens, when there is one.
    var unseenID: Int? { tokenizerIDs.firstIndex(where: { $0 == nil }) }

    /// True when model ids are the tokenizer's own.
    var isIdentity: Bool { tokenizerIDs.enumerated().allSatisfy { $0.element == $0.offset } }

    /// The model ids of tokenizer ids (tokens without a row of their own go to the unseen row).
    func modelIDs(_ ids: [Int]) -> [Int] {
        let unseen = unseenID
        return ids.map { modelIDOfTokenizerID[$0] ?? unseen! }
    }

    /// A readable label of model id `id`: the word, the byte, or the GPT-2 piece as text with its
    /// leading space shown as `·` (`·the`), control characters escaped.
    func label(_ id: Int, tokenizer: any Tokenizer) -> String {
        guard let tokenizerID = tokenizerIDs[id] else { return "<unseen>" }
        if tokenizer is WordTokenizer { return tokenizer.token(for: tokenizerID) ?? "?" }
        let text = (try? tokenizer.decode([tokenizerID])) ?? "?"
        var label = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case " ": label += "·"
            case "\n": label += "\\n"
            case "\t": label += "\\t"
            case "\u{FFFD}": label += "�"
            default:
                // Other whitespace is escaped too, so that a label is one word in word2vec's files.
                label += scalar.properties.generalCategory == .control || scalar.properties.isWhitespace
                    ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
            }
        }
        return label
    }

    /// The JSON `model-vocabulary.json` holds: the tokenizer id of every row, `null` for unseen.
    func document() -> [String: Any] {
        ["tokenizerIDs": tokenizerIDs.map { $0.map { $0 as Any } ?? NSNull() }]
    }

    /// Reads `model-vocabulary.json`.
    init(contentsOf url: URL) throws {
        let data = try Data(contentsOf: url)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let rows = object["tokenizerIDs"] as? [Any] else {
            throw UsageError(message: "\(url.path) is not a model vocabulary (no tokenizerIDs list)", showsUsage: false)
        }
        self.init(tokenizerIDs: rows.map { ($0 as? NSNumber)?.intValue })
    }
}
