import Foundation
import Testing
import NN

/// Writes `bytes` to a temporary file, passes its URL to `body`, and removes it.
private func withTextFile<Result>(_ bytes: [UInt8], _ body: (URL) throws -> Result) throws -> Result {
    let url = FileManager.default.temporaryDirectory.appending(path: "word-corpus-tests-\(UUID().uuidString).txt")
    try Data(bytes).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url)
}

private func withTextFile<Result>(_ text: String, _ body: (URL) throws -> Result) throws -> Result {
    try withTextFile(Array(text.utf8), body)
}

/// The chunk sizes every splitting test reads with: each size from 1 to 17 bytes, which cuts
/// words, `--` and multi-byte characters at every place, then the default.
private let chunkSizes = Array(1...17) + [WordCorpus.defaultChunkSize]

/// Every batch of a pass, with its arrays.
private struct BatchContents: Equatable {
    let index: Int
    let wordIDs: [Int32]
    let sentenceOffsets: [Int]
    let rawWordCount: Int
}

private func batches(of corpus: WordCorpus) throws -> [BatchContents] {
    var result: [BatchContents] = []
    try corpus.forEachBatch { batch in
        result.append(BatchContents(index: batch.index, wordIDs: batch.wordIDs,
                                    sentenceOffsets: batch.sentenceOffsets, rawWordCount: batch.rawWordCount))
    }
    return result
}

/// The sentences of a pass as the words' UTF-8 bytes.
private func sentences(of corpus: WordCorpus) throws -> [[[UInt8]]] {
    var result: [[[UInt8]]] = []
    try corpus.forEachBatch { batch in
        for index in 0..<batch.sentenceCount {
            result.append(batch.sentence(index).map { Array(corpus.vocabulary.words[Int($0)].utf8) })
        }
    }
    return result
}

/// The sentences of the file at `url` read in chunks of `chunkSize`, with every word in the
/// vocabulary.
private func sentences(ofFileAt url: URL, chunkSize: Int, maximumSentenceLength: Int = 10_000) throws -> [[[UInt8]]] {
    let counts = try WordCounts(contentsOf: url, maximumSentenceLength: maximumSentenceLength, chunkSize: chunkSize)
    let corpus = WordCorpus(contentsOf: url, vocabulary: counts.vocabulary(minimumCount: 1),
                            maximumSentenceLength: maximumSentenceLength, wordsPerBatch: 5, chunkSize: chunkSize)
    let result = try sentences(of: corpus)
    #expect(counts.sentenceCount == result.count)
    #expect(counts.totalWordCount == result.reduce(0) { $0 + $1.count })
    return result
}

/// The sentences `WordTokenizer.split` gives: its words, line by line, cut every
/// `maximumSentenceLength` words.
private func expectedSentences(_ text: String, maximumSentenceLength: Int = 10_000) -> [[[UInt8]]] {
    var result: [[[UInt8]]] = []
    // Lines split on the byte 0x0A: splitting the String would keep "\r\n", one Character, whole.
    for line in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
        let words = WordTokenizer.split(String(decoding: line, as: UTF8.self), specialTokens: []).map { Array($0.utf8) }
        for start in stride(from: 0, to: words.count, by: maximumSentenceLength) {
            result.append(Array(words[start..<min(start + maximumSentenceLength, words.count)]))
        }
    }
    return result
}


/// A text of `length` pieces drawn from letters, punctuation, hyphens, ASCII and Unicode
/// whitespace, line ends and multi-byte letters of two, three and four bytes.
private func randomText(length: Int, using generator: inout StreamRandom) -> String {
    let pieces = ["a", "b", "Zq", "é", "ß", "日本", "𝔸", "e\u{301}", ",", ".", ":", ";", "?", "_", "!", "\"", "(",
                  ")", "'", "-", "--", " ", " ", " ", "\t", "\n", "\r\n", "\u{0B}", "\u{0C}", "\r", "\u{85}",
                  "\u{A0}", "\u{1680}", "\u{2003}", "\u{200A}", "\u{200B}", "\u{2028}", "\u{2029}", "\u{202F}",
                  "\u{205F}", "\u{3000}", "\u{FEFF}", "\u{1C}"]
    return (0..<length).map { _ in pieces.randomElement(using: &generator)! }.joined()
}

