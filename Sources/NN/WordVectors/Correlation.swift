/// Pearson's and Spearman's correlation coefficients, computed as SciPy's `stats.pearsonr` and
/// `stats.spearmanr` compute them (the statistic only, no p-value), which is what gensim's
/// `evaluate_word_pairs` reports.
enum Correlation {
    /// Pearson's r of two equally long samples, or NaN when it is undefined (fewer than two
    /// values, or a sample whose values are all equal), as SciPy returns it.
    ///
    /// Centred first and summed in Double; the result is clipped to `-1...1` as SciPy clips it.
    static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "pearson: samples of \(x.count) and \(y.count) values")
        guard x.count >= 2 else { return .nan }
        let meanX = x.reduce(0, +) / Double(x.count)
        let meanY = y.reduce(0, +) / Double(y.count)
        var products = 0.0, squaresX = 0.0, squaresY = 0.0
        for (valueX, valueY) in zip(x, y) {
            let dx = valueX - meanX, dy = valueY - meanY
            products += dx * dy
            squaresX += dx * dx
            squaresY += dy * dy
        }
        guard squaresX > 0, squaresY > 0 else { return .nan }
        return Swift.min(1, Swift.max(-1, products / (squaresX.squareRoot() * squaresY.squareRoot())))
    }

    /// Spearman's ρ: Pearson's r of the samples' ranks, tied values sharing the average of their
    /// ranks (`scipy.stats.rankdata`'s default, the one `spearmanr` uses). NaN when undefined,
    /// and when a value is NaN (SciPy's default `nan_policy="propagate"`).
    static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        guard !x.contains(where: \.isNaN), !y.contains(where: \.isNaN) else { return .nan }
        return pearson(averageRanks(x), averageRanks(y))
    }

    /// The rank of each value, from 1 for the smallest; equal values get the mean of the ranks
    /// they span (`[10, 20, 20, 30]` → `[1, 2.5, 2.5, 4]`).
    static func averageRanks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && values[order[end]] == values[order[start]] { end += 1 }
            // Positions start..<end hold one value: ranks start + 1 ... end, whose mean is this.
            let shared = Double(start + 1 + end) / 2
            for position in start..<end { ranks[order[position]] = shared }
            start = end
        }
        return ranks
    }
}
