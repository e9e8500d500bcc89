import Testing
import NN

@Suite struct DeltaExchangeTests {
    /// A 6 × 2 table whose rows `rows` are moved by SGD on `rank`, then exchanged; returns every
    /// rank's table and the rows it received.
    private func trainAndExchange(ranks: Int, rows: @escaping @Sendable (Int) -> [Int64]) -> [(table: [Float], received: Int)] {
        ProcessGroup.local(size: ranks).concurrentMap { group in
            let embedding = Embedding<Float>(vocabularySize: 6, embeddingSize: 2, sparse: true,
                                             generator: Generator(seed: 10 + UInt64(group.rank)))
            let exchange = try! DeltaExchange(parameters: [embedding.weight], group: group)
            let sgd = SGD(parameters: [embedding.weight], learningRate: 0.1 * Double(group.rank + 1))
            let ids = rows(group.rank)
            if !ids.isEmpty {
                (try! embedding(Tensor<Int64>(ids))).sum().backward()
                exchange.recordGradientRows()
                sgd.step()
            }
            let received = try! exchange.exchange()
            return (embedding.weight.value.scalars, received)
        }
    }

    @Test func everyRankHoldsTheStartPlusEachRanksChangeInRankOrder() {
        let rows: @Sendable (Int) -> [Int64] = { [[0, 2], [2, 3], [5]][$0] }
        let results = trainAndExchange(ranks: 3, rows: rows)
        // Rank 0's start (the broadcast), and each rank's SGD change: −lr·1 in each touched row.
        let start = Embedding<Float>(vocabularySize: 6, embeddingSize: 2, generator: Generator(seed: 10)).weight.value.scalars
        var expected = start
        for rank in 0..<3 {
            for row in rows(rank) {
                for column in 0..<2 {
                    let index = Int(row) * 2 + column
                    let moved = start[index] - Float(0.1 * Double(rank + 1))
                    expected[index] += moved - start[index]
                }
            }
        }
        for (table, received) in results {
            #expect(table.map(\.bitPattern) == expected.map(\.bitPattern))
            #expect(received == 5)
        }
        // Rows no rank touched keep the start's bits.
        for index in [2, 3, 8, 9] { #expect(results[0].table[index].bitPattern == start[index].bitPattern) }
    }

    @Test func theRanksStartFromRankZerosValues() {
        let results = trainAndExchange(ranks: 2, rows: { _ in [] })
        let start = Embedding<Float>(vocabularySize: 6, embeddingSize: 2, generator: Generator(seed: 10)).weight.value.scalars
        for (table, received) in results {
            #expect(table.map(\.bitPattern) == start.map(\.bitPattern))
            #expect(received == 0)
        }
    }

    @Test func aDenseGradientMarksEveryRow() {
        let results = ProcessGroup.local(size: 2).concurrentMap { group in
            let weight = Parameter(Tensor<Float>.zeros([3, 2]))
            let exchange = try! DeltaExchange(parameters: [weight], group: group)
            weight.grad = Tensor<Float>.ones([3, 2])
            exchange.recordGradientRows()
            weight.value = weight.value + Float(group.rank + 1)
            return (try! exchange.exchange(), weight.value.scalars)
        }
        for (received, table) in results {
            #expect(received == 6)
            #expect(table == Array(repeating: 3, count: 6))
        }
    }

    @Test func manyRanksTouchingMostRowsSumWholeTablesInRankOrder() {
        // 3 ranks × 3 rows: more than twice the table's rows, so whole tables are summed.
        let changes: [Float] = [1e8, 1, -1e8]
        let results = ProcessGroup.local(size: 3).concurrentMap { group in
            let weight = Parameter(Tensor<Float>(shape: [3, 1], scalars: [0.5, -0.0, 2]))
            let exchange = try! DeltaExchange(parameters: [weight], group: group)
            exchange.markAllRowsChanged()
            weight.value = weight.value + changes[group.rank]
            return (try! exchange.exchange(), weight.value.scalars)
        }
        // Each rank's change is its value less the start, as rounded: (0.5 + 1e8) − 0.5 is 1e8.
        let starts: [Float] = [0.5, -0.0, 2]
        let expected = starts.map { start in
            let delta = changes.map { (start + $0) - start }
            return start + ((delta[0] + delta[1]) + delta[2])
        }
        for (received, table) in results {
            #expect(received == 9)
            #expect(table.map(\.bitPattern) == expected.map(\.bitPattern))
        }
    }

    @Test func statisticsCountTheExchangesRowsAndBytes() {
        let results = ProcessGroup.local(size: 2).concurrentMap { group in
            let weight = Parameter(Tensor<Float>.zeros([10, 3]))
            let exchange = try! DeltaExchange(parameters: [weight], group: group)
            weight.gradient = .rows(RowSparseGradient(rowIndices: Tensor<Int64>([Int64(group.rank), 5]),
                                                      values: Tensor<Float>.ones([2, 3]), rowCount: 10))
            exchange.recordGradientRows()
            try! exchange.exchange()
            try! exchange.exchange()   // nothing changed since: no rows
            return exchange.statistics
        }
        for statistics in results {
            #expect(statistics.exchanges == 2)
            #expect(statistics.rows == 4)
            #expect(statistics.bytes == 4 * 3 * MemoryLayout<Float>.size)
            #expect(statistics.transferSeconds >= 0 && statistics.transferSeconds <= statistics.seconds)
        }
    }

    @Test func ranksWithDifferentTablesRefuseAndChangeNothing() {
        let results = ProcessGroup.local(size: 2).concurrentMap { group in
            let weight = Parameter(Tensor<Float>.zeros([3 + group.rank, 2]))
            let outcome = Result { try DeltaExchange(parameters: [weight], group: group) }
            return (outcome.map { _ in () }, weight.value.shape)
        }
        for (rank, (outcome, shape)) in results.enumerated() {
            #expect(throws: DistributedError.self) { try outcome.get() }
            #expect(shape == [3 + rank, 2])
        }
    }
}