@Suite struct WordSplittingTests {
    @Test func splitsLikeWordTokenizerAtEveryChunkSize() throws {
        let texts = [
            "", " ", "\n", "a", "Hello, world--again.", "it's \"quoted\" (here)_now; ok? yes!",
            "a-b a--b a---b a----b -- - -a a- --a a--", "x\r\ny\r\n\r\n", "tab\there\u{0B}vt\u{0C}ff\rcr",
            "nbsp\u{A0}here\u{3000}ideographic\u{2009}thin\u{85}next\u{2028}line\u{2029}para",
            "café naïve 日本語 𝔸𝔹 e\u{301}", "   leading and trailing   \n\n  ", "(((...)))",
            "line one\nline two\n\nline four", "zero\u{200B}width\u{FEFF}joined", "no newline at the end",
        ]
        for text in texts {
            try withTextFile(text) { url in
                for chunkSize in chunkSizes {
                    let found = try sentences(ofFileAt: url, chunkSize: chunkSize)
                    #expect(found == expectedSentences(text), "\(text.debugDescription), chunk size \(chunkSize)")
                }
            }
        }
    }

    @Test func randomTextsSplitLikeWordTokenizer() throws {
        var generator = StreamRandom(seed: 20_261_207)
        for trial in 0..<60 {
            let text = randomText(length: Int.random(in: 0...120, using: &generator), using: &generator)
            let maximumSentenceLength = [1, 3, 10_000][trial % 3]
            #expect(WordTokenizer.split(text, specialTokens: []).map { Array($0.utf8) }
                    == expectedSentences(text).flatMap { $0 })
            try withTextFile(text) { url in
                for chunkSize in chunkSizes {
                    let found = try sentences(ofFileAt: url, chunkSize: chunkSize, maximumSentenceLength: maximumSentenceLength)
                    #expect(found == expectedSentences(text, maximumSentenceLength: maximumSentenceLength),
                            "\(text.debugDescription), chunk size \(chunkSize)")
                }
            }
        }
    }

    @Test func aWordCutByAChunkBoundaryIsCarriedOver() throws {
        try withTextFile("internationalization is a long word") { url in
            let counts = try WordCounts(contentsOf: url, chunkSize: 4)
            #expect(counts.count(of: "internationalization") == 1)
            #expect(counts.count(of: "inte") == 0)
            #expect(counts.totalWordCount == 5)
        }
    }

    @Test func aWordLongerThanManyChunksIsKeptWhole() throws {
        let long = String(repeating: "é", count: 5_000)
        try withTextFile("a \(long) b\n\(long)") { url in
            for chunkSize in [1, 3, 64, 1_000] {
                let counts = try WordCounts(contentsOf: url, chunkSize: chunkSize)
                #expect(counts.count(of: long) == 2)
                #expect(counts.totalWordCount == 4)
            }
        }
    }

    @Test func aLongLineWithoutNewlineSplitsIntoSentencesOfTheMaximumLength() throws {
        let text = (0..<25).map { "w\($0)" }.joined(separator: " ")
        try withTextFile(text) { url in
            let counts = try WordCounts(contentsOf: url, maximumSentenceLength: 10, chunkSize: 7)
            #expect(counts.lineCount == 1)
            #expect(counts.sentenceCount == 3)
            let corpus = WordCorpus(contentsOf: url, vocabulary: counts.vocabulary(minimumCount: 1),
                                    maximumSentenceLength: 10, chunkSize: 7)
            #expect(try sentences(of: corpus).map(\.count) == [10, 10, 5])
        }
    }

    @Test func crlfEndsOneLine() throws {
        try withTextFile("a b\r\nc\r\n\r\nd") { url in
            let counts = try WordCounts(contentsOf: url)
            #expect(counts.lineCount == 4)
            #expect(counts.sentenceCount == 3)
            #expect(counts.count(of: "\r") == 0)
            #expect(try sentences(ofFileAt: url, chunkSize: 3) == [[[97], [98]], [[99]], [[100]]])
        }
    }

    @Test func aByteOrderMarkAtTheStartIsSkipped() throws {
        for chunkSize in [1, 2, 3, 4, WordCorpus.defaultChunkSize] {
            try withTextFile("\u{FEFF}the cat\u{FEFF}") { url in
                let counts = try WordCounts(contentsOf: url, chunkSize: chunkSize)
                #expect(counts.count(of: "the") == 1)
                // Anywhere else U+FEFF is a zero-width no-break space: not whitespace, so part of a word.
                #expect(counts.count(of: "cat\u{FEFF}") == 1)
                #expect(counts.byteCount == 13)
            }
        }
    }

    @Test func whitespaceIsUnicodeWhiteSpace() throws {
        // Every scalar above ASCII between two letters: whitespace splits "x" from "y", any
        // other scalar joins them into one word.
        var text: [UInt8] = []
        var whitespaceCount = 0, otherCount = 0
        for value in UInt32(0x80)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if scalar.properties.isWhitespace { whitespaceCount += 1 } else { otherCount += 1 }
            text.append(UInt8(ascii: "x"))
            UTF8.encode(scalar) { text.append($0) }
            text += [UInt8(ascii: "y"), UInt8(ascii: " ")]
        }
        try withTextFile(text) { url in
            let counts = try WordCounts(contentsOf: url)
            #expect(counts.count(of: "x") == whitespaceCount)
            #expect(counts.count(of: "y") == whitespaceCount)
            #expect(counts.distinctWordCount == otherCount + 2)
        }
        #expect(whitespaceCount == 19)
    }
}

