/// How a ``NextTokenModel`` tells positions apart.
public enum PositionalEncodingKind: String, Sendable, CaseIterable {
    /// A learned table added to the token embeddings, fused with the lookup
    /// (``TokenAndPositionEmbedding``).
    case learned
    /// The fixed sine/cosine signal (``SinusoidalPositionalEncoding``), no parameters.
    case sinusoidal
    /// No position information.
    case none
}

/// The smallest next-token language model: token embedding plus positional encoding, then a
/// linear head to one logit per vocabulary entry, trained with cross-entropy — the model that
/// `train-embeddings` trains and whose token table it studies.
///
/// Each position predicts the next token from its own token and position only, so the token
/// table learns what each token predicts: tokens followed by the same tokens end up close.
/// Parameters are `token.weight` `[V, D]`, `position.weight` `[T, D]` (learned positions only),
/// `head.weight` `[V, D]` and `head.bias` `[V]`, drawn in that order from the generator. With
/// `dropout` above 0, each feature of the embedding is zeroed with that probability in training
/// (and the rest scaled up), which keeps a model of a small text from learning it by heart.
///
/// ```swift
/// let model = NextTokenModel(vocabularySize: 60, embeddingSize: 32, contextLength: 16)
/// let batch = dataset.batch(at: [0, 1])                       // inputs and targets [2, 16]
/// let loss = try model.loss(input: batch.input, target: batch.target)
/// loss.backward()
/// ```
public final class NextTokenModel<Scalar: FloatingTensorScalar>: Module {
    /// The token table.
    public let token: Embedding<Scalar>
    /// The learned position table (``PositionalEncodingKind/learned`` only).
    public let position: PositionalEmbedding<Scalar>?
    /// The projection from an embedding to one logit per vocabulary entry.
    public let head: Linear<Scalar>
    /// The positional encoding in use.
    public let positionalEncoding: PositionalEncodingKind
    /// The longest input sequence.
    public let contextLength: Int
    public var isTraining = true
    /// Dropout on the embedding, before the head (nil without dropout).
    public let dropout: Dropout<Scalar>?
    private let tokenAndPosition: TokenAndPositionEmbedding<Scalar>?
    private let sinusoidal: SinusoidalPositionalEncoding<Scalar>?

    /// A model over `vocabularySize` tokens with `embeddingSize` features, for inputs of up to
    /// `contextLength` tokens, its parameters drawn from `generator` (the global one when nil).
    public convenience init(vocabularySize: Int, embeddingSize: Int, contextLength: Int,
                            positionalEncoding: PositionalEncodingKind = .learned, dropout: Double = 0,
                            generator: Generator? = nil) {
        self.init(building: vocabularySize, embeddingSize: embeddingSize, contextLength: contextLength,
                  positionalEncoding: positionalEncoding, dropout: dropout, generator: generator)
    }

    private init(building vocabularySize: Int, embeddingSize: Int, contextLength: Int,
                 positionalEncoding: PositionalEncodingKind, dropout: Double, generator: Generator?) {
        token = Embedding<Scalar>(vocabularySize: vocabularySize, embeddingSize: embeddingSize, generator: generator)
        switch positionalEncoding {
        case .learned:
            let table = PositionalEmbedding<Scalar>(maxLength: contextLength, embeddingSize: embeddingSize,
                                                    generator: generator)
            position = table
            tokenAndPosition = TokenAndPositionEmbedding(token: token, position: table)
            sinusoidal = nil
        case .sinusoidal:
            position = nil
            tokenAndPosition = nil
            sinusoidal = SinusoidalPositionalEncoding<Scalar>(maxLength: contextLength, embeddingSize: embeddingSize)
        case .none:
            position = nil
            tokenAndPosition = nil
            sinusoidal = nil
        }
        head = Linear<Scalar>(inputSize: embeddingSize, outputSize: vocabularySize, generator: generator)
        self.dropout = dropout > 0 ? Dropout<Scalar>(probability: dropout, generator: generator) : nil
        self.positionalEncoding = positionalEncoding
        self.contextLength = contextLength
    }

    public var namedChildren: [(name: String, module: any Module<Scalar>)] {
        [("token", token)] + (position.map { [("position", $0)] } ?? []) + [("head", head)]
            + (dropout.map { [("dropout", $0)] } ?? [])
    }

    /// The number of vocabulary entries.
    public var vocabularySize: Int { token.vocabularySize }

