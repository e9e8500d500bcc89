import Foundation
import NN

/// A benchmark a run's vectors are scored on: human similarity judgements of word pairs, or
/// analogy questions.
enum EvaluationSet {
    case wordPairs(WordPairs)
    case analogies(AnalogyQuestions)

    /// The sets `options` ask for, read and checked before training: the files of `--evaluate DIR`
    /// (each an analogy file when its first line is a `: section` header, else word pairs), none
    /// with `--evaluate none`, and by default the English sets built in for a word2vec run on a text
    /// and for `--vectors` (a next-token run scores only on `--evaluate`'s sets).
    static func sets(for options: Options) throws(UsageError) -> [EvaluationSet] {
        if options.skipsEvaluation { return [] }
        guard let directory = options.evaluationDirectory else {
            guard options.vectorsFile != nil || (options.objective.isWord2Vec && options.textFile != nil) else { return [] }
            do {
                return try builtIn()
            } catch {
                throw UsageError(message: "the built-in evaluation sets: \(error.description)", showsUsage: false)
            }
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw UsageError(message: "--evaluate \(directory.path): no such folder", showsUsage: false)
        }
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
                .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
                .filter { !$0.lastPathComponent.hasPrefix(".") }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw UsageError(message: "--evaluate \(directory.path): \(Experiment.reason(error))", showsUsage: false)
        }
        guard !files.isEmpty else {
            throw UsageError(message: "--evaluate \(directory.path) holds no files (word pairs or analogy questions)",
                             showsUsage: false)
        }
        var sets: [EvaluationSet] = []
        for file in files {
            do {
                sets.append(try isAnalogyFile(file) ? .analogies(AnalogyQuestions(contentsOf: file))
                                                    : .wordPairs(WordPairs(contentsOf: file)))
            } catch {
                throw UsageError(message: "--evaluate: \(error.description)", showsUsage: false)
            }
        }
        return sets
    }

    /// The English sets that ship with NN.
    static func builtIn() throws(TensorError) -> [EvaluationSet] {
        [.analogies(try AnalogyQuestions.google())]
    }

    /// Whether the first line that holds anything starts a `: section`, as in `questions-words.txt`.
    private static func isAnalogyFile(_ url: URL) throws(TensorError) -> Bool {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw .io(path: url.path, reason: Experiment.reason(error))
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4096)) ?? Data()
        let firstLine = String(decoding: head, as: UTF8.self).split(whereSeparator: \.isNewline)
            .first { !$0.allSatisfy(\.isWhitespace) && !$0.hasPrefix("#") }
        return firstLine?.drop(while: \.isWhitespace).hasPrefix(":") ?? false
    }

    /// Scores `vectors` on this set, as gensim's `KeyedVectors` would.
    func score(_ vectors: WordVectors) -> String {
        switch self {
        case .wordPairs(let pairs):
            return vectors.evaluateWordPairs(pairs).description
        case .analogies(let questions):
            let evaluation = vectors.evaluateAnalogies(questions)
            let summary = evaluation.description.prefix { $0 != "\n" }
            // word2vec's sets name their syntactic sections gram1-…, gram9-…; the rest are semantic.
            let kinds = Dictionary(grouping: evaluation.sections) { $0.name.hasPrefix("gram") ? "syntactic" : "semantic" }
            let split = ["semantic", "syntactic"].compactMap { kind -> String? in
                guard let sections = kinds[kind] else { return nil }
                let correct = sections.reduce(0) { $0 + $1.correctCount }, covered = sections.reduce(0) { $0 + $1.coveredCount }
                guard covered > 0 else { return nil }
                return "\(kind) \(format(100 * Double(correct) / Double(covered), decimals: 1)) % of \(covered)"
            }
            return split.isEmpty ? String(summary) : "\(summary); \(split.joined(separator: ", "))"
        }
    }
}
