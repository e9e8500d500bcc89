/// A learning rate that falls in a straight line as training progresses: word2vec's schedule, from
/// `initial` (0.025 in word2vec and gensim) at the start to `final` (0.0001) at the end, with
/// progress counted in words of the text over all epochs.
///
/// ```swift
/// let schedule = LinearDecay(initial: 0.025, final: 0.0001)
/// schedule.rate(atProgress: 0)      // 0.025
/// schedule.rate(atProgress: 0.5)    // 0.01255
/// sgd.learningRate = schedule.rate(atProgress: Double(wordsDone) / Double(wordsInAllEpochs))
/// ```
public struct LinearDecay: Sendable, Hashable {
    /// The rate at progress 0.
    public let initial: Double
    /// The rate at progress 1.
    public let final: Double

    /// A schedule from `initial` to `final`; traps unless both are non-negative numbers.
    public init(initial: Double, final: Double) {
        precondition(initial >= 0 && final >= 0 && initial.isFinite && final.isFinite,
                     "LinearDecay: rates must be non-negative numbers, got \(initial) and \(final)")
        self.initial = initial
        self.final = final
    }

    /// The rate at `progress`, which is clamped to `0...1`.
    public func rate(atProgress progress: Double) -> Double {
        let clamped = Swift.min(1, Swift.max(0, progress.isNaN ? 0 : progress))
        // Weighted so that the ends are exact: progress 1 gives `final` itself.
        return (1 - clamped) * initial + clamped * final
    }
}
