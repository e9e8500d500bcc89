/// Learned vectors for the *relative* distance between two positions, clipped to
/// `-maxDistance...maxDistance`: the relative position representation of Shaw et al. ("Self-Attention
/// with Relative Position Representations").
///
/// The table holds `2 · maxDistance + 1` rows; the pair (query `i`, key `j`) uses row
/// `clamp(j − i, −maxDistance, maxDistance) + maxDistance`, so row `maxDistance` is "same
/// position" and later keys use later rows. The backward is row-sparse.
///
/// ```swift
/// let relative = RelativePositionalEmbedding(maxDistance: 2, embeddingSize: 3)
/// relative(length: 5).shape   // [5, 5, 3]; [i, j] holds row clamp(j - i, -2, 2) + 2
/// ```
public final class RelativePositionalEmbedding<Scalar: FloatingTensorScalar>: PositionalEncoding {
    /// The largest distance told apart; longer ones share the end rows.
    public let maxDistance: Int
    public let embeddingSize: Int
    /// The table, `[2 · maxDistance + 1, embeddingSize]`.
    public let weight: Parameter<Scalar>
    public var isTraining = true

    /// A table of standard normal draws from `generator` (the global generator when nil).
    public convenience init(maxDistance: Int, embeddingSize: Int, generator: Generator? = nil) {
        precondition(maxDistance >= 0, "maxDistance must be non-negative, got \(maxDistance)")
        self.init(table: Embedding<Scalar>.initialTable(vocabularySize: 2 * maxDistance + 1,
                                                        embeddingSize: embeddingSize, paddingIndex: nil,
                                                        generator: generator))
    }

    fileprivate init(table: Tensor<Scalar>) {
        maxDistance = (table.shape[0] - 1) / 2
        embeddingSize = table.shape[1]
        weight = Parameter(table)
    }

    public var ownParameters: [(name: String, parameter: Parameter<Scalar>)] { [("weight", weight)] }

    /// The vector of every (query `i`, key `j`) pair of a sequence of `length` positions,
    /// shape `[length, length, embeddingSize]`. Any length works: distances are clipped.
    public func callAsFunction(length: Int) -> Variable<Scalar> {
        let pairs = RelativePositionalEmbedding.pairRows(length: length, maxDistance: maxDistance)
        return EmbeddingLookup.rows(of: weight, at: pairs, options: .plain)
    }

    /// The table row of every (query, key) pair: `clamp(key − query, −maxDistance, maxDistance) + maxDistance`.
    static func pairRows(length: Int, maxDistance: Int) -> CheckedIndices {
        precondition(length >= 0, "sequence length must be non-negative, got \(length)")
        var rows = [Int64](repeating: 0, count: length * length)
        for query in 0..<length {
            for key in 0..<length {
                let distance = Swift.min(Swift.max(key - query, -maxDistance), maxDistance)
                rows[query * length + key] = Int64(distance + maxDistance)
            }
        }
        return CheckedIndices(trusted: Tensor(rows), shape: [length, length])
    }

    /// Shaw et al.'s per-pair keys: for keys (or values) shaped `[..., T, embeddingSize]`, the result
    /// `[..., T, T, embeddingSize]` holds `input[..., j, :] + self(length: T)[i, j, :]` at
    /// `[..., i, j, :]`, the term that query `i` scores (`q_i · (k_j + a_ij)`) or sums.
    public func encoded(_ input: Variable<Scalar>) throws(TensorError) -> Variable<Scalar> {
        let length = sequenceLength(of: input)
        return input.unsqueezed(axis: input.value.rank - 2) + self(length: length)
    }
}

extension RelativePositionalEmbedding where Scalar == Float {
    /// A `Float` table, so that `RelativePositionalEmbedding(maxDistance:embeddingSize:)` needs no type annotation.
    public convenience init(maxDistance: Int, embeddingSize: Int, generator: Generator? = nil) {
        precondition(maxDistance >= 0, "maxDistance must be non-negative, got \(maxDistance)")
        self.init(table: Embedding<Float>.initialTable(vocabularySize: 2 * maxDistance + 1,
                                                       embeddingSize: embeddingSize, paddingIndex: nil,
                                                       generator: generator))
    }
}
