/// A way to tell a model where each token of a sequence stands.
///
/// Every encoding takes token representations shaped `[..., T, D]` (T positions of
/// ``embeddingSize`` numbers) and returns them with their positions encoded:
///
/// | Type | `encoded(x)` | Parameters |
/// |---|---|---|
/// | ``PositionalEmbedding`` | `x + table[0..<T]`, `[..., T, D]` (GPT) | learned `[maxLength, D]` |
/// | ``SinusoidalPositionalEncoding`` | `x + sin/cos table`, `[..., T, D]` (Vaswani et al.) | none |
/// | ``RotaryPositionalEmbedding`` | each pair of features rotated by a position angle, `[..., T, D]` (RoPE) | none |
/// | ``RelativePositionalEmbedding`` | `x[..., j, :] + a[clip(j − i)]` per query `i`, `[..., T, T, D]` (Shaw) | learned `[2K + 1, D]` |
///
/// ```swift
/// let encodings: [any PositionalEncoding<Float>] = [
///     PositionalEmbedding(maxLength: 16, embeddingSize: 8),
///     SinusoidalPositionalEncoding(maxLength: 16, embeddingSize: 8),
/// ]
/// let x = Variable(Tensor<Float>.zeros([2, 16, 8]))
/// for encoding in encodings { print(try encoding.encoded(x).shape) }   // [2, 16, 8]
/// ```
public protocol PositionalEncoding<Scalar>: Module {
    /// The element type of the representations and of any parameters (`Float` or `Double`), the
    /// module's ``Module/Scalar``.
    associatedtype Scalar

    /// The number of features per position, `D`.
    var embeddingSize: Int { get }

    /// `input` (`[..., T, D]`, with `T` along the second-to-last axis) with each position's
    /// information applied. Throws when `T` is longer than the encoding supports.
    func encoded(_ input: Variable<Scalar>) throws(TensorError) -> Variable<Scalar>
}

extension PositionalEncoding {
    /// The sequence length `T` of a `[..., T, D]` input, trapping on a shape that is not one.
    func sequenceLength(of input: Variable<Scalar>) -> Int {
        precondition(input.value.rank >= 2 && input.shape[input.value.rank - 1] == embeddingSize,
                     "\(Self.self) expects an input shaped [..., T, \(embeddingSize)], got \(input.shape)")
        return input.shape[input.value.rank - 2]
    }
}
