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
    /// Throws `TensorError.indexOutOfRange` naming the first id outside the table's rows
    /// (`0..<vocabularySize`, or the rows of a table that replaced ``weight``'s value) and
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
        // Against the table as it is now: its value may have been replaced by one of other rows.
        let indices = try CheckedIndices(ids, rowCount: weight.shape[0])
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

// MARK: - The lookup the embedding family shares

/// Token ids checked against the row count of the table they index: flattened to a contiguous
/// `[N]` tensor, with the shape they came in.
struct CheckedIndices {
    /// The ids in row-major order, contiguous, shape `[count]`.
    let flat: Tensor<Int64>
    /// The shape of the ids as given.
    let shape: [Int]

    /// Checks every id against `0..<rowCount`; the first one outside throws
    /// `TensorError.indexOutOfRange` naming it and its position in `ids`.
    init(_ ids: Tensor<Int64>, rowCount: Int) throws(TensorError) {
        try ids.checkRowIDs(bound: rowCount)
        self.flat = ids.contiguous().reshaped([ids.count])
        self.shape = ids.shape
    }

    /// Ids built by a layer itself, in range by construction.
    init(trusted flat: Tensor<Int64>, shape: [Int]) {
        self.flat = flat
        self.shape = shape
    }

    /// The number of ids.
    var count: Int { flat.count }

    /// The distinct ids in ascending order, as rows to renormalise.
    var distinctSortedRows: [Int] { Set(flat.scalars).sorted().map { Int($0) } }
}

/// The part of an embedding's gradient that differs from the plain scatter-add: rows that get
/// nothing (PyTorch's `padding_idx`) and division by how often a row occurs (`scale_grad_by_freq`).
struct EmbeddingGradientOptions {
    var paddingIndex: Int?
    var scaleGradientByFrequency: Bool

    static var plain: EmbeddingGradientOptions {
        EmbeddingGradientOptions(paddingIndex: nil, scaleGradientByFrequency: false)
    }
}

/// The lookup shared by the embedding layers: rows of a `[V, D]` table picked by checked ids,
/// with a row-sparse backward.
enum EmbeddingLookup {
    /// PyTorch's `embedding_renorm_` before a lookup: each distinct row `indices` reference whose
    /// `normType`-norm exceeds `maxNorm` is scaled down in place (nothing when `maxNorm` is nil).
    /// The one renormalisation of `Embedding` and `EmbeddingBag`.
    static func renormalize<S: FloatingTensorScalar>(
        _ table: Parameter<S>, rowsOf indices: CheckedIndices, maxNorm: Double?, normType: Double
    ) {
        guard let maxNorm else { return }
        let rows = indices.distinctSortedRows, width = table.shape[1]
        table.value.withMutableContiguousBuffer { table in
            guard let table = table.baseAddress else { return }
            EmbeddingKernels.renormalizeRows(table, rows: rows, width: width, maxNorm: maxNorm, normType: normType)
        }
    }

    /// `1 / (occurrences of ids[k] in ids)` for every `k`: PyTorch's `scale_grad_by_freq`, counted
    /// over the whole batch.
    static func inverseFrequencies(of ids: [Int64]) -> [Double] {
        var occurrences: [Int64: Int] = [:]
        for id in ids { occurrences[id, default: 0] += 1 }
        return ids.map { 1 / Double(occurrences[$0]!) }
    }

    /// The rows of `table` at `indices`, shape `indices.shape + [D]`. Records
    /// `EmbeddingBackward0`, whose gradient is ``rowGradient(ids:upstream:rowCount:options:)``.
    @_specialize(where S == Float)
    static func rows<S: FloatingTensorScalar>(
        of table: Variable<S>, at indices: CheckedIndices, options: EmbeddingGradientOptions
    ) -> Variable<S> {
        rows(PendingRows(of: table, atCheckedRows: indices.flat, indexShape: indices.shape), options: options)
    }

    /// ``rows(of:at:options:)`` for a lookup described beforehand (``PositionalEmbedding`` keeps
    /// the lookup of its whole table).
    @_specialize(where S == Float)
    static func rows<S: FloatingTensorScalar>(_ rows: PendingRows<S>, options: EmbeddingGradientOptions) -> Variable<S> {
        let table = rows.table
        guard table.recordsGradients else { return table.gatheringRows(rows) }
        let rowCount = table.shape[0], ids = rows.ids
        return table.gatheringRows(rows, name: "EmbeddingBackward0") { upstream in
            rowGradient(ids: ids, upstream: upstream, rowCount: rowCount, options: options)
        }
    }

    /// The gradient of a lookup of `ids` (flat, `[N]`) given the upstream gradient `[N, D]`, as
    /// rows of the `[rowCount, D]` table: the ids and the upstream rows, minus padding entries.
    ///
    /// With scaling by frequency the entries are summed per distinct row here (each scaled by
    /// 1/count of its id in the whole batch, accumulated with fused multiply-adds in id order,
    /// as PyTorch does), so the dense gradient equals PyTorch's bit for bit.
    static func rowGradient<S: FloatingTensorScalar>(
        ids: Tensor<Int64>, upstream: Tensor<S>, rowCount: Int, options: EmbeddingGradientOptions
    ) -> RowSparseGradient<S> {
        let padding = options.paddingIndex.map(Int64.init)
        let hasPadding = padding.map { padding in ids.withContiguousBuffer { $0.contains(padding) } } ?? false
        if !options.scaleGradientByFrequency && !hasPadding {
            return RowSparseGradient(rowIndices: ids, values: upstream, rowCount: rowCount)
        }
        let idList = ids.scalars
        let kept = idList.indices.filter { idList[$0] != padding }
        let keptIds = kept.map { idList[$0] }
        guard options.scaleGradientByFrequency else {
            return RowSparseGradient(rowIndices: Tensor(keptIds),
                                     values: upstream.gatheringRows(atCheckedRows: Tensor(kept.map(Int64.init)),
                                                                    indexShape: [kept.count]),
                                     rowCount: rowCount)
        }
        let frequencies = inverseFrequencies(of: idList)
        let scales = kept.map { S(frequencies[$0]) }
        let sums = EmbeddingKernels.coalescedScaledSums(targets: keptIds, rowCount: rowCount, sourceRows: kept,
                                                        scales: scales, source: upstream)
        return RowSparseGradient(rowIndices: Tensor(sums.rows), values: sums.values, rowCount: rowCount)
    }

    /// `scales[e] · source[rows[e]]` for every entry `e`, shape `[rows.count, D]` (a bag's gradient
    /// rows, scaled by its mean, frequency and per-sample weights).
    static func gatheredRows<S: FloatingTensorScalar>(of source: Tensor<S>, at rows: [Int], scales: [S]) -> Tensor<S> {
        let width = source.shape[1]
        return Tensor<S>(unsafeUninitializedShape: [rows.count, width]) { target in
            source.withContiguousBuffer { source in
                guard let source = source.baseAddress, let target = target.baseAddress else { return }
                EmbeddingKernels.gatherScaledRows(from: source, sourceRows: rows,
                                                  scales: scales,
                                                  width: width, into: target)
            }
        }
    }
}
