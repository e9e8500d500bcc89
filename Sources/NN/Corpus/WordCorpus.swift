import Foundation

/// A UTF-8 text file read as batches of sentences of word ids, once per word2vec epoch, in
/// chunks: the file may be larger than memory and its lines of any length.
///
/// **Words.** The text splits as `WordTokenizer.split(_:specialTokens: [])` splits it: words
/// break at Unicode whitespace (the `White_Space` property) and around the punctuation marks
/// `, . : ; ? _ ! " ( ) '` and the dash `--`, each a word of its own; case is kept.
///
/// **Sentences.** A sentence ends at each line end (`\n`, or `\r\n`) and after every
/// ``maximumSentenceLength`` words of a line, counting the words outside the vocabulary, as
/// gensim's `LineSentence` cuts lines; lines without words make no sentence.
///
/// **Batches.** A batch holds whole sentences and closes at the first sentence end at which it
/// has read ``wordsPerBatch`` words or more, so it reads fewer than `wordsPerBatch +
/// maximumSentenceLength` words; the last batch takes what is left. Words outside the vocabulary
/// are dropped (before subsampling, as gensim drops them) but counted in
/// ``SentenceBatch/rawWordCount``, so the batches of a pass add up to the text's word count. The
/// batches depend on the text, the vocabulary, `maximumSentenceLength` and `wordsPerBatch`, never
/// on the chunk size.
///
/// **Memory.** A pass holds one chunk of the file, its longest word and one batch, whatever the
/// size of the file or the length of its lines; the file is read, never mapped. Each pass reads
/// the file again, so it must not change between passes.
///
/// **Errors.** The text must be UTF-8 (a byte-order mark at the start is skipped): the first byte
/// that is not throws `TensorError.malformedFile` with its offset and line. A file that cannot be
/// read throws `TensorError.io`.
///
/// ```swift
/// let counts = try WordCounts(contentsOf: url)
/// let vocabulary = counts.vocabulary(minimumCount: 5)
/// let corpus = WordCorpus(contentsOf: url, vocabulary: vocabulary)
/// for epoch in 0..<5 {
///     try corpus.forEachBatch { batch in
///         print(epoch, batch.index, batch.sentenceCount, batch.wordIDs.count, batch.rawWordCount)
///     }
/// }
/// ```
public struct WordCorpus: Sendable {
    /// gensim's `MAX_WORDS_IN_BATCH`, the longest sentence it trains on.
    public static let defaultMaximumSentenceLength = 10_000
    /// 2²⁰ words: at most 4 MiB of ids, and a bounded stretch of training between two batches.
    public static let defaultWordsPerBatch = 1 << 20
    /// 4 MiB: large enough that the reads cost nothing beside the splitting, small beside memory.
    public static let defaultChunkSize = 4 << 20

    /// The text file.
    public let url: URL
    /// The words kept, and their ids.
    public let vocabulary: WordVocabulary
    /// Lines are cut into sentences of this many words (their last sentence may be shorter).
    public let maximumSentenceLength: Int
    /// A batch closes at the first sentence end at which it has read this many words.
    public let wordsPerBatch: Int
    /// The bytes read at a time.
    public let chunkSize: Int
    /// The bytes whose lines are read, or nil for the whole file.
    public let byteRange: Range<Int>?

    /// The text of `url`, encoded with `vocabulary`.
    ///
    /// Nothing is read until ``forEachBatch(_:)``.
    ///
    /// - Parameters:
    ///   - url: The UTF-8 text file.
    ///   - vocabulary: The words kept (from ``WordCounts/vocabulary(minimumCount:)``); the others
    ///     are dropped.
    ///   - maximumSentenceLength: The longest sentence, in words; gensim's by default.
    ///   - wordsPerBatch: The words a batch reads before it closes at a sentence end: it bounds
    ///     the work and memory of one batch.
    ///   - chunkSize: The bytes read at a time (4 MiB by default); any size gives the same batches.
    public init(contentsOf url: URL, vocabulary: WordVocabulary,
                maximumSentenceLength: Int = WordCorpus.defaultMaximumSentenceLength,
                wordsPerBatch: Int = WordCorpus.defaultWordsPerBatch, chunkSize: Int = WordCorpus.defaultChunkSize) {
        self.init(url: url, vocabulary: vocabulary, byteRange: nil, maximumSentenceLength: maximumSentenceLength,
                  wordsPerBatch: wordsPerBatch, chunkSize: chunkSize)
    }

