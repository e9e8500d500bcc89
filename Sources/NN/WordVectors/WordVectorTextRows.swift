/// What is wrong with one row of a word-vector file, and the byte where it goes wrong; the reader
/// adds which line or record it is.
struct WordVectorRowFailure: Error {
    let offset: Int
    let reason: String
}

/// The rows of a word2vec text or GloVe file: `word v1 … vD` per line, parsed straight from the
/// mapped bytes, a few megabytes of lines per thread.
///
/// Every function here reads the file through `file`, a pointer to its first byte. Precondition
/// (all of them): every byte range handed in lies within the file, and output pointers have room
/// for the rows written to them.
enum WordVectorTextRows {
    /// Parses `line` (without its line feed and trailing whitespace) as a word and `dimension`
    /// values, writing the values to `values`, and returns the word's byte range.
    ///
    /// Fields between the first and the last `dimension` that are not numbers belong to the
    /// word, because GloVe's 840B file has words with spaces in them (". . .",
    /// "at name@domain.com"); a surplus field that is a number is a surplus value.
    static func parse(
        line: Range<Int>, of file: UnsafePointer<UInt8>, dimension: Int, into values: UnsafeMutablePointer<Float>
    ) -> Result<Range<Int>, WordVectorRowFailure> {
        let limit = file + line.upperBound
        var position = file + line.lowerBound
        guard position < limit else { return .failure(WordVectorRowFailure(offset: line.lowerBound, reason: "the line is blank")) }
        guard !FloatText.isFieldSeparator(position.pointee) else {
            return .failure(WordVectorRowFailure(offset: line.lowerBound, reason: "the line starts with whitespace, so its word is missing"))
        }
        while position < limit && !FloatText.isFieldSeparator(position.pointee) { position += 1 }
        let word = line.lowerBound..<(position - file)
        for index in 0..<dimension {
            while position < limit && FloatText.isFieldSeparator(position.pointee) { position += 1 }
            guard position < limit, let parsed = FloatText.parseField(at: position, limit: limit) else {
                return parseFieldByField(line: line, of: file, dimension: dimension, into: values)
            }
            values[index] = parsed.value
            position = parsed.end
        }
        while position < limit && FloatText.isFieldSeparator(position.pointee) { position += 1 }
        guard position == limit else { return parseFieldByField(line: line, of: file, dimension: dimension, into: values) }
        return .success(word)
    }

    /// ``parse(line:of:dimension:into:)`` for the lines its single pass rejects: splits the line
    /// into fields first, to take a word with spaces or to say exactly what is wrong.
    private static func parseFieldByField(
        line: Range<Int>, of file: UnsafePointer<UInt8>, dimension: Int, into values: UnsafeMutablePointer<Float>
    ) -> Result<Range<Int>, WordVectorRowFailure> {
        let fields = self.fields(of: line, in: file)
        let valueCount = fields.count - 1
        let wordText = WordVectorBytes.quoted(fields[0], of: file)
        guard valueCount >= dimension else {
            return .failure(WordVectorRowFailure(
                offset: line.upperBound,
                reason: "\(WordVectorBytes.counted(valueCount, "value")) after the word \(wordText), expected \(dimension)"))
        }
        let wordFieldCount = fields.count - dimension
        if fields[1..<wordFieldCount].contains(where: { number(in: $0, of: file) != nil }) {
            return .failure(WordVectorRowFailure(
                offset: fields[dimension + 1].lowerBound,
                reason: "\(WordVectorBytes.counted(valueCount, "value")) after the word \(wordText), expected \(dimension)"))
        }
        let word = fields[0].lowerBound..<fields[wordFieldCount - 1].upperBound
        for (index, field) in fields[wordFieldCount...].enumerated() {
            guard let value = number(in: field, of: file) else {
                return .failure(WordVectorRowFailure(
                    offset: field.lowerBound,
                    reason: "value \(index + 1) of the word \(WordVectorBytes.quoted(word, of: file)), "
                        + "\(WordVectorBytes.quoted(field, of: file)), is not a number"))
            }
            values[index] = value
        }
        return .success(word)
    }

    /// The byte ranges of the space- or tab-separated fields of `line`.
    static func fields(of line: Range<Int>, in file: UnsafePointer<UInt8>) -> [Range<Int>] {
        var fields: [Range<Int>] = []
        var position = line.lowerBound
        while position < line.upperBound {
            while position < line.upperBound && FloatText.isFieldSeparator(file[position]) { position += 1 }
            let start = position
            while position < line.upperBound && !FloatText.isFieldSeparator(file[position]) { position += 1 }
            if position > start { fields.append(start..<position) }
        }
        return fields
    }

