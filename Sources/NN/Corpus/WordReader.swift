#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reads the words of a UTF-8 text file in chunks of a fixed size, through a ``WordSplitter``,
/// so that memory stays at one chunk plus the longest word whatever the size of the file or the
/// length of its lines.
///
/// The file is read with `pread(2)` into one buffer reused for every chunk, never mapped: the
/// pages of a mapping that reading touches count as the process's resident memory until it ends,
/// so mapping a text larger than memory would fill it. After each chunk the bytes of the
/// unfinished word (and of a `-` or a character the chunk cut off) move to the front of the
/// buffer and the next chunk is read after them; the buffer grows only when a word is longer
/// than a chunk.
///
/// A UTF-8 byte-order mark at the start of the file is skipped. With a byte range, reading covers
/// the lines that start within the range: from the first line start at or after its lower bound
/// to the end of the line holding the byte before its upper bound.
struct WordReader {
    private let file: FileReader
    private let chunkSize: Int
    private var buffer: [UInt8]
    /// The bytes read into `buffer` so far.
    private var filled = 0
    /// The file offset of `buffer[0]`.
    private var bufferOffset: Int
    /// The file offset the next chunk is read from.
    private var readOffset: Int
    /// Whether reading has reached the end of the file.
    private var atEndOfFile = false
    /// Whether the text (or the range's lines) has ended and every word has been given.
    private var hasEnded: Bool
    /// The first byte of `buffer` not yet split, and the start of the unfinished word before it.
    private var position = 0
    private var wordStart = 0
    private var splitter: WordSplitter
    /// Reading stops after the line feed that ends the line holding byte `lineStartLimit - 1`.
    private let lineStartLimit: Int

    /// Bytes kept readable after the text in `buffer`, never filled: a ``WordSink`` may load 8
    /// bytes at the start of a word of 1.
    private static let slack = 7

    /// Opens `url` to read the lines that start within `byteRange` (every line when nil).
    init(url: URL, byteRange: Range<Int>? = nil, chunkSize: Int, maximumSentenceLength: Int) throws(TensorError) {
        precondition(chunkSize >= 1, "chunkSize must be at least 1, got \(chunkSize)")
        precondition(byteRange.map { $0.lowerBound >= 0 } ?? true, "a byte range starts at 0 or later")
        file = try FileReader(url: url)
        self.chunkSize = chunkSize
        buffer = [UInt8](repeating: 0, count: chunkSize + Self.slack)
        lineStartLimit = byteRange?.upperBound ?? .max
        let requestedStart = byteRange?.lowerBound ?? 0
        let start = requestedStart == 0 ? try file.byteOrderMarkLength()
            : try file.lineStart(atOrAfter: requestedStart, scratch: &buffer)
        bufferOffset = start
        readOffset = start
        // A byte-order mark belongs to the first line, which starts at 0.
        hasEnded = requestedStart == 0 ? lineStartLimit == 0 : start >= lineStartLimit
        splitter = WordSplitter(maximumSentenceLength: maximumSentenceLength, path: url.path,
                                firstLineStart: start, firstLineNumber: requestedStart == 0 ? 1 : nil)
    }

    /// The file offset just past the bytes split so far: at the end, where the text (or the
    /// range's last line) ends.
    var splitOffset: Int { bufferOffset + position }

    /// The number of lines read so far: the line feeds, and the last line if it has started.
    var lineCount: Int { splitter.lineFeedCount + (splitOffset > splitter.lineStart ? 1 : 0) }

    /// Gives `sink` the words and sentence ends that follow, until the sink asks to pause (then
    /// returns true) or the text ends (then returns false, and does so on every later call).
    mutating func read<Sink: WordSink>(into sink: inout Sink) throws(TensorError) -> Bool {
        while !hasEnded {
            let stop = try buffer.withUnsafeBufferPointer { (buffer) throws(TensorError) -> WordSplitterStop in
                try splitter.split(UnsafeBufferPointer(rebasing: buffer[..<filled]), startingAt: bufferOffset,
                                   from: &position, wordStart: &wordStart, isFinal: atEndOfFile,
                                   lineStartLimit: lineStartLimit, into: &sink)
            }
            switch stop {
            case .paused: return true
            case .ended: hasEnded = true
            case .needsMoreText: try readChunk()
            }
        }
        return false
    }

    /// Moves the unfinished word to the front of the buffer and reads the next chunk after it.
    private mutating func readChunk() throws(TensorError) {
        if wordStart > 0 {
            let kept = filled - wordStart
            buffer.withUnsafeMutableBufferPointer { buffer in
                _ = memmove(buffer.baseAddress!, buffer.baseAddress! + wordStart, kept)
            }
            bufferOffset += wordStart
            position -= wordStart
            wordStart = 0
            filled = kept
        }
        // Reads are of a chunk or of the room left, at least half a chunk: the buffer grows (to
        // twice the word and a chunk) only when a word fills more than half of it.
        if buffer.count - Self.slack - filled < (chunkSize + 1) / 2 {
            var grown = [UInt8](repeating: 0, count: 2 * (filled + chunkSize) + Self.slack)
            grown.withUnsafeMutableBufferPointer { grown in
                buffer.withUnsafeBufferPointer { buffer in
                    grown.baseAddress!.update(from: buffer.baseAddress!, count: filled)
                }
            }
            buffer = grown
        }
        let count = try buffer.withUnsafeMutableBufferPointer { (buffer) throws(TensorError) -> Int in
            try file.read(into: UnsafeMutableRawPointer(buffer.baseAddress! + filled),
                          count: min(chunkSize, buffer.count - Self.slack - filled), at: readOffset)
        }
        filled += count
        readOffset += count
        atEndOfFile = count == 0
    }
}

extension FileReader {
    /// 3 when the file starts with a UTF-8 byte-order mark, else 0.
    func byteOrderMarkLength() throws(TensorError) -> Int {
        var head: (UInt8, UInt8, UInt8) = (0, 0, 0)
        let count = try withUnsafeMutableBytes(of: &head) { (head) throws(TensorError) -> Int in
            try read(into: head.baseAddress!, count: 3, at: 0)
        }
        return count == 3 && head == (0xEF, 0xBB, 0xBF) ? 3 : 0
    }

    /// The first line start at or after `offset` (> 0): just past the first line feed at or
    /// after `offset - 1`, else the end of the file (or `offset`, past the end), reading through
    /// `scratch`.
    func lineStart(atOrAfter offset: Int, scratch: inout [UInt8]) throws(TensorError) -> Int {
        var searched = offset - 1
        while true {
            let count = try scratch.withUnsafeMutableBufferPointer { (scratch) throws(TensorError) -> Int in
                try read(into: UnsafeMutableRawPointer(scratch.baseAddress!), count: scratch.count, at: searched)
            }
            if count == 0 { return max(searched, offset) }
            if let lineFeed = scratch[..<count].firstIndex(of: UInt8(ascii: "\n")) { return searched + lineFeed + 1 }
            searched += count
        }
    }
}
