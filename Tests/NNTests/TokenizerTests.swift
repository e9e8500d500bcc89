import Foundation
import Testing
import NN

private let story = "The cat sat on the mat. The dog sat on the log -- and the cat ran!"

/// A temporary directory removed when the test ends.
private func withTemporaryDirectory(_ body: (URL) throws -> Void) throws {
    let directory = FileManager.default.temporaryDirectory.appending(path: "tokenizer-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try body(directory)
}

@Suite struct WordTokenizerTests {
    @Test func splitsAtWhitespaceAndAroundPunctuation() {
        #expect(WordTokenizer.split("Hello, world. Is this-- a test?")
                == ["Hello", ",", "world", ".", "Is", "this", "--", "a", "test", "?"])
        #expect(WordTokenizer.split("it's \"quoted\" (here)_now")
                == ["it", "'", "s", "\"", "quoted", "\"", "(", "here", ")", "_", "now"])
    }

    @Test func specialTokensStayWholeAnywhere() {
        #expect(WordTokenizer.split("tea.<|endoftext|>In the") == ["tea", ".", "<|endoftext|>", "In", "the"])
    }

    @Test func vocabularyIsSortedWordsThenSpecialTokensThenUnknown() {
        let tokenizer = WordTokenizer(training: "the cat sat. the dog sat.")
        #expect(tokenizer.tokens == [".", "cat", "dog", "sat", "the", "<|endoftext|>", "<|unk|>"])
        #expect(tokenizer.vocabularySize == 7)
    }

    @Test func wordsBelowTheMinimumCountBecomeUnknown() {
        let tokenizer = WordTokenizer(training: story, minimumCount: 2)
        #expect(tokenizer.tokens == ["The", "cat", "on", "sat", "the", "<|endoftext|>", "<|unk|>"])
        #expect(tokenizer.encode("the dog sat") == [4, 6, 3])
    }

    @Test func encodeThenDecodeGivesTheTextBack() throws {
        let tokenizer = WordTokenizer(training: story)
        #expect(try tokenizer.decode(tokenizer.encode(story)) == story)
    }

    @Test func decodeAttachesPunctuationAndShowsUnknownWords() throws {
        // The seed documents' SimpleTokenizerV2 on text with words outside its vocabulary.
        let tokenizer = WordTokenizer(training: "do you like tea, yes? In the sunlit terraces of the house.")
        let text = "Hello, do you like tea? <|endoftext|> In the sunlit terraces of the palace."
        #expect(try tokenizer.decode(tokenizer.encode(text))
                == "<|unk|>, do you like tea? <|endoftext|> In the sunlit terraces of the <|unk|>.")
    }

    @Test func decodingAnUnknownIDThrowsNamingItsPosition() {
        let tokenizer = WordTokenizer(training: story)
        #expect(throws: TensorError.indexOutOfRange(index: 99, position: [1], bound: tokenizer.vocabularySize)) {
            try tokenizer.decode([0, 99])
        }
    }

    @Test func vocabularyFileRoundTrips() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appending(path: "vocabulary.json")
            let tokenizer = WordTokenizer(training: story, minimumCount: 2, unknownToken: "<unk>", specialTokens: ["<s>"])
            try tokenizer.save(to: url)
            let loaded = try #require(try loadTokenizer(contentsOf: url) as? WordTokenizer)
            #expect(loaded.tokens == tokenizer.tokens)
            #expect(loaded.unknownToken == "<unk>")
            #expect(loaded.specialTokens == ["<s>"])
            #expect(loaded.encode(story) == tokenizer.encode(story))
        }
    }
}

@Suite struct ByteTokenizerTests {
    @Test func idsAreTheUTF8Bytes() {
        #expect(ByteTokenizer().encode("hé!") == [104, 195, 169, 33])
        #expect(ByteTokenizer().vocabularySize == 256)
    }

