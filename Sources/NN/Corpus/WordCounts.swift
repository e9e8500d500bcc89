import Foundation

/// Every distinct word of a text file with the number of times it occurs, from one pass over the
/// file: the first step of word2vec training, before ``vocabulary(minimumCount:)``.
///
/// Words are split as `WordTokenizer.split(_:specialTokens: [])` splits them (see
/// ``WordCorpus``), on the bytes of the file, read in chunks: the file may be larger than
/// memory and its lines of any length. Two words are the same when their bytes are (no Unicode
/// normalization, unlike `String`'s `==`); case is kept.
///
/// ```swift
/// let counts = try WordCounts(contentsOf: url)
/// counts.totalWordCount       // every word of the text
/// counts.distinctWordCount
/// counts.count(of: "the")
/// let vocabulary = counts.vocabulary(minimumCount: 5)
/// ```
public struct WordCounts: Sendable {
    /// The distinct words, numbered by first appearance.
    private let table: WordHashTable
    /// The occurrences of each word of `table`, by number.
    private let occurrences: [Int]
    /// The number of words in the text.
    public let totalWordCount: Int
    /// The number of sentences: a line of `n` words (n > 0) is ⌈n / maximumSentenceLength⌉.
    public let sentenceCount: Int
    /// The number of lines: the line feeds, plus one when the text does not end with one.
    public let lineCount: Int
    /// The size of the text in bytes (a byte-order mark included); for a byte range, the bytes of
    /// the lines that start in it.
    public let byteCount: Int
    /// The sentence length the text was cut at.
    public let maximumSentenceLength: Int

    /// Counts the words of the UTF-8 text file at `url`, reading it once in chunks of
    /// `chunkSize` bytes.
    ///
    /// Memory holds one chunk, the longest word and the distinct words.
    ///
    /// - Parameters:
    ///   - url: The UTF-8 text file.
    ///   - maximumSentenceLength: A line is cut into sentences of this many words (its last
    ///     sentence may be shorter); gensim's limit by default. Only ``sentenceCount`` depends on it.
    ///   - chunkSize: The bytes read at a time; any size gives the same counts.
    /// - Throws: `TensorError.io` when the file cannot be read; `TensorError.malformedFile` at
    ///   the first byte that is not UTF-8, naming its line.
    public init(contentsOf url: URL, maximumSentenceLength: Int = WordCorpus.defaultMaximumSentenceLength,
                chunkSize: Int = WordCorpus.defaultChunkSize) throws(TensorError) {
        try self.init(url: url, byteRange: nil, maximumSentenceLength: maximumSentenceLength, chunkSize: chunkSize)
    }

    /// Counts the words of the lines of `url` that start within `byteRange`, as
    /// ``WordCorpus/init(contentsOf:vocabulary:byteRange:maximumSentenceLength:wordsPerBatch:chunkSize:)``
    /// reads them: ranges that cut a file into consecutive pieces count each line once, and
    /// ``init(combining:)`` of their counts, in file order, equals the whole file's counts.
    ///
    /// ```swift
    /// let halves = try [0..<fileSize / 2, fileSize / 2..<fileSize].map { try WordCounts(contentsOf: url, byteRange: $0) }
    /// let whole = WordCounts(combining: halves)   // as WordCounts(contentsOf: url)
    /// ```
    public init(contentsOf url: URL, byteRange: Range<Int>,
                maximumSentenceLength: Int = WordCorpus.defaultMaximumSentenceLength,
                chunkSize: Int = WordCorpus.defaultChunkSize) throws(TensorError) {
        precondition(byteRange.lowerBound >= 0, "a byte range starts at 0 or later, got \(byteRange)")
        try self.init(url: url, byteRange: byteRange as Range<Int>?, maximumSentenceLength: maximumSentenceLength,
                      chunkSize: chunkSize)
    }

    private init(url: URL, byteRange: Range<Int>?, maximumSentenceLength: Int, chunkSize: Int) throws(TensorError) {
        var reader = try WordReader(url: url, byteRange: byteRange, chunkSize: chunkSize,
                                    maximumSentenceLength: maximumSentenceLength)
        // A piece's bytes start at its first line; the first piece's include the byte-order mark.
        let start = (byteRange?.lowerBound ?? 0) == 0 ? 0 : reader.splitOffset
        var counter = WordCounter()
        while try reader.read(into: &counter) {}
        table = counter.table
        occurrences = counter.occurrences
        totalWordCount = counter.wordCount
        sentenceCount = counter.sentenceCount
        lineCount = reader.lineCount
        byteCount = reader.splitOffset - start
        self.maximumSentenceLength = maximumSentenceLength
    }

