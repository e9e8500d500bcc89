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
        let rowCount = table.shape[0], ids = indices.flat
        guard table.recordsGradients else { return table.gatheringRows(atCheckedRows: ids, indexShape: indices.shape) }
        return table.gatheringRows(atCheckedRows: ids, indexShape: indices.shape, name: "EmbeddingBackward0") { upstream in
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
