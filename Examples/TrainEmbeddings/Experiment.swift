import Foundation
import NN

/// One training run, fully prepared: every input read and checked before anything is written.
struct Experiment {
    let options: Options
    let corpusDescription: String
    let tokenizer: any Tokenizer
    /// The rows of the model's tables (model ids) and the tokenizer ids they stand for.
    let vocabulary: ModelVocabulary
    /// Model ids.
    let trainTokens: [Int]
    let heldOutTokens: [Int]
    let model: NextTokenModel<Float>
    let plan: TrainingPlan
    let generator: Generator
    let outputDirectory: URL
    /// The planted class of each model id (generated corpus only).
    let classOfToken: [Int: String]
    let resumedSteps: Int
    /// `--evaluate`'s sets, scored on the token table.
    let evaluationSets: [EvaluationSet]

    /// The share of the token stream kept aside for the held-out loss.
    static let heldOutFraction = 0.1
    /// The word tokenizer's cut-off rises until the text has this many words per vocabulary entry,
    /// up to ``largestMinimumCount`` (unless `--min-count` is given).
    static let wordsPerRow = 20
    static let largestMinimumCount = 10
    /// The factor on the initial token and position tables (see `init`).
    static let initialEmbeddingScale: Float = 0.1

    /// Reads the text, builds the tokenizer, the vocabulary and the model, loads `--resume`;
    /// throws ``UsageError`` for anything the user can fix, before any file is written.
    init(options: Options) throws(UsageError) {
        self.options = options
        if let threads = options.threads { ParallelConfiguration.maximumThreadCount = threads }

        let text: String
        if let file = options.textFile {
            do {
                text = try String(contentsOf: file, encoding: .utf8)
            } catch {
                throw UsageError(message: Self.message("--text", file: file, error: error), showsUsage: false)
            }
            corpusDescription = "\(file.lastPathComponent)"
        } else {
            text = PlantedClassCorpus(sentenceCount: options.sentenceCount, seed: options.seed).text
            corpusDescription = "generated corpus, \(options.sentenceCount) sentences (seed \(options.seed))"
        }

        let checkpoint = try options.resume.map { url throws(UsageError) in try ResumedCheckpoint(url: url, options: options) }
        if let saved = checkpoint?.tokenizer {
            tokenizer = saved
        } else {
            tokenizer = try Self.tokenizer(for: options, text: text)
        }

        let tokens = tokenizer.encode(text)
        let heldOutCount = Int(Double(tokens.count) * Self.heldOutFraction)
        let trainIDs = Array(tokens[..<(tokens.count - heldOutCount)])
        if let saved = checkpoint?.vocabulary {
            vocabulary = saved
        } else if tokenizer is BytePairTokenizer {
            vocabulary = ModelVocabulary(seenIn: trainIDs)
        } else {
            vocabulary = ModelVocabulary(identityOf: tokenizer.vocabularySize)
        }
        trainTokens = vocabulary.modelIDs(trainIDs)
        heldOutTokens = vocabulary.modelIDs(Array(tokens[(tokens.count - heldOutCount)...]))
        let context = checkpoint?.contextLength ?? options.contextLength
        let neededTokens = (context * options.batchSize + 1)
        guard trainTokens.count > neededTokens && heldOutTokens.count > context else {
            throw UsageError(message: "the text has \(tokens.count) tokens; --context \(context) and --batch "
                             + "\(options.batchSize) need at least \(Int(Double(neededTokens) / (1 - Self.heldOutFraction)) + context + 1)",
                             showsUsage: false)
        }
        plan = TrainingPlan(options: options, trainTokenCount: trainTokens.count, vocabularySize: vocabulary.count,
                            contextLength: context)

        generator = Generator(seed: options.seed)
        model = NextTokenModel(vocabularySize: vocabulary.count,
                               embeddingSize: checkpoint?.embeddingSize ?? plan.embeddingSize,
                               contextLength: context,
                               positionalEncoding: checkpoint?.positionalEncoding ?? options.positionalEncoding,
                               dropout: plan.dropout,
                               generator: generator)
        if let checkpoint {
            do {
                try model.load(from: checkpoint.url)
            } catch {
                throw UsageError(message: Self.message("--resume", file: checkpoint.url, error: error), showsUsage: false)
            }
        } else {
            // The untrained model predicts token frequencies: zero head weights, the unigram log
            // probabilities as bias. Training starts at the unigram baseline rather than far above
            // it, and on a small text early stopping can only keep something better. The tables
            // start at a tenth of their N(0, 1) draws: against a zero head, unit-sized embeddings
            // make the head's first steps overshoot (on small texts the held-out loss then ends
            // 2–8 % above where it does from smaller ones).
            model.head.weight.value = Tensor.zeros(model.head.weight.shape)
            model.head.bias?.value = Self.logUnigram(of: trainTokens, vocabularySize: vocabulary.count)
            model.token.weight.value = model.token.weight.value * Self.initialEmbeddingScale
            if let position = model.position { position.weight.value = position.weight.value * Self.initialEmbeddingScale }
        }
        resumedSteps = checkpoint?.steps ?? 0
        if options.freezePositions { model.position?.freeze() }

        var classes: [Int: String] = [:]
        if options.textFile == nil && tokenizer is WordTokenizer {
            for id in 0..<vocabulary.count {
                if let word = vocabulary.tokenizerIDs[id].flatMap(tokenizer.token(for:)),
                   let name = PlantedClassCorpus.wordClass(of: word) {
                    classes[id] = name
                }
            }
        }
        classOfToken = classes

        evaluationSets = try EvaluationSet.sets(for: options)
        outputDirectory = try Self.outputDirectory(options.outputDirectory)
    }

