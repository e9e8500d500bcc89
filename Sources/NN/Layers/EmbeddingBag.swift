/// How ``EmbeddingBag`` combines the rows of a bag.
public enum EmbeddingBagMode: String, Sendable {
    /// The sum of the rows (each times its per-sample weight when given).
    case sum
    /// The mean of the rows (padding entries are not counted).
    case mean
    /// The element-wise maximum of the rows.
    case max
}

/// Bags of token ids reduced to one vector each, without materialising the per-token rows:
/// PyTorch's `nn.EmbeddingBag`.
///
/// Ids come either as a `[B, L]` tensor (B bags of L ids) or as a flat `[N]` tensor with
/// `offsets` giving where each bag starts (bag `b` is `ids[offsets[b] ..< offsets[b + 1]]`, the
/// last one running to the end, or to the final offset when `includeLastOffset` is true).
/// Empty bags, and bags of padding only, give zeros. The table, the padding row and the
/// max-norm renormalisation behave as in ``Embedding``; the backward is row-sparse.
///
/// ```swift
/// let bag = EmbeddingBag(vocabularySize: 10, embeddingSize: 3, mode: .sum)
/// let ids = Tensor<Int64>([1, 2, 4, 5, 4, 3, 2, 9])
/// try bag(ids, offsets: Tensor<Int64>([0, 4])).shape   // [2, 3]: rows 1+2+4+5 and 4+3+2+9
/// ```
public final class EmbeddingBag<Scalar: FloatingTensorScalar>: Module {
    /// The number of rows.
    public let vocabularySize: Int
    /// The length of each row.
    public let embeddingSize: Int
    /// How each bag's rows are combined.
    public let mode: EmbeddingBagMode
    /// The row that is skipped in every bag and gets no gradient, as a non-negative row number, or nil.
    public let paddingIndex: Int?
    /// The largest norm a looked-up row may have, or nil for no limit.
    public let maxNorm: Double?
    /// The `p` of the p-norm compared with ``maxNorm``.
    public let normType: Double
    /// Whether gradients are divided by the number of times each id occurs in the batch.
    public let scaleGradientByFrequency: Bool
    /// Whether the table asks for PyTorch's sparse-gradient optimiser semantics: the mark
    /// `Parameter.isSparse` on ``weight`` (see ``Embedding/isSparse``).
    public var isSparse: Bool { weight.isSparse }
    /// Whether `offsets` ends with the end of the last bag (B + 1 entries) rather than B starts.
    public let includeLastOffset: Bool
    /// The table, `[vocabularySize, embeddingSize]`.
    public let weight: Parameter<Scalar>
    public var isTraining = true

    /// A table of standard normal draws from `generator` (the global generator when nil) with the
    /// padding row zeroed, as ``Embedding``.
    ///
    /// Traps, with PyTorch's message, on a padding index outside `-vocabularySize..<vocabularySize`
    /// and on `.max` combined with `scaleGradientByFrequency` or `sparse`.
    public convenience init(
        vocabularySize: Int, embeddingSize: Int, mode: EmbeddingBagMode = .mean, paddingIndex: Int? = nil,
        maxNorm: Double? = nil, normType: Double = 2, scaleGradientByFrequency: Bool = false, sparse: Bool = false,
        includeLastOffset: Bool = false, generator: Generator? = nil
    ) {
        let table = EmbeddingBag.initialTable(vocabularySize: vocabularySize, embeddingSize: embeddingSize,
                                              paddingIndex: paddingIndex, generator: generator)
        self.init(initializedTable: table,
                  requiresGrad: true, mode: mode, paddingIndex: paddingIndex, maxNorm: maxNorm, normType: normType,
                  scaleGradientByFrequency: scaleGradientByFrequency, sparse: sparse,
                  includeLastOffset: includeLastOffset)
    }

    /// Bags over an existing `[V, D]` table, shared rather than copied; frozen by default.
    public convenience init(
        pretrained table: Tensor<Scalar>, freeze: Bool = true, mode: EmbeddingBagMode = .mean, paddingIndex: Int? = nil,
        maxNorm: Double? = nil, normType: Double = 2, scaleGradientByFrequency: Bool = false, sparse: Bool = false,
        includeLastOffset: Bool = false
    ) {
        precondition(table.rank == 2, "Embeddings parameter is expected to be 2-dimensional, got shape \(table.shape)")
        self.init(initializedTable: table, requiresGrad: !freeze, mode: mode, paddingIndex: paddingIndex,
                  maxNorm: maxNorm, normType: normType, scaleGradientByFrequency: scaleGradientByFrequency,
                  sparse: sparse, includeLastOffset: includeLastOffset)
    }

