import Foundation
@testable import NN
import Testing
@testable import train_embeddings

/// A scratch folder with a text of `sentences` generated sentences, removed afterwards.
private func withText<Result>(sentences: Int = 3000, _ body: (URL, URL) throws -> Result) throws -> Result {
    let folder = FileManager.default.temporaryDirectory.appending(path: "train-embeddings-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let text = folder.appending(path: "text.txt")
    try PlantedClassCorpus(sentenceCount: sentences, seed: 3).text.write(to: text, atomically: true, encoding: .utf8)
    return try body(folder, text)
}

@Suite struct ExperimentTests {
    @Test func aTokenizerFolderMissingAFileIsAOneLineErrorAndWritesNothing() throws {
        try withText { folder, text in
            let files = folder.appending(path: "tokenizer")
            let out = folder.appending(path: "out")
            try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
            func message(_ arguments: [String]) -> String? {
                do {
                    _ = try Experiment(options: try Options.parse(arguments))
                    return nil
                } catch {
                    #expect(!error.showsUsage, "a folder's problem, not the options': no usage text")
                    return error.message
                }
            }
            let base = ["--text", text.path, "--out", out.path, "--tokenizer-files", files.path]
            #expect(message(base)?.contains("has neither vocab.json + merges.txt nor encoder.json + vocab.bpe") == true)
            try Data("{}".utf8).write(to: files.appending(path: "vocab.json"))
            #expect(message(base)?.contains("has vocab.json but no merges.txt") == true)
            try FileManager.default.removeItem(at: files.appending(path: "vocab.json"))
            try Data().write(to: files.appending(path: "vocab.bpe"))
            #expect(message(base)?.contains("has vocab.bpe but no encoder.json") == true)
            #expect(message(["--text", text.path, "--out", out.path, "--tokenizer-files", "/nonexistent"])?
                .contains("no such folder") == true)
            #expect(!(message(base)?.contains("\n") ?? true))
            #expect(!FileManager.default.fileExists(atPath: out.path))
        }
    }

    @Test func aHuggingFaceFolderGivesGPT2sTokenizer() throws {
        try withText(sentences: 500) { folder, text in
            let files = folder.appending(path: "model")
            try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
            let bundled = try BytePairTokenizer.gpt2Files()
            try FileManager.default.copyItem(at: bundled.vocabulary, to: files.appending(path: "vocab.json"))
            try FileManager.default.copyItem(at: bundled.merges, to: files.appending(path: "merges.txt"))
            let experiment = try Experiment(options: try Options.parse(["--text", text.path, "--tokenizer-files", files.path,
                                                                         "--out", folder.appending(path: "out").path]))
            #expect(experiment.tokenizer.vocabularySize == 50257)
            #expect(experiment.tokenizer.encode(" the cat") == (try BytePairTokenizer.gpt2()).encode(" the cat"))
            // Only the tokens of the training text get rows, plus one for unseen ones.
            #expect(experiment.vocabulary.count < 200)
            #expect(experiment.vocabulary.unseenID == experiment.vocabulary.count - 1)
        }
    }

    @Test func aGPT2RunStopsAtItsBestStepAndSavesThatStepsParameters() throws {
        try withText { folder, text in
            let out = folder.appending(path: "out")
            let experiment = try Experiment(options: try Options.parse(
                ["--text", text.path, "--tokenizer", "gpt2", "--out", out.path, "--patience", "2"]))
            try experiment.run()
            let checkpoint = try SafetensorsFile(contentsOf: out.appending(path: "embeddings.safetensors"))
            let savedStep = try #require(Int(checkpoint.metadata["steps"] ?? ""))
            #expect(savedStep > 0)
            #expect(checkpoint.metadata["tokenizer"] == "gpt2")
            // The saved parameters are the best step's: their held-out loss is the one recorded.
            let rows = try ModelVocabulary(contentsOf: out.appending(path: "model-vocabulary.json"))
            #expect(rows.count == experiment.vocabulary.count)
            let model = NextTokenModel(vocabularySize: rows.count, embeddingSize: experiment.model.token.embeddingSize,
                                       contextLength: experiment.model.contextLength)
            try model.load(from: out.appending(path: "embeddings.safetensors"))
            let heldOut = SlidingWindowDataset(tokens: experiment.heldOutTokens, maxLength: model.contextLength,
                                               stride: model.contextLength)
            let batch = heldOut.batch(at: experiment.heldOutEvaluationWindows)
            let loss = try noGrad { try model.loss(input: batch.input, target: batch.target) }
            #expect(abs(Double(loss.value.scalar) - Double(checkpoint.metadata["heldOutLoss"]!)!) < 1e-4)
            let baselines = CountBaselines(training: experiment.trainTokens, heldOut: experiment.heldOutTokens,
                                           vocabularySize: rows.count)
            #expect(Double(loss.value.scalar) < 0.9 * baselines.unigram)
            #expect(FileManager.default.fileExists(atPath: out.appending(path: "vocabulary.json").path))
            // The token table as word vectors too, rows labelled as printed (GPT-2's pieces, `·` for a space).
            let vectors = try WordVectors(contentsOf: out.appending(path: "vectors.txt"))
            #expect(vectors.count == experiment.vocabulary.count && vectors.dimension == experiment.model.token.embeddingSize)
            #expect(vectors.vectors.scalars == model.token.weight.value.scalars)
            #expect(vectors.words.contains("·the"))
            #expect(FileManager.default.fileExists(atPath: out.appending(path: "metadata.tsv").path))
        }
    }

    @Test func aGPT2CheckpointResumesWithItsOwnRows() throws {
        try withText(sentences: 1500) { folder, text in
            let first = folder.appending(path: "first"), second = folder.appending(path: "second")
            try Experiment(options: try Options.parse(["--text", text.path, "--tokenizer", "gpt2", "--out", first.path,
                                                       "--steps", "30"])).run()
            let resumed = try Experiment(options: try Options.parse(
                ["--text", text.path, "--resume", first.appending(path: "embeddings.safetensors").path,
                 "--out", second.path, "--steps", "10"]))
            #expect(resumed.tokenizer is BytePairTokenizer)
            #expect(resumed.resumedSteps > 0)
            try resumed.run()
            #expect(FileManager.default.fileExists(atPath: second.appending(path: "model-vocabulary.json").path))
        }
    }

    @Test func byteTokensKeepTheirOwnRows() throws {
        try withText(sentences: 500) { folder, text in
            let experiment = try Experiment(options: try Options.parse(["--text", text.path, "--tokenizer", "byte",
                                                                         "--out", folder.appending(path: "out").path]))
            #expect(experiment.vocabulary.count == 256 && experiment.vocabulary.isIdentity)
            #expect(experiment.vocabulary.label(Int(UInt8(ascii: " ")), tokenizer: experiment.tokenizer) == "·")
        }
    }
}