    /// The tokenizer `options` ask for, built or read before anything is written.
    private static func tokenizer(for options: Options, text: String) throws(UsageError) -> any Tokenizer {
        if let directory = options.tokenizerFiles {
            let files = try bytePairFiles(in: directory)
            do {
                return try BytePairTokenizer(vocabularyFile: files.vocabulary, mergesFile: files.merges)
            } catch {
                throw UsageError(message: "--tokenizer-files \(directory.path): \(error.description)", showsUsage: false)
            }
        }
        switch options.tokenizerKind {
        case .word:
            guard options.textFile != nil else { return WordTokenizer(training: text, minimumCount: 1, specialTokens: []) }
            if options.explicit.contains("--min-count") {
                return WordTokenizer(training: text, minimumCount: options.minimumCount, specialTokens: [])
            }
            // A small text has few words many times and most words once or twice: rows for all of
            // them would be learned from one or two examples each. The cut-off rises until there are
            // at most `wordsPerRow` words of text per vocabulary entry.
            var minimumCount = options.minimumCount
            var tokenizer = WordTokenizer(training: text, minimumCount: minimumCount, specialTokens: [])
            let wordCount = tokenizer.encode(text).count
            while minimumCount < Self.largestMinimumCount && tokenizer.vocabularySize * Self.wordsPerRow > wordCount {
                minimumCount += 1
                tokenizer = WordTokenizer(training: text, minimumCount: minimumCount, specialTokens: [])
            }
            return tokenizer
        case .byte:
            return ByteTokenizer()
        case .gpt2:
            do {
                return try BytePairTokenizer.gpt2()
            } catch {
                throw UsageError(message: "--tokenizer gpt2: \(error.description)", showsUsage: false)
            }
        }
    }

    /// The vocabulary and merge files in `directory`: `vocab.json` + `merges.txt` (Hugging Face's
    /// names) or `encoder.json` + `vocab.bpe` (OpenAI's).
    static func bytePairFiles(in directory: URL) throws(UsageError) -> (vocabulary: URL, merges: URL) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw UsageError(message: "--tokenizer-files \(directory.path): no such folder", showsUsage: false)
        }
        func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: directory.appending(path: name).path) }
        for (vocabulary, merges) in [("vocab.json", "merges.txt"), ("encoder.json", "vocab.bpe")] {
            switch (exists(vocabulary), exists(merges)) {
            case (true, true): return (directory.appending(path: vocabulary), directory.appending(path: merges))
            case (true, false):
                throw UsageError(message: "--tokenizer-files \(directory.path) has \(vocabulary) but no \(merges)", showsUsage: false)
            case (false, true):
                throw UsageError(message: "--tokenizer-files \(directory.path) has \(merges) but no \(vocabulary)", showsUsage: false)
            case (false, false): continue
            }
        }
        throw UsageError(message: "--tokenizer-files \(directory.path) has neither vocab.json + merges.txt "
                         + "nor encoder.json + vocab.bpe", showsUsage: false)
    }

    /// The log-probabilities of the add-one unigram model (the head's initial bias).
    static func logUnigram(of tokens: [Int], vocabularySize: Int) -> Tensor<Float> {
        var counts = [Double](repeating: 1, count: vocabularySize)
        for token in tokens { counts[token] += 1 }
        let total = Double(tokens.count + vocabularySize)
        return Tensor(counts.map { Float(Foundation.log($0 / total)) })
    }

    static func outputDirectory(_ requested: URL?) throws(UsageError) -> URL {
        var isDirectory: ObjCBool = false
        if let requested {
            if FileManager.default.fileExists(atPath: requested.path, isDirectory: &isDirectory) && !isDirectory.boolValue {
                throw UsageError(message: "--out \(requested.path) is a file, not a directory", showsUsage: false)
            }
            return requested
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let stamp = formatter.string(from: Date())
        var candidate = URL(fileURLWithPath: "runs", isDirectory: true).appending(path: stamp, directoryHint: .isDirectory)
        var suffix = 2
        while FileManager.default.fileExists(atPath: candidate.path) {
            candidate = URL(fileURLWithPath: "runs", isDirectory: true)
                .appending(path: "\(stamp)-\(suffix)", directoryHint: .isDirectory)
            suffix += 1
        }
        return candidate
    }

    /// `problem` about `file`, naming the file once (many errors already name it).
    static func message(_ problem: String, file: URL, error: any Error) -> String {
        let reason = reason(error)
        return reason.contains(file.path) ? "\(problem): \(reason)" : "\(problem) \(file.path): \(reason)"
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? TensorError { return error.description }
        if let error = error as? TrainingDiverged { return error.description }
        if let error = error as? DistributedError { return error.description }
        if let error = error as? CocoaError, [.fileReadInapplicableStringEncoding, .fileReadCorruptFile].contains(error.code) {
            return "not valid UTF-8 text"
        }
        if let error = error as? CocoaError, let underlying = error.underlying as? POSIXError {
            return String(cString: strerror(underlying.code.rawValue))
        }
        return (error as NSError).localizedDescription
    }
}

