/// The words a word2vec model learns vectors for, each with its id (its index in ``words``) and
/// its count in the training text, most frequent first.
///
/// Built by ``WordCounts/vocabulary(minimumCount:)``; ``WordCorpus`` encodes the text with it.
/// Ids are `Int32` in batches, so a vocabulary holds fewer than 2³¹ words.
///
/// ```swift
/// let vocabulary = try WordCounts(contentsOf: url).vocabulary(minimumCount: 5)
/// vocabulary.count               // the number of words kept
/// vocabulary.id(of: "the")       // a small id in an English text: it is among the most frequent words
/// vocabulary.words[0]            // the most frequent word
/// vocabulary.counts[0]           // how often it occurs
/// ```
public struct WordVocabulary: Sendable {
    /// The words, by id.
    public let words: [String]
    /// The number of times each word occurs in the text, by id.
    public let counts: [Int]
    /// The number of words in the text, including those the vocabulary leaves out: the number
    /// of words an epoch reads.
    public let totalWordCount: Int
    /// The number of words of the text that the vocabulary keeps (the sum of ``counts``): the
    /// corpus size that word2vec's frequent-word subsampling uses.
    public let retainedWordCount: Int
    /// The words' bytes, numbered by id, for the encoding pass's lookups.
    let table: WordHashTable

    /// A vocabulary of `words` (each once) with their `counts`, from a text of `totalWordCount`
    /// words (at least the sum of `counts`).
    ///
    /// ```swift
    /// let vocabulary = WordVocabulary(words: ["the", "cat"], counts: [7, 2], totalWordCount: 12)
    /// vocabulary.id(of: "cat")        // 1
    /// vocabulary.retainedWordCount    // 9
    /// ```
    public init(words: [String], counts: [Int], totalWordCount: Int) {
        precondition(words.count == counts.count, "WordVocabulary: \(words.count) words with \(counts.count) counts")
        var table = WordHashTable(minimumCapacity: words.count)
        for word in words {
            precondition(table.insert(word).inserted, "WordVocabulary: the word '\(word)' appears twice")
        }
        self.init(table: table, words: words, counts: counts, totalWordCount: totalWordCount)
    }

    init(table: WordHashTable, counts: [Int], totalWordCount: Int) {
        self.init(table: table, words: (0..<table.count).map { table.string(at: $0) }, counts: counts,
                  totalWordCount: totalWordCount)
    }

    private init(table: WordHashTable, words: [String], counts: [Int], totalWordCount: Int) {
        precondition(words.count <= Int(Int32.max), "a vocabulary holds fewer than 2³¹ words")
        let retainedWordCount = counts.reduce(0, +)
        precondition(retainedWordCount <= totalWordCount,
                     "WordVocabulary: the counts add up to \(retainedWordCount), more than the \(totalWordCount) words of the text")
        self.words = words
        self.counts = counts
        self.totalWordCount = totalWordCount
        self.retainedWordCount = retainedWordCount
        self.table = table
    }

    /// The number of words.
    public var count: Int { words.count }

    /// The id of `word`, or nil when the vocabulary lacks it. Words match when their UTF-8 bytes
    /// do (no Unicode normalization); case counts.
    public func id(of word: String) -> Int? { table.number(of: word) }

    /// The id of the word whose UTF-8 bytes are `bytes`, or nil when the vocabulary lacks it.
    ///
    /// ```swift
    /// let id = Array("cat".utf8).withUnsafeBytes { vocabulary.id(ofUTF8: $0) }
    /// ```
    public func id(ofUTF8 bytes: UnsafeRawBufferPointer) -> Int? { table.number(of: WordKey(bytes)) }
}
