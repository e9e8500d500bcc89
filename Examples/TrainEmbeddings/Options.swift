import Foundation
import NN

/// A command line that cannot run: reported on one line (followed by the usage when the options
/// themselves are wrong, not when a file they name is), exit code 2, nothing written.
struct UsageError: Error {
    let message: String
    var showsUsage = true
}

/// Everything a run is configured by, from the command line.
struct Options {
    var textFile: URL?
    var steps = 4000
    var embeddingSize = 64
    var contextLength = 16
    var batchSize = 32
    var learningRate = 0.01
    var optimizer = OptimizerKind.adam
    var seed: UInt64 = 42
    var positionalEncoding = PositionalEncodingKind.learned
    var freezePositions = false
    var resume: URL?
    var threads: Int?
    var minimumCount = 2
    /// nil: `word`, unless `--tokenizer-files` is given.
    var tokenizer: TokenizerKind?
    var tokenizerFiles: URL?
    /// Held-out evaluations without improvement before training stops (0: never stop early).
    var patience = 5
    var quick = false
    var outputDirectory: URL?
    var showHelp = false
    /// Sentences of the generated corpus when no `--text` is given.
    var sentenceCount = 40_000
    /// The options given explicitly, which a resumed checkpoint must agree with.
    var explicit: Set<String> = []

    /// The tokenizer in use.
    var tokenizerKind: TokenizerKind { tokenizer ?? (tokenizerFiles == nil ? .word : .gpt2) }

    enum OptimizerKind: String, CaseIterable {
        case adam, sgd
    }

    static let usage = """
        usage: train-embeddings [options]

        Trains token embeddings (token + position embedding → linear head → cross-entropy, next-token
        prediction) on a generated corpus with planted word classes, or on your text, then reports
        held-out loss against the unigram baseline, nearest neighbours, and writes a checkpoint,
        the vocabulary and two SVG pictures.

        options:
          --text FILE            train on FILE (UTF-8 text) instead of the generated corpus; steps,
                                 size and weight decay are then chosen from the text's size
          --tokenizer word|byte|gpt2
                                 words of the text (default), UTF-8 bytes, or GPT-2's byte-pair
                                 encoding (built in)
          --tokenizer-files DIR  GPT-2-style byte-pair encoding from DIR: vocab.json + merges.txt
                                 (a Hugging Face model folder) or encoder.json + vocab.bpe
          --steps N              at most N optimizer steps (default 4000 on the generated corpus,
                                 300 with --quick; chosen from the text's size with --text)
          --patience N           stop after N held-out evaluations without improvement and keep
                                 the best parameters (default 5; 0 trains all the steps)
          --dim N                embedding size (default 64; 32 with --quick)
          --context N            tokens per training window (default 16)
          --batch N              windows per batch (default 32)
          --lr X                 learning rate (default 0.01 for adam, 1.0 for sgd)
          --optimizer adam|sgd   Adam, or SGD with momentum 0.9 (default adam)
          --seed N               seed for the corpus, initial weights and batch order (default 42)
          --positional learned|sinusoidal|none
                                 positional encoding (default learned)
          --freeze-positions     keep the learned position table fixed
          --min-count N          with --text: words seen fewer times become <|unk|> (default 2)
          --resume CHECKPOINT    start from the parameters in CHECKPOINT (an embeddings.safetensors
                                 from an earlier run; its vocabulary.json is used when beside it)
          --threads N            threads per kernel (default: all cores)
          --quick                a small run for smoke tests (seconds)
          --out DIR              where files go (default runs/<timestamp>/)
          --help                 show this help
        """

