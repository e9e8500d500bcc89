/// Token embedding plus learned position embedding as one fused operation: the input layer of
/// a GPT-style model.
///
/// `tokenAndPosition(ids)` equals `token(ids) + position(length: T)` for ids shaped `[..., T]`,
/// but the forward writes each output row `token.weight[id] + position.weight[t]` in a single
/// pass, and the single backward hands the token table the ids with the upstream rows and the
/// position table the upstream summed over the batch (both row-sparse). The two tables are the
/// children `token` and `position`, so the parameters are named `token.weight` and
/// `position.weight`.
///
/// ```swift
/// let embedding = TokenAndPositionEmbedding(vocabularySize: 50257, embeddingSize: 256, maxLength: 4)
/// let ids = Tensor<Int64>.randint(low: 0, high: 50257, shape: [8, 4])
/// try embedding(ids).shape                 // [8, 4, 256]
/// embedding.namedParameters.map(\.name)    // ["token.weight", "position.weight"]
/// ```
public final class TokenAndPositionEmbedding<Scalar: FloatingTensorScalar>: Module {
    /// The token table (any ``Embedding`` options apply to it).
    public let token: Embedding<Scalar>
    /// The position table.
    public let position: PositionalEmbedding<Scalar>
    public var isTraining = true

    /// A token table of `vocabularySize` rows and a position table of `maxLength` rows, both of
    /// `embeddingSize`, drawn in that order from `generator` (the global generator when nil), as
    /// two PyTorch `nn.Embedding`s created one after the other.
    public convenience init(
        vocabularySize: Int, embeddingSize: Int, maxLength: Int, paddingIndex: Int? = nil, generator: Generator? = nil
    ) {
        let token = Embedding<Scalar>(vocabularySize: vocabularySize, embeddingSize: embeddingSize,
                                      paddingIndex: paddingIndex, generator: generator)
        let position = PositionalEmbedding<Scalar>(maxLength: maxLength, embeddingSize: embeddingSize,
                                                   generator: generator)
        self.init(token: token, position: position)
    }

    /// Fuses existing tables, which must have the same `embeddingSize`.
    public init(token: Embedding<Scalar>, position: PositionalEmbedding<Scalar>) {
        precondition(token.embeddingSize == position.embeddingSize,
                     "token and position tables differ in embeddingSize: "
                        + "\(token.embeddingSize) vs \(position.embeddingSize)")
        self.token = token
        self.position = position
    }

    public var namedChildren: [(name: String, module: any Module<Scalar>)] {
        [("token", token), ("position", position)]
    }

    /// `token(ids) + position(length: T)` for ids shaped `[..., T]`, shape `[..., T, embeddingSize]`.
    ///
    /// Throws `TensorError.indexOutOfRange` for an id outside the vocabulary and
    /// `TensorError.invalidArgument` when `T` exceeds the position table; either way nothing changes.
    @_specialize(exported: true, where Scalar == Float)
    public func callAsFunction(_ ids: Tensor<Int64>) throws(TensorError) -> Variable<Scalar> {
        precondition(ids.rank >= 1, "TokenAndPositionEmbedding expects ids shaped [..., T], got shape \(ids.shape)")
        try position.checkLength(ids.shape[ids.rank - 1])
        let indices = try token.prepareLookup(ids)
        return TokenAndPositionEmbedding.fusedLookup(tokenTable: token.weight, positionTable: position.weight,
                                                     at: indices, tokenOptions: token.gradientOptions)
    }

    /// ``callAsFunction(_:)-(Tensor<Int64>)`` for 32-bit ids.
    @_disfavoredOverload   // an array literal of ids means Int64, as in PyTorch
    public func callAsFunction(_ ids: Tensor<Int32>) throws(TensorError) -> Variable<Scalar> {
        try self(ids.converted(to: Int64.self))
    }

    /// `tokenTable[id] + positionTable[t]` for checked ids shaped `[..., T]` (T ≤ the position
    /// table's rows), in one pass; records one backward for both tables.
    ///
    /// The same gather-and-add as the generic `token(ids) + position(length: T)` (see
    /// `PendingRows`), and the same gradients: the upstream rows for the token table, and for the
    /// position table the upstream summed over the batch as the addition's backward sums it.
    @_specialize(where Scalar == Float)
    static func fusedLookup(
        tokenTable: Variable<Scalar>, positionTable: Variable<Scalar>, at indices: CheckedIndices,
        tokenOptions: EmbeddingGradientOptions
    ) -> Variable<Scalar> {
        let width = tokenTable.shape[1], length = indices.shape[indices.shape.count - 1]
        let flat = indices.flat, count = indices.count
        let output = tokenTable.value.gatheringRows(atCheckedRows: flat,
                                                    resultShape: indices.shape + tokenTable.shape.dropFirst(),
                                                    adding: positionTable.value, addendRows: 0..<length,
                                                    addendShape: [length, width])
            ?? tokenTable.value.gatheringRows(atCheckedRows: flat, indexShape: indices.shape)
                + positionTable.value.narrowed(axis: 0, start: 0, length: length)
        let vocabularySize = tokenTable.shape[0], maxLength = positionTable.shape[0]
        let needsToken = tokenTable.requiresGrad, needsPosition = positionTable.requiresGrad
        return Variable.record(output, name: "TokenAndPositionEmbeddingBackward",
                               inputs: [tokenTable, positionTable]) { upstream in
            let rows = upstream.reshaped([count, width])
            let tokenGradient = needsToken
                ? EmbeddingLookup.rowGradient(ids: flat, upstream: rows, rowCount: vocabularySize, options: tokenOptions)
                : nil
            var positionGradient: RowSparseGradient<Scalar>?
            if needsPosition {
                // An empty batch (T = 0) has no position rows to sum.
                let positionRows = length == 0
                    ? Tensor<Scalar>.zeros([0, width])
                    : rows.reshaped([count / length, length, width]).summed(toShape: [length, width])
                positionGradient = RowSparseGradient(rowIndices: Tensor<Int64>.arange(Int64(length)),
                                                     values: positionRows, rowCount: maxLength)
            }
            return [tokenGradient.map(Gradient.rows), positionGradient.map(Gradient.rows)]
        }
    }
}

extension TokenAndPositionEmbedding where Scalar == Float {
    /// `Float` tables, so that `TokenAndPositionEmbedding(vocabularySize:embeddingSize:maxLength:)`
    /// needs no type annotation.
    public convenience init(
        vocabularySize: Int, embeddingSize: Int, maxLength: Int, paddingIndex: Int? = nil, generator: Generator? = nil
    ) {
        let token = Embedding<Float>(vocabularySize: vocabularySize, embeddingSize: embeddingSize,
                                     paddingIndex: paddingIndex, generator: generator)
        let position = PositionalEmbedding<Float>(maxLength: maxLength, embeddingSize: embeddingSize,
                                                  generator: generator)
        self.init(token: token, position: position)
    }
}
