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
    /// Under mpirun: the words each rank trains on between two exchanges of changed rows.
    var syncWords = 1 << 18
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
    /// nil: skip-gram for `--text` with word tokens, next-token otherwise (see ``objective``).
    var requestedObjective: Objective?
    /// word2vec's `window`: the largest distance from a centre word to a context word.
    var window = 5
    /// Noise words per window (word2vec), or per predicted token (next-token: 0 is the full softmax).
    var negatives: Int?
    /// Passes over the text (word2vec objectives).
    var epochs = 5
    /// word2vec's `sample`: the frequent-word subsampling threshold (0 keeps every word).
    var subsample = 1e-3
    /// Files written besides `vectors.txt`.
    var exports: Set<ExportFormat> = []
    /// A folder of word-similarity and analogy files to score the table on; nil for the built-in
    /// English sets, and no scoring with `--evaluate none`.
    var evaluationDirectory: URL?
    var skipsEvaluation = false
    /// A word-vector file to read and score instead of training (`--vectors`).
    var vectorsFile: URL?
    /// Words whose neighbours are shown (`--words`); nil for the defaults.
    var probeWords: [String]?

    /// What the model learns from: word2vec's skip-gram or CBOW, or next-token prediction.
    enum Objective: String, CaseIterable {
        case skipgram, cbow
        case nextToken = "next-token"

        var isWord2Vec: Bool { self != .nextToken }
    }

    /// Files a run can write beyond its defaults.
    enum ExportFormat: String, CaseIterable {
        /// `vectors.bin`, word2vec's binary format.
        case word2vecBinary = "word2vec-binary"
    }

    /// The objective in use: as asked, else skip-gram for a text of words (it scores best on the
    /// similarity sets, docs/word2vec.md) and next-token (the chapter's model) for the generated
    /// corpus, for byte or GPT-2 tokens, and when an option only next-token training has is given.
    var objective: Objective {
        if let requestedObjective { return requestedObjective }
        let wantsNextToken = !explicit.isDisjoint(with: Self.nextTokenOptions)
        return textFile != nil && tokenizerKind == .word && !wantsNextToken ? .skipgram : .nextToken
    }

    /// The options of next-token training only.
    static let nextTokenOptions: Set<String> = ["--context", "--positional", "--freeze-positions", "--patience", "--steps",
                                                "--optimizer", "--resume"]

    /// The tokenizer in use.
    var tokenizerKind: TokenizerKind { tokenizer ?? (tokenizerFiles == nil ? .word : .gpt2) }

    enum OptimizerKind: String, CaseIterable {
        case adam, sgd
    }

    static let usage = """
        usage: train-embeddings [options]

        Trains embeddings, then shows what they learned and writes them out. On your text of words
        (--text FILE) it trains word2vec's skip-gram by default and scores the vectors on word
        similarity and analogies; on the generated corpus (planted word classes) and with byte or
        GPT-2 tokens it trains the chapter's model (token + position embedding → linear head →
        cross-entropy, next-token prediction) and compares its held-out loss with counting
        baselines. Every run writes vectors.txt (word2vec's text format), vectors.tsv and
        metadata.tsv (TensorBoard Projector), a safetensors checkpoint and SVG pictures.

        options:
          --text FILE            train on FILE (UTF-8 text, any size: it is read in chunks) instead
                                 of the generated corpus
          --objective skipgram|cbow|next-token
                                 word2vec's skip-gram or CBOW with negative sampling, or next-token
                                 prediction (default: skipgram with --text and word tokens,
                                 unless an option below next-token's heading is given;
                                 next-token otherwise)

        word2vec (skipgram, cbow):
          --window N             largest distance from a word to its context words; each window's
                                 size is drawn from 1…N (default 5)
          --negatives K          noise words per window (default 5)
          --epochs N             passes over the text (default 5)
          --subsample T          drop frequent words with word2vec's threshold T (default 1e-3;
                                 0 keeps every word)
          --dim N                vector size (default 100)
          --min-count N          words seen fewer times are left out (default 5)
          --lr X                 starting learning rate, falling linearly to 0.0001 (default 0.025
                                 for skipgram, 0.1 for cbow)
          --batch N              windows per SGD step (default: half the vocabulary, at most 256)
          --evaluate DIR         score the vectors on the word-similarity (word1 word2 score) and
                                 analogy (questions-words.txt) files in DIR; default: the built-in
                                 English sets; `--evaluate none` skips scoring
          --export word2vec-binary
                                 also write vectors.bin in word2vec's binary format
          --sync-words N         under mpirun (mpirun -np 4 train-embeddings --text FILE): each
                                 rank trains on its piece of the text and the ranks exchange the
                                 rows they changed about every N of a rank's words (default 262144)

        next-token:
          --tokenizer word|byte|gpt2
                                 words of the text (default), UTF-8 bytes, or GPT-2's byte-pair
                                 encoding (built in)
          --tokenizer-files DIR  GPT-2-style byte-pair encoding from DIR: vocab.json + merges.txt
                                 (a Hugging Face model folder) or encoder.json + vocab.bpe
          --negatives K          train the head on K sampled noise tokens per position instead of the
                                 full softmax (default 0: the exact softmax)
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
          --evaluate DIR         as for word2vec, with word tokens
          --resume CHECKPOINT    start from the parameters in CHECKPOINT (an embeddings.safetensors
                                 from an earlier run; its vocabulary.json is used when beside it)
        reading vectors instead of training:
          --vectors FILE         read FILE (word2vec text or binary, or GloVe text, told apart by
                                 their first bytes), show nearest neighbours and score it as above
                                 (--evaluate); nothing is written
          --words W1,W2,…        the words whose nearest neighbours are shown

        every objective:
          --threads N            threads per kernel (default: all cores); results are the same
                                 bits for any count
          --quick                a small run for smoke tests (seconds)
          --out DIR              where files go (default runs/<timestamp>/)
          --help                 show this help
        """

    /// Resolves word2vec's defaults (where not given) and rejects the options of next-token training.
    private mutating func checkWord2VecOptions() throws(UsageError) {
        let objectiveName = objective.rawValue
        for option in Self.nextTokenOptions.sorted() where explicit.contains(option) {
            throw UsageError(message: "\(option) applies to --objective next-token, not \(objectiveName)")
        }
        if tokenizerKind != .word {
            throw UsageError(message: "--objective \(objectiveName) trains on the words of a text; it does not go with "
                             + (tokenizerFiles != nil ? "--tokenizer-files" : "--tokenizer \(tokenizerKind.rawValue)"))
        }
        if !explicit.contains("--dim") { embeddingSize = 100 }
        // CBOW passes each context word 1/n of its mean's gradient (the true gradient; word2vec's
        // tools pass the whole of it), so it takes a larger rate: 0.1 scored best on GCIDE of
        // 0.025, 0.05, 0.1 and 0.2 (docs/word2vec.md).
        if !explicit.contains("--lr") { learningRate = objective == .cbow ? 0.1 : 0.025 }
        if !explicit.contains("--min-count") { minimumCount = 5 }
        if negatives == nil { negatives = 5 }
        if negatives == 0 {
            throw UsageError(message: "--objective \(objectiveName) needs --negatives of 1 or more: with no noise words "
                             + "every vector drifts to the same direction")
        }
    }

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
            case "--sync-words": options.syncWords = try integer(for: argument, minimum: 1)
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
            case "--objective": options.requestedObjective = try choice(for: argument)
            case "--window": options.window = try integer(for: argument, minimum: 1)
            case "--negatives": options.negatives = try integer(for: argument, minimum: 0)
            case "--epochs": options.epochs = try integer(for: argument, minimum: 1)
            case "--subsample":
                let text = try value(for: argument)
                guard let threshold = Double(text), threshold >= 0, threshold.isFinite else {
                    throw UsageError(message: "--subsample needs a number ≥ 0, got '\(text)'")
                }
                options.subsample = threshold
            case "--export":
                let format: ExportFormat = try choice(for: argument)
                options.exports.insert(format)
            case "--evaluate":
                let text = try value(for: argument)
                if text == "none" {
                    options.skipsEvaluation = true
                } else {
                    options.evaluationDirectory = URL(fileURLWithPath: text, isDirectory: true)
                }
            case "--vectors": options.vectorsFile = URL(fileURLWithPath: try value(for: argument))
            case "--words":
                let words = try value(for: argument).split(separator: ",").map(String.init).filter { !$0.isEmpty }
                guard !words.isEmpty else { throw UsageError(message: "--words needs a comma-separated list of words") }
                options.probeWords = words
            case "--help", "-h": options.showHelp = true
            default: throw UsageError(message: "unknown option '\(argument)'")
            }
        }
        if options.vectorsFile != nil {
            let reading: Set<String> = ["--vectors", "--evaluate", "--words", "--threads"]
            if let other = options.explicit.subtracting(reading).sorted().first {
                throw UsageError(message: "\(other) does not go with --vectors, which reads vectors instead of training")
            }
            return options
        }
        if options.objective.isWord2Vec {
            try options.checkWord2VecOptions()
        } else {
            for option in ["--window", "--epochs", "--subsample", "--sync-words"] where options.explicit.contains(option) {
                throw UsageError(message: "\(option) applies to --objective skipgram and cbow, not next-token")
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
