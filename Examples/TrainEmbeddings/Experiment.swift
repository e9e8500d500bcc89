import Foundation
import NN

/// One training run, fully prepared: every input read and checked before anything is written.
struct Experiment {
    let options: Options
    let corpusDescription: String
    let tokenizer: WordTokenizer
    let trainTokens: [Int]
    let heldOutTokens: [Int]
    let model: NextTokenModel<Float>
    let generator: Generator
    let outputDirectory: URL
    /// The planted class of each token id (generated corpus only).
    let classOfToken: [Int: String]
    let resumedSteps: Int

    /// The share of the token stream kept aside for the held-out loss.
    static let heldOutFraction = 0.1

    /// Reads the text, builds the vocabulary and the model, loads `--resume`; throws
    /// ``UsageError`` for anything the user can fix, before any file is written.
    init(options: Options) throws(UsageError) {
        self.options = options
        if let threads = options.threads { ParallelConfiguration.maximumThreadCount = threads }

        let text: String
        if let file = options.textFile {
            do {
                text = try String(contentsOf: file, encoding: .utf8)
            } catch {
                throw UsageError(message: Self.message("--text", file: file, error: error))
            }
            corpusDescription = "\(file.lastPathComponent)"
        } else {
            text = PlantedClassCorpus(sentenceCount: options.sentenceCount, seed: options.seed).text
            corpusDescription = "generated corpus, \(options.sentenceCount) sentences (seed \(options.seed))"
        }

        let checkpoint = try options.resume.map { url throws(UsageError) in try ResumedCheckpoint(url: url, options: options) }
        if let vocabulary = checkpoint?.tokenizer {
            tokenizer = vocabulary
        } else {
            tokenizer = WordTokenizer(training: text, minimumCount: options.textFile == nil ? 1 : options.minimumCount,
                                      specialTokens: [])
        }

        let tokens = tokenizer.encode(text)
        let heldOutCount = Int(Double(tokens.count) * Self.heldOutFraction)
        trainTokens = Array(tokens[..<(tokens.count - heldOutCount)])
        heldOutTokens = Array(tokens[(tokens.count - heldOutCount)...])
        let context = checkpoint?.contextLength ?? options.contextLength
        let neededTokens = (context * options.batchSize + 1)
        guard trainTokens.count > neededTokens && heldOutTokens.count > context else {
            throw UsageError(message: "the text has \(tokens.count) tokens; --context \(context) and --batch "
                             + "\(options.batchSize) need at least \(Int(Double(neededTokens) / (1 - Self.heldOutFraction)) + context + 1)")
        }

        generator = Generator(seed: options.seed)
        model = NextTokenModel(vocabularySize: tokenizer.vocabularySize,
                               embeddingSize: checkpoint?.embeddingSize ?? options.embeddingSize,
                               contextLength: context,
                               positionalEncoding: checkpoint?.positionalEncoding ?? options.positionalEncoding,
                               generator: generator)
        if let checkpoint {
            do {
                try model.load(from: checkpoint.url)
            } catch {
                throw UsageError(message: Self.message("--resume", file: checkpoint.url, error: error))
            }
        }
        resumedSteps = checkpoint?.steps ?? 0
        if options.freezePositions { model.position?.freeze() }

        var classes: [Int: String] = [:]
        if options.textFile == nil {
            for id in 0..<tokenizer.vocabularySize {
                if let name = PlantedClassCorpus.wordClass(of: tokenizer.tokens[id]) { classes[id] = name }
            }
        }
        classOfToken = classes

        outputDirectory = try Self.outputDirectory(options.outputDirectory)
    }

    private static func outputDirectory(_ requested: URL?) throws(UsageError) -> URL {
        var isDirectory: ObjCBool = false
        if let requested {
            if FileManager.default.fileExists(atPath: requested.path, isDirectory: &isDirectory) && !isDirectory.boolValue {
                throw UsageError(message: "--out \(requested.path) is a file, not a directory")
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
    /// The vocabulary saved beside the checkpoint, when there is one.
    let tokenizer: WordTokenizer?

    init(url: URL, options: Options) throws(UsageError) {
        self.url = url
        let file: SafetensorsFile
        do {
            file = try SafetensorsFile(contentsOf: url)
        } catch {
            throw UsageError(message: Experiment.message("--resume", file: url, error: error))
        }
        guard let tokenShape = file.shape(of: "token.weight"), tokenShape.count == 2 else {
            throw UsageError(message: "--resume \(url.path): it holds no token.weight table")
        }
        embeddingSize = tokenShape[1]
        let positionShape = file.shape(of: "position.weight")
        contextLength = positionShape?.first
        positionalEncoding = PositionalEncodingKind(rawValue: file.metadata["positional"] ?? "")
            ?? (positionShape == nil ? .none : .learned)
        steps = Int(file.metadata["steps"] ?? "") ?? 0

        if options.explicit.contains("--dim") && options.embeddingSize != embeddingSize {
            throw UsageError(message: "--dim \(options.embeddingSize) does not match the checkpoint's \(embeddingSize)")
        }
        if options.explicit.contains("--positional") && options.positionalEncoding != positionalEncoding {
            throw UsageError(message: "--positional \(options.positionalEncoding.rawValue) does not match the checkpoint's "
                             + positionalEncoding.rawValue)
        }
        if let contextLength, options.explicit.contains("--context") && options.contextLength != contextLength {
            throw UsageError(message: "--context \(options.contextLength) does not match the checkpoint's \(contextLength)")
        }

        let vocabularyURL = url.deletingLastPathComponent().appending(path: "vocabulary.json")
        if FileManager.default.fileExists(atPath: vocabularyURL.path) {
            do {
                guard let words = try loadTokenizer(contentsOf: vocabularyURL) as? WordTokenizer else {
                    throw UsageError(message: "\(vocabularyURL.path) is not a word-level vocabulary")
                }
                tokenizer = words
            } catch let error as UsageError {
                throw error
            } catch {
                throw UsageError(message: Experiment.message("cannot read", file: vocabularyURL, error: error))
            }
            if tokenizer?.vocabularySize != tokenShape[0] {
                throw UsageError(message: "\(vocabularyURL.path) has \(tokenizer?.vocabularySize ?? 0) entries but the "
                                 + "checkpoint's token table has \(tokenShape[0]) rows")
            }
        } else {
            tokenizer = nil
        }
    }
}