@Suite struct WordCorpusUTF8Tests {
    /// The error `WordCounts` and `WordCorpus` throw for `bytes`, read at each chunk size.
    private func expectMalformed(_ bytes: [UInt8], offset: Int, reason: String) throws {
        try withTextFile(bytes) { url in
            let expected = TensorError.malformedFile(path: url.path, offset: offset, reason: reason)
            for chunkSize in Array(1...6) + [WordCorpus.defaultChunkSize] {
                #expect(throws: expected) { try WordCounts(contentsOf: url, chunkSize: chunkSize) }
                let corpus = WordCorpus(contentsOf: url, vocabulary: WordVocabulary(words: [], counts: [], totalWordCount: 0),
                                        chunkSize: chunkSize)
                #expect(throws: expected) { try corpus.forEachBatch { _ in } }
            }
        }
    }

    private let advice = "convert the text to UTF-8 first, e.g. iconv -f latin1 -t utf-8"

    @Test func latin1TextNamesTheLineAndByte() throws {
        try expectMalformed(Array("one\ntwo\ncaf".utf8) + [0xE9] + Array(" au lait\n".utf8), offset: 11,
                            reason: "line 3: byte 0xE9 is not valid UTF-8 (it starts a 3-byte character but is not followed by 2 continuation bytes 0x80–0xBF); \(advice)")
    }

    @Test func aLeadByteWithoutItsContinuationBytesIsRejected() throws {
        try expectMalformed([0x61, 0xC3, 0x28], offset: 1,
                            reason: "line 1: byte 0xC3 is not valid UTF-8 (it starts a 2-byte character but is not followed by a continuation byte 0x80–0xBF); \(advice)")
        try expectMalformed([0xF0, 0x9F, 0x98, 0x41, 0x0A], offset: 0,
                            reason: "line 1: byte 0xF0 is not valid UTF-8 (it starts a 4-byte character but is not followed by 3 continuation bytes 0x80–0xBF); \(advice)")
    }

    @Test func overlongEncodingsAreRejected() throws {
        try expectMalformed([0x61, 0xC0, 0xAF], offset: 1,
                            reason: "line 1: byte 0xC0 is not valid UTF-8 (it starts an overlong encoding); \(advice)")
        try expectMalformed([0x0A, 0xE0, 0x80, 0xAF], offset: 1,
                            reason: "line 2: byte 0xE0 is not valid UTF-8 (it starts an overlong encoding); \(advice)")
        try expectMalformed([0xF0, 0x80, 0x80, 0xAF], offset: 0,
                            reason: "line 1: byte 0xF0 is not valid UTF-8 (it starts an overlong encoding); \(advice)")
    }

    @Test func encodedSurrogatesAreRejected() throws {
        try expectMalformed(Array("ok ".utf8) + [0xED, 0xA0, 0x80], offset: 3,
                            reason: "line 1: byte 0xED is not valid UTF-8 (it starts an encoded UTF-16 surrogate (U+D800–U+DFFF)); \(advice)")
    }

    @Test func codePointsAboveUnicodeAreRejected() throws {
        try expectMalformed([0xF4, 0x90, 0x80, 0x80], offset: 0,
                            reason: "line 1: byte 0xF4 is not valid UTF-8 (it starts a code point above U+10FFFF); \(advice)")
        try expectMalformed([0x20, 0xF5, 0x80], offset: 1,
                            reason: "line 1: byte 0xF5 is not valid UTF-8 (no UTF-8 character starts with it); \(advice)")
    }

    @Test func aCharacterCutOffByTheEndOfTheFileIsRejected() throws {
        try expectMalformed(Array("a\nb\nno euro ".utf8) + [0xE2, 0x82], offset: 12,
                            reason: "line 3: byte 0xE2 is not valid UTF-8 (the text ends inside its character); \(advice)")
    }

