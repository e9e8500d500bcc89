import Foundation
import NN

/// A word2vec run (skip-gram or CBOW with negative sampling), fully prepared: the text counted,
/// the vocabulary, tables, sampler and evaluation sets built, every input checked before anything
/// is written.
///
/// The library provides the pieces (`WordCounts`, `WordCorpus`, `ContextWindowSampler`, the fused
/// `negativeSamplingLoss(input:inputIDs:output:outputIDs:groupOffsets:scoring:reduction:)`, `SGD`
/// on `sparse` tables, `LinearDecay`); this type and its extensions orchestrate them.
struct WordVectorExperiment {
    let options: Options
    let objective: Options.Objective
    let corpusDescription: String
    /// The text file read each epoch (the generated corpus is written to a temporary file first).
    let textURL: URL
    /// The generated corpus's temporary file, removed when the experiment goes away (also when
    /// preparing it fails after the file was written).
    let temporaryText: TemporaryFile?
    let counts: WordCounts
    /// The job's ranks (``ProcessGroup/single`` unless started by `mpirun`).
    let group: ProcessGroup
    /// This rank's piece of the text: the whole text for one process.
    let piece: Piece
    let vocabulary: WordVocabulary
    let tables: WordVectorTables
    let sampler: ContextWindowSampler
    let evaluationSets: [EvaluationSet]
    let outputDirectory: URL
    /// Windows per SGD step.
    let batchSize: Int
    /// Seconds spent counting the text.
    let countingSeconds: Double

    /// Words read per corpus batch: a batch's windows (about seven numbers per word) stay a few
    /// megabytes.
    static let wordsPerCorpusBatch = 1 << 16

    init(options: Options, group: ProcessGroup = .single) throws(UsageError) {
        self.options = options
        self.group = group
        objective = options.objective
        if let threads = options.threads { ParallelConfiguration.maximumThreadCount = threads }
        let start = DispatchTime.now().uptimeNanoseconds
        // Steps that can fail on one rank alone are agreed on: every rank goes on, or every
        // rank stops (a rank that stopped alone would leave the others waiting forever).
        (textURL, temporaryText, corpusDescription) = try Self.agreed(group, "preparing the text") { () throws(UsageError) in
            guard let file = options.textFile else {
                let text = PlantedClassCorpus(sentenceCount: options.sentenceCount, seed: options.seed).text
                let url = FileManager.default.temporaryDirectory.appending(path: "train-embeddings-\(UUID().uuidString).txt")
                do {
                    try Data(text.utf8).write(to: url)
                } catch {
                    throw UsageError(message: "cannot write the generated corpus to \(url.path): \(Experiment.reason(error))",
                                     showsUsage: false)
                }
                return (url, TemporaryFile(url: url),
                        "generated corpus, \(options.sentenceCount) sentences (seed \(options.seed))")
            }
            return (file, nil, file.lastPathComponent)
        }
        do {
            if group.size > 1 {
                let pieces = try WordCounts.countsOfPieces(of: textURL, sharedBy: group)
                counts = WordCounts(combining: pieces)
                let size = try FileManager.default.attributesOfItem(atPath: textURL.path)[.size] as? Int ?? 0
                piece = Piece(byteRange: group.byteRange(ofFileSize: size), wordCount: pieces[group.rank].totalWordCount,
                              firstSentence: pieces[..<group.rank].reduce(0) { $0 + $1.sentenceCount })
            } else {
                counts = try WordCounts(contentsOf: textURL)
                piece = Piece(byteRange: nil, wordCount: counts.totalWordCount, firstSentence: 0)
            }
        } catch {
            throw UsageError(message: Experiment.message("--text", file: textURL, error: error), showsUsage: false)
        }
        guard counts.totalWordCount > 0 else {
            throw UsageError(message: "--text \(textURL.path): the text has no words", showsUsage: false)
        }
        vocabulary = counts.vocabulary(minimumCount: options.minimumCount)
        guard vocabulary.count >= 2 else {
            var mostFrequent: (word: String, count: Int)?
            counts.forEachWord { word, count in
                if count > mostFrequent?.count ?? 0 { mostFrequent = (word, count) }
            }
            let best = mostFrequent.map { "; the most frequent, '\($0.word)', occurs \($0.count) time\($0.count == 1 ? "" : "s")" } ?? ""
            throw UsageError(message: "--text \(textURL.path): \(vocabulary.count) word\(vocabulary.count == 1 ? "" : "s") "
                             + "occur\(vocabulary.count == 1 ? "s" : "") at least \(options.minimumCount) times "
                             + "(--min-count \(options.minimumCount)), too few to train on\(best)", showsUsage: false)
        }
        countingSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9

        batchSize = options.explicit.contains("--batch") ? options.batchSize : Self.defaultBatchSize(vocabularySize: vocabulary.count)
        tables = WordVectorTables(wordCount: vocabulary.count, dimension: options.embeddingSize, seed: options.seed)
        sampler = ContextWindowSampler(
            maximumRadius: options.window, negatives: options.negatives ?? 5,
            subsampler: options.subsample > 0 ? FrequentWordSubsampler(counts: vocabulary.counts, threshold: options.subsample) : nil,
            noise: NegativeSampler(counts: vocabulary.counts))
        (evaluationSets, outputDirectory) = try Self.agreed(group, "reading the evaluation sets") { () throws(UsageError) in
            (try EvaluationSet.sets(for: options), try Experiment.outputDirectory(options.outputDirectory))
        }
    }