    @Test func encodeThenDecodeGivesTheTextBack() throws {
        let text = "naïve café — 日本語 🙂\n\ttabs"
        #expect(try ByteTokenizer().decode(ByteTokenizer().encode(text)) == text)
    }

    @Test func invalidUTF8DecodesToReplacementCharacters() throws {
        #expect(try ByteTokenizer().decode([104, 195, 105]) == "h\u{FFFD}i")
    }

    @Test func idOutsideTheBytesThrows() {
        #expect(throws: TensorError.indexOutOfRange(index: 256, position: [0], bound: 256)) {
            try ByteTokenizer().decode([256])
        }
    }

    @Test func tokensReadAsCharactersOrHex() {
        #expect(ByteTokenizer().token(for: 65) == "A")
        #expect(ByteTokenizer().token(for: 10) == "<0x0A>")
        #expect(ByteTokenizer().id(for: "<0x0A>") == 10)
    }
}

/// GPT-2's byte symbols: printable Latin-1 as themselves, the rest from U+0100 on.
private let byteSymbols: [String] = {
    let printable = Array(0x21...0x7E) + Array(0xA1...0xAC) + Array(0xAE...0xFF)
    var next = 0x100
    return (0..<256).map { byte in
        if printable.contains(byte) { return String(UnicodeScalar(UInt8(byte))) }
        defer { next += 1 }
        return String(UnicodeScalar(UInt32(next))!)
    }
}()

/// Writes a tiny GPT-2 style vocabulary: the 256 byte symbols (ids 0–255), one entry per merge
/// result in merge order, then `extra` entries.
private func writeFixture(in directory: URL, merges: [String], extra: [String] = ["<|endoftext|>"],
                          droppingSymbolOf droppedByte: Int? = nil) throws -> (vocabulary: URL, merges: URL) {
    var entries = byteSymbols.enumerated().filter { $0.offset != droppedByte }.map(\.element)
    for merge in merges {
        let merged = merge.split(separator: " ").joined()
        if !entries.contains(merged) { entries.append(merged) }
    }
    entries += extra
    let vocabulary = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1, $0) })
    let vocabularyURL = directory.appending(path: "vocab.json")
    let mergesURL = directory.appending(path: "merges.txt")
    try JSONSerialization.data(withJSONObject: vocabulary).write(to: vocabularyURL)
    try ("#version: 0.2\n" + merges.joined(separator: "\n") + "\n").write(to: mergesURL, atomically: true, encoding: .utf8)
    return (vocabularyURL, mergesURL)
}

private let helloMerges = ["h e", "l l", "he ll", "hell o", "Ġ w", "o r", "Ġw or", "Ġwor l", "Ġworl d"]

@Suite struct BytePairTokenizerTests {
    @Test func piecesFollowGPT2Pattern() {
        #expect(BytePairTokenizer.pieces(of: "Hello, it's  2024!") == ["Hello", ",", " it", "'s", " ", " 2024", "!"])
        #expect(BytePairTokenizer.pieces(of: "a\n\nb  ") == ["a", "\n", "\n", "b", "  "])
        #expect(BytePairTokenizer.pieces(of: "we'll...go   now") == ["we", "'ll", "...", "go", "  ", " now"])
        #expect(BytePairTokenizer.pieces(of: " ünïcode 42x") == [" ünïcode", " 42", "x"])
    }

    @Test func mergesApplyInRankOrder() throws {
        try withTemporaryDirectory { directory in
            let files = try writeFixture(in: directory, merges: helloMerges)
            let tokenizer = try BytePairTokenizer(vocabularyFile: files.vocabulary, mergesFile: files.merges)
            let ids = tokenizer.encode("hello world")
            #expect(ids.map { tokenizer.token(for: $0)! } == ["hello", "Ġworld"])
            #expect(tokenizer.encode("hell") .map { tokenizer.token(for: $0)! } == ["hell"])
            #expect(tokenizer.encode("lel") .map { tokenizer.token(for: $0)! } == ["l", "e", "l"])
        }
    }