    @Test func aLoneContinuationByteIsRejected() throws {
        try expectMalformed(Array("é".utf8) + [0x80], offset: 2,
                            reason: "line 1: byte 0x80 is not valid UTF-8 (a continuation byte with no character to continue); \(advice)")
    }

    @Test func offsetsCountTheByteOrderMark() throws {
        try expectMalformed([0xEF, 0xBB, 0xBF, 0x61, 0xFF], offset: 4,
                            reason: "line 1: byte 0xFF is not valid UTF-8 (no UTF-8 character starts with it); \(advice)")
    }

    @Test func aRangeNamesTheLineByItsStart() throws {
        try withTextFile(Array("first\nsecond\nthird ".utf8) + [0xE9] + Array(" x".utf8)) { url in
            let corpus = WordCorpus(contentsOf: url, vocabulary: WordVocabulary(words: [], counts: [], totalWordCount: 0),
                                    byteRange: 3..<20)
            #expect(throws: TensorError.malformedFile(
                path: url.path, offset: 19,
                reason: "the line starting at byte 13: byte 0xE9 is not valid UTF-8 (it starts a 3-byte character but is not followed by 2 continuation bytes 0x80–0xBF); \(advice)")) {
                try corpus.forEachBatch { _ in }
            }
        }
    }

    @Test func anUnreadableFileThrowsAnIOError() {
        let url = FileManager.default.temporaryDirectory.appending(path: "no-such-text-\(UUID().uuidString).txt")
        #expect(throws: TensorError.io(path: url.path, reason: "No such file or directory")) {
            try WordCounts(contentsOf: url)
        }
        let directory = FileManager.default.temporaryDirectory
        #expect(throws: TensorError.io(path: directory.path, reason: "not a regular file")) {
            try WordCounts(contentsOf: directory)
        }
    }
}

@Suite struct WordCountsTests {
    @Test func anEmptyFileHasNoWords() throws {
        for text in ["", "\u{FEFF}", "  \n\t\r\n"] {
            try withTextFile(text) { url in
                let counts = try WordCounts(contentsOf: url)
                #expect(counts.totalWordCount == 0)
                #expect(counts.distinctWordCount == 0)
                #expect(counts.sentenceCount == 0)
                #expect(counts.byteCount == text.utf8.count)
                let vocabulary = counts.vocabulary(minimumCount: 1)
                #expect(vocabulary.count == 0)
                #expect(try batches(of: WordCorpus(contentsOf: url, vocabulary: vocabulary)).isEmpty)
            }
        }
    }

    @Test func linesCountTheLastLineWithoutALineFeed() throws {
        for (text, lines) in [("", 0), ("a", 1), ("a\n", 1), ("a\nb", 2), ("\n\n", 2), ("\u{FEFF}", 0), ("\u{FEFF}\n", 1)] {
            try withTextFile(text) { url in
                let counts = try WordCounts(contentsOf: url, chunkSize: 1)
                #expect(counts.lineCount == lines, "\(text.debugDescription)")
            }
        }
    }

    @Test func countsEqualADictionaryCountInFirstAppearanceOrder() throws {
        var generator = StreamRandom(seed: 7)
        let text = randomText(length: 5_000, using: &generator)
        var expected: [[UInt8]: Int] = [:]
        var firstAppearance: [[UInt8]] = []
        for word in WordTokenizer.split(text, specialTokens: []).map({ Array($0.utf8) }) {
            if expected[word] == nil { firstAppearance.append(word) }
            expected[word, default: 0] += 1
        }
        try withTextFile(text) { url in
            let counts = try WordCounts(contentsOf: url, chunkSize: 13)
            var found: [[UInt8]: Int] = [:]
            var order: [[UInt8]] = []
            counts.forEachWord { word, count in
                found[Array(word.utf8)] = count
                order.append(Array(word.utf8))
            }
            #expect(found == expected)
            #expect(order == firstAppearance)
            #expect(counts.totalWordCount == expected.values.reduce(0, +))
            #expect(counts.distinctWordCount == expected.count)
        }
    }

