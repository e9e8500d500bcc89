import Foundation
import Testing
import NN

/// Writes `text` to a temporary file, passes its URL to `body`, and removes it.
private func withTextFile<Result>(_ text: String, _ body: (URL) throws -> Result) throws -> Result {
    let url = FileManager.default.temporaryDirectory.appending(path: "sharded-text-tests-\(UUID().uuidString).txt")
    try Data(text.utf8).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url)
}

/// Every word with its count, in the order of first appearance.
private func words(of counts: WordCounts) -> [String] {
    var result: [String] = []
    counts.forEachWord { word, count in result.append("\(word):\(count)") }
    return result
}

/// A text with a byte-order mark, CRLF and LF line ends, multi-byte letters, blank lines and a
/// last line without a line feed: cuts fall inside characters, words and line ends.
private let shardedText = "\u{FEFF}the cat sat\r\non the mat\n\nthe dog é日本 sat 𝔸\nthe end of\nthe text and the cat"

@Suite struct ShardedTextTests {
    @Test func countsOfConsecutiveRangesCombineToTheWholeFile() throws {
        try withTextFile(shardedText) { url in
            let whole = try WordCounts(contentsOf: url)
            let size = Array(shardedText.utf8).count
            for cuts in [[0, size], [0, 1, size], [0, 5, 17, 18, size], Array(0...size)] {
                let parts = try zip(cuts, cuts.dropFirst()).map { try WordCounts(contentsOf: url, byteRange: $0..<$1, chunkSize: 3) }
                let combined = WordCounts(combining: parts)
                #expect(words(of: combined) == words(of: whole), "cuts \(cuts)")
                #expect(combined.totalWordCount == whole.totalWordCount)
                #expect(combined.sentenceCount == whole.sentenceCount)
                #expect(combined.lineCount == whole.lineCount)
                #expect(combined.byteCount == whole.byteCount, "cuts \(cuts)")
                #expect(combined.vocabulary(minimumCount: 1).words == whole.vocabulary(minimumCount: 1).words)
            }
        }
    }

    @Test func aRangeCountsTheLinesThatStartInIt() throws {
        try withTextFile("a b\nc d e\nf\n") { url in
            // Bytes 2..<5 hold the end of line 1 and the start of line 2: line 2 is counted whole.
            let counts = try WordCounts(contentsOf: url, byteRange: 2..<5)
            #expect(words(of: counts) == ["c:1", "d:1", "e:1"])
            #expect(counts.lineCount == 1)
            #expect(counts.byteCount == 6)
        }
    }

    @Test func byteRangesCutAFileIntoConsecutivePiecesInRankOrder() {
        for size in [0, 1, 2, 7, 100, 1_000_003] {
            for ranks in 1...5 {
                let pieces = ProcessGroup.local(size: ranks).map { $0.byteRange(ofFileSize: size) }
                #expect(pieces.first?.lowerBound == 0)
                #expect(pieces.last?.upperBound == size)
                #expect(zip(pieces, pieces.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
                #expect(pieces.map(\.count).max()! - pieces.map(\.count).min()! <= 1)
            }
        }
    }

    @Test func everyRankGetsEveryPiecesCountsAndTheWholeTextsVocabulary() throws {
        try withTextFile(shardedText) { url in
            let whole = try WordCounts(contentsOf: url)
            for ranks in [1, 2, 3, 4] {
                let results = ProcessGroup.local(size: ranks).concurrentMap { group in
                    Result { try WordCounts.countsOfPieces(of: url, sharedBy: group) }
                }
                let size = Array(shardedText.utf8).count
                let expected = try (0..<ranks).map { rank in
                    try WordCounts(contentsOf: url, byteRange: (size * rank / ranks)..<(size * (rank + 1) / ranks))
                }
                for result in results {
                    let pieces = try result.get()
                    #expect(pieces.map(words(of:)) == expected.map(words(of:)))
                    #expect(pieces.map(\.sentenceCount) == expected.map(\.sentenceCount))
                    #expect(words(of: WordCounts(combining: pieces)) == words(of: whole))
                }
                let shared = ProcessGroup.local(size: ranks).concurrentMap { group in
                    Result { try WordCounts(contentsOf: url, sharedBy: group).vocabulary(minimumCount: 1).words }
                }
                for vocabulary in shared { #expect(try vocabulary.get() == whole.vocabulary(minimumCount: 1).words) }
            }
        }
    }

    @Test func aRankThatCannotReadItsPieceFailsEveryRankNamingIt() throws {
        try withTextFile(shardedText) { url in
            let missing = url.deletingLastPathComponent().appending(path: "no-such-file-\(UUID().uuidString).txt")
            let results = ProcessGroup.local(size: 3).concurrentMap { group in
                Result { try WordCounts.countsOfPieces(of: group.rank == 1 ? missing : url, sharedBy: group) }
            }
            for (rank, result) in results.enumerated() {
                #expect(throws: (any Error).self) { try result.get() }
                guard case .failure(let error) = result else { continue }
                if rank == 1 {
                    #expect("\(error)".contains(missing.lastPathComponent))
                } else {
                    #expect("\(error)".contains("rank 1 could not read its piece"), "\(error)")
                }
            }
        }
    }
}

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