    /// The field `field` as a number, or nil when it is not one.
    static func number(in field: Range<Int>, of file: UnsafePointer<UInt8>) -> Float? {
        guard !field.isEmpty, let parsed = FloatText.parseField(at: file + field.lowerBound, limit: file + field.upperBound),
              parsed.end == file + field.upperBound else { return nil }
        return parsed.value
    }

    /// The line that starts at `start`, without its line feed and trailing whitespace, and the
    /// offset where the next line starts (past `end` when the line is the last before `end`).
    static func line(startingAt start: Int, before end: Int, in file: UnsafePointer<UInt8>) -> (line: Range<Int>, next: Int) {
        let lineEnd = WordVectorBytes.firstOffset(of: UInt8(ascii: "\n"), in: start..<end, of: file) ?? end
        return (start..<WordVectorBytes.trimmingTrailingWhitespace(start..<lineEnd, in: file).upperBound, lineEnd + 1)
    }

    /// The number of line feeds in `range`.
    static func lineFeedCount(in range: Range<Int>, of file: UnsafePointer<UInt8>) -> Int {
        // The C library's memchr runs through a line of vectors (kilobytes) many bytes per
        // instruction; a byte loop here ran at a tenth of its speed.
        var count = 0
        var start = range.lowerBound
        while let lineFeed = WordVectorBytes.firstOffset(of: UInt8(ascii: "\n"), in: start..<range.upperBound, of: file) {
            count += 1
            start = lineFeed + 1
        }
        return count
    }

    /// A stretch of whole lines, and the row the first of them holds.
    struct Chunk {
        let bytes: Range<Int>
        let firstRow: Int
    }

    /// What parsing a chunk gave: the words' byte ranges in row order, and where it stopped early.
    struct ChunkOutcome {
        var words: [Range<Int>] = []
        /// The first row that failed, and why.
        var failure: (row: Int, failure: WordVectorRowFailure)?
        /// The start of the first line past `rowLimit`, when the chunk reaches one.
        var firstSurplusLine: Int?
    }

    /// `body` (whole lines, ending without trailing whitespace) cut at line feeds into about
    /// `count` chunks, each told the row its first line holds; also the total number of lines.
    static func chunks(of body: Range<Int>, count: Int, in file: UnsafePointer<UInt8>) -> (chunks: [Range<Int>], rowCounts: [Int]) {
        guard !body.isEmpty else { return ([], []) }
        var bounds = [body.lowerBound]
        for index in 1..<Swift.max(count, 1) {
            let nominal = Swift.max(body.lowerBound + body.count / count * index, bounds.last!)
            let cut = WordVectorBytes.firstOffset(of: UInt8(ascii: "\n"), in: nominal..<body.upperBound, of: file)
                .map { $0 + 1 } ?? body.upperBound
            if cut > bounds.last! && cut < body.upperBound { bounds.append(cut) }
        }
        bounds.append(body.upperBound)
        let ranges = (0..<bounds.count - 1).map { bounds[$0]..<bounds[$0 + 1] }
        var rowCounts = [Int](repeating: 0, count: ranges.count)
        rowCounts.withUnsafeMutableBufferPointer { rowCounts in
            parallelForBalanced(ranges.count, grain: 1) { indices in
                for index in indices {
                    // The body ends without a line feed, so its last line is one more than its line feeds.
                    rowCounts[index] = lineFeedCount(in: ranges[index], of: file) + (index == ranges.count - 1 ? 1 : 0)
                }
            }
        }
        return (ranges, rowCounts)
    }

    /// Parses the lines of `chunk` into `output`, row `r` at `output + r * rowStride`, up to row
    /// `rowLimit` (exclusive). A `rowStride` of 0 parses every row into the same scratch row.
    static func parse(
        _ chunk: Chunk, of file: UnsafePointer<UInt8>, dimension: Int, rowLimit: Int,
        into output: UnsafeMutablePointer<Float>, rowStride: Int
    ) -> ChunkOutcome {
        var outcome = ChunkOutcome()
        var start = chunk.bytes.lowerBound
        var row = chunk.firstRow
        while start < chunk.bytes.upperBound {
            guard row < rowLimit else {
                outcome.firstSurplusLine = start
                return outcome
            }
            let (line, next) = self.line(startingAt: start, before: chunk.bytes.upperBound, in: file)
            switch parse(line: line, of: file, dimension: dimension, into: output + row * rowStride) {
            case .success(let word): outcome.words.append(word)
            case .failure(let failure):
                outcome.failure = (row, failure)
                return outcome
            }
            row += 1
            start = next
        }
        return outcome
    }
}
