import Foundation
import Testing
@testable import NN

/// A directory of its own for one test, removed when the test ends.
private func withTemporaryDirectory<Result>(_ body: (URL) throws -> Result) throws -> Result {
    let directory = FileManager.default.temporaryDirectory.appending(path: "word-vectors-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}

/// Writes `bytes` to `name` in `directory` and returns its URL.
private func file(_ name: String, in directory: URL, _ bytes: [UInt8]) throws -> URL {
    let url = directory.appending(path: name)
    try Data(bytes).write(to: url)
    return url
}

private func file(_ name: String, in directory: URL, _ text: String) throws -> URL {
    try file(name, in: directory, Array(text.utf8))
}

private func bytes(of value: Float) -> [UInt8] { withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }

/// The bit patterns of a table, row by row.
private func bits(_ vectors: Tensor<Float>) -> [[UInt32]] {
    let dimension = vectors.shape[1]
    let scalars = vectors.scalars.map(\.bitPattern)
    return (0..<vectors.shape[0]).map { Array(scalars[($0 * dimension)..<(($0 + 1) * dimension)]) }
}


/// `Fixtures/WordVectors/expected.json`, written by `Fixtures/WordVectors/make_fixtures.py` with
/// gensim 4.4.0: the words and float32 bits each fixture file holds.
private struct GensimFixtures: Decodable {
    struct GloVeSixDecimals: Decodable {
        let words: [String]
        let float32_bits: [[UInt32]]
    }
    let dimension: Int
    let words: [String]
    let float32_bits: [[UInt32]]
    let glove_six_decimals: GloVeSixDecimals

    static func url(_ name: String) throws -> URL {
        let resource = URL(filePath: name)
        return try #require(Bundle.module.url(forResource: resource.deletingPathExtension().lastPathComponent,
                                              withExtension: resource.pathExtension, subdirectory: "Fixtures/WordVectors"))
    }

    static func load() throws -> GensimFixtures {
        try JSONDecoder().decode(GensimFixtures.self, from: Data(contentsOf: url("expected.json")))
    }

    /// The table the gensim files hold.
    var table: WordVectors {
        WordVectors(words: words, vectors: Tensor(shape: [words.count, dimension],
                                                  scalars: float32_bits.flatMap { $0.map(Float.init(bitPattern:)) }))
    }
}

@Suite struct WordVectorsFormatTests {
    // MARK: Files written by gensim 4.4.0 (Fixtures/WordVectors)

    @Test(arguments: [
        ("gensim_text.txt", WordVectorFormat.word2vecText),
        ("gensim_binary.bin", .word2vecBinary),
        ("word2vec_c_binary.bin", .word2vecBinary),
        ("gensim_no_header.txt", .glove),
    ])
    func readsTheGensimFixtureToItsTableBits(name: String, format: WordVectorFormat) throws {
        let expected = try GensimFixtures.load()
        let vectors = try WordVectors(contentsOf: GensimFixtures.url(name), format: format)
        #expect(vectors.words == expected.words)
        #expect(bits(vectors.vectors) == expected.float32_bits)
        #expect(vectors.index(of: "東京") == 3)
    }

    @Test func readsGloVeSixDecimalTextAsTheNearestFloats() throws {
        // glove.c's " %lf" values; the expected bits are the exact nearest float32 (Python fractions).
        let expected = try GensimFixtures.load().glove_six_decimals
        let vectors = try WordVectors(contentsOf: GensimFixtures.url("glove_six_decimals.txt"), format: .glove)
        #expect(vectors.words == expected.words)
        #expect(bits(vectors.vectors) == expected.float32_bits)
    }

    @Test(arguments: [
        ("gensim_text.txt", WordVectorFormat.word2vecText),
        ("gensim_binary.bin", .word2vecBinary),
        ("word2vec_c_binary.bin", .word2vecBinary),
        ("gensim_no_header.txt", .glove),
        ("glove_six_decimals.txt", .glove),
    ])
    func automaticDetectionReadsEachFixtureAsItsFormat(name: String, format: WordVectorFormat) throws {
        let url = try GensimFixtures.url(name)
        let detected = try WordVectors(contentsOf: url)
        let explicit = try WordVectors(contentsOf: url, format: format)
        #expect(detected.words == explicit.words)
        #expect(bits(detected.vectors) == bits(explicit.vectors))
    }

