import Foundation
@testable import NN
@testable import Tensor
import Testing
@testable import train_embeddings

/// A scratch folder, removed afterwards.
private func withFolder<Result>(_ body: (URL) throws -> Result) throws -> Result {
    let folder = FileManager.default.temporaryDirectory.appending(path: "word-vector-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    return try body(folder)
}

/// The one-line message a run with `arguments` fails with before training, or nil if it would train.
private func failure(_ arguments: [String]) -> UsageError? {
    do {
        _ = try WordVectorExperiment(options: try Options.parse(arguments))
        return nil
    } catch {
        return error
    }
}

@Suite struct WordVectorExperimentTests {
    /// A small text of the generated corpus: 1500 sentences, its words over 60 kinds.
    private func writeText(to folder: URL) throws -> URL {
        let url = folder.appending(path: "text.txt")
        try PlantedClassCorpus(sentenceCount: 1500, seed: 5).text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func theSameSeedGivesTheSameBitsForAnyThreadCount() throws {
        try withFolder { folder in
            // 3000 kinds of word over 60 000 words, so that steps of 1024 windows of width 100 split
            // among threads: the loss's groups (grain ≈ 32768 / (33 pairs × 100) ≈ 10 windows) and
            // the sparse update (≈ 6 000 rows × 100 elements per table, two owners from 2¹⁸).
            var random = StreamRandom(seed: 77)
            let words = (0..<60_000).map { _ in "w\(Int(random.next() % 3000))" }
            let text = folder.appending(path: "many-words.txt")
            try stride(from: 0, to: words.count, by: 20).map { words[$0..<($0 + 20)].joined(separator: " ") }
                .joined(separator: "\n").write(to: text, atomically: true, encoding: .utf8)
            for objective in ["skipgram", "cbow"] {
                func trainedTables(threads: Int) throws -> [[UInt32]] {
                    let options = try Options.parse(["--text", text.path, "--objective", objective, "--epochs", "1",
                                                     "--dim", "100", "--batch", "1024", "--min-count", "1",
                                                     "--subsample", "0", "--lr", "0.01",
                                                     "--evaluate", "none", "--out", folder.appending(path: "out").path])
                    let experiment = try WordVectorExperiment(options: options)
                    _ = try withMaximumThreadCount(threads) { try experiment.train() }
                    return experiment.tables.parameters.map { $0.value.scalars.map(\.bitPattern) }
                }
                let single = try trainedTables(threads: 1)
                let loopsBefore = WorkerPool.shared.loopCount
                #expect(try trainedTables(threads: 2) == single, "\(objective), 2 threads")
                #expect(try trainedTables(threads: 3) == single, "\(objective), 3 threads")
                #expect(single[0] != single[1])
                if WorkerPool.shared.workerCount > 0 {
                    #expect(WorkerPool.shared.loopCount > loopsBefore, "the threaded runs used the pool")
                }
            }
        }
    }

    @Test func aSkipGramRunOnTheGeneratedCorpusGroupsItsWordClasses() throws {
        try withFolder { folder in
            // 3000 sentences: too few words for word2vec's subsampling threshold, which would drop most of them.
            let options = try Options.parse(["--objective", "skipgram", "--quick", "--subsample", "0",
                                             "--out", folder.appending(path: "run").path])
            let experiment = try WordVectorExperiment(options: options)
            _ = try experiment.train()
            let vectors = WordVectors(words: experiment.vocabulary.words, vectors: experiment.tables.inputWeight.value)
            var labels: [Int: String] = [:]
            for (row, word) in vectors.words.enumerated() {
                if let name = PlantedClassCorpus.wordClass(of: word) { labels[row] = name }
            }
            let precision = CosineNeighbors(table: vectors.vectors).precision(atK: 5, labels: labels)
            #expect(precision > 0.9, "same-class precision@5 \(precision)")
        }
    }

    @Test func everyFileIsWrittenAndVectorsTxtReadsBack() throws {
        try withFolder { folder in
            let text = try writeText(to: folder)
            let out = folder.appending(path: "run")
            let options = try Options.parse(["--text", text.path, "--epochs", "1", "--dim", "8", "--min-count", "1",
                                             "--evaluate", "none", "--export", "word2vec-binary", "--out", out.path])
            let experiment = try WordVectorExperiment(options: options)
            try experiment.run()
            for name in ["vectors.txt", "vectors.bin", "vectors.tsv", "metadata.tsv", "embeddings.safetensors", "loss.svg",
                         "embeddings.svg"] {
                #expect(FileManager.default.fileExists(atPath: out.appending(path: name).path), "\(name)")
            }
            let read = try WordVectors(contentsOf: out.appending(path: "vectors.txt"))
            #expect(read.words == experiment.vocabulary.words)
            #expect(read.vectors.scalars.map(\.bitPattern) == experiment.tables.inputWeight.value.scalars.map(\.bitPattern))
            let binary = try WordVectors(contentsOf: out.appending(path: "vectors.bin"))
            #expect(binary.vectors.scalars.map(\.bitPattern) == read.vectors.scalars.map(\.bitPattern))
        }
    }

    @Test func aDivergingRunStopsWithAnErrorAndWritesNothing() throws {
        try withFolder { folder in
            let out = folder.appending(path: "run")
            let options = try Options.parse(["--objective", "skipgram", "--quick", "--lr", "50", "--batch", "512",
                                             "--out", out.path])
            let experiment = try WordVectorExperiment(options: options)
            #expect(throws: TrainingDiverged.self) { try experiment.run() }
            #expect(!FileManager.default.fileExists(atPath: out.path))
        }
    }

    @Test func anEmptyTextIsAOneLineErrorAndWritesNothing() throws {
        try withFolder { folder in
            let text = folder.appending(path: "empty.txt")
            try Data().write(to: text)
            let out = folder.appending(path: "out")
            let error = try #require(failure(["--text", text.path, "--out", out.path]))
            #expect(error.message.hasSuffix("the text has no words"))
            #expect(!error.showsUsage && !error.message.contains("\n"))
            #expect(!FileManager.default.fileExists(atPath: out.path))
        }
    }

    @Test func aTextWhoseWordsAreAllRareNamesTheMostFrequent() throws {
        try withFolder { folder in
            let text = folder.appending(path: "rare.txt")
            try "one two two three".write(to: text, atomically: true, encoding: .utf8)
            let error = try #require(failure(["--text", text.path, "--out", folder.appending(path: "out").path]))
            #expect(error.message.contains("0 words occur at least 5 times (--min-count 5), too few to train on"))
            #expect(error.message.contains("the most frequent, 'two', occurs 2 times"))
        }
    }

    @Test func textThatIsNotUTF8IsAOneLineErrorNamingWhere() throws {
        try withFolder { folder in
            let text = folder.appending(path: "latin1.txt")
            try Data("caf".utf8 + [0xE9] + Data(" au lait\n".utf8)).write(to: text)
            let error = try #require(failure(["--text", text.path, "--out", folder.appending(path: "out").path]))
            #expect(error.message.contains("byte 3"))
            #expect(error.message.contains("0xE9"))
            #expect(!error.message.contains("\n"))
        }
    }

    @Test func aMissingEvaluationFolderIsReportedBeforeTraining() throws {
        try withFolder { folder in
            let text = try writeText(to: folder)
            let error = try #require(failure(["--text", text.path, "--evaluate", folder.appending(path: "none-here").path,
                                              "--out", folder.appending(path: "out").path]))
            #expect(error.message.hasSuffix("no such folder"))
        }
    }

    @Test func evaluationFilesAreScoredByKind() throws {
        try withFolder { folder in
            let sets = folder.appending(path: "sets")
            try FileManager.default.createDirectory(at: sets, withIntermediateDirectories: true)
            try ": family\ncat dog cow horse\n".write(to: sets.appending(path: "analogies.txt"), atomically: true, encoding: .utf8)
            try "cat\tdog\t8.5\ncow\tbread\t1.0\nhorse\tgoat\t7\n".write(to: sets.appending(path: "pairs.tsv"),
                                                                         atomically: true, encoding: .utf8)
            let options = try Options.parse(["--objective", "skipgram", "--evaluate", sets.path])
            let loaded = try EvaluationSet.sets(for: options)
            #expect(loaded.count == 2)
            guard case .analogies(let questions) = loaded[0], case .wordPairs(let pairs) = loaded[1] else {
                Issue.record("the files were not told apart: \(loaded)")
                return
            }
            #expect(questions.questionCount == 1)
            #expect(pairs.pairs.count == 3)
        }
    }
}
