/// gensim's 3CosAdd answers for many analogy questions at once.
///
/// For one question gensim's `evaluate_word_analogies` calls
/// `most_similar(positive=[b, c], negative=[a], topn=5, restrict_vocab=n)`: the query is the
/// mean of unit(b), unit(c) and −unit(a), scaled to unit length; every one of the first n rows is
/// scored by its cosine with the query; the 8 best rows (`topn` + 3) lose those of a, b and c and
/// the first 5 left are returned; the answer is the first of them whose word is none of a, b, c
/// (compared upper-cased when case is ignored, so another casing of an input is passed over too).
///
/// Here the rows are normalised once, and the questions go in blocks: a block's queries
/// `[questions, dimension]` times the unit rows' transpose, one tile of rows at a time, is one
/// matrix product per tile (the library's blocked GEMM, whose results do not depend on the
/// thread count), and each query keeps its 8 best rows from tile to tile. Memory stays bounded by
/// one tile of scores, however many questions there are.
struct AnalogySolver {
    /// A question's first three words as rows of the evaluation vocabulary (representative rows).
    struct Question {
        let first: Int32
        let second: Int32
        let third: Int32
    }

    /// gensim's `topn + len(all_keys)`: the best rows it sorts out of all scores.
    static let examinedCount = 8
    /// gensim's `topn`: how many of those it returns once the question's own rows are dropped.
    static let returnedCount = 5

    private let unitRows: Tensor<Float>
    private let representativeRows: [Int32]
    private let rowCount: Int
    private let dimension: Int
    private let questionsPerBlock: Int
    private let rowsPerTile: Int

    /// Prepares the search among the first `vocabulary.rowCount` rows of `vectors` (`[V, D]`).
    ///
    /// The answers do not depend on the block and tile sizes (each score is the same
    /// multiply-add chain however the product is cut), only the speed does. The defaults were
    /// the fastest of those tried on the Google set against a 42 000 × 100 table: smaller blocks
    /// pack the table for the GEMM more often, and a tile of scores (16 MB) stays small enough
    /// to be read back from the last-level cache by the search that follows the product.
    init(vectors: Tensor<Float>, vocabulary: EvaluationVocabulary, questionsPerBlock: Int = 512, rowsPerTile: Int = 8192) {
        precondition(questionsPerBlock >= 1 && rowsPerTile >= 1, "blocks and tiles need at least one question and row")
        rowCount = vocabulary.rowCount
        dimension = vectors.shape[1]
        representativeRows = vocabulary.representativeRows
        self.questionsPerBlock = questionsPerBlock
        self.rowsPerTile = rowsPerTile
        unitRows = Self.unitRows(of: vectors, rowCount: rowCount, dimension: dimension)
    }

    /// For each question, the representative row of the word gensim answers with, or −1 when it
    /// has none (fewer than four rows to choose from).
    func answers(to questions: [Question]) -> [Int32] {
        var answers = [Int32](repeating: -1, count: questions.count)
        guard rowCount > 0 else { return answers }
        var blockStart = 0
        while blockStart < questions.count {
            let block = questions[blockStart..<Swift.min(blockStart + questionsPerBlock, questions.count)]
            let queries = self.queries(for: block)
            var best = BestRows(questionCount: block.count)
            var tileStart = 0
            while tileStart < rowCount {
                let tileEnd = Swift.min(tileStart + rowsPerTile, rowCount)
                let scores = queries.matmul(unitRows[tileStart..<tileEnd].transposed())
                best.update(scores: scores, firstRow: tileStart)
                tileStart = tileEnd
            }
            for (position, question) in block.enumerated() {
                answers[blockStart + position] = answer(best: best.rows(of: position), question: question)
            }
            blockStart += block.count
        }
        return answers
    }

    /// gensim's choice among the best rows, best first: the question's own three rows are
    /// dropped, the first five left are returned, and the answer is the first of those whose word
    /// (its representative row) is none of the question's; when all five are, gensim's loop ends
    /// holding the last one, which is then the (wrong) answer.
    private func answer(best: ArraySlice<Int32>, question: Question) -> Int32 {
        let inputs = [question.first, question.second, question.third]
        var returned = 0
        var answer: Int32 = -1
        for row in best where !inputs.contains(row) {
            guard returned < Self.returnedCount else { break }
            returned += 1
            answer = representativeRows[Int(row)]
            if !inputs.contains(answer) { break }
        }
        return answer
    }