    /// `body`'s result if it succeeded on every rank of `group`; else every rank throws, the
    /// others naming the rank that failed (``ProcessGroup/collectively(_:_:)``).
    private static func agreed<Result>(_ group: ProcessGroup, _ what: String,
                                       _ body: () throws(UsageError) -> Result) throws(UsageError) -> Result {
        guard group.size > 1 else { return try body() }
        do {
            return try group.collectively(what) { try body() }
        } catch let error as UsageError {
            throw error
        } catch {
            throw UsageError(message: "\(error)", showsUsage: false)
        }
    }

    /// Trains, reports and writes every output file (rank 0 of a job of several).
    func run() throws {
        printHeader()
        let outcome = try train()
        if group.rank == 0 { try report(outcome) }
    }

    /// What one rank reads of the text.
    struct Piece {
        /// The bytes whose lines this rank reads, or nil for the whole text.
        let byteRange: Range<Int>?
        let wordCount: Int
        /// The number of the piece's first sentence in the whole text: each sentence's random
        /// stream is numbered by it, so no two ranks draw from the same stream.
        let firstSentence: Int
    }

    /// How often the ranks of a job exchange their changed rows: about every
    /// `--sync-words` words of each rank's piece, the same number of times on every rank.
    var exchangesPerEpoch: Int {
        max(1, counts.totalWordCount / group.size / options.syncWords)
    }

    private func printHeader() {
        let negatives = options.negatives ?? 5
        print("train-embeddings: \(corpusDescription)")
        print("  words: \(counts.totalWordCount) in \(counts.sentenceCount) sentences, \(counts.distinctWordCount) distinct; "
              + "vocabulary \(vocabulary.count) words seen at least \(options.minimumCount) times "
              + "(\(vocabulary.retainedWordCount) of the text's words) [counted in \(format(countingSeconds, decimals: 1)) s]")
        let model = objective == .skipgram ? "skip-gram: each context word predicts its window's centre word"
            : "CBOW: the mean of a window's context words predicts its centre word"
        print("  model: \(model); negative sampling, \(negatives) noise words per window (unigram^0.75); "
              + "window up to \(options.window), dim \(options.embeddingSize); 2 × \(vocabulary.count) × "
              + "\(options.embeddingSize) parameters")
        let subsampling = options.subsample > 0 ? "frequent words subsampled at \(options.subsample)" : "no subsampling"
        if counts.totalWordCount < Self.smallTextWords {
            print("  note: word2vec learns from how often words meet and wants millions of words; on "
                  + "\(counts.totalWordCount) expect neighbours that mean little unless it sees the text many times "
                  + "(--epochs 50), or try --objective next-token")
        }
        print("  training: \(options.epochs) epoch\(options.epochs == 1 ? "" : "s"), SGD lr \(options.learningRate) → "
              + "\(WordVectorExperiment.finalLearningRate) linearly, \(batchSize) windows per step, \(subsampling), "
              + "seed \(options.seed), \(ParallelConfiguration.maximumThreadCount) thread(s), "
              + "\(InstructionSet.current.rawValue) kernels")
        if group.size > 1 {
            print("  distributed: \(group.size) ranks (\(group.mpiLibraryVersion?.prefix { $0 != "," } ?? "MPI")), each "
                  + "training its piece of the text; changed rows exchanged \(exchangesPerEpoch) times per epoch "
                  + "(every ~\(EpochProgress.rate(Double(piece.wordCount) / Double(exchangesPerEpoch))) words per rank)")
        }
        print("")
    }

    /// Texts of fewer words get a note that word2vec wants more.
    static let smallTextWords = 1_000_000

    /// word2vec's and gensim's `min_alpha`.
    static let finalLearningRate = 0.0001

    /// The windows of one step: as many as fit without the same rows coming back too often.
    ///
    /// A step's windows are all computed from the tables as they were before it, so a row that
    /// several of them touch gets the sum of their updates at once, where word2vec's sequential
    /// updates would have seen each other. In a large vocabulary that stays harmless (256 windows
    /// per step score as well on GCIDE as 64 or 1024, docs/word2vec.md); in a small one the same rows
    /// return in most windows and the summed steps overshoot: the 63-word generated corpus trains
    /// at 128 windows and diverges at 256. Half the vocabulary keeps that margin.
    static func defaultBatchSize(vocabularySize: Int) -> Int { min(256, max(1, vocabularySize / 2)) }
}

/// A file that is removed when the last reference to it goes away.
final class TemporaryFile: Sendable {
    let url: URL

    init(url: URL) { self.url = url }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// The two tables of word2vec: input vectors (the ones kept as the word vectors) and output
/// vectors, both `sparse` so that SGD updates only the rows of a step.
struct WordVectorTables {
    let input: Embedding<Float>
    let output: Embedding<Float>

    /// word2vec's start: input rows uniform in ±0.5/dim, output rows zero.
    init(wordCount: Int, dimension: Int, seed: UInt64) {
        let generator = Generator(seed: seed)
        let start = (Tensor<Float>.rand([wordCount, dimension], generator: generator) - 0.5) / Float(dimension)
        input = Embedding(pretrained: start, freeze: false, sparse: true)
        output = Embedding(pretrained: Tensor<Float>.zeros([wordCount, dimension]), freeze: false, sparse: true)
    }

    /// The trained input table: the word vectors.
    var inputWeight: Parameter<Float> { input.weight }

    /// The parameters SGD updates.
    var parameters: [Parameter<Float>] { [inputWeight, output.weight] }
}