    @Test func vocabularyIsByFallingCountTiesByFirstAppearance() throws {
        try withTextFile("b a b c a d\nd e c f") { url in
            let counts = try WordCounts(contentsOf: url)
            let vocabulary = counts.vocabulary(minimumCount: 1)
            #expect(vocabulary.words == ["b", "a", "c", "d", "e", "f"])
            #expect(vocabulary.counts == [2, 2, 2, 2, 1, 1])
            #expect(vocabulary.id(of: "d") == 3)
            #expect(vocabulary.id(of: "z") == nil)
            #expect(vocabulary.totalWordCount == 10)
            #expect(vocabulary.retainedWordCount == 10)
        }
    }

    @Test func wordsBelowTheMinimumCountAreLeftOut() throws {
        try withTextFile("the cat and the dog and the bird") { url in
            let vocabulary = try WordCounts(contentsOf: url).vocabulary(minimumCount: 2)
            #expect(vocabulary.words == ["the", "and"])
            #expect(vocabulary.totalWordCount == 8)
            #expect(vocabulary.retainedWordCount == 5)
        }
    }

    @Test func aVocabularyFindsEachOfManyWords() {
        let words = (0..<100_000).map { "w\($0 * 7919)" }
        let vocabulary = WordVocabulary(words: words, counts: Array(repeating: 1, count: words.count),
                                        totalWordCount: words.count)
        #expect(words.indices.allSatisfy { vocabulary.id(of: words[$0]) == $0 })
        #expect(vocabulary.id(of: "w1") == nil)
        #expect(Array("w7919".utf8).withUnsafeBytes { vocabulary.id(ofUTF8: $0) } == 1)
    }

    @Test func wordsMatchByBytesWithoutNormalization() {
        let vocabulary = WordVocabulary(words: ["caf\u{E9}"], counts: [1], totalWordCount: 1)
        #expect(vocabulary.id(of: "caf\u{E9}") == 0)
        #expect(vocabulary.id(of: "cafe\u{301}") == nil)
    }
}

