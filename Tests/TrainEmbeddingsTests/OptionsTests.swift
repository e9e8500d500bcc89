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

    @Test func aTextOfWordsTrainsSkipGramAndEverythingElseNextToken() throws {
        #expect(try Options.parse(["--text", "a.txt"]).objective == .skipgram)
        #expect(try Options.parse([]).objective == .nextToken)
        #expect(try Options.parse(["--text", "a.txt", "--tokenizer", "gpt2"]).objective == .nextToken)
        #expect(try Options.parse(["--text", "a.txt", "--tokenizer", "byte"]).objective == .nextToken)
        #expect(try Options.parse(["--text", "a.txt", "--objective", "cbow"]).objective == .cbow)
        #expect(try Options.parse(["--objective", "skipgram"]).objective == .skipgram)
        // Options only next-token training has ask for it.
        #expect(try Options.parse(["--text", "a.txt", "--steps", "100"]).objective == .nextToken)
        #expect(try Options.parse(["--text", "a.txt", "--resume", "x.safetensors"]).objective == .nextToken)
    }

    @Test func word2vecRunsTakeWord2VecsDefaults() throws {
        let options = try Options.parse(["--text", "a.txt"])
        #expect(options.embeddingSize == 100 && options.learningRate == 0.025 && options.minimumCount == 5)
        #expect(options.window == 5 && options.negatives == 5 && options.epochs == 5 && options.subsample == 1e-3)
        #expect(WordVectorExperiment.defaultBatchSize(vocabularySize: 63) == 31)
        #expect(WordVectorExperiment.defaultBatchSize(vocabularySize: 41_900) == 256)
        #expect(WordVectorExperiment.defaultBatchSize(vocabularySize: 1) == 1)
        let given = try Options.parse(["--text", "a.txt", "--dim", "50", "--lr", "0.05", "--min-count", "2", "--window", "8",
                                       "--negatives", "10", "--epochs", "3", "--subsample", "0", "--batch", "32"])
        #expect(given.embeddingSize == 50 && given.learningRate == 0.05 && given.minimumCount == 2 && given.window == 8)
        #expect(given.negatives == 10 && given.epochs == 3 && given.subsample == 0 && given.batchSize == 32)
        // Next-token keeps its own defaults, and the full softmax.
        let nextToken = try Options.parse(["--text", "a.txt", "--objective", "next-token"])
        #expect(nextToken.embeddingSize == 64 && nextToken.learningRate == 0.01 && nextToken.negatives == nil)
    }

    @Test func optionsOfTheOtherObjectiveAreOneLineErrors() {
        func message(_ arguments: [String]) -> String? {
            do throws(UsageError) { _ = try Options.parse(arguments); return nil } catch { return error.message }
        }
        #expect(message(["--text", "a.txt", "--objective", "skipgram", "--context", "8"])
                == "--context applies to --objective next-token, not skipgram")
        #expect(message(["--objective", "cbow", "--resume", "x"]) == "--resume applies to --objective next-token, not cbow")
        #expect(message(["--window", "3"]) == "--window applies to --objective skipgram and cbow, not next-token")
        #expect(message(["--objective", "skipgram", "--tokenizer", "gpt2"])
                == "--objective skipgram trains on the words of a text; it does not go with --tokenizer gpt2")
        #expect(message(["--objective", "word2vec"]) == "--objective must be skipgram, cbow or next-token, got 'word2vec'")
        #expect(message(["--text", "a.txt", "--subsample", "-1"]) == "--subsample needs a number ≥ 0, got '-1'")
        #expect(message(["--text", "a.txt", "--export", "hdf5"]) == "--export must be word2vec-binary, got 'hdf5'")
    }

    @Test func evaluationCanBeSkippedOrPointedAtAFolder() throws {
        #expect(try Options.parse(["--text", "a.txt", "--evaluate", "none"]).skipsEvaluation)
        let options = try Options.parse(["--text", "a.txt", "--evaluate", "/tmp/sets"])
        #expect(options.evaluationDirectory?.path == "/tmp/sets" && !options.skipsEvaluation)
        #expect(try Options.parse(["--text", "a.txt", "--export", "word2vec-binary"]).exports == [.word2vecBinary])
    }
}
