import Foundation

/// The entropy in nats of the frequency distribution of `tokens`: the loss per token of the best
/// model that ignores context, and so the baseline a next-token model must beat.
///
/// ```swift
/// unigramEntropy(of: [1, 1, 2, 3])   // 1.0397 (= −½ ln ½ − 2 · ¼ ln ¼)
/// ```
public func unigramEntropy<Tokens: Sequence>(of tokens: Tokens) -> Double where Tokens.Element: Hashable {
    var counts: [Tokens.Element: Int] = [:]
    var total = 0
    for token in tokens {
        counts[token, default: 0] += 1
        total += 1
    }
    guard total > 0 else { return 0 }
    // Summed in a fixed order: dictionary order changes from run to run, and so would the last bits.
    return counts.values.sorted().reduce(0.0) { entropy, count in
        let probability = Double(count) / Double(total)
        return entropy - probability * Foundation.log(probability)
    }
}