    fileprivate init(
        initializedTable table: Tensor<Scalar>, requiresGrad: Bool, mode: EmbeddingBagMode, paddingIndex: Int?,
        maxNorm: Double?, normType: Double, scaleGradientByFrequency: Bool, sparse: Bool, includeLastOffset: Bool
    ) {
        precondition(!(mode == .max && scaleGradientByFrequency),
                     "max mode does not support scaling the gradient by the frequency")
        precondition(!(mode == .max && sparse), "max mode does not support sparse weights")
        vocabularySize = table.shape[0]
        embeddingSize = table.shape[1]
        self.mode = mode
        self.paddingIndex = Embedding<Scalar>.resolvedPaddingIndex(paddingIndex, rowCount: table.shape[0],
                                                                   message: "padding_idx must be within num_embeddings")
        self.maxNorm = maxNorm
        self.normType = normType
        self.scaleGradientByFrequency = scaleGradientByFrequency
        self.includeLastOffset = includeLastOffset
        weight = Parameter(table, requiresGrad: requiresGrad)
        weight.isSparse = sparse
    }

    fileprivate static func initialTable(
        vocabularySize: Int, embeddingSize: Int, paddingIndex: Int?, generator: Generator?
    ) -> Tensor<Scalar> {
        precondition(paddingIndex.map { $0 < vocabularySize && $0 >= -vocabularySize } ?? true,
                     "padding_idx must be within num_embeddings "
                        + "(paddingIndex \(paddingIndex ?? 0), \(vocabularySize) rows)")
        return Embedding<Scalar>.initialTable(vocabularySize: vocabularySize, embeddingSize: embeddingSize,
                                              paddingIndex: paddingIndex, generator: generator)
    }

    public var ownParameters: [(name: String, parameter: Parameter<Scalar>)] { [("weight", weight)] }

    /// One vector per bag, shape `[B, embeddingSize]`.
    ///
    /// - Parameters:
    ///   - ids: `[B, L]` (then `offsets` must be nil) or `[N]` with `offsets`.
    ///   - offsets: `[B]` bag starts (`[B + 1]` with ``includeLastOffset``), non-decreasing from 0.
    ///   - perSampleWeights: one weight per id (same shape as `ids`), `.sum` mode only; it may
    ///     require a gradient.
    /// - Throws: `TensorError.invalidArgument` with PyTorch's message for inconsistent arguments,
    ///   `TensorError.indexOutOfRange` for an id outside the vocabulary; nothing changes then.
    public func callAsFunction(
        _ ids: Tensor<Int64>, offsets: Tensor<Int64>? = nil, perSampleWeights: Variable<Scalar>? = nil
    ) throws(TensorError) -> Variable<Scalar> {
        let bagStarts = try self.bagStarts(ids: ids, offsets: offsets)
        if let perSampleWeights {
            guard mode == .sum else {
                throw .invalidArgument("embedding_bag: per_sample_weights was not nil. per_sample_weights is only "
                    + "supported for mode .sum (got mode .\(mode.rawValue)).")
            }
            guard perSampleWeights.shape == ids.shape else {
                throw .invalidArgument("embedding_bag: If per_sample_weights (\(perSampleWeights.shape)) is not nil, "
                    + "then it must have the same shape as the input (\(ids.shape))")
            }
        }
        let indices = try CheckedIndices(ids, rowCount: weight.shape[0])   // the table as it is now
        EmbeddingLookup.renormalize(weight, rowsOf: indices, maxNorm: maxNorm, normType: normType)
        return EmbeddingBagOperation(
            table: weight, ids: indices.flat, bagStarts: bagStarts, mode: mode,
            paddingIndex: paddingIndex.map(Int64.init), scaleGradientByFrequency: scaleGradientByFrequency
        ).apply(perSampleWeights: perSampleWeights.map { $0.reshaped([indices.count]) })
    }

    /// ``callAsFunction(_:offsets:perSampleWeights:)`` with 32-bit ids and offsets.
    @_disfavoredOverload   // an array literal of ids means Int64, as in PyTorch
    public func callAsFunction(
        _ ids: Tensor<Int32>, offsets: Tensor<Int32>? = nil, perSampleWeights: Variable<Scalar>? = nil
    ) throws(TensorError) -> Variable<Scalar> {
        try self(ids.converted(to: Int64.self), offsets: offsets?.converted(to: Int64.self),
                 perSampleWeights: perSampleWeights)
    }