@Suite struct SampledHeadTests {
    @Test func aSampledHeadTrainsSparseTablesWithAFixedBiasAndBeatsTheUnigramBaseline() throws {
        try withText(sentences: 1500) { folder, text in
            let experiment = try Experiment(options: try Options.parse(
                ["--text", text.path, "--objective", "next-token", "--negatives", "5", "--steps", "300", "--patience", "0",
                 "--out", folder.appending(path: "out").path]))
            let bias = try #require(experiment.model.head.bias).value.scalars
            try experiment.run()
            #expect(experiment.model.token.weight.isSparse && experiment.model.head.weight.isSparse)
            #expect(experiment.model.head.bias?.requiresGrad == false)
            #expect(experiment.model.head.bias?.value.scalars != bias, "the bias is set to log(K·noise) for training")
            let trainedBias = try #require(experiment.model.head.bias).value.scalars
            // log(K·q) over every row: its exponentials add up to K.
            #expect(abs(trainedBias.reduce(0.0) { $0 + Foundation.exp(Double($1)) } - 5) < 1e-3)
            let heldOut = try experiment.heldOutLoss(SlidingWindowDataset(tokens: experiment.heldOutTokens,
                                                                          maxLength: experiment.model.contextLength,
                                                                          stride: experiment.model.contextLength))
            let unigram = CountBaselines(training: experiment.trainTokens, heldOut: experiment.heldOutTokens,
                                         vocabularySize: experiment.vocabulary.count).unigram
            #expect(heldOut < 0.8 * unigram, "held-out loss \(heldOut), unigram baseline \(unigram)")
        }
    }
}