    /// The lines of `url` that start within `byteRange`, encoded with `vocabulary`: for splitting
    /// one text between several workers.
    ///
    /// Reading starts at the first line start at or after `byteRange.lowerBound` (the file's
    /// start counts as a line start; a byte-order mark there is skipped) and ends at the end of
    /// the line that holds byte `byteRange.upperBound - 1`. So ranges that cut a file into
    /// consecutive pieces, `0..<a`, `a..<b`, …, `z..<fileSize`, read each line exactly once,
    /// wherever the cuts fall. Errors name a line by the offset where it starts, except in a
    /// range starting at 0.
    ///
    /// ```swift
    /// let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as! Int
    /// let halves = [0..<size / 2, size / 2..<size].map {
    ///     WordCorpus(contentsOf: url, vocabulary: vocabulary, byteRange: $0)
    /// }
    /// ```
    public init(contentsOf url: URL, vocabulary: WordVocabulary, byteRange: Range<Int>,
                maximumSentenceLength: Int = WordCorpus.defaultMaximumSentenceLength,
                wordsPerBatch: Int = WordCorpus.defaultWordsPerBatch, chunkSize: Int = WordCorpus.defaultChunkSize) {
        precondition(byteRange.lowerBound >= 0, "a byte range starts at 0 or later, got \(byteRange)")
        self.init(url: url, vocabulary: vocabulary, byteRange: byteRange as Range<Int>?,
                  maximumSentenceLength: maximumSentenceLength, wordsPerBatch: wordsPerBatch, chunkSize: chunkSize)
    }

    private init(url: URL, vocabulary: WordVocabulary, byteRange: Range<Int>?, maximumSentenceLength: Int,
                 wordsPerBatch: Int, chunkSize: Int) {
        precondition(maximumSentenceLength >= 1, "maximumSentenceLength must be at least 1, got \(maximumSentenceLength)")
        precondition(wordsPerBatch >= 1, "wordsPerBatch must be at least 1, got \(wordsPerBatch)")
        precondition(chunkSize >= 1, "chunkSize must be at least 1, got \(chunkSize)")
        self.url = url
        self.vocabulary = vocabulary
        self.byteRange = byteRange
        self.maximumSentenceLength = maximumSentenceLength
        self.wordsPerBatch = wordsPerBatch
        self.chunkSize = chunkSize
    }

    /// Reads the text once, calling `body` with each batch in order: one epoch.
    ///
    /// The batch's arrays are reused for the next batch when `body` keeps no copy of them, so a
    /// pass allocates its buffers once.
    ///
    /// - Throws: `TensorError.io` or `TensorError.malformedFile` from reading (after `body` has
    ///   seen the batches before the error), or what `body` throws.
    public func forEachBatch(_ body: (SentenceBatch) throws -> Void) throws {
        var reader = try WordReader(url: url, byteRange: byteRange, chunkSize: chunkSize,
                                    maximumSentenceLength: maximumSentenceLength)
        var builder = SentenceBatchBuilder(table: vocabulary.table, wordsPerBatch: wordsPerBatch)
        var index = 0
        while true {
            let isComplete = try reader.read(into: &builder)
            if builder.rawWordCount > 0 {
                try builder.handOut(index: index, to: body)
                index += 1
            }
            if !isComplete { return }
        }
    }
}

/// Collects the ids of the sentences of one batch, asking to pause when the batch is complete.
///
/// Its arrays grow during the first batch, then serve every later one (see ``handOut(index:to:)``).
private struct SentenceBatchBuilder: WordSink {
    let table: WordHashTable
    let wordsPerBatch: Int
    var wordIDs: [Int32] = []
    var sentenceOffsets: [Int] = [0]
    var rawWordCount = 0

    mutating func word(_ bytes: UnsafePointer<UInt8>, count: Int) {
        rawWordCount += 1
        if let id = table.number(of: WordKey(readingPast: bytes, count: count)) {
            wordIDs.append(Int32(truncatingIfNeeded: id))
        }
    }

    mutating func endSentence() -> Bool {
        if wordIDs.count > sentenceOffsets[sentenceOffsets.count - 1] { sentenceOffsets.append(wordIDs.count) }
        return rawWordCount >= wordsPerBatch
    }

    /// Passes the batch to `body`, then empties it, keeping the arrays' storage when `body` kept
    /// no copy of them.
    mutating func handOut(index: Int, to body: (SentenceBatch) throws -> Void) rethrows {
        let batch = SentenceBatch(index: index, wordIDs: wordIDs, sentenceOffsets: sentenceOffsets,
                                  rawWordCount: rawWordCount)
        // Release this builder's references first, so that the arrays are uniquely the batch's
        // while `body` runs and uniquely this builder's again afterwards.
        wordIDs = []
        sentenceOffsets = []
        try body(batch)
        (wordIDs, sentenceOffsets) = (consume batch).arrays()
        wordIDs.removeAll(keepingCapacity: true)
        sentenceOffsets.removeAll(keepingCapacity: true)
        sentenceOffsets.append(0)
        rawWordCount = 0
    }
}
