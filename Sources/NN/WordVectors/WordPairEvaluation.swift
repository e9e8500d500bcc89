import Foundation

/// How well a table's cosine similarities agree with human judgements of word pairs: the numbers
/// gensim's `KeyedVectors.evaluate_word_pairs` returns, for the pairs whose two words the table
/// knows.
///
/// ```swift
/// let result = try wordVectors.evaluateWordPairs(contentsOf: url)
/// print(result)
/// // For example: wordsim353: Spearman 0.546 (Pearson 0.590), 347 of 353 pairs, 1.7 % out of vocabulary
/// result.spearman                    // 0.546…
/// result.outOfVocabularyPercentage   // 1.69…
/// ```
public struct WordPairEvaluation: Sendable, CustomStringConvertible {
    /// The benchmark's name.
    public let name: String
    /// Spearman's rank correlation between the human scores and the cosine similarities (gensim's
    /// `spearman[0]`): tied values share their average rank, as in `scipy.stats.spearmanr`. NaN
    /// when fewer than two pairs are known or either side is constant (gensim raises when no pair
    /// is known).
    public let spearman: Double
    /// Pearson's correlation between the same numbers (gensim's `pearson[0]`), NaN when undefined.
    public let pearson: Double
    /// The pairs whose two words are among the evaluated rows.
    public let usedPairCount: Int
    /// The pairs skipped because a word is not among the evaluated rows.
    public let skippedPairCount: Int

    /// Every pair of the benchmark.
    public var pairCount: Int { usedPairCount + skippedPairCount }

    /// The share of pairs skipped, in percent: gensim's `oov_ratio`.
    public var outOfVocabularyPercentage: Double {
        pairCount == 0 ? 0 : 100 * Double(skippedPairCount) / Double(pairCount)
    }

    /// A result with these numbers (the evaluation makes them; this is for results kept elsewhere).
    ///
    /// ```swift
    /// let kept = WordPairEvaluation(name: "wordsim353", spearman: 0.55, pearson: 0.55, usedPairCount: 317, skippedPairCount: 36)
    /// ```
    public init(name: String, spearman: Double, pearson: Double, usedPairCount: Int, skippedPairCount: Int) {
        self.name = name
        self.spearman = spearman
        self.pearson = pearson
        self.usedPairCount = usedPairCount
        self.skippedPairCount = skippedPairCount
    }

    public var description: String {
        "\(name): Spearman \(String(format: "%.3f", spearman)) (Pearson \(String(format: "%.3f", pearson))), "
            + "\(usedPairCount) of \(pairCount) pairs, \(String(format: "%.1f", outOfVocabularyPercentage)) % out of vocabulary"
    }
}

extension WordVectors {
    /// Scores the table on a word-similarity file (`word1 word2 score` lines, as
    /// ``WordPairs/init(contentsOf:name:)`` reads them) the way gensim's
    /// `KeyedVectors.evaluate_word_pairs` does; see ``evaluateWordPairs(_:caseInsensitive:restrictedTo:)``.
    ///
    /// - Throws: `TensorError.io(path:reason:)` for an unreadable file,
    ///   `TensorError.malformedFile(path:offset:reason:)` naming a line that is not a pair.
    ///
    /// ```swift
    /// let wordSim = try wordVectors.evaluateWordPairs(contentsOf: url, restrictedTo: 30_000)
    /// print(wordSim.spearman, wordSim.usedPairCount)
    /// ```
    public func evaluateWordPairs(contentsOf url: URL, caseInsensitive: Bool = true,
                                  restrictedTo mostFrequent: Int = 300_000) throws(TensorError) -> WordPairEvaluation {
        evaluateWordPairs(try WordPairs(contentsOf: url), caseInsensitive: caseInsensitive, restrictedTo: mostFrequent)
    }

    /// Scores the table on word pairs with human scores, as gensim's
    /// `KeyedVectors.evaluate_word_pairs(pairs, restrict_vocab, case_insensitive)` does.
    ///
    /// Only the first `mostFrequent` rows are used (the most frequent words, when the table is sorted
    /// by falling frequency as trained tables are). With `caseInsensitive` (gensim's default) words
    /// are compared upper-cased, and a word found in several casings takes the vector of the first
    /// (most frequent) one; words match code point by code point, as Python compares strings (not
    /// by Swift's canonical equivalence). A pair whose two words are both known contributes the
    /// cosine similarity of their vectors, rounded to Float as gensim's float32 arithmetic rounds
    /// it (so exactly equal similarities tie in the ranks as they do in gensim); the others are
    /// counted as skipped. A zero vector has similarity 0 with everything.
    ///
    /// ```swift
    /// let pairs = WordPairs(name: "animals", pairs: [
    ///     WordPair("cat", "dog", humanScore: 8), WordPair("cat", "car", humanScore: 1), WordPair("dog", "tiger", humanScore: 6),
    /// ])
    /// let result = wordVectors.evaluateWordPairs(pairs)
    /// result.usedPairCount   // pairs whose words the table knows
    /// ```
    ///
    /// - Complexity: O(n · dimension) for n pairs, after O(count) work to index the words.
    public func evaluateWordPairs(_ pairs: WordPairs, caseInsensitive: Bool = true,
                                  restrictedTo mostFrequent: Int = 300_000) -> WordPairEvaluation {
        let vocabulary = EvaluationVocabulary(words: words, restrictedTo: mostFrequent, caseInsensitive: caseInsensitive)
        var humanScores: [Double] = [], similarities: [Double] = []
        var skipped = 0
        for pair in pairs.pairs {
            guard let first = vocabulary.row(of: pair.first), let second = vocabulary.row(of: pair.second) else {
                skipped += 1
                continue
            }
            humanScores.append(pair.humanScore)
            let cosine = Self.cosineSimilarity(vectors.selected(axis: 0, index: first).scalars,
                                               vectors.selected(axis: 0, index: second).scalars)
            similarities.append(Double(Float(cosine)))
        }
        return WordPairEvaluation(name: pairs.name,
                                  spearman: Correlation.spearman(humanScores, similarities),
                                  pearson: Correlation.pearson(humanScores, similarities),
                                  usedPairCount: humanScores.count, skippedPairCount: skipped)
    }

    /// The cosine of the angle between two equally long vectors, in Double; 0 when either is zero.
    private static func cosineSimilarity(_ first: [Float], _ second: [Float]) -> Double {
        var dot = 0.0, firstSquares = 0.0, secondSquares = 0.0
        for (x, y) in zip(first, second) {
            dot += Double(x) * Double(y)
            firstSquares += Double(x) * Double(x)
            secondSquares += Double(y) * Double(y)
        }
        guard firstSquares > 0, secondSquares > 0 else { return 0 }
        return dot / (firstSquares.squareRoot() * secondSquares.squareRoot())
    }
}
