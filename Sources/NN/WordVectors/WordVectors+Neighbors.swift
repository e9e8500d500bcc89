extension WordVectors {
    /// The `count` words whose vectors have the highest cosine similarity with `word`'s (never
    /// `word` itself), most similar first, ties to the earlier row; nil when the vocabulary lacks
    /// `word`. gensim's `most_similar(word, topn: count)`.
    ///
    /// Each call reads the whole table once (lengths in Double, rows split among threads), without
    /// keeping a normalised copy: a few queries cost less than the copy of a large table would.
    /// A zero vector is similar to nothing (similarity 0).
    ///
    /// ```swift
    /// let neighbors = wordVectors.nearest(to: "king", count: 5)   // [(word: "queen", similarity: 0.73), …]
    /// ```
    public func nearest(to word: String, count: Int) -> [(word: String, similarity: Double)]? {
        guard let query = index(of: word) else { return nil }
        precondition(count >= 0, "nearest(to:count:): count must not be negative, got \(count)")
        let similarities = cosineSimilarities(toRow: query)
        let ranked = similarities.indices.filter { $0 != query }
            .sorted { similarities[$0] > similarities[$1] || (similarities[$0] == similarities[$1] && $0 < $1) }
        return ranked.prefix(count).map { (words[$0], similarities[$0]) }
    }

    /// The cosine similarity of every row with row `query`.
    private func cosineSimilarities(toRow query: Int) -> [Double] {
        let dimension = self.dimension, rowCount = count
        var similarities = [Double](repeating: 0, count: rowCount)
        vectors.withContiguousBuffer { table in
            guard let table = table.baseAddress else { return }
            let queryRow = table + query * dimension
            let queryLength = (0..<dimension).reduce(0.0) { $0 + Double(queryRow[$1]) * Double(queryRow[$1]) }.squareRoot()
            guard queryLength > 0 else { return }
            similarities.withUnsafeMutableBufferPointer { output in
                // Kernel precondition: `table` holds `rowCount` rows of `dimension` floats; threads
                // write disjoint entries of `output`.
                let output = output.baseAddress!
                let grain = Swift.max(1, ParallelConfiguration.elementwiseGrain / Swift.max(dimension, 1))
                parallelFor(rowCount, grain: grain) { rows in
                    for row in rows {
                        let vector = table + row * dimension
                        var dot = 0.0, squares = 0.0
                        for column in 0..<dimension {
                            let value = Double(vector[column])
                            dot += value * Double(queryRow[column])
                            squares += value * value
                        }
                        output[row] = squares > 0 ? dot / (squares.squareRoot() * queryLength) : 0
                    }
                }
            }
        }
        return similarities
    }
}
