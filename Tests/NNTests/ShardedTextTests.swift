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
                    #expect("\(error)".contains("failed on rank 1: "), "\(error)")
                    #expect("\(error)".contains(missing.lastPathComponent), "\(error)")
                }
            }
        }
    }
}
