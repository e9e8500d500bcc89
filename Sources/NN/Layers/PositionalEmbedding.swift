/// A learned vector per position `0..<maxLength`, added to the token embeddings: GPT's absolute
/// positional embedding (an embedding table indexed by position).
///
/// The table starts as standard normal draws, like ``Embedding``. Its backward is row-sparse
/// over the positions used.
///
/// ```swift
/// let token = Embedding(vocabularySize: 50257, embeddingSize: 256)
/// let position = PositionalEmbedding(maxLength: 4, embeddingSize: 256)
/// let ids = Tensor<Int64>.randint(low: 0, high: 50257, shape: [8, 4])
/// let x = try token(ids) + position(length: 4)   // [8, 4, 256] + [4, 256] → [8, 4, 256]
/// ```
public final class PositionalEmbedding<Scalar: FloatingTensorScalar>: PositionalEncoding {
    /// The number of positions the table holds.
    public let maxLength: Int
    public let embeddingSize: Int
    /// The table, `[maxLength, embeddingSize]`; row `t` is added at position `t`.
    public let weight: Parameter<Scalar>
    public var isTraining = true
    /// The lookup of positions `0..<maxLength`, made once: a forward of the whole length hands it
    /// on as it is, a shorter one takes the first `length` of its ids (read only, so forwards on
    /// several threads share it).
    private let wholeTableLookup: PendingRows<Scalar>

    /// A `[maxLength, embeddingSize]` table of standard normal draws from `generator` (the global
    /// generator when nil).
    public convenience init(maxLength: Int, embeddingSize: Int, generator: Generator? = nil) {
        self.init(table: Embedding<Scalar>.initialTable(vocabularySize: maxLength, embeddingSize: embeddingSize,
                                                        paddingIndex: nil, generator: generator))
    }

    fileprivate init(table: Tensor<Scalar>) {
        maxLength = table.shape[0]
        embeddingSize = table.shape[1]
        weight = Parameter(table)
        wholeTableLookup = PendingRows(of: weight, atCheckedRows: Tensor<Int64>.arange(maxLength), indexShape: [maxLength])
    }

    public var ownParameters: [(name: String, parameter: Parameter<Scalar>)] { [("weight", weight)] }

    /// The vectors of positions `0..<length`, shape `[length, embeddingSize]`, ready to be added
    /// to `[..., length, embeddingSize]` token embeddings. Throws `TensorError.invalidArgument`
    /// when `length` exceeds ``maxLength``.
    @_specialize(exported: true, where Scalar == Float)
    public func callAsFunction(length: Int) throws(TensorError) -> Variable<Scalar> {
        precondition(length >= 0, "sequence length must be non-negative, got \(length)")
        try checkLength(length)
        // The whole table is the common case (a context as long as the table): its lookup is
        // made already, unless the table's value was replaced by one of another shape. A view of
        // the first `length` ids otherwise.
        if length == maxLength && weight.shape == wholeTableLookup.shape {
            return EmbeddingLookup.rows(wholeTableLookup, options: .plain)
        }
        let positions = wholeTableLookup.ids.narrowed(axis: 0, start: 0, length: length)
        return EmbeddingLookup.rows(of: weight, at: CheckedIndices(trusted: positions, shape: [length]), options: .plain)
    }

    /// The vectors of arbitrary positions (any shape), shape `positions.shape + [embeddingSize]`.
    /// Throws `TensorError.indexOutOfRange` for a position outside the table's rows (`0..<maxLength`,
    /// or the rows of a table that replaced ``weight``'s value).
    public func callAsFunction(positions: Tensor<Int64>) throws(TensorError) -> Variable<Scalar> {
        EmbeddingLookup.rows(of: weight, at: try CheckedIndices(positions, rowCount: weight.shape[0]), options: .plain)
    }

    /// `input + self(length: T)` for an input shaped `[..., T, embeddingSize]`.
    public func encoded(_ input: Variable<Scalar>) throws(TensorError) -> Variable<Scalar> {
        input + (try self(length: sequenceLength(of: input)))
    }

    /// Throws when a sequence of `length` positions does not fit the table: its ``maxLength``, or
    /// the rows it has now if its value was replaced by a shorter table.
    func checkLength(_ length: Int) throws(TensorError) {
        guard length <= maxLength else {
            throw .invalidArgument("sequence length \(length) exceeds the positional embedding's maxLength \(maxLength)")
        }
        let rowCount = weight.shape[0]
        guard length <= rowCount else {
            throw .invalidArgument("sequence length \(length) exceeds the \(rowCount) rows of the positional "
                + "embedding's table (its value was replaced by a shorter one)")
        }
    }
}

extension PositionalEmbedding where Scalar == Float {
    /// A `Float` table, so that `PositionalEmbedding(maxLength:embeddingSize:)` needs no type annotation.
    public convenience init(maxLength: Int, embeddingSize: Int, generator: Generator? = nil) {
        self.init(table: Embedding<Float>.initialTable(vocabularySize: maxLength, embeddingSize: embeddingSize,
                                                       paddingIndex: nil, generator: generator))
    }
}