/// A checkpoint named by `--resume`, checked against the options and read for its shapes.
struct ResumedCheckpoint {
    let url: URL
    let embeddingSize: Int
    let contextLength: Int?
    let positionalEncoding: PositionalEncodingKind
    let steps: Int
    /// The tokenizer saved beside the checkpoint, when there is one.
    let tokenizer: (any Tokenizer)?
    /// Its model vocabulary (`model-vocabulary.json`), when the model's rows are not the tokenizer's.
    let vocabulary: ModelVocabulary?

    init(url: URL, options: Options) throws(UsageError) {
        self.url = url
        let file: SafetensorsFile
        do {
            file = try SafetensorsFile(contentsOf: url)
        } catch {
            throw UsageError(message: Experiment.message("--resume", file: url, error: error), showsUsage: false)
        }
        guard let tokenShape = file.shape(of: "token.weight"), tokenShape.count == 2 else {
            throw UsageError(message: "--resume \(url.path): it holds no token.weight table", showsUsage: false)
        }
        embeddingSize = tokenShape[1]
        let positionShape = file.shape(of: "position.weight")
        contextLength = positionShape?.first
        positionalEncoding = PositionalEncodingKind(rawValue: file.metadata["positional"] ?? "")
            ?? (positionShape == nil ? .none : .learned)
        steps = Int(file.metadata["steps"] ?? "") ?? 0

        if options.explicit.contains("--dim") && options.embeddingSize != embeddingSize {
            throw UsageError(message: "--dim \(options.embeddingSize) does not match the checkpoint's \(embeddingSize)",
                             showsUsage: false)
        }
        if options.explicit.contains("--positional") && options.positionalEncoding != positionalEncoding {
            throw UsageError(message: "--positional \(options.positionalEncoding.rawValue) does not match the checkpoint's "
                             + positionalEncoding.rawValue, showsUsage: false)
        }
        if let contextLength, options.explicit.contains("--context") && options.contextLength != contextLength {
            throw UsageError(message: "--context \(options.contextLength) does not match the checkpoint's \(contextLength)",
                             showsUsage: false)
        }

        let directory = url.deletingLastPathComponent()
        let vocabularyURL = directory.appending(path: "vocabulary.json")
        let modelVocabularyURL = directory.appending(path: "model-vocabulary.json")
        guard FileManager.default.fileExists(atPath: vocabularyURL.path) else {
            if options.explicit.contains("--tokenizer") || options.explicit.contains("--tokenizer-files") {
                throw UsageError(message: "--resume \(url.path): no vocabulary.json beside it to check the tokenizer against",
                                 showsUsage: false)
            }
            tokenizer = nil
            vocabulary = nil
            return
        }
        do {
            tokenizer = try loadTokenizer(contentsOf: vocabularyURL)
        } catch {
            throw UsageError(message: Experiment.message("cannot read", file: vocabularyURL, error: error), showsUsage: false)
        }
        if FileManager.default.fileExists(atPath: modelVocabularyURL.path) {
            do {
                vocabulary = try ModelVocabulary(contentsOf: modelVocabularyURL)
            } catch let error as UsageError {
                throw error
            } catch {
                throw UsageError(message: Experiment.message("cannot read", file: modelVocabularyURL, error: error),
                                 showsUsage: false)
            }
        } else {
            vocabulary = nil
        }
        let rows = vocabulary?.count ?? tokenizer!.vocabularySize
        if rows != tokenShape[0] {
            throw UsageError(message: "\(vocabularyURL.path) gives \(rows) token rows but the checkpoint's token table has "
                             + "\(tokenShape[0])", showsUsage: false)
        }
    }
}
