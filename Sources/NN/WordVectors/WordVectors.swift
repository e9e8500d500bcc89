/// Words and their vectors: the table a word2vec run trains, or one read from a word2vec or GloVe
/// file, with the vocabulary that names its rows.
///
/// Row `i` of ``vectors`` belongs to `words[i]`. Tables trained by the library list their words by
/// falling frequency in the training text, as word2vec and gensim do, so the first rows are the
/// most frequent words (the evaluations' `restrictedTo` counts on it).
///
/// ```swift
/// let vectors = WordVectors(words: ["king", "queen"], vectors: Tensor<Float>(shape: [2, 3], scalars: [1, 0, 0, 0.8, 0.6, 0]))
/// vectors.index(of: "queen")             // 1
/// vectors.vector(for: "king")?.scalars   // [1, 0, 0]
/// vectors.dimension                      // 3
/// ```
public struct WordVectors: Sendable {
    /// The word of each row, each word once.
    public let words: [String]
    /// The table, `[words.count, dimension]`.
    public let vectors: Tensor<Float>
    private let indexOfWord: [String: Int]

    /// Pairs `words` with the rows of `vectors` (shape `[words.count, dimension]`).
    ///
    /// Traps when the shapes disagree or a word appears twice: both are mistakes in the calling
    /// code (a file with a repeated word is reported by the readers as a malformed file instead).
    public init(words: [String], vectors: Tensor<Float>) {
        precondition(vectors.rank == 2 && vectors.shape[0] == words.count,
                     "WordVectors: \(words.count) words for a table of shape \(vectors.shape)")
        var index: [String: Int] = [:]
        index.reserveCapacity(words.count)
        for (row, word) in words.enumerated() {
            precondition(index.updateValue(row, forKey: word) == nil, "WordVectors: the word '\(word)' appears twice")
        }
        self.words = words
        self.vectors = vectors.isContiguous ? vectors : vectors.contiguous()
        indexOfWord = index
    }

    /// Pairs `words` with the rows of `vectors`, a contiguous `[words.count, dimension]` table,
    /// given the row of each word: for the readers, which build that index while checking that
    /// no word repeats.
    init(words: [String], contiguousVectors vectors: Tensor<Float>, indexOfWord: [String: Int]) {
        assert(vectors.rank == 2 && vectors.shape[0] == words.count && vectors.isContiguous && indexOfWord.count == words.count)
        self.words = words
        self.vectors = vectors
        self.indexOfWord = indexOfWord
    }

    /// The number of words (rows).
    public var count: Int { words.count }

    /// The length of each vector.
    public var dimension: Int { vectors.shape[1] }

    /// The row of `word`, or nil when the vocabulary lacks it (the match is exact: case counts).
    public func index(of word: String) -> Int? { indexOfWord[word] }

    /// The vector of `word`, shape `[dimension]`, or nil when the vocabulary lacks it.
    public func vector(for word: String) -> Tensor<Float>? {
        index(of: word).map { vectors.selected(axis: 0, index: $0) }
    }
}