    /// Parses `arguments` (without the program name).
    static func parse(_ arguments: [String]) throws(UsageError) -> Options {
        var options = Options()
        var remaining = arguments[...]
        func value(for option: String) throws(UsageError) -> String {
            guard let value = remaining.popFirst(), !value.hasPrefix("--") else {
                throw UsageError(message: "\(option) needs a value")
            }
            return value
        }
        /// One of `Kind`'s cases by name; the error lists them in declaration order.
        func choice<Kind: RawRepresentable & CaseIterable>(for option: String) throws(UsageError) -> Kind
        where Kind.RawValue == String {
            let text = try value(for: option)
            guard let kind = Kind(rawValue: text) else {
                let names = Kind.allCases.map(\.rawValue)
                let list = names.count > 1
                    ? names.dropLast().joined(separator: ", ") + " or " + names.last! : names.joined()
                throw UsageError(message: "\(option) must be \(list), got '\(text)'")
            }
            return kind
        }

        func integer(for option: String, minimum: Int) throws(UsageError) -> Int {
            let text = try value(for: option)
            guard let number = Int(text), number >= minimum else {
                throw UsageError(message: "\(option) needs an integer ≥ \(minimum), got '\(text)'")
            }
            return number
        }
        while let argument = remaining.popFirst() {
            options.explicit.insert(argument)
            switch argument {
            case "--text": options.textFile = URL(fileURLWithPath: try value(for: argument))
            case "--steps": options.steps = try integer(for: argument, minimum: 1)
            case "--dim": options.embeddingSize = try integer(for: argument, minimum: 2)
            case "--context": options.contextLength = try integer(for: argument, minimum: 1)
            case "--batch": options.batchSize = try integer(for: argument, minimum: 1)
            case "--min-count": options.minimumCount = try integer(for: argument, minimum: 1)
            case "--patience": options.patience = try integer(for: argument, minimum: 0)
            case "--tokenizer": options.tokenizer = try choice(for: argument)
            case "--tokenizer-files":
                options.tokenizerFiles = URL(fileURLWithPath: try value(for: argument), isDirectory: true)
            case "--threads": options.threads = try integer(for: argument, minimum: 1)
            case "--lr":
                let text = try value(for: argument)
                guard let rate = Double(text), rate > 0, rate.isFinite else {
                    throw UsageError(message: "--lr needs a positive number, got '\(text)'")
                }
                options.learningRate = rate
            case "--optimizer": options.optimizer = try choice(for: argument)
            case "--seed":
                let text = try value(for: argument)
                guard let seed = UInt64(text) else {
                    throw UsageError(message: "--seed needs a non-negative integer, got '\(text)'")
                }
                options.seed = seed
            case "--positional":
                let text = try value(for: argument)
                guard let kind = PositionalEncodingKind(rawValue: text) else {
                    throw UsageError(message: "--positional must be learned, sinusoidal or none, got '\(text)'")
                }
                options.positionalEncoding = kind
            case "--freeze-positions": options.freezePositions = true
            case "--resume": options.resume = URL(fileURLWithPath: try value(for: argument))
            case "--quick": options.quick = true
            case "--out": options.outputDirectory = URL(fileURLWithPath: try value(for: argument), isDirectory: true)
            case "--help", "-h": options.showHelp = true
            default: throw UsageError(message: "unknown option '\(argument)'")
            }
        }
        if options.quick {
            if !options.explicit.contains("--steps") { options.steps = 300 }
            if !options.explicit.contains("--dim") { options.embeddingSize = 32 }
            options.sentenceCount = 3000
        }
        if options.optimizer == .sgd && !options.explicit.contains("--lr") { options.learningRate = 1 }
        if options.tokenizerFiles != nil, let kind = options.tokenizer, kind != .gpt2 {
            throw UsageError(message: "--tokenizer-files gives a byte-pair encoding; it does not go with --tokenizer \(kind.rawValue)")
        }
        if options.explicit.contains("--min-count") && options.tokenizerKind != .word {
            throw UsageError(message: "--min-count applies to the word tokenizer only")
        }
        if options.freezePositions && options.positionalEncoding != .learned {
            throw UsageError(message: "--freeze-positions needs --positional learned")
        }
        return options
    }
}