    @Test func binaryWriterLaysOutRecordsAsWord2vecCDoes() throws {
        let expected = try Data(contentsOf: GensimFixtures.url("word2vec_c_binary.bin"))
        try withTemporaryDirectory { directory in
            let url = directory.appending(path: "vectors.bin")
            try GensimFixtures.load().table.write(to: url, format: .word2vecBinary)
            #expect(try Data(contentsOf: url) == expected)
        }
    }

    // MARK: Round trips

    /// Negative zero, subnormals, the largest floats, infinities, and 2 000 random finite bit patterns.
    private static func hardTable() -> WordVectors {
        var generator = StreamRandom(seed: 7)
        var values: [Float] = [0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
                               Float.leastNormalMagnitude.nextDown, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                               .infinity, -.infinity, 0.1, 16_777_216, 1e-10, -1 / 3]
        while values.count < 2016 {
            let value = Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()))
            if value.isFinite { values.append(value) }
        }
        let words = (0..<(values.count / 8)).map { "w\($0)" }
        return WordVectors(words: words, vectors: Tensor(shape: [words.count, 8], scalars: values))
    }

    @Test(arguments: [WordVectorFormat.word2vecText, .glove, .word2vecBinary])
    func roundTripKeepsEveryFloatBit(format: WordVectorFormat) throws {
        let table = Self.hardTable()
        try withTemporaryDirectory { directory in
            let url = directory.appending(path: "vectors")
            try table.write(to: url, format: format)
            let read = try WordVectors(contentsOf: url, format: format)
            #expect(read.words == table.words)
            #expect(bits(read.vectors) == bits(table.vectors))
            let detected = try WordVectors(contentsOf: url)
            #expect(bits(detected.vectors) == bits(table.vectors))
        }
    }

    @Test func binaryRoundTripKeepsNaNPayloads() throws {
        let payloads: [Float] = [Float(bitPattern: 0x7FC0_0001), Float(bitPattern: 0xFFA0_0000), Float(bitPattern: 0x7F80_0001)]
        let table = WordVectors(words: ["nan"], vectors: Tensor(shape: [1, 3], scalars: payloads))
        try withTemporaryDirectory { directory in
            let url = directory.appending(path: "vectors.bin")
            try table.write(to: url, format: .word2vecBinary)
            #expect(try bits(WordVectors(contentsOf: url).vectors) == [[0x7FC0_0001, 0xFFA0_0000, 0x7F80_0001]])
        }
    }

    @Test func textWriterSpellsValuesInTheirShortestRoundTripDigits() throws {
        let table = WordVectors(words: ["the", "café"], vectors: Tensor(shape: [2, 3], scalars: [
            0.1, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, .infinity, -.nan]))
        try withTemporaryDirectory { directory in
            let url = directory.appending(path: "vectors.txt")
            try table.write(to: url, format: .word2vecText)
            #expect(try String(contentsOf: url, encoding: .utf8) == "2 3\nthe 0.1 -0.0 1e-45\ncafé 3.4028235e+38 inf nan\n")
            try table.write(to: url, format: .glove)
            #expect(try String(contentsOf: url, encoding: .utf8) == "the 0.1 -0.0 1e-45\ncafé 3.4028235e+38 inf nan\n")
        }
    }

    @Test func utf8WordsSurviveEveryFormat() throws {
        let words = ["café", "東京", "naïve", "🙂", "Ωμέγα"]
        let table = WordVectors(words: words, vectors: Tensor(shape: [5, 2], scalars: (0..<10).map(Float.init)))
        try withTemporaryDirectory { directory in
            for format in WordVectorFormat.allCases {
                let url = directory.appending(path: "vectors-\(format)")
                try table.write(to: url, format: format)
                let read = try WordVectors(contentsOf: url)
                #expect(read.words == words)
                #expect(read.index(of: "東京") == 1)
                #expect(read.vector(for: "🙂")?.scalars == [6, 7])
            }
        }
    }

    // MARK: Reading text

    @Test func decimalTextReadsAsTheNearestFloat() throws {
        // The float nearest to each decimal, ties to even; halfway cases worked out by hand:
        // 16777217 = 2^24 + 1 lies halfway between 2^24 and 2^24 + 2; 1 + 2^-24 halfway between
        // 1 and 1 + 2^-23; 2^-150 = 7.00649...e-46 halfway between 0 and the smallest subnormal.
        let cases: [(String, Float)] = [
            ("0.1", 0.1), ("-0.0", -0.0), ("+2.5", 2.5), (".5", 0.5), ("5.", 5), ("1E3", 1000), ("1e-45", .leastNonzeroMagnitude),
            ("16777217", 16_777_216), ("16777217.000000001", 16_777_218), ("16777219", 16_777_220),
            ("1.000000059604644775390625", 1), ("1.000000059604644775390626", Float(1).nextUp),
            ("7.006492321624085354618647916449580656401e-46", 0), ("7.0065e-46", .leastNonzeroMagnitude),
            ("3.4028235e38", .greatestFiniteMagnitude), ("3.40282356e38", .greatestFiniteMagnitude), ("3.5e38", .infinity),
            ("1e-50", 0), ("-1e-50", -0.0), ("0.000000000000000000000000000001", 1e-30),
            ("123456789012345678901234567890", 1.23456789012345678901234567890e29), ("inf", .infinity), ("-infinity", -.infinity),
            ("0x1p-149", .leastNonzeroMagnitude),
        ]
        try withTemporaryDirectory { directory in
            let url = try file("values.txt", in: directory, "w " + cases.map(\.0).joined(separator: " ") + "\n")
            let read = try WordVectors(contentsOf: url, format: .glove).vectors.scalars
            for ((text, expected), value) in zip(cases, read) {
                #expect(value.bitPattern == expected.bitPattern, "\(text) read as \(value), expected \(expected)")
            }
            let nan = try file("nan.txt", in: directory, "w nan -nan 1\n")
            #expect(try WordVectors(contentsOf: nan, format: .glove).vectors.scalars.prefix(2).allSatisfy(\.isNaN))
        }
    }

    @Test func decimalParserAgreesWithTheStandardLibraryOnRandomText() throws {
        // Swift's Float(String) is correctly rounded (strtof); so must the file reader be.
        var generator = StreamRandom(seed: 11)
        var texts: [String] = []
        for _ in 0..<20_000 {
            let digitCount = Int.random(in: 1...21, using: &generator)
            var digits = String((0..<digitCount).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) })
            if Bool.random(using: &generator) {
                digits.insert(".", at: digits.index(digits.startIndex, offsetBy: Int.random(in: 0...digitCount, using: &generator)))
            }
            let sign = Bool.random(using: &generator) ? "-" : ""
            let exponent = Int.random(in: 0..<3, using: &generator) == 0 ? "e\(Int.random(in: -50...40, using: &generator))" : ""
            texts.append(sign + digits + exponent)
        }
        try withTemporaryDirectory { directory in
            let url = try file("values.txt", in: directory, "w " + texts.joined(separator: " ") + "\n")
            let read = try WordVectors(contentsOf: url, format: .glove).vectors.scalars
            let mismatches = zip(texts, read).filter { Float($0.0)!.bitPattern != $0.1.bitPattern }
            #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        }
    }

    @Test func textToleratesTabsCarriageReturnsTrailingSpacesAndTrailingBlankLines() throws {
        // word2vec.c writes a space after the last value; Windows tools write \r\n.
        try withTemporaryDirectory { directory in
            let url = try file("vectors.txt", in: directory, "2 3\r\ncat 1 2 3 \r\ndog\t4  5\t6\r\n\n \n")
            let read = try WordVectors(contentsOf: url)
            #expect(read.words == ["cat", "dog"])
            #expect(read.vectors.scalars == [1, 2, 3, 4, 5, 6])
        }
    }

    @Test func gloveWordsWithSpacesAreKeptWhole() throws {
        // GloVe's 840B file has such words; the surplus fields that are not numbers join the word.
        try withTemporaryDirectory { directory in
            let url = try file("vectors.txt", in: directory, "the 1 2\n. . . 3 4\nat name@domain.com 5 6\n")
            let read = try WordVectors(contentsOf: url)
            #expect(read.words == ["the", ". . .", "at name@domain.com"])
            #expect(read.vectors.scalars == [1, 2, 3, 4, 5, 6])
        }
    }

    @Test func headerOfZeroWordsReadsAsAnEmptyTable() throws {
        try withTemporaryDirectory { directory in
            let read = try WordVectors(contentsOf: file("vectors.txt", in: directory, "0 300\n"))
            #expect(read.count == 0)
            #expect(read.dimension == 300)
        }
    }

    @Test func textSplitIntoManyChunksReadsAndReportsAsAWhole() throws {
        let lines = (0..<300).map { "word\($0) \($0) \(-$0) 0.\($0)" }
        try withTemporaryDirectory { directory in
            let url = try file("vectors.txt", in: directory, "300 3\n" + lines.joined(separator: "\n") + "\n")
            let whole = try WordVectors(contentsOf: url, format: nil, textChunkByteCount: 1 << 30)
            let chunked = try WordVectors(contentsOf: url, format: nil, textChunkByteCount: 64)
            #expect(chunked.words == whole.words)
            #expect(bits(chunked.vectors) == bits(whole.vectors))
            #expect(chunked.index(of: "word299") == 299)

            var broken = lines
            broken[250] = "word250 1 x 3"
            let brokenURL = try file("broken.txt", in: directory, "300 3\n" + broken.joined(separator: "\n") + "\n")
            let offset = 6 + lines[..<250].reduce(0) { $0 + $1.utf8.count + 1 } + "word250 1 ".utf8.count
            let expected = TensorError.malformedFile(path: brokenURL.path, offset: offset,
                                                     reason: "line 252: value 2 of the word 'word250', 'x', is not a number")
            #expect(throws: expected) { try WordVectors(contentsOf: brokenURL, format: nil, textChunkByteCount: 64) }
            #expect(throws: expected) { try WordVectors(contentsOf: brokenURL, format: nil, textChunkByteCount: 1 << 30) }
        }
    }

    // MARK: Malformed files: each error names the line (or record) and the byte

    /// Expects reading `contents` (as `format`) to throw `reason` at `offset`.
    private func expectMalformed(_ contents: [UInt8], format: WordVectorFormat? = nil, offset: Int, reason: String,
                                 sourceLocation: SourceLocation = #_sourceLocation) throws {
        try withTemporaryDirectory { directory in
            let url = try file("vectors", in: directory, contents)
            #expect(throws: TensorError.malformedFile(path: url.path, offset: offset, reason: reason),
                    sourceLocation: sourceLocation) { try WordVectors(contentsOf: url, format: format) }
        }
    }

    private func expectMalformed(_ text: String, format: WordVectorFormat? = nil, offset: Int, reason: String,
                                 sourceLocation: SourceLocation = #_sourceLocation) throws {
        try expectMalformed(Array(text.utf8), format: format, offset: offset, reason: reason, sourceLocation: sourceLocation)
    }

    @Test func missingFileIsAnInputOutputError() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appending(path: "absent.txt")
            #expect(throws: TensorError.io(path: url.path, reason: "No such file or directory")) { try WordVectors(contentsOf: url) }
        }
    }

    @Test func emptyFileIsRejected() throws {
        try expectMalformed("", offset: 0, reason: "the file is empty")
        try expectMalformed("", format: .word2vecBinary, offset: 0, reason: "the file is empty")
    }

    @Test func headerThatIsNotTwoWholeNumbersIsRejected() throws {
        try expectMalformed("3\ncat 1\n", format: .word2vecText, offset: 0, reason:
            "line 1: expected a word2vec header, two whole numbers 'count dimension', found '3'; "
            + "a file without a header is in GloVe's format (format: .glove)")
        try expectMalformed("-3 2\ncat 1 2\n", format: .word2vecBinary, offset: 0, reason:
            "line 1: expected a word2vec header, two whole numbers 'count dimension', found '-3 2'")
        try expectMalformed("3 0\ncat\n", offset: 0, reason: "line 1: the header's dimension is 0; it must be at least 1")
        try expectMalformed("1 1000\ncat 1\n", offset: 0,
                            reason: "line 1: the header's dimension 1000 is more than the 13-byte file can hold")
        try expectMalformed("hello\n", offset: 0, reason:
            "line 1 is neither a word2vec header ('count dimension') nor a GloVe row (a word and its values): 'hello'")
    }

    @Test func lineWithTooFewValuesNamesTheLineAndTheCounts() throws {
        // Line 3 is "dog 4 5" at bytes 14..<21; the missing value would start at 21.
        try expectMalformed("3 3\ncat 1 2 3\ndog 4 5\nemu 7 8 9\n", offset: 21,
                            reason: "line 3: 2 values after the word 'dog', expected 3")
        try expectMalformed("cat 1 2\ndog\n", offset: 11, reason: "line 2: 0 values after the word 'dog', expected 2")
    }

    @Test func lineWithTooManyValuesNamesTheLineAndTheCounts() throws {
        // Line 3 is "dog 3 4 5" from byte 12; its third value, the first too many, is at 20.
        try expectMalformed("2 2\ncat 1 2\ndog 3 4 5\n", offset: 20, reason: "line 3: 3 values after the word 'dog', expected 2")
    }

    @Test func valueThatIsNotANumberIsNamed() throws {
        try expectMalformed("2 2\ncat 1 2\ndog 3 x\n", offset: 18, reason: "line 3: value 2 of the word 'dog', 'x', is not a number")
        try expectMalformed("cat 1 2\ndog 3 4.5.6\n", offset: 14,
                            reason: "line 2: value 2 of the word 'dog', '4.5.6', is not a number")
    }

    @Test func fewerRowsThanTheHeaderAnnouncesIsRejected() throws {
        try expectMalformed("3 2\ncat 1 2\ndog 3 4\n", offset: 20, reason: "the header announces 3 words, the file has 2")
        var binary = Array("2 1\ncat ".utf8) + bytes(of: 1) + [0x0A]
        try expectMalformed(binary, format: .word2vecBinary, offset: 13, reason: "the header announces 2 words, the file has 1")
        binary[0] = UInt8(ascii: "1")
        try expectMalformed(binary + Array("xyz".utf8), format: .word2vecBinary, offset: 13,
                            reason: "the header announces 1 word, but the file goes on after the last")
    }

    @Test func moreRowsThanTheHeaderAnnouncesIsRejected() throws {
        try expectMalformed("1 2\ncat 1 2\ndog 3 4\n", offset: 12, reason: "line 3: the header announces 1 word, but the file goes on")
        try expectMalformed("0 2\ncat 1 2\n", offset: 4, reason: "line 2: the header announces 0 words, but the file goes on")
    }

    @Test func blankLineBetweenRowsIsRejected() throws {
        try expectMalformed("2 1\ncat 1\n\ndog 2\n", offset: 10, reason: "line 3: the line is blank")
        try expectMalformed("cat 1\n dog 2\n", offset: 6, reason: "line 2: the line starts with whitespace, so its word is missing")
    }

    @Test func repeatedWordNamesBothLines() throws {
        try expectMalformed("3 1\ncat 1\ndog 2\ncat 3\n", offset: 16, reason: "line 4: the word 'cat' appeared before, at line 2")
        let binary = Array("2 1\ncat ".utf8) + bytes(of: 1) + Array("\ncat ".utf8) + bytes(of: 2)
        try expectMalformed(binary, format: .word2vecBinary, offset: 13, reason: "record 2: the word 'cat' appeared before, at record 1")
    }

    @Test func canonicallyEquivalentWordsAreOneWord() throws {
        // Swift's String compares "é" precomposed (C3 A9) and "e" + U+0301 (65 CC 81) as equal.
        try expectMalformed("caf\u{E9} 1\ncafe\u{301} 2\n", offset: 8, reason:
            "line 2: the word 'cafe\u{301}' (bytes 63 61 66 65 CC 81) is the word 'caf\u{E9}' of line 1 "
            + "(bytes 63 61 66 C3 A9) under Unicode canonical equivalence, by which Swift compares strings")
    }

    @Test func truncatedBinaryRecordIsRejected() throws {
        let first = Array("2 2\ncat ".utf8) + bytes(of: 1) + bytes(of: 2) + [0x0A]
        // Record 2's word "dog" starts at byte 17; its vector at 21, of which 5 bytes remain.
        try expectMalformed(first + Array("dog ".utf8) + [0, 0, 0x80, 0x3F, 0], format: .word2vecBinary, offset: 26,
                            reason: "record 2 ('dog'): the file ends 5 bytes into its vector of 8 bytes")
        try expectMalformed(first + Array("do".utf8), format: .word2vecBinary, offset: 17,
                            reason: "record 2: the file ends inside the word, before the space that ends it")
    }

    @Test func wordThatIsNotUTF8IsRejected() throws {
        try expectMalformed(Array("ok 1\nb".utf8) + [0xFF] + Array("d 2\n".utf8), offset: 5,
                            reason: "line 2: the word is not valid UTF-8 (bytes 62 FF 64)")
        try expectMalformed(Array("1 1\n".utf8) + [0xC3, 0x20] + bytes(of: 1), format: .word2vecBinary, offset: 4,
                            reason: "record 1: the word is not valid UTF-8 (bytes C3)")
    }

    @Test func automaticDetectionReportsAMalformedTextRowAsText() throws {
        // No control bytes where a binary vector would be, so the file is text, and its error a text error.
        try expectMalformed("2 3\ncat 1 2\ndog 4 5 6\n", offset: 11, reason: "line 2: 2 values after the word 'cat', expected 3")
    }

    // MARK: Writing

    @Test func writingAWordWithWhitespaceThrowsAndLeavesTheOldFile() throws {
        try withTemporaryDirectory { directory in
            let url = try file("vectors.txt", in: directory, "1 1\nold 1\n")
            let table = WordVectors(words: ["good", "a b"], vectors: Tensor(shape: [2, 1], scalars: [1, 2]))
            #expect(throws: TensorError.invalidArgument(
                "word 1, \"a b\", holds the whitespace byte 0x20; word2vec and GloVe files separate words with "
                + "whitespace, so it cannot be written")) { try table.write(to: url, format: .word2vecText) }
            #expect(try String(contentsOf: url, encoding: .utf8) == "1 1\nold 1\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["vectors.txt"])
        }
    }

    @Test func failedWriteLeavesTheOldFile() throws {
        try withTemporaryDirectory { directory in
            let url = try file("vectors.txt", in: directory, "1 1\nold 1\n")
            // The temporary file's name taken by a directory: opening it for writing fails.
            try FileManager.default.createDirectory(at: directory.appending(path: ".vectors.txt.partial"),
                                                    withIntermediateDirectories: false)
            let table = WordVectors(words: ["new"], vectors: Tensor(shape: [1, 1], scalars: [2]))
            #expect(throws: TensorError.self) { try table.write(to: url, format: .word2vecText) }
            #expect(try String(contentsOf: url, encoding: .utf8) == "1 1\nold 1\n")
        }
    }

    @Test func tablesTheFormatsCannotHoldAreRejectedBeforeWriting() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appending(path: "vectors.txt")
            let flat = WordVectors(words: ["a"], vectors: Tensor(shape: [1, 0], scalars: []))
            #expect(throws: TensorError.invalidArgument(
                "vectors of dimension 0 cannot be written: word-vector readers need at least one value per word")) {
                try flat.write(to: url, format: .word2vecText)
            }
            let empty = WordVectors(words: [], vectors: Tensor(shape: [0, 3], scalars: []))
            #expect(throws: TensorError.invalidArgument(
                "a GloVe file of no words cannot be written: GloVe's format gives the dimension by its first row")) {
                try empty.write(to: url, format: .glove)
            }
            #expect(throws: TensorError.invalidArgument("word 0 is empty; a word-vector file cannot hold an empty word")) {
                try WordVectors(words: [""], vectors: Tensor(shape: [1, 1], scalars: [1])).write(to: url, format: .word2vecBinary)
            }
            #expect(!FileManager.default.fileExists(atPath: url.path))
        }
    }

    // MARK: TensorBoard Projector

    @Test func projectorFilesHoldTabSeparatedRowsAndOneLabelPerLine() throws {
        let table = WordVectors(words: ["king", "queen", "東京"], vectors: Tensor(shape: [3, 2], scalars: [1, -0.0, 0.5, .leastNonzeroMagnitude, 2, 3]))
        try withTemporaryDirectory { directory in
            let vectors = directory.appending(path: "vectors.tsv"), metadata = directory.appending(path: "metadata.tsv")
            try table.writeProjectorFiles(vectorsTo: vectors, metadataTo: metadata)
            #expect(try String(contentsOf: vectors, encoding: .utf8) == "1.0\t-0.0\n0.5\t1e-45\n2.0\t3.0\n")
            // A single column, so no header line (the Projector's documented format).
            #expect(try String(contentsOf: metadata, encoding: .utf8) == "king\nqueen\n東京\n")
        }
    }

    @Test func projectorLabelsCannotShiftTheLines() throws {
        // The Projector splits at \n, takes a first line with a tab for a header and skips blank lines.
        let words = ["tab\there", "two\nlines", "cr\r", "", " ", "\u{3000}"]
        let table = WordVectors(words: words, vectors: Tensor<Float>.zeros([6, 2]))
        try withTemporaryDirectory { directory in
            let metadata = directory.appending(path: "metadata.tsv")
            try table.writeProjectorFiles(vectorsTo: directory.appending(path: "vectors.tsv"), metadataTo: metadata)
            #expect(try String(contentsOf: metadata, encoding: .utf8)
                    == "tab\\there\ntwo\\nlines\ncr\\r\n\"\"\n\"\\u{20}\"\n\"\\u{3000}\"\n")
        }
    }

    @Test func projectorSpellsNonFiniteValuesAsJavaScriptReadsThem() throws {
        let table = WordVectors(words: ["x"], vectors: Tensor(shape: [1, 3], scalars: [.infinity, -.infinity, .nan]))
        try withTemporaryDirectory { directory in
            let vectors = directory.appending(path: "vectors.tsv")
            try table.writeProjectorFiles(vectorsTo: vectors, metadataTo: directory.appending(path: "metadata.tsv"))
            #expect(try String(contentsOf: vectors, encoding: .utf8) == "Infinity\t-Infinity\tNaN\n")
        }
    }

    // MARK: Pretrained embeddings

    private static let small = WordVectors(words: ["the", "cat", "sat", "."],
                                           vectors: Tensor(shape: [4, 2], scalars: [1, 2, 3, 4, 5, 6, 7, 8]))

    @Test func tokenizerIDsAreTheFileRowsWithTheUnknownWordLast() {
        let tokenizer = Self.small.tokenizer
        #expect(tokenizer.tokens == ["the", "cat", "sat", ".", "<|unk|>"])
        #expect(tokenizer.encode("the dog sat.") == [0, 4, 2, 3])
        #expect(tokenizer.unknownToken == WordVectors.unknownWord)
    }

    @Test func embeddingLooksUpAKnownWordsRowAndGivesUnknownWordsAZeroRow() throws {
        let embedding = Embedding(pretrained: Self.small)
        #expect(embedding.vocabularySize == 5)
        let rows = try embedding(Tensor(Self.small.tokenizer.encode("cat dog")))
        #expect(rows.value.scalars == [3, 4, 0, 0])
        #expect(embedding.weight.value.selected(axis: 0, index: 2) == Self.small.vector(for: "sat"))
    }

    @Test func fileThatListsTheUnknownWordKeepsItsRow() throws {
        let vectors = WordVectors(words: ["<|unk|>", "cat"], vectors: Tensor(shape: [2, 2], scalars: [9, 9, 3, 4]))
        #expect(vectors.tokenizer.tokens == ["<|unk|>", "cat"])
        let embedding = Embedding(pretrained: vectors)
        #expect(embedding.vocabularySize == 2)
        #expect(try embedding(Tensor(vectors.tokenizer.encode("dog cat"))).value.scalars == [9, 9, 3, 4])
    }

    @Test func pretrainedEmbeddingIsFrozenUnlessAskedToTrain() {
        #expect(!Embedding(pretrained: Self.small).weight.requiresGrad)
        #expect(Embedding(pretrained: Self.small, freeze: false).weight.requiresGrad)
    }
}
