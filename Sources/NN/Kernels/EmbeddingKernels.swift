import Tensor

// Kernel precondition for this file: every pointer addresses a contiguous row-major buffer of the
// size stated beside it inside live storage, outputs never overlap inputs, and every row index has
// already been checked against the table it reads.
//
// The loops say `@_specialize` for `Float` and `Double`: Swift then compiles a specialised,
// vectorised copy of each, and the generic entry point checks the type and jumps to it, so a
// caller in generic layer code runs the specialised loop without a switch of its own.

/// Row gathers, scatters and reductions behind the embedding layers.
enum EmbeddingKernels {
    /// The fewest rows worth handing to a thread: about `elementwiseGrain` elements of work.
    static func rowGrain(width: Int) -> Int {
        Swift.max(1, ParallelConfiguration.elementwiseGrain / Swift.max(width, 1))
    }

    /// `output[e] = scales[e] · source[sourceRows[e]]` (a plain copy where the scale is 1).
    ///
    /// `source`: at least `max(sourceRows) + 1` rows; `output`: `sourceRows.count` rows.
    static func gatherScaledRows<S: FloatingTensorScalar>(
        from source: UnsafePointer<S>, sourceRows: [Int], scales: [S], width: Int, into output: UnsafeMutablePointer<S>
    ) {
        gatherScaledLoop(source, sourceRows, scales, width, output)
    }

    @_specialize(where S == Float)
    @_specialize(where S == Double)
    private static func gatherScaledLoop<S: FloatingTensorScalar>(
        _ source: UnsafePointer<S>, _ sourceRows: [Int], _ scales: [S], _ width: Int, _ output: UnsafeMutablePointer<S>
    ) {
        parallelFor(sourceRows.count, grain: rowGrain(width: width)) { range in
            for entry in range {
                let row = source + sourceRows[entry] * width
                let target = output + entry * width
                let scale = scales[entry]
                if scale == 1 {
                    target.update(from: row, count: width)
                } else {
                    for column in 0..<width { target[column] = scale * row[column] }
                }
            }
        }
    }

    /// One row per distinct target, in order of first appearance, holding
    /// `Σ_e scales[e] · source[sourceRows[e]]` over the entries `e` with that target. Entries are
    /// applied in order, each as one fused multiply-add, which is how PyTorch's x86 kernels
    /// accumulate a scaled embedding gradient (so the result matches it bit for bit).
    ///
    /// `targets`: rows of a `rowCount`-row table; `source`: `[R, width]` with every `sourceRows`
    /// entry in `0..<R`.
    static func coalescedScaledSums<S: FloatingTensorScalar>(
        targets: [Int64], rowCount: Int, sourceRows: [Int], scales: [S], source: Tensor<S>
    ) -> (rows: [Int64], values: Tensor<S>) {
        var slotOfRow = [Int32](repeating: -1, count: rowCount)
        var rows: [Int] = [], entrySlots: [Int32] = [], onlyEntries: [Int32] = []
        targets.withUnsafeBufferPointer { targets in
            slotOfRow.withUnsafeMutableBufferPointer { slotOfRow in
                RowSlots.assign(targets, slotOfRow: slotOfRow, rows: &rows, entrySlots: &entrySlots,
                                onlyEntryOfSlot: &onlyEntries)
            }
        }
        let width = source.shape[1]
        var values = Tensor<S>.zeros([rows.count, width])
        source.withContiguousBuffer { source in
            values.withMutableContiguousBuffer { output in
                guard let source = source.baseAddress, let output = output.baseAddress else { return }
                fusedMultiplyAddLoop(entrySlots, rows.count, sourceRows, scales, source, width, output)
            }
        }
        return (rows.map(Int64.init), values)
    }

    /// Each output row is accumulated in entry order (``applyInEntryOrder``).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    private static func fusedMultiplyAddLoop<S: FloatingTensorScalar>(
        _ entrySlots: [Int32], _ slotCount: Int, _ sourceRows: [Int], _ scales: [S], _ source: UnsafePointer<S>,
        _ width: Int, _ output: UnsafeMutablePointer<S>
    ) {
        applyInEntryOrder(entryCount: entrySlots.count, targetCount: slotCount, workPerEntry: width,
                          target: { RowSlots.decode(entrySlots[$0]).slot }) { entry, slot in
            let target = output + slot * width
            let row = source + sourceRows[entry] * width
            let scale = scales[entry]
            for column in 0..<width { target[column] = target[column].addingProduct(row[column], scale) }
        }
    }

    /// PyTorch's `embedding_renorm_`: every listed row whose `normType`-norm (computed in the
    /// table's precision) exceeds `maxNorm` is multiplied by `maxNorm / (norm + 1e-7)`, a factor
    /// computed in `Double` and rounded to the table's precision.
    ///
    /// `table`: at least `max(rows) + 1` rows of `width`.
    static func renormalizeRows<S: FloatingTensorScalar>(
        _ table: UnsafeMutablePointer<S>, rows: [Int], width: Int, maxNorm: Double, normType: Double
    ) {
        for row in rows {
            let values = table + row * width
            let norm = rowNorm(values, width: width, normType: normType).doubleValue
            if norm > maxNorm {
                let scale = S(maxNorm / (norm + 1e-7))
                for column in 0..<width { values[column] *= scale }
            }
        }
    }

    private static func rowNorm<S: FloatingTensorScalar>(_ values: UnsafePointer<S>, width: Int, normType: Double) -> S {
        switch normType {
        case .infinity:
            return (0..<width).reduce(S.zero) { Swift.max($0, Swift.abs(values[$1])) }
        case -.infinity:
            return (0..<width).reduce(S.infinity) { Swift.min($0, Swift.abs(values[$1])) }
        case 0:
            return S((0..<width).filter { values[$0] != 0 }.count)
        case 1:
            return (0..<width).reduce(S.zero) { $0 + Swift.abs(values[$1]) }
        case 2:
            return (0..<width).reduce(S.zero) { $0 + values[$1] * values[$1] }.squareRoot()
        default:
            let power = S(normType)
            let sum = (0..<width).reduce(S.zero) { $0 + S.pow(Swift.abs(values[$1]), power) }
            return S.pow(sum, 1 / power)
        }
    }
}
