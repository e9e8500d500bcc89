import Foundation

/// What counting alone predicts on held-out text: the cross-entropy (nats per token) of a
/// smoothed unigram model and of a smoothed bigram model, both counted on the training tokens and
/// measured on the held-out ones — the references a next-token model is judged against.
///
/// The unigram model adds one to every count (so a token never seen in training still has a
/// probability). The bigram model interpolates absolute discounting with that unigram model
/// (Ney, Essen and Kneser, 1994; discount 0.75): `P(w | v) = max(c(v, w) − d, 0) / c(v)
/// + d · n(v) / c(v) · P(w)`, with `n(v)` the number of distinct tokens seen after `v`; a context
/// never seen in training falls back to `P(w)`. A model that sees one token at a time (as
/// ``NextTokenModel`` does) is, at best, a good bigram model, so the bigram value is the floor to
/// approach; the unigram value is what any learning must beat.
///
/// ```swift
/// let baselines = CountBaselines(training: [0, 1, 0, 1, 0, 2], heldOut: [0, 1, 0], vocabularySize: 3)
/// baselines.bigram < baselines.unigram   // true: 1 follows 0
/// ```
public struct CountBaselines: Sendable {
    /// Held-out cross-entropy of the add-one unigram model, in nats per token.
    public let unigram: Double
    /// Held-out cross-entropy of the interpolated, absolutely discounted bigram model.
    public let bigram: Double

    /// The discount of the bigram model.
    public static let discount = 0.75

    /// Counts on `training` and measures on `heldOut`, predicting each held-out token from the one
    /// before it; every token is in `0..<vocabularySize`.
    public init(training: [Int], heldOut: [Int], vocabularySize: Int) {
        self.init(training: training, contexts: Array(heldOut.dropLast()), targets: Array(heldOut.dropFirst()),
                  vocabularySize: vocabularySize)
    }

    /// Counts on `training` and measures the prediction of each `targets[i]` after `contexts[i]`
    /// (the pairs of held-out windows, say, which do not join into one stream).
    public init(training: [Int], contexts: [Int], targets: [Int], vocabularySize: Int) {
        precondition(vocabularySize > 0, "CountBaselines needs a vocabulary")
        precondition(contexts.count == targets.count, "\(contexts.count) contexts for \(targets.count) targets")
        var unigramCounts = [Double](repeating: 1, count: vocabularySize)
        for token in training { unigramCounts[token] += 1 }
        let unigramTotal = Double(training.count + vocabularySize)
        func unigramProbability(_ token: Int) -> Double { unigramCounts[token] / unigramTotal }

        var contextCounts = [Double](repeating: 0, count: vocabularySize)
        var successorKinds = [Double](repeating: 0, count: vocabularySize)
        var pairCounts: [Int: Double] = [:]
        for (current, next) in zip(training, training.dropFirst()) {
            let key = current * vocabularySize + next
            let seen = pairCounts[key, default: 0]
            if seen == 0 { successorKinds[current] += 1 }
            pairCounts[key] = seen + 1
            contextCounts[current] += 1
        }

        // Sums in held-out order, so that the result does not depend on dictionary order.
        var unigramTotalLoss = 0.0, bigramTotalLoss = 0.0
        for (current, next) in zip(contexts, targets) {
            unigramTotalLoss -= Foundation.log(unigramProbability(next))
            let context = contextCounts[current]
            let probability: Double
            if context == 0 {
                probability = unigramProbability(next)
            } else {
                let pair = pairCounts[current * vocabularySize + next] ?? 0
                probability = Swift.max(pair - Self.discount, 0) / context
                    + Self.discount * successorKinds[current] / context * unigramProbability(next)
            }
            bigramTotalLoss -= Foundation.log(probability)
        }
        let count = Double(Swift.max(targets.count, 1))
        unigram = unigramTotalLoss / count
        bigram = bigramTotalLoss / count
    }
}