    @Test func earlierMergeWinsOverLaterOne() throws {
        try withTemporaryDirectory { directory in
            let files = try writeFixture(in: directory, merges: ["l l", "e l"])
            let tokenizer = try BytePairTokenizer(vocabularyFile: files.vocabulary, mergesFile: files.merges)
            #expect(tokenizer.encode("ell").map { tokenizer.token(for: $0)! } == ["e", "ll"])
            let reversed = try writeFixture(in: directory, merges: ["e l", "l l"])
            let other = try BytePairTokenizer(vocabularyFile: reversed.vocabulary, mergesFile: reversed.merges)
            #expect(other.encode("ell").map { other.token(for: $0)! } == ["el", "l"])
        }
    }

    @Test func specialTokenIsOneID() throws {
        try withTemporaryDirectory { directory in
            let files = try writeFixture(in: directory, merges: helloMerges)
            let tokenizer = try BytePairTokenizer(vocabularyFile: files.vocabulary, mergesFile: files.merges)
            let endOfText = try #require(tokenizer.id(for: "<|endoftext|>"))
            let ids = tokenizer.encode("hello<|endoftext|> world")
            #expect(ids.count == 3)
            #expect(ids[1] == endOfText)
        }
    }

    @Test func encodeThenDecodeGivesTheTextBack() throws {
        try withTemporaryDirectory { directory in
            let files = try writeFixture(in: directory, merges: helloMerges)
            let tokenizer = try BytePairTokenizer(vocabularyFile: files.vocabulary, mergesFile: files.merges)
            let text = "hello world, héllo wörld!\n<|endoftext|>  日本 🙂"
            #expect(try tokenizer.decode(tokenizer.encode(text)) == text)
        }
    }

    @Test func missingByteSymbolIsAMalformedVocabulary() throws {
        try withTemporaryDirectory { directory in
            let files = try writeFixture(in: directory, merges: [], droppingSymbolOf: 32)
            #expect(throws: TensorError.malformedFile(path: files.vocabulary.path, offset: 0,
                                                      reason: "the vocabulary lacks the symbol 'Ġ' of byte 32")) {
                try BytePairTokenizer(vocabularyFile: files.vocabulary, mergesFile: files.merges)
            }
        }
    }

    @Test func mergeOfUnknownSymbolsNamesItsLine() throws {
        try withTemporaryDirectory { directory in
            let files = try writeFixture(in: directory, merges: ["h e"])
            try "#version: 0.2\nh e\nzz q\n".write(to: files.merges, atomically: true, encoding: .utf8)
            #expect(throws: TensorError.malformedFile(path: files.merges.path, offset: 18,
                                                      reason: "the merge 'zz q' uses or makes a symbol outside the vocabulary")) {
                try BytePairTokenizer(vocabularyFile: files.vocabulary, mergesFile: files.merges)
            }
        }
    }

    @Test func missingFileThrowsAnInputOutputError() {
        let missing = URL(filePath: "/nonexistent/vocab.json")
        #expect {
            try BytePairTokenizer(vocabularyFile: missing, mergesFile: missing)
        } throws: { error in
            if case .io(let path, _)? = error as? TensorError { return path == missing.path }
            return false
        }
    }

    @Test func vocabularyFileRoundTrips() throws {
        try withTemporaryDirectory { directory in
            let files = try writeFixture(in: directory, merges: helloMerges)
            let tokenizer = try BytePairTokenizer(vocabularyFile: files.vocabulary, mergesFile: files.merges)
            let saved = directory.appending(path: "vocabulary.json")
            try tokenizer.save(to: saved)
            let loaded = try loadTokenizer(contentsOf: saved)
            #expect(loaded is BytePairTokenizer)
            #expect(loaded.encode("hello world<|endoftext|>") == tokenizer.encode("hello world<|endoftext|>"))
        }
    }
}
