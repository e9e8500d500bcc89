/// A lookup table of `vocabularySize` learned vectors of `embeddingSize` numbers: PyTorch's
/// `nn.Embedding`, with its full semantics.
///
/// Calling the layer with ids of any shape returns their rows, shape `ids.shape + [embeddingSize]`.
/// The table starts as draws from the standard normal distribution (`Tensor.randn`, PyTorch's
/// generator bit for bit), so after `manualSeed(123)` it holds exactly the numbers PyTorch's
/// `torch.nn.Embedding(6, 3)` holds.
///
/// ```swift
/// manualSeed(123)
/// let embedding = Embedding(vocabularySize: 6, embeddingSize: 3)
/// print(embedding.weight.value)
/// // tensor([[ 0.3374, -0.1778, -0.1690],
/// //         [ 0.9178,  1.5810,  1.3010],
/// //         [ 1.2753, -0.2010, -0.1606],
/// //         [-0.4015,  0.9666, -1.1481],
/// //         [-1.1589,  0.3255, -0.6315],
/// //         [-2.8400, -0.7849, -1.4096]])
/// let rows = try embedding(Tensor<Int64>([3]))   // [[-0.4015, 0.9666, -1.1481]]
/// ```
///
/// - The backward is row-sparse: it hands the optimiser the ids and the upstream rows
///   (`RowSparseGradient`), so a step costs O(tokens × embeddingSize) whatever the vocabulary.
///   Reading `weight.grad` builds the dense gradient PyTorch would hold, equal to it bit for bit.
/// - `paddingIndex`: that row is zeroed at initialisation and never receives a gradient. A
///   negative index counts from the end (`-1` is the last row).
/// - `maxNorm`: before each lookup, every *looked-up* row whose `normType`-norm exceeds `maxNorm`
///   is scaled down in place to norm `maxNorm` (not recorded for differentiation).
/// - `scaleGradientByFrequency`: each id's gradient is divided by how often it occurs in the batch.
/// - `sparse`: asks the optimiser for PyTorch's lazy sparse update (see ``isSparse``).
public final class Embedding<Scalar: FloatingTensorScalar>: Module, CustomStringConvertible {
    /// The number of rows.
    public let vocabularySize: Int
    /// The length of each row.
    public let embeddingSize: Int
    /// The row that gets no gradient, as a non-negative row number, or nil.
    public let paddingIndex: Int?
    /// The largest norm a looked-up row may have, or nil for no limit.
    public let maxNorm: Double?
    /// The `p` of the p-norm compared with ``maxNorm`` (2 by default; `.infinity` allowed).
    public let normType: Double
    /// Whether gradients are divided by the number of times each id occurs in the batch.
    public let scaleGradientByFrequency: Bool
    /// Whether the table asks for PyTorch's sparse-gradient optimiser semantics: updates (momentum
    /// included) touch only the rows present in the gradient, entry by entry. The gradient this
    /// layer produces is row-sparse either way; this is the mark `Parameter.isSparse` on
    /// ``weight`` that optimisers read.
    public var isSparse: Bool { weight.isSparse }
    /// The table, `[vocabularySize, embeddingSize]`.
    public let weight: Parameter<Scalar>
    public var isTraining = true

    /// A table of `vocabularySize` rows of `embeddingSize`, drawn from the standard normal
    /// distribution with `generator` (the global generator when nil); the padding row is then zeroed.
    ///
    /// Traps, with PyTorch's message, when `paddingIndex` is outside `-vocabularySize..<vocabularySize`,
    /// and when `scaleGradientByFrequency` is combined with `sparse`.
    public convenience init(
        vocabularySize: Int, embeddingSize: Int, paddingIndex: Int? = nil, maxNorm: Double? = nil,
        normType: Double = 2, scaleGradientByFrequency: Bool = false, sparse: Bool = false,
        generator: Generator? = nil
    ) {
        self.init(initializedTable: Embedding.initialTable(vocabularySize: vocabularySize, embeddingSize: embeddingSize,
                                                           paddingIndex: paddingIndex, generator: generator),
                  requiresGrad: true, paddingIndex: paddingIndex, maxNorm: maxNorm, normType: normType,
                  scaleGradientByFrequency: scaleGradientByFrequency, sparse: sparse)
    }

    /// An embedding over an existing `[V, D]` table, shared rather than copied (a copy happens
    /// only if either side is later written). Frozen by default, as PyTorch's `from_pretrained`;
    /// the padding row keeps its values but gets no gradient.
    ///
    /// ```swift
    /// let vectors = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    /// let embedding = Embedding(pretrained: vectors)   // weight.requiresGrad == false
    /// ```
    public convenience init(
        pretrained table: Tensor<Scalar>, freeze: Bool = true, paddingIndex: Int? = nil, maxNorm: Double? = nil,
        normType: Double = 2, scaleGradientByFrequency: Bool = false, sparse: Bool = false
    ) {
        precondition(table.rank == 2, "Embeddings parameter is expected to be 2-dimensional, got shape \(table.shape)")
        self.init(initializedTable: table, requiresGrad: !freeze, paddingIndex: paddingIndex, maxNorm: maxNorm,
                  normType: normType, scaleGradientByFrequency: scaleGradientByFrequency, sparse: sparse)
    }