    /// The first `rowCount` rows of `vectors`, each divided by its length (summed in Double); a
    /// zero row stays zero, so its cosine with anything is 0 (gensim divides it by zero instead).
    private static func unitRows(of vectors: Tensor<Float>, rowCount: Int, dimension: Int) -> Tensor<Float> {
        Tensor<Float>(unsafeUninitializedShape: [rowCount, dimension]) { unit in
            vectors.withContiguousBuffer { table in
                // Kernel precondition: `table` holds at least `rowCount` rows of `dimension` floats
                // and `unit` exactly that many; threads write disjoint rows.
                let grain = Swift.max(1, ParallelConfiguration.elementwiseGrain / Swift.max(dimension, 1))
                parallelFor(rowCount, grain: grain) { rows in
                    for row in rows {
                        let source = table.baseAddress! + row * dimension, target = unit.baseAddress! + row * dimension
                        var squares = 0.0
                        for column in 0..<dimension { squares += Double(source[column]) * Double(source[column]) }
                        let length = squares.squareRoot()
                        for column in 0..<dimension {
                            target[column] = length > 0 ? Float(Double(source[column]) / length) : 0
                        }
                    }
                }
            }
        }
    }

    /// `[questions, dimension]`: each question's unit(b) + unit(c) − unit(a), summed in Float as
    /// gensim's float32 mean is, then scaled to unit length in Double (a zero sum stays zero).
    /// gensim also divides by 3 first, which the scaling undoes.
    private func queries(for questions: ArraySlice<Question>) -> Tensor<Float> {
        Tensor<Float>(unsafeUninitializedShape: [questions.count, dimension]) { query in
            unitRows.withContiguousBuffer { unit in
                // Kernel precondition: every question's rows are below `rowCount`, so inside `unit`;
                // `query` holds `questions.count` rows of `dimension` floats.
                for (position, question) in questions.enumerated() {
                    let first = unit.baseAddress! + Int(question.first) * dimension
                    let second = unit.baseAddress! + Int(question.second) * dimension
                    let third = unit.baseAddress! + Int(question.third) * dimension
                    let target = query.baseAddress! + position * dimension
                    var squares = 0.0
                    for column in 0..<dimension {
                        let sum = (second[column] + third[column]) - first[column]
                        target[column] = sum
                        squares += Double(sum) * Double(sum)
                    }
                    let length = squares.squareRoot()
                    for column in 0..<dimension {
                        target[column] = length > 0 ? Float(Double(target[column]) / length) : 0
                    }
                }
            }
        }
    }
}

/// The `AnalogySolver.examinedCount` best-scoring rows of each question of a block, best first,
/// kept across the tiles of scores. Equal scores keep the lower row first (rows arrive in
/// increasing order); gensim's order for exact ties is NumPy's partition order, unspecified.
private struct BestRows {
    private var scores: [Float]
    private var rows: [Int32]
    private var filled: [Int]

    init(questionCount: Int) {
        scores = [Float](repeating: -.infinity, count: questionCount * AnalogySolver.examinedCount)
        rows = [Int32](repeating: -1, count: questionCount * AnalogySolver.examinedCount)
        filled = [Int](repeating: 0, count: questionCount)
    }

    /// The best rows of the question at `position`, best first.
    func rows(of position: Int) -> ArraySlice<Int32> {
        let start = position * AnalogySolver.examinedCount
        return rows[start..<(start + filled[position])]
    }

