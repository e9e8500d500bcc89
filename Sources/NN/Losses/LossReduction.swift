/// How a loss combines its per-element values, as PyTorch's `reduction` argument.
public enum LossReduction: Sendable, Hashable {
    /// The per-element losses, unreduced.
    case none
    /// Their mean (for `crossEntropy(logits:targets:ignoreIndex:reduction:)`: over the targets
    /// that are not ignored).
    case mean
    /// Their sum.
    case sum
}
