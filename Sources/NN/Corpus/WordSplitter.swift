/// Receives the words and sentence ends a ``WordSplitter`` finds.
protocol WordSink {
    /// A word: `count` bytes of well-formed UTF-8 at `bytes`, valid only during the call. At
    /// least 8 bytes at `bytes` are readable (the word's, then whatever follows), so that a short
    /// word can be loaded as one integer (``WordKey/init(readingPast:count:)``).
    mutating func word(_ bytes: UnsafePointer<UInt8>, count: Int)
    /// The end of a sentence that holds at least one word. Returning true pauses the splitter
    /// right after it (the reader that drives the splitter then returns to its caller).
    mutating func endSentence() -> Bool
}

/// What a byte of UTF-8 text does to word splitting.
enum WordByteClass: UInt8 {
    /// Part of a word: an ASCII letter, digit or mark that is not punctuation.
    case word
    /// ASCII whitespace other than the newline: it ends a word.
    case whitespace
    /// The line feed: it ends a word and a sentence.
    case newline
    /// One of `, . : ; ? _ ! " ( ) '`: a word of its own.
    case punctuation
    /// `-`: part of a word, except that two in a row are the word `--`.
    case hyphen
    /// A byte of 0x80 or more: a multi-byte character starts here (or the text is not UTF-8).
    case multibyte

    /// The class of each byte value, behind a pointer so that the splitting loop reads it with
    /// no bounds check and no closure (the table lives as long as the process, written once
    /// before its first read: safe to share between threads). ASCII whitespace
    /// is what `Unicode.Scalar.Properties` calls whitespace: tab, line feed, vertical tab, form
    /// feed, carriage return and space.
    nonisolated(unsafe) static let table: UnsafePointer<WordByteClass> = {
        let table = UnsafeMutablePointer<WordByteClass>.allocate(capacity: 256)
        let punctuation = Array(",.:;?_!\"()'".utf8)
        for byte in 0...255 {
            switch byte {
            case 0x0A: table[byte] = .newline
            case 0x09, 0x0B, 0x0C, 0x0D, 0x20: table[byte] = .whitespace
            case 0x2D: table[byte] = .hyphen
            case 0x80...: table[byte] = .multibyte
            default: table[byte] = punctuation.contains(UInt8(byte)) ? .punctuation : .word
            }
        }
        return UnsafePointer(table)
    }()

    /// 0 for each byte of class ``word``, 1 for the others: the bytes where splitting has
    /// something to decide. Shared like ``table``.
    nonisolated(unsafe) static let decisionFlags: UnsafePointer<UInt8> = {
        let flags = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        for byte in 0...255 { flags[byte] = table[byte] == .word ? 0 : 1 }
        return UnsafePointer(flags)
    }()
}

/// Why ``WordSplitter/split(_:startingAt:from:wordStart:isFinal:lineStartLimit:into:)`` returned.
enum WordSplitterStop {
    /// Every byte it could decide on is done; the rest (an unfinished word, a lone `-` or a
    /// character cut off) needs the next bytes of the text.
    case needsMoreText
    /// The sink asked to pause after a sentence end.
    case paused
    /// The text (or the range of lines asked for) has ended; every word has been given.
    case ended
}

/// Splits UTF-8 text into words and sentences, as `WordTokenizer.split(_:specialTokens: [])`
/// splits it into words, working on bytes and taking the text in pieces of any size.
///
/// Words break at Unicode whitespace and around the punctuation marks `, . : ; ? _ ! " ( ) '` and
/// the dash `--`, each a word of its own. A sentence ends at each line feed (so `\r\n` ends one,
/// the `\r` being whitespace) and after every `maximumSentenceLength` words of a line; lines
/// without words make no sentence. Every byte is checked to be UTF-8 as it is read.
///
/// The splitter keeps only counters between pieces: the caller keeps the bytes from the start of
/// the unfinished word and passes them again, followed by the next bytes.
struct WordSplitter {
    let maximumSentenceLength: Int
    /// The words of the sentence being read.
    private var wordsInSentence = 0
    /// The line feeds read so far.
    private(set) var lineFeedCount = 0
    /// The file offset where the line being read starts.
    private(set) var lineStart: Int
    /// The number of the line starting at the first byte, or nil when unknown (a range of lines
    /// read from the middle of a file): errors then name the line by its offset.
    private let firstLineNumber: Int?
    private let path: String

    init(maximumSentenceLength: Int, path: String, firstLineStart: Int, firstLineNumber: Int?) {
        precondition(maximumSentenceLength >= 1, "maximumSentenceLength must be at least 1, got \(maximumSentenceLength)")
        self.maximumSentenceLength = maximumSentenceLength
        self.path = path
        lineStart = firstLineStart
        self.firstLineNumber = firstLineNumber
    }