    /// Takes in a `[questions, tileRows]` tile of scores for rows `firstRow ..< firstRow + tileRows`.
    mutating func update(scores tile: Tensor<Float>, firstRow: Int) {
        let questionCount = tile.shape[0], tileRows = tile.shape[1]
        let grain = Swift.max(1, ParallelConfiguration.elementwiseGrain / Swift.max(tileRows, 1))
        tile.withContiguousBuffer { tile in
            scores.withUnsafeMutableBufferPointer { bestScores in
                rows.withUnsafeMutableBufferPointer { bestRows in
                    filled.withUnsafeMutableBufferPointer { filled in
                        // Threads own disjoint questions, so disjoint parts of every buffer.
                        parallelFor(questionCount, grain: grain) { questions in
                            for question in questions {
                                let slot = question * AnalogySolver.examinedCount
                                filled[question] = Self.merge(tile.baseAddress! + question * tileRows, count: tileRows,
                                                              firstRow: firstRow, filled: filled[question],
                                                              bestScores: bestScores.baseAddress! + slot,
                                                              bestRows: bestRows.baseAddress! + slot)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Merges `count` scores, for rows `firstRow…`, into a sorted list of the best `filled` so far;
    /// returns the new length. A score enters only when it beats the worst kept one (or the list
    /// is not full): sixty-four scores at a time, vector comparisons with that bound rule out
    /// almost all of them, so the search costs little beside the product.
    ///
    /// Kernel precondition: `scores` addresses `count` floats; `bestScores` and `bestRows` address
    /// `AnalogySolver.examinedCount` elements each, their first `filled` sorted best first.
    @inline(__always)
    private static func merge(_ scores: UnsafePointer<Float>, count: Int, firstRow: Int, filled: Int,
                              bestScores: UnsafeMutablePointer<Float>, bestRows: UnsafeMutablePointer<Int32>) -> Int {
        let capacity = AnalogySolver.examinedCount
        var filled = filled
        // NaN passes no comparison, so a NaN score never enters (NumPy's partition puts NaN last).
        var bound = filled == capacity ? bestScores[capacity - 1] : -Float.infinity
        var column = 0
        while column + 64 <= count {
            if anyScore(of: scores + column, above: bound) {
                for offset in column..<(column + 64) where scores[offset] > bound {
                    filled = insert(scores[offset], row: Int32(firstRow + offset), filled: filled,
                                    bestScores: bestScores, bestRows: bestRows)
                    if filled == capacity { bound = bestScores[capacity - 1] }
                }
            }
            column += 64
        }
        while column < count {
            if scores[column] > bound {
                filled = insert(scores[column], row: Int32(firstRow + column), filled: filled,
                                bestScores: bestScores, bestRows: bestRows)
                if filled == capacity { bound = bestScores[capacity - 1] }
            }
            column += 1
        }
        return filled
    }

    /// True when one of the 64 scores at `chunk` is greater than `bound`: an OR of comparisons
    /// over a fixed count, which the compiler turns into vector compares. Not inlined: inlined
    /// into the caller's loop, it becomes a scalar search for the first score above (and the
    /// generic SIMD16 `pointwiseMax` and `any` run lane by lane at the baseline instruction set).
    ///
    /// Kernel precondition: `chunk` addresses 64 floats.
    @inline(never)
    private static func anyScore(of chunk: UnsafePointer<Float>, above bound: Float) -> Bool {
        var above: UInt8 = 0
        for offset in 0..<64 { above |= chunk[offset] > bound ? 1 : 0 }
        return above != 0
    }

    /// Puts `score` into the sorted list after the scores at least as large (a later row loses a
    /// tie), dropping the last entry when the list is full; returns the new length.
    ///
    /// Kernel precondition: as for ``merge(_:count:firstRow:filled:bestScores:bestRows:)``, and
    /// `score` beats the last entry when the list is full.
    private static func insert(_ score: Float, row: Int32, filled: Int,
                               bestScores: UnsafeMutablePointer<Float>, bestRows: UnsafeMutablePointer<Int32>) -> Int {
        var position = Swift.min(filled, AnalogySolver.examinedCount - 1)
        while position > 0 && bestScores[position - 1] < score {
            bestScores[position] = bestScores[position - 1]
            bestRows[position] = bestRows[position - 1]
            position -= 1
        }
        bestScores[position] = score
        bestRows[position] = row
        return Swift.min(filled + 1, AnalogySolver.examinedCount)
    }
}
