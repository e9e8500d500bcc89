import Foundation

/// The fixed sine/cosine position signal of Vaswani et al. ("Attention Is All You Need"), added
/// to the token embeddings. It has no parameters.
///
/// Features are interleaved: for position `t` and pair `i`,
/// `table[t, 2i] = sin(t / 10000^(2i / D))` and `table[t, 2i + 1] = cos(t / 10000^(2i / D))`.
/// Each value is computed in `Double` and rounded once, which reproduces the usual PyTorch
/// float64-built table exactly. An odd `D` ends with a sine column.
///
/// ```swift
/// let encoding = SinusoidalPositionalEncoding(maxLength: 8, embeddingSize: 6)
/// try encoding(length: 2).value
/// // tensor([[0.0000, 1.0000, 0.0000, 1.0000, 0.0000, 1.0000],
/// //         [0.8415, 0.5403, 0.0464, 0.9989, 0.0022, 1.0000]])
/// ```
public final class SinusoidalPositionalEncoding<Scalar: FloatingTensorScalar>: PositionalEncoding {
    /// The number of positions the table holds.
    public let maxLength: Int
    public let embeddingSize: Int
    /// The signal, `[maxLength, embeddingSize]`.
    public let table: Tensor<Scalar>
    public var isTraining = true

    /// The signal for positions `0..<maxLength`.
    public convenience init(maxLength: Int, embeddingSize: Int) {
        self.init(table: SinusoidalPositionalEncoding.signal(maxLength: maxLength, embeddingSize: embeddingSize))
    }

    fileprivate init(table: Tensor<Scalar>) {
        maxLength = table.shape[0]
        embeddingSize = table.shape[1]
        self.table = table
    }

    /// The signal of positions `0..<length`, `[length, embeddingSize]`, a constant (it requires
    /// no gradient). Throws `TensorError.invalidArgument` when `length` exceeds ``maxLength``.
    public func callAsFunction(length: Int) throws(TensorError) -> Variable<Scalar> {
        precondition(length >= 0, "sequence length must be non-negative, got \(length)")
        guard length <= maxLength else {
            throw .invalidArgument("sequence length \(length) exceeds the sinusoidal encoding's maxLength \(maxLength)")
        }
        return Variable(table.narrowed(axis: 0, start: 0, length: length))
    }

    /// `input + self(length: T)` for an input shaped `[..., T, embeddingSize]`.
    public func encoded(_ input: Variable<Scalar>) throws(TensorError) -> Variable<Scalar> {
        input + (try self(length: sequenceLength(of: input)))
    }

    static func signal(maxLength: Int, embeddingSize: Int) -> Tensor<Scalar> {
        precondition(maxLength >= 0 && embeddingSize >= 0,
                     "sinusoidal encoding sizes must be non-negative, got \(maxLength) × \(embeddingSize)")
        var scalars = [Scalar](repeating: 0, count: maxLength * embeddingSize)
        for position in 0..<maxLength {
            for column in 0..<embeddingSize {
                let pairStart = column - column % 2
                let angle = Double(position) / Foundation.pow(10000, Double(pairStart) / Double(embeddingSize))
                let value = column % 2 == 0 ? Foundation.sin(angle) : Foundation.cos(angle)
                scalars[position * embeddingSize + column] = Scalar(value)
            }
        }
        return Tensor(shape: [maxLength, embeddingSize], scalars: scalars)
    }
}

extension SinusoidalPositionalEncoding where Scalar == Float {
    /// A `Float` signal, so that `SinusoidalPositionalEncoding(maxLength:embeddingSize:)` needs no type annotation.
    public convenience init(maxLength: Int, embeddingSize: Int) {
        self.init(table: SinusoidalPositionalEncoding.signal(maxLength: maxLength, embeddingSize: embeddingSize))
    }
}