    /// Where each bag starts in the flattened ids, then the end: `B + 1` non-decreasing entries
    /// from 0 to at most `ids.count`. Throws PyTorch's messages for inconsistent arguments.
    private func bagStarts(ids: Tensor<Int64>, offsets: Tensor<Int64>?) throws(TensorError) -> [Int] {
        switch ids.rank {
        case 2:
            if offsets != nil {
                throw .invalidArgument("if input is 2D, then offsets has to be nil, as input is treated is a "
                    + "mini-batch of fixed length sequences. However, found offsets of type Tensor<Int64>")
            }
            let (bagCount, length) = (ids.shape[0], ids.shape[1])
            return (0...bagCount).map { $0 * length }
        case 1:
            guard let offsets else { throw .invalidArgument("offsets has to be a 1D Tensor but got nil") }
            guard offsets.rank == 1 else {
                throw .invalidArgument("offsets has to be a 1D Tensor, got shape \(offsets.shape)")
            }
            let starts = offsets.scalars.map { Int($0) }
            if includeLastOffset && starts.isEmpty {
                throw .invalidArgument(
                    "offsets has to hold at least the end of the last bag when includeLastOffset is true")
            }
            if let first = starts.first, first != 0 {
                throw .invalidArgument("offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to "
                    + "start from position 0. However, got \(first)")
            }
            if let last = starts.last, last > ids.count {
                throw .invalidArgument("offsets[-1] can not be greater than input's length \(ids.count) but got "
                    + "offsets[-1] of \(last)")
            }
            if let decrease = starts.indices.dropFirst().first(where: { starts[$0] < starts[$0 - 1] }) {
                throw .invalidArgument("offsets must be non-decreasing, but offsets[\(decrease)] = \(starts[decrease]) "
                    + "follows offsets[\(decrease - 1)] = \(starts[decrease - 1])")
            }
            return includeLastOffset ? starts : starts + [ids.count]
        default:
            throw .invalidArgument("input has to be 1D or 2D Tensor, but got Tensor of dimension \(ids.rank)")
        }
    }
}

extension EmbeddingBag where Scalar == Float {
    /// A `Float` table, so that `EmbeddingBag(vocabularySize:embeddingSize:)` needs no type annotation.
    public convenience init(
        vocabularySize: Int, embeddingSize: Int, mode: EmbeddingBagMode = .mean, paddingIndex: Int? = nil,
        maxNorm: Double? = nil, normType: Double = 2, scaleGradientByFrequency: Bool = false, sparse: Bool = false,
        includeLastOffset: Bool = false, generator: Generator? = nil
    ) {
        let table = EmbeddingBag.initialTable(vocabularySize: vocabularySize, embeddingSize: embeddingSize,
                                              paddingIndex: paddingIndex, generator: generator)
        self.init(initializedTable: table,
                  requiresGrad: true, mode: mode, paddingIndex: paddingIndex, maxNorm: maxNorm, normType: normType,
                  scaleGradientByFrequency: scaleGradientByFrequency, sparse: sparse,
                  includeLastOffset: includeLastOffset)
    }
}

/// One bag reduction over checked ids: the forward and its recorded backward.
struct EmbeddingBagOperation<Scalar: FloatingTensorScalar> {
    let table: Variable<Scalar>
    /// Checked ids, contiguous `[N]`.
    let ids: Tensor<Int64>
    /// `B + 1` bag boundaries.
    let bagStarts: [Int]
    let mode: EmbeddingBagMode
    let paddingIndex: Int64?
    let scaleGradientByFrequency: Bool

