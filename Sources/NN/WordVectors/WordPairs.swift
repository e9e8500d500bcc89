import Foundation

/// Two words and how similar (or related) people judged them: one line of a word-similarity
/// benchmark such as WordSim-353, SimLex-999 or MEN.
public struct WordPair: Sendable, Hashable {
    /// The first word.
    public var first: String
    /// The second word.
    public var second: String
    /// The mean human judgement, on the benchmark's own scale (0–10 for WordSim-353).
    public var humanScore: Double

    /// The pair `first`, `second`, judged `humanScore`.
    ///
    /// ```swift
    /// let pair = WordPair("tiger", "cat", humanScore: 7.35)
    /// ```
    public init(_ first: String, _ second: String, humanScore: Double) {
        self.first = first
        self.second = second
        self.humanScore = humanScore
    }
}

/// A named word-similarity benchmark: word pairs with human scores, the input of
/// ``WordVectors/evaluateWordPairs(_:caseInsensitive:restrictedTo:)``.
///
/// No benchmark ships with the package: WordSim-353, the usual one, comes with no license found
/// that allows redistributing it. Download `wordsim353.zip` from its page,
/// <https://gabrilovich.com/resources/data/wordsim353/wordsim353.html>, and read its
/// `combined.tab` (gensim's `gensim/test/test_data/wordsim353.tsv` is the same 353 pairs).
///
/// ```swift
/// let wordSim = try WordPairs(contentsOf: url, name: "WordSim-353")
/// wordSim.pairs.count        // 353
/// wordSim.pairs[1]           // WordPair("tiger", "cat", humanScore: 7.35)
/// let mine = WordPairs(name: "mine", pairs: [WordPair("cat", "dog", humanScore: 8), WordPair("cat", "car", humanScore: 1)])
/// ```
public struct WordPairs: Sendable {
    /// What the results print as the benchmark's name.
    public var name: String
    /// The pairs, in the file's order.
    public var pairs: [WordPair]

    /// A benchmark of `pairs`, named `name` in results.
    ///
    /// ```swift
    /// let mine = WordPairs(name: "mine", pairs: [WordPair("cat", "dog", humanScore: 8)])
    /// ```
    public init(name: String, pairs: [WordPair]) {
        self.name = name
        self.pairs = pairs
    }

    /// Reads a `word1 word2 score` file, as gensim's `evaluate_word_pairs` reads one.
    ///
    /// A line holds three fields separated by tabs (gensim's default delimiter; the words are then
    /// taken exactly as written) or, in a line without tabs, by runs of spaces. Lines starting
    /// with `#` are comments and blank lines are skipped. The first other line is a header when its
    /// score is not a number (`Word 1`, `Word 2`, `Human (mean)` in WordSim-353's `combined.tab`) and is
    /// skipped too; gensim skips every line it cannot read, where this reader stops at the first
    /// one after the header.
    ///
    /// - Parameters:
    ///   - url: The file.
    ///   - name: The benchmark's name in results; by default the file's name without its
    ///     extension.
    /// - Throws: `TensorError.io(path:reason:)` for an unreadable file,
    ///   `TensorError.malformedFile(path:offset:reason:)` naming the first line (1-based, and the
    ///   byte where it starts) that is not two words and a finite number, or that is not UTF-8.
    public init(contentsOf url: URL, name: String? = nil) throws(TensorError) {
        let file = try EvaluationTextFile(contentsOf: url)
        var pairs: [WordPair] = []
        var headerAllowed = true
        for line in file.lines {
            // gensim's test, `line.startswith('#')`: only a `#` in the first column makes a comment.
            if line.text.hasPrefix("#") || PythonText.words(line.text).isEmpty { continue }
            let fields = line.text.unicodeScalars.contains("\t")
                ? PythonText.fields(line.text, separatedBy: "\t")
                : PythonText.words(line.text)
            guard fields.count == 3 else {
                throw file.malformed(line, "expected two words and a score separated by tabs or spaces, found \(fields.count) field\(fields.count == 1 ? "" : "s")")
            }
            guard let score = PythonText.finiteNumber(fields[2]) else {
                if headerAllowed {
                    headerAllowed = false
                    continue
                }
                throw file.malformed(line, "the score '\(PythonText.stripped(fields[2]))' is not a finite number")
            }
            headerAllowed = false
            pairs.append(WordPair(fields[0], fields[1], humanScore: score))
        }
        self.init(name: name ?? url.deletingPathExtension().lastPathComponent, pairs: pairs)
    }
}