@Suite struct WordCorpusBatchTests {
    @Test func batchesDoNotDependOnTheChunkSize() throws {
        var generator = StreamRandom(seed: 99)
        let text = randomText(length: 3_000, using: &generator)
        try withTextFile(text) { url in
            let vocabulary = try WordCounts(contentsOf: url).vocabulary(minimumCount: 3)
            let reference = try batches(of: WordCorpus(contentsOf: url, vocabulary: vocabulary, maximumSentenceLength: 7,
                                                       wordsPerBatch: 40))
            #expect(reference.count > 10)
            #expect(reference.map(\.index) == Array(reference.indices))
            for chunkSize in chunkSizes.dropLast() {
                #expect(try batches(of: WordCorpus(contentsOf: url, vocabulary: vocabulary, maximumSentenceLength: 7,
                                                   wordsPerBatch: 40, chunkSize: chunkSize)) == reference)
            }
        }
    }

    @Test func theBatchesOfAPassReadEveryWordOnce() throws {
        var generator = StreamRandom(seed: 5)
        let text = randomText(length: 2_000, using: &generator)
        try withTextFile(text) { url in
            let counts = try WordCounts(contentsOf: url)
            let vocabulary = counts.vocabulary(minimumCount: 2)
            let result = try batches(of: WordCorpus(contentsOf: url, vocabulary: vocabulary, wordsPerBatch: 30))
            #expect(result.reduce(0) { $0 + $1.rawWordCount } == counts.totalWordCount)
            #expect(result.reduce(0) { $0 + $1.wordIDs.count } == vocabulary.retainedWordCount)
            // Each batch but the last closes at the first sentence end at or past 30 words.
            #expect(result.dropLast().allSatisfy { $0.rawWordCount >= 30 && $0.rawWordCount < 30 + 10_000 })
            #expect(result.allSatisfy { $0.sentenceOffsets.first == 0 && $0.sentenceOffsets.last == $0.wordIDs.count })
        }
    }

    @Test func anErrorFromTheBodyEndsThePass() throws {
        struct Stop: Error {}
        try withTextFile("a\nb\nc\n") { url in
            let vocabulary = try WordCounts(contentsOf: url).vocabulary(minimumCount: 1)
            var seen = 0
            #expect(throws: Stop.self) {
                try WordCorpus(contentsOf: url, vocabulary: vocabulary, wordsPerBatch: 1).forEachBatch { _ in
                    seen += 1
                    throw Stop()
                }
            }
            #expect(seen == 1)
        }
    }

    @Test func wordsOutsideTheVocabularyAreDroppedButCounted() throws {
        try withTextFile("a x b\nx x\nb y a") { url in
            let vocabulary = WordVocabulary(words: ["a", "b"], counts: [2, 2], totalWordCount: 8)
            let result = try batches(of: WordCorpus(contentsOf: url, vocabulary: vocabulary))
            #expect(result == [BatchContents(index: 0, wordIDs: [0, 1, 1, 0], sentenceOffsets: [0, 2, 4], rawWordCount: 8)])
        }
    }

    @Test func sentencesAreCutCountingWordsOutsideTheVocabulary() throws {
        try withTextFile("a x x b") { url in
            let vocabulary = WordVocabulary(words: ["a", "b"], counts: [1, 1], totalWordCount: 4)
            let result = try batches(of: WordCorpus(contentsOf: url, vocabulary: vocabulary, maximumSentenceLength: 2))
            #expect(result.map(\.sentenceOffsets) == [[0, 1, 2]])
        }
    }

    @Test func aBatchClosesAtTheFirstSentenceEndReachingTheTarget() throws {
        try withTextFile("a b\nc d\ne f\ng\nh") { url in
            let vocabulary = try WordCounts(contentsOf: url).vocabulary(minimumCount: 1)
            let result = try batches(of: WordCorpus(contentsOf: url, vocabulary: vocabulary, wordsPerBatch: 3))
            #expect(result == [
                BatchContents(index: 0, wordIDs: [0, 1, 2, 3], sentenceOffsets: [0, 2, 4], rawWordCount: 4),
                BatchContents(index: 1, wordIDs: [4, 5, 6], sentenceOffsets: [0, 2, 3], rawWordCount: 3),
                BatchContents(index: 2, wordIDs: [7], sentenceOffsets: [0, 1], rawWordCount: 1),
            ])
        }
    }

    @Test func aBatchOfOnlyUnknownWordsStillReportsThem() throws {
        try withTextFile("a\nx y\nz") { url in
            let vocabulary = WordVocabulary(words: ["a"], counts: [1], totalWordCount: 4)
            let result = try batches(of: WordCorpus(contentsOf: url, vocabulary: vocabulary, wordsPerBatch: 1))
            #expect(result.map(\.rawWordCount) == [1, 2, 1])
            #expect(result.map(\.sentenceOffsets) == [[0, 1], [0], [0]])
        }
    }

    @Test func byteRangesCoverTheFileExactlyOnce() throws {
        let text = "\u{FEFF}first line, here\nsecond\n\nfourth -- line\r\nfifth é\nlast without end"
        let size = text.utf8.count
        try withTextFile(text) { url in
            let vocabulary = try WordCounts(contentsOf: url).vocabulary(minimumCount: 1)
            let whole = try sentences(of: WordCorpus(contentsOf: url, vocabulary: vocabulary))
            func pieces(_ cuts: [Int], chunkSize: Int) throws -> [[[UInt8]]] {
                let bounds = [0] + cuts + [size]
                return try (0..<bounds.count - 1).flatMap { index in
                    try sentences(of: WordCorpus(contentsOf: url, vocabulary: vocabulary,
                                                 byteRange: bounds[index]..<bounds[index + 1], chunkSize: chunkSize))
                }
            }
            for cut in 0...size {
                let found = try pieces([cut], chunkSize: 3)
                #expect(found == whole, "cut at \(cut)")
            }
            var generator = StreamRandom(seed: 3)
            for _ in 0..<50 {
                let cuts = (0..<3).map { _ in Int.random(in: 0...size, using: &generator) }.sorted()
                let found = try pieces(cuts, chunkSize: Int.random(in: 1...8, using: &generator))
                #expect(found == whole, "cuts at \(cuts)")
            }
        }
    }

    @Test func aRangeStartsAtTheNextLineAndEndsWithTheLineOfItsLastByte() throws {
        try withTextFile("aa bb\ncc dd\nee") { url in
            let vocabulary = try WordCounts(contentsOf: url).vocabulary(minimumCount: 1)
            func words(_ range: Range<Int>) throws -> [String] {
                try sentences(of: WordCorpus(contentsOf: url, vocabulary: vocabulary, byteRange: range))
                    .flatMap { $0 }.map { String(decoding: $0, as: UTF8.self) }
            }
            #expect(try words(0..<1) == ["aa", "bb"])
            #expect(try words(1..<6) == [])   // byte 5 is the first line's feed: no line starts in 1..<6
            #expect(try words(1..<7) == ["cc", "dd"])
            #expect(try words(6..<7) == ["cc", "dd"])
            #expect(try words(6..<6) == [])
            #expect(try words(12..<100) == ["ee"])
            #expect(try words(13..<100) == [])
            #expect(try words(50..<100) == [])
        }
    }
}
