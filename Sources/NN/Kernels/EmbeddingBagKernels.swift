// Kernel precondition for this file: `table` addresses the rows of a contiguous `[V, width]`
// table and every id is in `0..<V`; `ids` (and `weights` when given) address `bagStarts.last!`
// elements; `bagStarts` is non-decreasing from 0; outputs address `(bagStarts.count - 1) · width`
// zeroed elements and overlap nothing.

/// The per-bag reductions behind ``EmbeddingBag``.
extension EmbeddingKernels {
    /// For every bag `b` (ids `bagStarts[b] ..< bagStarts[b + 1]`, padding skipped): the sum of
    /// its rows (each times its weight when `weights` is given), their mean, or their element-wise
    /// maximum. For the maximum, `maximumEntries[b · width + c]` (filled with −1 by the caller)
    /// receives the position in `ids` of the row that won feature `c`, the earliest on ties; it
    /// stays −1 for an empty bag. Empty bags stay zero.
    static func reduceBags<S: FloatingTensorScalar>(
        mode: EmbeddingBagMode, table: UnsafePointer<S>, width: Int, ids: UnsafePointer<Int64>, bagStarts: [Int],
        paddingIndex: Int64?, weights: UnsafePointer<S>?, into output: UnsafeMutablePointer<S>,
        maximumEntries: UnsafeMutablePointer<Int>?
    ) {
        reduceBagsLoop(mode, table, width, ids, bagStarts, paddingIndex, weights, output, maximumEntries)
    }

    @_specialize(where S == Float)
    @_specialize(where S == Double)
    private static func reduceBagsLoop<S: FloatingTensorScalar>(
        _ mode: EmbeddingBagMode, _ table: UnsafePointer<S>, _ width: Int, _ ids: UnsafePointer<Int64>,
        _ bagStarts: [Int], _ paddingIndex: Int64?, _ weights: UnsafePointer<S>?,
        _ output: UnsafeMutablePointer<S>, _ maximumEntries: UnsafeMutablePointer<Int>?
    ) {
        let bagCount = bagStarts.count - 1
        let averageBagSize = bagCount > 0 ? Swift.max(1, bagStarts[bagCount] / bagCount) : 1
        let grain = Swift.max(1, rowGrain(width: width) / averageBagSize)
        parallelFor(bagCount, grain: grain) { range in
            for bag in range {
                let target = output + bag * width
                let winners = maximumEntries.map { $0 + bag * width }
                var used = 0
                for entry in bagStarts[bag]..<bagStarts[bag + 1] where ids[entry] != paddingIndex {
                    let row = table + Int(ids[entry]) * width
                    switch mode {
                    case .sum, .mean:
                        if let weights {
                            let weight = weights[entry]
                            for column in 0..<width { target[column] += weight * row[column] }
                        } else {
                            for column in 0..<width { target[column] += row[column] }
                        }
                    case .max:
                        guard let winners else { preconditionFailure("max mode needs maximumEntries") }
                        for column in 0..<width where used == 0 || row[column] > target[column] {
                            target[column] = row[column]
                            winners[column] = entry
                        }
                    }
                    used += 1
                }
                if mode == .mean && used > 1 {
                    let size = S(used)
                    for column in 0..<width { target[column] /= size }
                }
            }
        }
    }

    /// The gradient of the maximum as table rows: for every bag, one entry per distinct winning
    /// position (in order of first win), holding the bag's upstream gradient at the features that
    /// position won and zero elsewhere, times `scales[position]`.
    ///
    /// `upstream`: `[B, width]`; `maximumEntries`: the `B · width` winners that `reduceBags` wrote.
    static func maximumGradientEntries<S: FloatingTensorScalar>(
        upstream: Tensor<S>, maximumEntries: [Int], scales: [S]
    ) -> (positions: [Int], values: Tensor<S>) {
        let width = upstream.shape[1]
        var positions: [Int] = []
        var entryOfFeature = [Int](repeating: -1, count: maximumEntries.count)
        for bag in 0..<upstream.shape[0] {
            var entryOfPosition: [Int: Int] = [:]
            for feature in bag * width ..< (bag + 1) * width {
                let position = maximumEntries[feature]
                guard position >= 0 else { continue }
                if let entry = entryOfPosition[position] {
                    entryOfFeature[feature] = entry
                } else {
                    entryOfPosition[position] = positions.count
                    entryOfFeature[feature] = positions.count
                    positions.append(position)
                }
            }
        }
        let gradient = upstream.contiguous().scalars
        var values = [S](repeating: 0, count: positions.count * width)
        for (feature, entry) in entryOfFeature.enumerated() where entry >= 0 {
            values[entry * width + feature % width] = gradient[feature] * scales[positions[entry]]
        }
        return (positions, Tensor(shape: [positions.count, width], scalars: values))
    }

    /// `result[i] = upstream[bag of i] · table[ids[i]]` (a dot product over the features), zero for
    /// padding: the gradient of the per-sample weights.
    ///
    /// `upstream`: `(bagStarts.count - 1) · width` elements; `result`: `bagStarts.last!` zeroed elements.
    static func perSampleWeightGradient<S: FloatingTensorScalar>(
        upstream: UnsafePointer<S>, table: UnsafePointer<S>, width: Int, ids: UnsafePointer<Int64>,
        bagStarts: [Int], paddingIndex: Int64?, into result: UnsafeMutablePointer<S>
    ) {
        for bag in 0..<(bagStarts.count - 1) {
            let gradient = upstream + bag * width
            for entry in bagStarts[bag]..<bagStarts[bag + 1] where ids[entry] != paddingIndex {
                let row = table + Int(ids[entry]) * width
                var dot = S.zero
                for column in 0..<width { dot += gradient[column] * row[column] }
                result[entry] = dot
            }
        }
    }
}
