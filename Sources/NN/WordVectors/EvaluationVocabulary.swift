/// The rows an evaluation may use and how it matches words to them, as gensim's `KeyedVectors`
/// evaluations do (`evaluate_word_pairs`, `evaluate_word_analogies`): only the first
/// `restrictedTo` rows count — the most frequent words of a table sorted by frequency — and when
/// case is ignored, words are compared upper-cased and an upper-cased word stands for the first of
/// those rows that spells it, which is its most frequent casing.
///
/// gensim builds `{k.upper(): index}` over the rows in reverse, so the first row wins; this is the
/// same table, kept as each row's representative so that the analogy search compares row numbers
/// instead of strings.
struct EvaluationVocabulary {
    /// How many rows the evaluation uses: `restrictedTo`, or every row of a smaller table.
    let rowCount: Int
    /// For each of those rows, the row that stands for its word: the first row whose word matches
    /// it (itself when case counts, since a table's words are distinct).
    let representativeRows: [Int32]
    private let caseInsensitive: Bool
    private let rowOfWord: [CodePointKey: Int]

    init(words: [String], restrictedTo limit: Int, caseInsensitive: Bool) {
        precondition(limit >= 0, "restrictedTo must not be negative, got \(limit)")
        let rowCount = Swift.min(limit, words.count)
        var rowOfWord: [CodePointKey: Int] = [:]
        rowOfWord.reserveCapacity(rowCount)
        var representativeRows: [Int32] = []
        representativeRows.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            let key = CodePointKey(caseInsensitive ? words[row].uppercased() : words[row])
            if let first = rowOfWord[key] {
                representativeRows.append(Int32(first))
            } else {
                rowOfWord[key] = row
                representativeRows.append(Int32(row))
            }
        }
        self.rowCount = rowCount
        self.representativeRows = representativeRows
        self.caseInsensitive = caseInsensitive
        self.rowOfWord = rowOfWord
    }

    /// The row that stands for `word`, or nil when no used row matches it.
    func row(of word: String) -> Int? {
        rowOfWord[CodePointKey(caseInsensitive ? word.uppercased() : word)]
    }
}

/// A string compared code point by code point, as Python compares `str` keys. Swift's `String`
/// equality is canonical equivalence, under which a precomposed "é" and "e" + U+0301 are one
/// word; gensim keeps them apart, and so does this key.
private struct CodePointKey: Hashable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (lhs: CodePointKey, rhs: CodePointKey) -> Bool {
        lhs.text.utf8.elementsEqual(rhs.text.utf8)
    }

    func hash(into hasher: inout Hasher) {
        let hashedInPlace: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
        }
        // The same bytes hashed the same way when the string is not stored as contiguous UTF-8.
        if hashedInPlace == nil {
            Array(text.utf8).withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }
}