@Suite struct WordVocabularyTests {
    @Test func aSmallTextKeepsFewerRareWordsUnlessMinCountIsGiven() throws {
        try withText(sentences: 300) { folder, text in
            // The generated corpus has 64 words, every one frequent: the cut-off stays at 2.
            let generated = try Experiment(options: try Options.parse(["--text", text.path, "--out", folder.path, "--objective", "next-token"]))
            #expect(generated.vocabulary.count <= 65)
            // A text of mostly distinct words: the cut-off rises until there are 20 words per row.
            let varied = folder.appending(path: "varied.txt")
            let words = (0..<4000).map { index in index % 3 == 0 ? "common\(index % 7)" : "rare\(index % 900)" }
            try words.joined(separator: " ").write(to: varied, atomically: true, encoding: .utf8)
            let experiment = try Experiment(options: try Options.parse(["--text", varied.path, "--out", folder.path,
                                                                         "--objective", "next-token"]))
            #expect(experiment.vocabulary.count * Experiment.wordsPerRow <= 4000)
            let explicit = try Experiment(options: try Options.parse(["--text", varied.path, "--out", folder.path,
                                                                       "--min-count", "2", "--objective", "next-token"]))
            #expect(explicit.vocabulary.count > 600)   // the 600 rare words (those with index % 3 != 0) each occur 4 or 5 times
        }
    }
}

@Suite struct TrainingPlanTests {
    @Test func aSmallTextGetsFewStepsAndStrongerDecayALargeOneMore() throws {
        let options = try Options.parse(["--text", "unused.txt", "--objective", "next-token"])
        let small = TrainingPlan(options: options, trainTokenCount: 6_000, vocabularySize: 800, contextLength: 16)
        let large = TrainingPlan(options: options, trainTokenCount: 2_000_000, vocabularySize: 30_000, contextLength: 16)
        #expect(small.maximumSteps < large.maximumSteps)
        #expect(small.weightDecay > large.weightDecay)
        #expect(small.embeddingSize < large.embeddingSize)
        #expect(small.dropout > large.dropout)
        // The work of a step grows with the vocabulary: the budget caps steps × rows.
        #expect(large.maximumSteps * 30_000 <= TrainingPlan.workBudget)
        #expect(small.evaluationSteps.contains(small.maximumSteps))
    }

    @Test func explicitStepsAndSizeWin() throws {
        let options = try Options.parse(["--text", "unused.txt", "--steps", "123", "--dim", "20"])
        let plan = TrainingPlan(options: options, trainTokenCount: 6_000, vocabularySize: 800, contextLength: 16)
        #expect(plan.maximumSteps == 123 && plan.embeddingSize == 20)
    }
}

@Suite struct ModelVocabularyTests {
    @Test func unseenTokensShareOneRow() {
        let vocabulary = ModelVocabulary(seenIn: [7, 3, 7, 9])
        #expect(vocabulary.tokenizerIDs == [3, 7, 9, nil])
        #expect(vocabulary.modelIDs([9, 3, 42]) == [2, 0, 3])
        #expect(!vocabulary.isIdentity)
    }

    @Test func gpt2PiecesAreLabelledReadably() throws {
        let gpt2 = try BytePairTokenizer.gpt2()
        let ids = gpt2.encode(" the\n")
        let vocabulary = ModelVocabulary(seenIn: ids)
        #expect(vocabulary.label(0, tokenizer: gpt2) == "\\n")
        #expect(vocabulary.label(1, tokenizer: gpt2) == "·the")
        #expect(vocabulary.label(2, tokenizer: gpt2) == "<unseen>")
    }
}
