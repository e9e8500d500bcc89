import Foundation
import Testing
@testable import train_embeddings

@Suite struct OptionsTests {
    @Test func tokenizerDefaultsToWordsAndFilesImplyBytePairs() throws {
        #expect(try Options.parse([]).tokenizerKind == .word)
        #expect(try Options.parse(["--tokenizer", "gpt2"]).tokenizerKind == .gpt2)
        #expect(try Options.parse(["--tokenizer", "byte"]).tokenizerKind == .byte)
        #expect(try Options.parse(["--tokenizer-files", "/tmp"]).tokenizerKind == .gpt2)
    }

    @Test func badTokenizerOptionsAreOneLineErrors() {
        #expect(throws: UsageError.self) { try Options.parse(["--tokenizer", "sentencepiece"]) }
        #expect(throws: UsageError.self) { try Options.parse(["--tokenizer", "word", "--tokenizer-files", "/tmp"]) }
        #expect(throws: UsageError.self) { try Options.parse(["--tokenizer", "gpt2", "--min-count", "3"]) }
        #expect(throws: UsageError.self) { try Options.parse(["--patience", "-1"]) }
    }

    @Test func anUnknownChoiceNamesTheChoices() throws {
        func message(_ arguments: [String]) -> String? {
            do throws(UsageError) { _ = try Options.parse(arguments); return nil } catch { return error.message }
        }
        #expect(message(["--tokenizer", "bpe"]) == "--tokenizer must be word, byte or gpt2, got 'bpe'")
        #expect(message(["--optimizer", "lion"]) == "--optimizer must be adam or sgd, got 'lion'")
        #expect(try Options.parse(["--optimizer", "sgd"]).optimizer == .sgd)
    }

    @Test func patienceIsParsed() throws {
        #expect(try Options.parse([]).patience == 5)
        #expect(try Options.parse(["--patience", "0"]).patience == 0)
    }
}
