import Foundation

extension WordVectors {
    /// Reads a word2vec (text or binary), fastText `.vec` or GloVe file: the words in file order,
    /// row `i` of ``vectors`` for `words[i]`.
    ///
    /// ```swift
    /// let glove = try WordVectors(contentsOf: URL(filePath: "glove.6B.100d.txt"))   // format told from the bytes
    /// let news = try WordVectors(contentsOf: URL(filePath: "GoogleNews-vectors-negative300.bin"), format: .word2vecBinary)
    /// news.vector(for: "king")?.shape   // [300]
    /// ```
    ///
    /// - Parameters:
    ///   - url: The file. It is mapped into memory and parsed across threads; the whole table is
    ///     read into memory (`count × dimension` floats).
    ///   - format: The file's format, or nil to tell it from the first bytes: a first line of two
    ///     whole numbers is word2vec's header (then the first row says text or binary), anything
    ///     else is GloVe. A GloVe file of 1-dimensional vectors whose first word is a number
    ///     looks like a header: name `.glove` for it.
    ///
    /// Text rows are `word v1 … vD`, fields separated by spaces or tabs, lines by `\n` or `\r\n`;
    /// trailing whitespace, and blank lines at the end of the file, are ignored. Values are read
    /// as the nearest `Float` to their decimal text (as `strtof` rounds), including `inf` and
    /// `nan`. A line with more fields than `D + 1` whose surplus fields (those between the first
    /// and the last `D`) are not numbers has a word with spaces in it, as GloVe's 840B file does
    /// (". . ."); a surplus field that is a number is a surplus value. Words are UTF-8.
    ///
    /// - Throws: `TensorError.io` when the file cannot be opened or mapped, and
    ///   `TensorError.malformedFile`, naming the byte offset and the line (text) or record
    ///   (binary, counted from 1), for an empty file; a header that is not two whole numbers or
    ///   has dimension 0; a line with the wrong number of values (found and expected) or a value
    ///   that is not a number; fewer or more rows than the header announces; a truncated binary
    ///   record; a word that is not UTF-8; a word that appears twice (Swift compares strings by
    ///   canonical equivalence, so `"café"` written precomposed and decomposed are one word). No
    ///   partial table is ever returned.
    public init(contentsOf url: URL, format: WordVectorFormat? = nil) throws(TensorError) {
        try self.init(contentsOf: url, format: format, textChunkByteCount: 4 << 20)
    }

    /// ``init(contentsOf:format:)`` with text cut into chunks of at least `textChunkByteCount`
    /// bytes for the threads (tests make them small, to check that the cuts change nothing).
    init(contentsOf url: URL, format: WordVectorFormat?, textChunkByteCount: Int) throws(TensorError) {
        let mapping = try FileReader(url: url).mapped()
        let path = url.path
        guard let base = mapping.base else { throw .malformedFile(path: path, offset: 0, reason: "the file is empty") }
        let file = base.assumingMemoryBound(to: UInt8.self)
        let layout = try WordVectorFileLayout(of: file, size: mapping.size, path: path, format: format)
        let vectors: Tensor<Float>
        let wordRanges: [Range<Int>]
        let rowName: (Int) -> String
        switch layout.format {
        case .word2vecBinary:
            let count = layout.announcedCount!, dimension = layout.dimension
            wordRanges = try WordVectorBinaryRecords.locateWords(
                count: count, dimension: dimension, from: layout.rowsStart, in: file, size: mapping.size, path: path)
            vectors = Tensor<Float>(unsafeUninitializedShape: [count, dimension]) { table in
                guard let table = table.baseAddress else { return }
                WordVectorBinaryRecords.copyVectors(of: wordRanges, in: file, dimension: dimension, into: table)
            }
            rowName = { "record \($0 + 1)" }
        case .word2vecText, .glove:
            (vectors, wordRanges) = try Self.readTextRows(of: file, size: mapping.size, path: path, layout: layout,
                                                          chunkByteCount: textChunkByteCount)
            let firstLine = layout.announcedCount == nil ? 1 : 2
            rowName = { "line \(firstLine + $0)" }
        }
        let (words, index) = try Self.indexedWords(at: wordRanges, of: file, path: path, rowName: rowName)
        withExtendedLifetime(mapping) {}
        self.init(words: words, contiguousVectors: vectors, indexOfWord: index)
    }