    /// The counts of consecutive pieces of one text, `parts` in text order: each word's count is
    /// the sum of its counts, and the words are numbered by first appearance in the whole text
    /// (part 0's words, then part 1's new words, …), so the vocabulary is the whole text's.
    ///
    /// Traps unless the parts were cut at the same sentence length.
    ///
    /// ```swift
    /// let halves = try [0..<fileSize / 2, fileSize / 2..<fileSize].map { try WordCounts(contentsOf: url, byteRange: $0) }
    /// WordCounts(combining: halves).totalWordCount   // the whole file's
    /// ```
    public init(combining parts: [WordCounts]) {
        precondition(!parts.isEmpty, "WordCounts(combining:) needs at least one part")
        let length = parts[0].maximumSentenceLength
        precondition(parts.allSatisfy { $0.maximumSentenceLength == length },
                     "WordCounts(combining:): the parts were cut at different sentence lengths")
        var table = WordHashTable(minimumCapacity: parts.map(\.distinctWordCount).max() ?? 0)
        var occurrences: [Int] = []
        for part in parts {
            for number in 0..<part.table.count {
                let (combined, inserted) = part.table.withBytes(of: number) { table.insert(WordKey($0)) }
                if inserted { occurrences.append(0) }
                occurrences[combined] += part.occurrences[number]
            }
        }
        self.table = table
        self.occurrences = occurrences
        totalWordCount = parts.reduce(0) { $0 + $1.totalWordCount }
        sentenceCount = parts.reduce(0) { $0 + $1.sentenceCount }
        lineCount = parts.reduce(0) { $0 + $1.lineCount }
        byteCount = parts.reduce(0) { $0 + $1.byteCount }
        maximumSentenceLength = length
    }

    /// The number of distinct words.
    public var distinctWordCount: Int { table.count }

    /// The number of times `word` occurs in the text (0 when it does not).
    public func count(of word: String) -> Int {
        table.number(of: word).map { occurrences[$0] } ?? 0
    }

    /// Calls `body` with every distinct word and its count, in the order of first appearance.
    ///
    /// ```swift
    /// counts.forEachWord { word, count in print(word, count) }
    /// ```
    public func forEachWord(_ body: (_ word: String, _ count: Int) throws -> Void) rethrows {
        for number in 0..<table.count { try body(table.string(at: number), occurrences[number]) }
    }

    /// The words seen at least `minimumCount` times, most frequent first, ties in the order the
    /// words first appear in the text; as word2vec and gensim build theirs (`min_count`, 5 by
    /// default in both).
    ///
    /// ```swift
    /// let vocabulary = counts.vocabulary(minimumCount: 5)
    /// vocabulary.words.prefix(3)       // the most frequent words: [",", "the", "."] in an English text
    /// vocabulary.retainedWordCount     // the words of the text the vocabulary keeps
    /// ```
    public func vocabulary(minimumCount: Int = 5) -> WordVocabulary {
        precondition(minimumCount >= 1, "minimumCount must be at least 1, got \(minimumCount)")
        let retained = (0..<table.count).filter { occurrences[$0] >= minimumCount }
            .sorted { occurrences[$0] != occurrences[$1] ? occurrences[$0] > occurrences[$1] : $0 < $1 }
        var vocabularyTable = WordHashTable(minimumCapacity: retained.count)
        for number in retained {
            table.withBytes(of: number) { _ = vocabularyTable.insert(WordKey($0)) }
        }
        return WordVocabulary(table: vocabularyTable, counts: retained.map { occurrences[$0] },
                              totalWordCount: totalWordCount)
    }
}

extension WordCounts {
    /// The counts as bytes, for sending to other processes: the totals, then each word in
    /// order of first appearance as its length, its bytes and its count (integers little-endian).
    func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        func append(_ value: Int) { withUnsafeBytes(of: Int64(value).littleEndian) { bytes.append(contentsOf: $0) } }
        for total in [totalWordCount, sentenceCount, lineCount, byteCount, maximumSentenceLength, table.count] {
            append(total)
        }
        for number in 0..<table.count {
            table.withBytes(of: number) { word in
                append(word.count)
                bytes.append(contentsOf: word)
            }
            append(occurrences[number])
        }
        return bytes
    }

    /// Counts decoded from ``encoded()``'s bytes, or nil if they are not such bytes.
    init?(encoded bytes: [UInt8]) {
        var cursor = 0
        func next() -> Int? {
            guard cursor + 8 <= bytes.count else { return nil }
            defer { cursor += 8 }
            return Int(Int64(littleEndian: bytes[cursor..<cursor + 8].withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }))
        }
        guard let total = next(), let sentences = next(), let lines = next(), let size = next(), let length = next(),
              let distinct = next(), distinct >= 0, distinct <= bytes.count / 16 else { return nil }
        var table = WordHashTable(minimumCapacity: distinct)
        var occurrences: [Int] = []
        occurrences.reserveCapacity(distinct)
        for _ in 0..<distinct {
            guard let count = next(), count >= 0, cursor + count <= bytes.count else { return nil }
            let inserted = bytes[cursor..<cursor + count].withUnsafeBytes { table.insert(WordKey($0)).inserted }
            cursor += count
            guard inserted, let occurrence = next() else { return nil }
            occurrences.append(occurrence)
        }
        guard cursor == bytes.count else { return nil }
        self.table = table
        self.occurrences = occurrences
        totalWordCount = total
        sentenceCount = sentences
        lineCount = lines
        byteCount = size
        maximumSentenceLength = length
    }
}

/// Counts each word a ``WordSplitter`` finds.
private struct WordCounter: WordSink {
    var table = WordHashTable()
    var occurrences: [Int] = []
    var wordCount = 0
    var sentenceCount = 0

    mutating func word(_ bytes: UnsafePointer<UInt8>, count: Int) {
        let (number, inserted) = table.insert(WordKey(readingPast: bytes, count: count))
        if inserted {
            occurrences.append(1)
        } else {
            occurrences[number] += 1
        }
        wordCount += 1
    }

    mutating func endSentence() -> Bool {
        sentenceCount += 1
        return false
    }
}
