import Foundation

/// What the first line of a word-vector file says: the format (given, or told from the first
/// bytes), the dimension, the number of words a header announces, and where the rows start.
struct WordVectorFileLayout {
    let format: WordVectorFormat
    let dimension: Int
    /// The word count of a word2vec header; nil for GloVe, which has none.
    let announcedCount: Int?
    /// The offset of the first row.
    let rowsStart: Int

    /// Reads the layout of the `size` bytes at `file`, in `format`, or told apart when nil.
    ///
    /// Telling them apart: a first line of two whole numbers is a word2vec header, else the file
    /// is GloVe's. After a header, the file is text when its first row reads as a text row, or
    /// when the bytes where a binary vector would be hold no control character other than tab,
    /// line feed and carriage return (so that a malformed text row is reported as one); else binary.
    init(of file: UnsafePointer<UInt8>, size: Int, path: String, format: WordVectorFormat?) throws(TensorError) {
        guard size > 0 else { throw .malformedFile(path: path, offset: 0, reason: "the file is empty") }
        let (firstLine, afterFirstLine) = WordVectorTextRows.line(startingAt: 0, before: size, in: file)
        let header = Self.header(in: firstLine, of: file)
        switch format {
        case .glove?:
            self = try Self.glove(firstLine: firstLine, of: file, path: path)
        case .word2vecText?, .word2vecBinary?:
            guard let (count, dimension) = header else {
                let hint = format == .word2vecText ? "; a file without a header is in GloVe's format (format: .glove)" : ""
                throw .malformedFile(
                    path: path, offset: 0,
                    reason: "line 1: expected a word2vec header, two whole numbers 'count dimension', found "
                        + WordVectorBytes.quoted(firstLine, of: file) + hint)
            }
            self = try Self.word2vec(format!, count: count, dimension: dimension, rowsStart: afterFirstLine,
                                     file: file, size: size, path: path)
        case nil:
            if let (count, dimension) = header {
                let text = try Self.word2vec(.word2vecText, count: count, dimension: dimension, rowsStart: afterFirstLine,
                                             file: file, size: size, path: path)
                let isText = count == 0
                    || Self.startsWithTextRow(at: text.rowsStart, of: file, size: size, dimension: dimension)
                self = isText ? text : WordVectorFileLayout(format: .word2vecBinary, dimension: dimension,
                                                            announcedCount: count, rowsStart: text.rowsStart)
            } else {
                guard let glove = try? Self.glove(firstLine: firstLine, of: file, path: path) else {
                    throw .malformedFile(
                        path: path, offset: 0,
                        reason: "line 1 is neither a word2vec header ('count dimension') nor a GloVe row (a word and "
                            + "its values): " + WordVectorBytes.quoted(firstLine, of: file))
                }
                self = glove
            }
        }
    }

    private init(format: WordVectorFormat, dimension: Int, announcedCount: Int?, rowsStart: Int) {
        self.format = format
        self.dimension = dimension
        self.announcedCount = announcedCount
        self.rowsStart = rowsStart
    }

    private static func word2vec(
        _ format: WordVectorFormat, count: Int, dimension: Int, rowsStart: Int,
        file: UnsafePointer<UInt8>, size: Int, path: String
    ) throws(TensorError) -> WordVectorFileLayout {
        guard dimension > 0 else {
            throw .malformedFile(path: path, offset: 0, reason: "line 1: the header's dimension is 0; it must be at least 1")
        }
        // Each value takes at least a byte; a larger header would only make the reader allocate.
        guard count == 0 || dimension <= size else {
            throw .malformedFile(path: path, offset: 0,
                                 reason: "line 1: the header's dimension \(dimension) is more than the \(size)-byte file can hold")
        }
        return WordVectorFileLayout(format: format, dimension: dimension, announcedCount: count,
                                    rowsStart: Swift.min(rowsStart, size))
    }

    /// A GloVe file's layout: the dimension is the number of values on the first line, the
    /// numbers at its end (the fields before them are its word).
    private static func glove(firstLine: Range<Int>, of file: UnsafePointer<UInt8>, path: String) throws(TensorError) -> WordVectorFileLayout {
        let fields = WordVectorTextRows.fields(of: firstLine, in: file)
        guard !fields.isEmpty else { throw .malformedFile(path: path, offset: 0, reason: "line 1 is blank") }
        let trailingNumbers = fields.dropFirst().reversed().prefix { WordVectorTextRows.number(in: $0, of: file) != nil }.count
        guard trailingNumbers > 0 else {
            let after = fields.count > 1 ? WordVectorBytes.quoted(fields.last!, of: file) + " is not a number"
                                         : "no values follow the word"
            throw .malformedFile(path: path, offset: fields.last!.lowerBound,
                                 reason: "line 1: a GloVe row is a word and its values, but " + after)
        }
        return WordVectorFileLayout(format: .glove, dimension: trailingNumbers, announcedCount: nil, rowsStart: 0)
    }

    /// The word count and dimension of a word2vec header line, or nil when the line is not two
    /// whole numbers that fit an `Int`.
    static func header(in line: Range<Int>, of file: UnsafePointer<UInt8>) -> (count: Int, dimension: Int)? {
        let fields = WordVectorTextRows.fields(of: line, in: file)
        guard fields.count == 2, let count = wholeNumber(in: fields[0], of: file),
              let dimension = wholeNumber(in: fields[1], of: file) else { return nil }
        return (count, dimension)
    }

    private static func wholeNumber(in field: Range<Int>, of file: UnsafePointer<UInt8>) -> Int? {
        var value = 0
        for offset in field {
            let digit = file[offset] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (times10, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowAgain) = times10.addingReportingOverflow(Int(digit))
            guard !overflow && !overflowAgain else { return nil }
            value = sum
        }
        return value
    }

    /// Whether the rows after a header at `rowsStart` look like text rather than binary records.
    private static func startsWithTextRow(at rowsStart: Int, of file: UnsafePointer<UInt8>, size: Int, dimension: Int) -> Bool {
        let (line, _) = WordVectorTextRows.line(startingAt: rowsStart, before: size, in: file)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: dimension)
        defer { scratch.deallocate() }
        if case .success = WordVectorTextRows.parse(line: line, of: file, dimension: dimension, into: scratch) { return true }
        var wordStart = rowsStart
        while wordStart < size && file[wordStart] == UInt8(ascii: "\n") { wordStart += 1 }
        guard let space = WordVectorBytes.firstOffset(of: UInt8(ascii: " "), in: wordStart..<size, of: file) else { return true }
        let vectorStart = space + 1
        let vectorEnd = Swift.min(size, vectorStart + dimension * MemoryLayout<Float>.size)
        return !(vectorStart..<vectorEnd).contains { offset in
            let byte = file[offset]
            return (byte < 0x20 && byte != UInt8(ascii: "\t") && byte != UInt8(ascii: "\n") && byte != UInt8(ascii: "\r"))
                || byte == 0x7F
        }
    }
}
