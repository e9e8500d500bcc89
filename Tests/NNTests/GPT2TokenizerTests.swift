import Foundation
import Testing
@testable import NN

/// The built-in GPT-2 tokenizer against OpenAI's files and tiktoken.
@Suite struct GPT2TokenizerTests {
    @Test func sha256MatchesKnownDigests() {
        // FIPS 180-4 examples.
        #expect(sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(sha256Hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(sha256Hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func bundledFilesAreOpenAIsRelease() throws {
        // The digests tiktoken itself checks (tiktoken_ext/openai_public.py, gpt2()).
        let files = try BytePairTokenizer.gpt2Files()
        #expect(sha256Hex(Array(try Data(contentsOf: files.vocabulary)))
                == "196139668be63f3b5d6574427317ae82f612a97c5d1cdaf36ed2256dbf636783")
        #expect(sha256Hex(Array(try Data(contentsOf: files.merges)))
                == "1ce1664773c50f3e0cc8842619a93edc4624525b728b188a9e0be33b7726adc5")
    }

    @Test func encodesTheSeedChaptersExampleAsTiktokenDoes() throws {
        // gpt2-tokenizer.md, "Known chapter values" (tiktoken, allowed_special={"<|endoftext|>"}).
        let gpt2 = try BytePairTokenizer.gpt2()
        let text = "Hello, do you like tea? <|endoftext|> In the sunlit terraces of someunknownPlace."
        let ids = gpt2.encode(text)
        #expect(ids == [15496, 11, 466, 345, 588, 8887, 30, 220, 50256, 554, 262, 4252, 18250, 8812,
                        2114, 286, 617, 34680, 27271, 13])
        #expect(try gpt2.decode(ids) == text)
        #expect(gpt2.vocabularySize == 50257)
    }

    @Test func cuttingALongTextIntoPartsChangesNoID() throws {
        // Every kind of whitespace run around newlines, at every offset: cuts every few bytes
        // (where they can be made) must give the ids of the uncut text.
        let gpt2 = try BytePairTokenizer.gpt2()
        let generator = Generator(seed: 5)
        let words = ["word", " word", "Wörd", "слово", "語句", "42", "...", "'s", "<|endoftext|>", "🙂"]
        let gaps = [" ", "  ", "\n", "\n\n", " \n", "\n ", "\t\n", "\r\n", "\n\u{00A0}", "\u{3000}\n", ""]
        var text = ""
        for _ in 0..<4000 {
            text += words[Int(generator.randomUInt32() % UInt32(words.count))]
            text += gaps[Int(generator.randomUInt32() % UInt32(gaps.count))]
        }
        let whole = gpt2.encode(text, partByteCount: Int.max / 4)
        for partByteCount in [3, 17, 64, 1000] {
            #expect(gpt2.encode(text, partByteCount: partByteCount) == whole, "parts of \(partByteCount) bytes")
        }
        #expect(try gpt2.decode(whole) == text)
    }

    @Test func idsDoNotDependOnTheThreadCount() throws {
        let gpt2 = try BytePairTokenizer.gpt2()
        let text = String(repeating: "A line of text, and another one.\nΚαι μία γραμμή.\n", count: 8000)
        let single = withMaximumThreadCount(1) { gpt2.encode(text) }
        #expect(withMaximumThreadCount(4) { gpt2.encode(text) } == single)
        #expect(single.count > 100_000)
    }
}

/// tiktoken's ids and the book's `create_dataloader_v1` batches, from Fixtures/GPT2 (made by
/// `make_fixtures.py` there: tiktoken 0.14.0, torch 2.15.0, llms-from-scratch 1.0.19).
@Suite struct GPT2FixtureTests {
    struct TiktokenCases: Decodable {
        struct Case: Decodable {
            let name: String
            let text: String
            let ids: [Int]
        }
        let cases: [Case]
    }

    struct DataLoaderCases: Decodable {
        struct Batch: Decodable {
            let inputs: [[Int64]]
            let targets: [[Int64]]
        }
        struct Case: Decodable {
            let batch_size: Int
            let max_length: Int
            let stride: Int
            let shuffle: Bool
            let drop_last: Bool
            let seed: UInt64?
            let batch_count: Int
            let epoch1: [Batch]
            let epoch2_first3: [Batch]?
        }
        let text: String
        let cases: [Case]
    }

    static func fixture<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures/GPT2"))
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }

    @Test func everyTiktokenCaseEncodesToTiktokensIDs() throws {
        // tiktoken_cases.json: 103 texts, one behaviour each (scripts, whitespace runs, `\r\n`,
        // contractions in both cases, emoji sequences, combining marks, other scripts' digits,
        // `<|endoftext|>` and near misses).
        let gpt2 = try BytePairTokenizer.gpt2()
        let fixture = try Self.fixture("tiktoken_cases", as: TiktokenCases.self)
        #expect(fixture.cases.count >= 100)
        for testCase in fixture.cases {
            #expect(gpt2.encode(testCase.text) == testCase.ids, "\(testCase.name)")
            #expect(try gpt2.decode(testCase.ids) == testCase.text, "\(testCase.name) round trip")
        }
    }

    @Test func batchesEqualTheBooksCreateDataloaderV1() throws {
        // dataloader_cases.json: every batch of create_dataloader_v1 over a 3.4 KB text, shuffled
        // (after torch.manual_seed) and not, and the first batches of a second shuffled epoch.
        let gpt2 = try BytePairTokenizer.gpt2()
        let fixture = try Self.fixture("dataloader_cases", as: DataLoaderCases.self)
        for testCase in fixture.cases {
            let name = "batch \(testCase.batch_size), length \(testCase.max_length), stride \(testCase.stride)"
            let epochs: ([DataLoaderCases.Batch], [DataLoaderCases.Batch]) = withManualSeed(testCase.seed ?? 0) {
                let loader = DataLoader(text: fixture.text, tokenizer: gpt2, batchSize: testCase.batch_size,
                                        maxLength: testCase.max_length, stride: testCase.stride,
                                        shuffle: testCase.shuffle, dropLast: testCase.drop_last)
                let first = loader.map { DataLoaderCases.Batch(inputs: rows($0.input), targets: rows($0.target)) }
                let second = loader.prefix(3).map { DataLoaderCases.Batch(inputs: rows($0.input), targets: rows($0.target)) }
                return (first, second)
            }
            #expect(epochs.0.count == testCase.batch_count, "\(name)")
            #expect(epochs.0.map(\.inputs) == testCase.epoch1.map(\.inputs), "\(name): inputs")
            #expect(epochs.0.map(\.targets) == testCase.epoch1.map(\.targets), "\(name): targets")
            if let second = testCase.epoch2_first3 {
                #expect(epochs.1.map(\.inputs) == second.map(\.inputs), "\(name): second epoch")
            }
        }
    }
}

/// The rows of a 2-D id tensor.
private func rows(_ tensor: Tensor<Int64>) -> [[Int64]] {
    (0..<tensor.shape[0]).map { tensor[$0].scalars }
}