    /// The table and the words' byte ranges of a text file, its lines parsed in parallel chunks.
    private static func readTextRows(
        of file: UnsafePointer<UInt8>, size: Int, path: String, layout: WordVectorFileLayout, chunkByteCount: Int
    ) throws(TensorError) -> (Tensor<Float>, [Range<Int>]) {
        let dimension = layout.dimension
        let firstLine = layout.announcedCount == nil ? 1 : 2
        func lineFailure(_ row: Int, _ failure: WordVectorRowFailure) -> TensorError {
            .malformedFile(path: path, offset: failure.offset, reason: "line \(firstLine + row): \(failure.reason)")
        }
        let body = WordVectorBytes.trimmingTrailingWhitespace(layout.rowsStart..<size, in: file)
        // Several chunks per thread, so that a core slowed by other work holds up little.
        let chunkCount = Swift.max(1, Swift.min(ParallelConfiguration.maximumThreadCount * 4, body.count / chunkByteCount))
        let (ranges, rowCounts) = WordVectorTextRows.chunks(of: body, count: chunkCount, in: file)
        var chunks: [WordVectorTextRows.Chunk] = []
        var rowCount = 0
        for (range, count) in zip(ranges, rowCounts) {
            chunks.append(WordVectorTextRows.Chunk(bytes: range, firstRow: rowCount))
            rowCount += count
        }
        let capacity = Swift.min(rowCount, layout.announcedCount ?? rowCount)

        // Every value takes a byte at least, so a table larger than the body means that some line
        // is short: parse without storing to find it rather than allocate that table.
        if capacity > 0 && capacity > body.count / dimension {
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: dimension)
            defer { scratch.deallocate() }
            let whole = WordVectorTextRows.Chunk(bytes: body, firstRow: 0)
            let outcome = WordVectorTextRows.parse(whole, of: file, dimension: dimension, rowLimit: capacity,
                                                   into: scratch, rowStride: 0)
            guard let (row, failure) = outcome.failure else {
                preconditionFailure("\(capacity) rows of \(dimension) values parsed from \(body.count) bytes")
            }
            throw lineFailure(row, failure)
        }

        let outcomes = UnsafeMutableBufferPointer<WordVectorTextRows.ChunkOutcome>.allocate(capacity: chunks.count)
        outcomes.initialize(repeating: WordVectorTextRows.ChunkOutcome())
        defer { outcomes.deinitialize().deallocate() }
        let vectors = Tensor<Float>(unsafeUninitializedShape: [capacity, dimension]) { table in
            guard let table = table.baseAddress else { return }
            parallelForBalanced(chunks.count, grain: 1) { indices in
                for index in indices {
                    outcomes[index] = WordVectorTextRows.parse(chunks[index], of: file, dimension: dimension,
                                                               rowLimit: capacity, into: table, rowStride: dimension)
                }
            }
        }
        if let (row, failure) = outcomes.lazy.compactMap(\.failure).first { throw lineFailure(row, failure) }
        if let announced = layout.announcedCount {
            if rowCount > announced {
                // A header of 0 words parses no line, so no chunk has met the first surplus one.
                let surplus = outcomes.lazy.compactMap(\.firstSurplusLine).first ?? body.lowerBound
                throw .malformedFile(path: path, offset: surplus, reason: "line \(firstLine + announced): the header "
                                     + "announces \(WordVectorBytes.counted(announced, "word")), but the file goes on")
            }
            if rowCount < announced {
                throw .malformedFile(path: path, offset: size,
                                     reason: "the header announces \(WordVectorBytes.counted(announced, "word")), the file has \(rowCount)")
            }
        }
        return (vectors, outcomes.flatMap(\.words))
    }

    /// The words at `ranges`, and the row of each, checking that each is UTF-8 and appears once;
    /// `rowName` names a row in messages ("line 7").
    private static func indexedWords(
        at ranges: [Range<Int>], of file: UnsafePointer<UInt8>, path: String, rowName: (Int) -> String
    ) throws(TensorError) -> ([String], [String: Int]) {
        func bytes(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(start: file + range.lowerBound, count: range.count)
        }
        func hex(_ range: Range<Int>) -> String {
            bytes(range.lowerBound..<Swift.min(range.upperBound, range.lowerBound + 24))
                .map { String($0, radix: 16, uppercase: true) }.map { $0.count == 1 ? "0" + $0 : $0 }
                .joined(separator: " ") + (range.count > 24 ? " …" : "")
        }
        var words: [String] = []
        words.reserveCapacity(ranges.count)
        var index: [String: Int] = [:]
        index.reserveCapacity(ranges.count)
        for (row, range) in ranges.enumerated() {
            guard let word = String(validating: bytes(range), as: UTF8.self) else {
                throw .malformedFile(path: path, offset: range.lowerBound,
                                     reason: "\(rowName(row)): the word is not valid UTF-8 (bytes \(hex(range)))")
            }
            if let first = index.updateValue(row, forKey: word) {
                let firstRange = ranges[first]
                let reason = bytes(firstRange).elementsEqual(bytes(range))
                    ? "\(rowName(row)): the word '\(word)' appeared before, at \(rowName(first))"
                    : "\(rowName(row)): the word '\(word)' (bytes \(hex(range))) is the word '\(words[first])' of "
                        + "\(rowName(first)) (bytes \(hex(firstRange))) under Unicode canonical equivalence, by "
                        + "which Swift compares strings"
                throw .malformedFile(path: path, offset: range.lowerBound, reason: reason)
            }
            words.append(word)
        }
        return (words, index)
    }
}