    fileprivate init(
        initializedTable table: Tensor<Scalar>, requiresGrad: Bool, paddingIndex: Int?, maxNorm: Double?,
        normType: Double, scaleGradientByFrequency: Bool, sparse: Bool
    ) {
        precondition(!(scaleGradientByFrequency && sparse),
                     "embedding_backward: scale_grad_by_freq not supported with sparse gradients")
        self.vocabularySize = table.shape[0]
        self.embeddingSize = table.shape[1]
        self.paddingIndex = Embedding.resolvedPaddingIndex(paddingIndex, rowCount: table.shape[0],
                                                           message: "Padding_idx must be within num_embeddings")
        self.maxNorm = maxNorm
        self.normType = normType
        self.scaleGradientByFrequency = scaleGradientByFrequency
        self.weight = Parameter(table, requiresGrad: requiresGrad)
        weight.isSparse = sparse
    }

    /// PyTorch's `reset_parameters`: standard normal draws, then the padding row zeroed.
    static func initialTable(
        vocabularySize: Int, embeddingSize: Int, paddingIndex: Int?, generator: Generator?
    ) -> Tensor<Scalar> {
        precondition(vocabularySize >= 0 && embeddingSize >= 0,
                     "Embedding sizes must be non-negative, got \(vocabularySize) × \(embeddingSize)")
        var table = Tensor<Scalar>.randn([vocabularySize, embeddingSize], generator: generator)
        if let padding = resolvedPaddingIndex(paddingIndex, rowCount: vocabularySize,
                                              message: "Padding_idx must be within num_embeddings") {
            table.assign(Tensor(scalar: 0), toView: { $0.selected(axis: 0, index: padding) })
        }
        return table
    }

    public var ownParameters: [(name: String, parameter: Parameter<Scalar>)] { [("weight", weight)] }

    /// The rows of ``weight`` at `ids`, shape `ids.shape + [embeddingSize]` (an empty `ids` gives
    /// an empty result).
    ///
    /// Throws `TensorError.indexOutOfRange` naming the first id outside `0..<vocabularySize` and
    /// its position; the table is then left exactly as it was (ids are checked before any
    /// max-norm renormalisation). Records `EmbeddingBackward0` unless the table is frozen or
    /// gradients are off.
    ///
    /// ```swift
    /// let embedding = Embedding(vocabularySize: 50257, embeddingSize: 256)
    /// let ids = Tensor<Int64>.randint(low: 0, high: 50257, shape: [8, 4])
    /// try embedding(ids).shape   // [8, 4, 256]
    /// ```
    @_specialize(exported: true, where Scalar == Float)
    public func callAsFunction(_ ids: Tensor<Int64>) throws(TensorError) -> Variable<Scalar> {
        let indices = try prepareLookup(ids)
        return EmbeddingLookup.rows(of: weight, at: indices, options: gradientOptions)
    }

    /// ``callAsFunction(_:)-(Tensor<Int64>)`` for 32-bit ids.
    @_disfavoredOverload   // an array literal of ids means Int64, as in PyTorch
    public func callAsFunction(_ ids: Tensor<Int32>) throws(TensorError) -> Variable<Scalar> {
        try self(ids.converted(to: Int64.self))
    }

    /// Checks `ids` and applies the max-norm renormalisation to the rows they reference: the
    /// part of a forward pass that comes before reading the table.
    func prepareLookup(_ ids: Tensor<Int64>) throws(TensorError) -> CheckedIndices {
        let indices = try CheckedIndices(ids, rowCount: vocabularySize)
        renormalize(rowsOf: indices)
        return indices
    }

    /// The max-norm renormalisation of the rows `indices` reference (nothing without `maxNorm`).
    func renormalize(rowsOf indices: CheckedIndices) {
        EmbeddingLookup.renormalize(weight, rowsOf: indices, maxNorm: maxNorm, normType: normType)
    }

    /// The padding and frequency options as the backward applies them.
    var gradientOptions: EmbeddingGradientOptions {
        EmbeddingGradientOptions(paddingIndex: paddingIndex, scaleGradientByFrequency: scaleGradientByFrequency)
    }

    /// PyTorch's summary, Swift-spelled: `Embedding(6, 3, paddingIndex: 5)`.
    public var description: String {
        var parts = ["\(vocabularySize)", "\(embeddingSize)"]
        if let paddingIndex { parts.append("paddingIndex: \(paddingIndex)") }
        if let maxNorm { parts.append("maxNorm: \(maxNorm)") }
        if normType != 2 { parts.append("normType: \(normType)") }
        if scaleGradientByFrequency { parts.append("scaleGradientByFrequency: true") }
        if isSparse { parts.append("sparse: true") }
        return "Embedding(\(parts.joined(separator: ", ")))"
    }

    /// PyTorch's padding rule: `0..<rowCount` as is, `-rowCount..<0` from the end; else a trap.
    static func resolvedPaddingIndex(_ index: Int?, rowCount: Int, message: String) -> Int? {
        guard let index else { return nil }
        precondition(index < rowCount && index >= -rowCount, "\(message) (paddingIndex \(index), \(rowCount) rows)")
        return index < 0 ? index + rowCount : index
    }
}

extension Embedding where Scalar == Float {
    /// A `Float` table, so that `Embedding(vocabularySize:embeddingSize:)` needs no type annotation;
    /// see the generic initialiser for the arguments.
    public convenience init(
        vocabularySize: Int, embeddingSize: Int, paddingIndex: Int? = nil, maxNorm: Double? = nil,
        normType: Double = 2, scaleGradientByFrequency: Bool = false, sparse: Bool = false,
        generator: Generator? = nil
    ) {
        self.init(initializedTable: Embedding.initialTable(vocabularySize: vocabularySize, embeddingSize: embeddingSize,
                                                           paddingIndex: paddingIndex, generator: generator),
                  requiresGrad: true, paddingIndex: paddingIndex, maxNorm: maxNorm, normType: normType,
                  scaleGradientByFrequency: scaleGradientByFrequency, sparse: sparse)
    }
}