    /// The `[B, D]` bag vectors; records `EmbeddingBagBackward0` on `table` (and on the weights).
    func apply(perSampleWeights: Variable<Scalar>?) -> Variable<Scalar> {
        let width = table.shape[1], bagCount = bagStarts.count - 1
        let tableValue = table.value
        var output = Tensor<Scalar>.zeros([bagCount, width])
        var winners = [Int](repeating: -1, count: mode == .max ? bagCount * width : 0)
        let weights = perSampleWeights?.value.contiguous()
        tableValue.withContiguousBuffer { tableBuffer in
            ids.withContiguousBuffer { idBuffer in
                output.withMutableContiguousBuffer { target in
                    winners.withUnsafeMutableBufferPointer { winners in
                        guard let tablePointer = tableBuffer.baseAddress, let idPointer = idBuffer.baseAddress,
                              let target = target.baseAddress else { return }
                        let winnerPointer = winners.baseAddress
                        let reduce = { (weightPointer: UnsafePointer<Scalar>?) in
                            EmbeddingKernels.reduceBags(
                                mode: mode, table: tablePointer, width: width, ids: idPointer, bagStarts: bagStarts,
                                paddingIndex: paddingIndex, weights: weightPointer, into: target,
                                maximumEntries: winnerPointer)
                        }
                        if let weights {
                            weights.withContiguousBuffer { reduce($0.baseAddress) }
                        } else {
                            reduce(nil)
                        }
                    }
                }
            }
        }
        let inputs = [table] + (perSampleWeights.map { [$0] } ?? [])
        let needsTable = table.requiresGrad, needsWeights = perSampleWeights?.requiresGrad ?? false
        let savedTable = needsWeights ? tableValue : nil
        let operation = self, maximumEntries = winners
        return Variable.record(output, name: "EmbeddingBagBackward0", inputs: inputs) { upstream in
            let upstream = upstream.contiguous()
            var gradients: [Gradient<Scalar>?] = [
                needsTable
                    ? .rows(operation.tableGradient(upstream: upstream, weights: weights, winners: maximumEntries))
                    : nil,
            ]
            if weights != nil {
                gradients.append(savedTable.map { .dense(operation.weightGradient(upstream: upstream, table: $0)) })
            }
            return gradients
        }
    }

    /// The table's gradient as rows: one entry per non-padding id scaled by its weight, by
    /// 1/bag size (mean) and by 1/frequency; for the maximum, the winning rows per bag.
    private func tableGradient(
        upstream: Tensor<Scalar>, weights: Tensor<Scalar>?, winners: [Int]
    ) -> RowSparseGradient<Scalar> {
        let idList = ids.scalars, rowCount = table.shape[0]
        var frequencyScale = [Double](repeating: 1, count: idList.count)
        if scaleGradientByFrequency {
            frequencyScale = EmbeddingLookup.inverseFrequencies(of: idList)
        }
        if mode == .max {
            let entries = EmbeddingKernels.maximumGradientEntries(
                upstream: upstream, maximumEntries: winners, scales: frequencyScale.map { Scalar($0) })
            return RowSparseGradient(rowIndices: Tensor(entries.positions.map { idList[$0] }), values: entries.values,
                                     rowCount: rowCount)
        }
        let weightList = weights?.scalars
        var entries: [Int] = [], sourceBags: [Int] = [], scales: [Scalar] = []
        for bag in 0..<(bagStarts.count - 1) {
            let bagRange = bagStarts[bag]..<bagStarts[bag + 1]
            let kept = bagRange.filter { idList[$0] != paddingIndex }
            let bagScale = mode == .mean ? 1 / Double(Swift.max(kept.count, 1)) : 1
            for entry in kept {
                entries.append(entry)
                sourceBags.append(bag)
                scales.append(Scalar(bagScale * frequencyScale[entry]) * (weightList?[entry] ?? 1))
            }
        }
        return RowSparseGradient(rowIndices: Tensor(entries.map { idList[$0] }),
                                 values: EmbeddingLookup.gatheredRows(of: upstream, at: sourceBags, scales: scales),
                                 rowCount: rowCount)
    }

    /// The per-sample weights' gradient, `[N]`: each id's row dotted with its bag's upstream gradient.
    private func weightGradient(upstream: Tensor<Scalar>, table: Tensor<Scalar>) -> Tensor<Scalar> {
        var result = Tensor<Scalar>.zeros([ids.count])
        let width = table.shape[1]
        upstream.withContiguousBuffer { upstream in
            table.withContiguousBuffer { table in
                ids.withContiguousBuffer { ids in
                    result.withMutableContiguousBuffer { result in
                        guard let upstream = upstream.baseAddress, let table = table.baseAddress,
                              let ids = ids.baseAddress, let result = result.baseAddress else { return }
                        EmbeddingKernels.perSampleWeightGradient(
                            upstream: upstream, table: table, width: width, ids: ids, bagStarts: bagStarts,
                            paddingIndex: paddingIndex, into: result)
                    }
                }
            }
        }
        return result
    }
}