    /// Splits `window[position...]`, whose first byte is at file offset `windowOffset`.
    ///
    /// `window[wordStart..<position]` are the bytes of an unfinished word, already checked. When
    /// the splitter returns, `position` is the first byte it has not decided on and
    /// `window[wordStart..<position]` the unfinished word: the caller keeps
    /// `window[wordStart...]` for the next call. `isFinal` says that the text ends with the
    /// window. Reading ends after the line feed that ends a line reaching `lineStartLimit`: the
    /// next line would start at or after it.
    ///
    /// The bytes are taken 64 at a time: a mask marks those that are not plain word bytes, and
    /// the loop jumps from one marked byte to the next (the lowest set bit), so that the bytes
    /// inside words cost no branch each; a branch taken or not at every byte, as a word ends at
    /// an unpredictable place, would cost a misprediction per word.
    ///
    /// Precondition: `wordStart <= position <= window.count`, and the 7 bytes after the window
    /// are readable (the ``WordSink`` contract).
    mutating func split<Sink: WordSink>(
        _ window: UnsafeBufferPointer<UInt8>, startingAt windowOffset: Int, from position: inout Int,
        wordStart: inout Int, isFinal: Bool, lineStartLimit: Int, into sink: inout Sink
    ) throws(TensorError) -> WordSplitterStop {
        guard let base = window.baseAddress else { return isFinal ? .ended : .needsMoreText }
        let classes = WordByteClass.table, flags = WordByteClass.decisionFlags
        let end = window.count
        // Kept in locals (registers), written back once on the way out.
        var index = position
        var start = wordStart
        defer {
            position = index
            wordStart = start
        }
        while index < end {
            let blockStart = index
            let blockLength = min(64, end - blockStart)
            let block = base + blockStart
            var marks: UInt64 = 0
            if blockLength == 64 {
                for offset in 0..<64 { marks |= UInt64(flags[Int(block[offset])]) &<< UInt64(offset) }
            } else {
                for offset in 0..<blockLength { marks |= UInt64(flags[Int(block[offset])]) &<< UInt64(offset) }
            }
            while marks != 0 {
                index = blockStart + marks.trailingZeroBitCount
                switch classes[Int(base[index])] {
                case .word:
                    index += 1   // never marked; here for the switch to be exhaustive
                case .whitespace:
                    if finishWord(base, from: &start, to: index, into: &sink) { return .paused }
                    index += 1
                    start = index
                case .newline:
                    if finishWord(base, from: &start, to: index, into: &sink) { return .paused }
                    index += 1
                    start = index
                    lineFeedCount += 1
                    lineStart = windowOffset + index
                    let pause = endLine(&sink)
                    if lineStart >= lineStartLimit { return .ended }
                    if pause { return .paused }
                case .punctuation:
                    if finishWord(base, from: &start, to: index, into: &sink) { return .paused }
                    index += 1
                    start = index
                    if give(base + index - 1, count: 1, to: &sink) { return .paused }
                case .hyphen:
                    if index + 1 == end && !isFinal { return .needsMoreText }
                    if index + 1 < end && base[index + 1] == UInt8(ascii: "-") {
                        if finishWord(base, from: &start, to: index, into: &sink) { return .paused }
                        index += 2
                        start = index
                        if give(base + index - 2, count: 2, to: &sink) { return .paused }
                    } else {
                        index += 1
                    }
                case .multibyte:
                    switch UTF8Character.read(base + index, available: end - index) {
                    case let .character(length, isWhitespace):
                        if isWhitespace {
                            if finishWord(base, from: &start, to: index, into: &sink) { return .paused }
                            index += length
                            start = index
                        } else {
                            index += length
                        }
                    case .incomplete:
                        if isFinal { throw malformed(.truncated, byte: base[index], at: windowOffset + index) }
                        return .needsMoreText
                    case let .malformed(reason):
                        throw malformed(reason, byte: base[index], at: windowOffset + index)
                    }
                }
                // Drop the marks of the bytes just decided on (a character or `--` may take more
                // than one, or run past the block).
                let decided = index - blockStart
                marks = decided >= 64 ? 0 : marks & (~0 << UInt64(decided))
            }
            index = max(index, blockStart + blockLength)
        }
        guard isFinal else { return .needsMoreText }
        if finishWord(base, from: &start, to: index, into: &sink) { return .paused }
        _ = endLine(&sink)
        return .ended
    }

    /// Gives the unfinished word `base[start..<index]`, if any, and moves `start` to `index`;
    /// true when the sink then asks to pause. Resuming at `index` then reads the word's
    /// delimiter again and finds no word before it.
    @inline(__always)
    private mutating func finishWord<Sink: WordSink>(
        _ base: UnsafePointer<UInt8>, from start: inout Int, to index: Int, into sink: inout Sink
    ) -> Bool {
        guard start < index else { return false }
        let wordStart = start
        start = index
        return give(base + wordStart, count: index - wordStart, to: &sink)
    }

    /// Gives a word to `sink`, ending the sentence when it is the `maximumSentenceLength`th;
    /// true when the sink then asks to pause.
    @inline(__always)
    private mutating func give<Sink: WordSink>(_ word: UnsafePointer<UInt8>, count: Int, to sink: inout Sink) -> Bool {
        sink.word(word, count: count)
        wordsInSentence += 1
        guard wordsInSentence == maximumSentenceLength else { return false }
        wordsInSentence = 0
        return sink.endSentence()
    }

    /// Ends the sentence at a line end, unless it has no word; true when the sink then asks to pause.
    @inline(__always)
    private mutating func endLine<Sink: WordSink>(_ sink: inout Sink) -> Bool {
        guard wordsInSentence > 0 else { return false }
        wordsInSentence = 0
        return sink.endSentence()
    }

    /// The error for the first byte, `byte` at file offset `offset`, of an ill-formed character.
    private func malformed(_ reason: MalformedUTF8, byte: UInt8, at offset: Int) -> TensorError {
        let line = firstLineNumber.map { "line \($0 + lineFeedCount)" } ?? "the line starting at byte \(lineStart)"
        let hex = String(byte, radix: 16, uppercase: true)
        return .malformedFile(
            path: path, offset: offset,
            reason: "\(line): byte 0x\(hex.count == 1 ? "0" : "")\(hex) is not valid UTF-8 (\(reason.explanation)); "
                + "convert the text to UTF-8 first, e.g. iconv -f latin1 -t utf-8")
    }
}
