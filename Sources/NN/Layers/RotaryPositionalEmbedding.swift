import Foundation

/// Rotary position embedding (RoPE, Su et al., "RoFormer"): each pair of features is rotated by
/// an angle proportional to the position, so that dot products between rotated queries and keys
/// depend only on their relative position. It has no parameters and is differentiable (the
/// backward rotates the gradient back).
///
/// Pairing convention: **half-split**, as in GPT-NeoX and Llama (`rotate_half`): feature `i` pairs
/// with feature `i + D/2`, for `i < D/2`. At position `t` the pair turns by
/// `θ = t · base^(−2i/D)`: `(a, b) ↦ (a·cos θ − b·sin θ, b·cos θ + a·sin θ)`. (The original
/// RoFormer pairs neighbours `2i, 2i+1` instead; weights trained with one convention need a
/// feature permutation to be used with the other.) Angles, sines and cosines are computed in
/// `Double` and rounded once.
///
/// ```swift
/// let rope = RotaryPositionalEmbedding(embeddingSize: 64)
/// let queries = Variable(Tensor<Float>.randn([2, 8, 16, 64]))   // [batch, heads, T, D]
/// rope(queries).shape   // [2, 8, 16, 64]
/// ```
public final class RotaryPositionalEmbedding<Scalar: FloatingTensorScalar>: PositionalEncoding {
    public let embeddingSize: Int
    /// The base of the angle frequencies (10 000 in RoFormer and Llama 2).
    public let base: Double
    public var isTraining = true

    /// Rotations for `embeddingSize` features (even) with frequency base `base`.
    public convenience init(embeddingSize: Int, base: Double = 10000) {
        self.init(checkedEmbeddingSize: embeddingSize, base: base)
    }

    fileprivate init(checkedEmbeddingSize embeddingSize: Int, base: Double) {
        precondition(embeddingSize >= 0 && embeddingSize % 2 == 0,
                     "rotary embeddings rotate feature pairs: embeddingSize must be even, got \(embeddingSize)")
        precondition(base > 0, "rotary base must be positive, got \(base)")
        self.embeddingSize = embeddingSize
        self.base = base
    }

    /// `input` (`[..., T, embeddingSize]`) with position `t` of every sequence rotated by its angles.
    /// Records `RotaryPositionalEmbeddingBackward` when the input requires a gradient.
    public func callAsFunction(_ input: Variable<Scalar>) -> Variable<Scalar> {
        let length = sequenceLength(of: input)
        let (cosines, sines) = angleTables(length: length)
        let rotated = RotaryPositionalEmbedding.rotated(input.value, cosines: cosines, sines: sines, length: length)
        return Variable.recordDense(rotated, name: "RotaryPositionalEmbeddingBackward", inputs: [input]) { upstream in
            [RotaryPositionalEmbedding.rotated(upstream, cosines: cosines, sines: sines.map { -$0 }, length: length)]
        }
    }

    /// The same as ``callAsFunction(_:)``.
    public func encoded(_ input: Variable<Scalar>) -> Variable<Scalar> { self(input) }

    /// `cos θ` and `sin θ` for positions `0..<length` and pairs `0..<D/2`, row-major `[length, D/2]`.
    private func angleTables(length: Int) -> (cosines: [Scalar], sines: [Scalar]) {
        let half = embeddingSize / 2
        var cosines = [Scalar](repeating: 0, count: length * half), sines = cosines
        for position in 0..<length {
            for pair in 0..<half {
                let angle = Double(position) * Foundation.pow(base, -2 * Double(pair) / Double(embeddingSize))
                cosines[position * half + pair] = Scalar(Foundation.cos(angle))
                sines[position * half + pair] = Scalar(Foundation.sin(angle))
            }
        }
        return (cosines, sines)
    }

    private static func rotated(
        _ value: Tensor<Scalar>, cosines: [Scalar], sines: [Scalar], length: Int
    ) -> Tensor<Scalar> {
        let width = value.shape[value.rank - 1]
        var output = Tensor<Scalar>.zeros(value.shape)
        guard length > 0 else { return output }
        value.withContiguousBuffer { input in
            cosines.withUnsafeBufferPointer { cosines in
                sines.withUnsafeBufferPointer { sines in
                    output.withMutableContiguousBuffer { target in
                        guard let input = input.baseAddress, let cosines = cosines.baseAddress,
                              let sines = sines.baseAddress, let target = target.baseAddress else { return }
                        EmbeddingKernels.rotate(input, rowCount: value.count / Swift.max(width, 1), width: width,
                                             cosines: cosines, sines: sines, positionCount: length, into: target)
                    }
                }
            }
        }
        return output
    }
}

extension RotaryPositionalEmbedding where Scalar == Float {
    /// `Float` rotations, so that `RotaryPositionalEmbedding(embeddingSize:)` needs no type annotation.
    public convenience init(embeddingSize: Int, base: Double = 10000) {
        self.init(checkedEmbeddingSize: embeddingSize, base: base)
    }
}