    /// The logits `[..., T, vocabularySize]` of the token after each of `ids` (`[..., T]`).
    ///
    /// Throws `TensorError.indexOutOfRange` for an id outside the vocabulary and
    /// `TensorError.invalidArgument` when `T` exceeds ``contextLength``.
    @_specialize(exported: true, where Scalar == Float)
    public func callAsFunction(_ ids: Tensor<Int64>) throws(TensorError) -> Variable<Scalar> {
        head(try features(ids))
    }

    /// What the head reads: the token embedding with its positions (and dropout in training),
    /// `[..., T, embeddingSize]` for `ids` `[..., T]`.
    ///
    /// ```swift
    /// let hidden = try model.features(ids)   // [8, 4, embeddingSize] for ids [8, 4]
    /// ```
    public func features(_ ids: Tensor<Int64>) throws(TensorError) -> Variable<Scalar> {
        let embedded: Variable<Scalar>
        if let tokenAndPosition {
            embedded = try tokenAndPosition(ids)
        } else if let sinusoidal {
            embedded = try sinusoidal.encoded(try token(ids))
        } else {
            embedded = try token(ids)
        }
        return dropout.map { $0(embedded) } ?? embedded
    }

    /// The mean cross-entropy of predicting `target` (`[..., T]`, the next token at each place)
    /// from `input` (same shape).
    public func loss(input: Tensor<Int64>, target: Tensor<Int64>) throws(TensorError) -> Variable<Scalar> {
        precondition(input.shape == target.shape, "input \(input.shape) and target \(target.shape) differ in shape")
        let logits = try self(input)
        return try crossEntropy(logits: logits.reshaped([-1, vocabularySize]), targets: target.reshaped([-1]))
    }
}

extension NextTokenModel {
    /// Next-token prediction trained with negative sampling instead of the full softmax: each
    /// position's features are scored against the head row of the true next token and against the
    /// head rows of `negatives` (`[..., T, K]` sampled noise tokens), with
    /// ``negativeSamplingLoss(inputs:outputs:groupOffsets:scoring:reduction:)`` averaged over the positions.
    ///
    /// A step then costs O(positions × K × D) whatever the vocabulary, and the head's gradient is
    /// row-sparse (mark `head.weight.isSparse` for an optimizer that touches only those rows). The
    /// bias is not used: negative sampling learns `h·w ≈ log(p(w | context) / (K·q(w)))` for noise
    /// distribution `q`, so a bias fixed at `log(K·q(w))` makes the ordinary logits a softmax estimate
    /// of the next token (see `train-embeddings --negatives`).
    ///
    /// ```swift
    /// let windows = dataset.batch(at: [0, 1])                      // inputs and targets [2, 16]
    /// let noise = Tensor<Int64>.randint(low: 0, high: 60, shape: [2, 16, 5])
    /// let loss = try model.sampledLoss(input: windows.input, target: windows.target, negatives: noise)
    /// ```
    ///
    /// Throws `TensorError.indexOutOfRange` for a token or noise id outside the vocabulary.
    public func sampledLoss(input: Tensor<Int64>, target: Tensor<Int64>, negatives: Tensor<Int64>) throws(TensorError)
        -> Variable<Scalar> {
        precondition(input.shape == target.shape, "input \(input.shape) and target \(target.shape) differ in shape")
        precondition(negatives.rank == input.rank + 1 && Array(negatives.shape.dropLast()) == input.shape,
                     "negatives \(negatives.shape) must be the input's shape \(input.shape) plus a count")
        let positions = input.count, noiseCount = negatives.shape.last!
        let features = try features(input).reshaped([positions, token.embeddingSize])
        let outputIDs = Tensor.concatenated([target.reshaped([positions, 1]), negatives.reshaped([positions, noiseCount])],
                                            axis: 1)
        let outputs = try head.weight.indexSelect(rows: outputIDs)
        return negativeSamplingLoss(inputs: features, outputs: outputs, reduction: .mean)
    }
}

extension NextTokenModel where Scalar == Float {
    /// A `Float` model, so that `NextTokenModel(vocabularySize:embeddingSize:contextLength:)`
    /// needs no type annotation.
    public convenience init(vocabularySize: Int, embeddingSize: Int, contextLength: Int,
                            positionalEncoding: PositionalEncodingKind = .learned, dropout: Double = 0,
                            generator: Generator? = nil) {
        self.init(building: vocabularySize, embeddingSize: embeddingSize, contextLength: contextLength,
                  positionalEncoding: positionalEncoding, dropout: dropout, generator: generator)
    }
}
