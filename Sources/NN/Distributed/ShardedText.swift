import Foundation
import Tensor

extension ProcessGroup {
    /// This rank's piece of a file of `fileSize` bytes: the file cut into `size` consecutive
    /// pieces of nearly equal size, in rank order. Give it to `WordCorpus(contentsOf:vocabulary:byteRange:)`
    /// or `WordCounts(contentsOf:byteRange:)`, which read the lines that start in it, so the ranks
    /// read every line once between them.
    ///
    /// ```swift
    /// ProcessGroup.local(size: 3)[1].byteRange(ofFileSize: 100)   // 33..<66
    /// ```
    public func byteRange(ofFileSize fileSize: Int) -> Range<Int> {
        precondition(fileSize >= 0, "a file size is at least 0, got \(fileSize)")
        return (fileSize * rank / size)..<(fileSize * (rank + 1) / size)
    }
}

extension WordCounts {
    /// The whole text's counts, on every rank of `group`, each rank counting only its piece
    /// (``ProcessGroup/byteRange(ofFileSize:)``): the same counts, and so the same vocabulary, as
    /// one process counting the file.
    ///
    /// If reading fails on any rank, every rank throws, naming that rank.
    ///
    /// ```swift
    /// let counts = try WordCounts(contentsOf: url, sharedBy: group)
    /// let vocabulary = counts.vocabulary(minimumCount: 5)   // the same on every rank
    /// ```
    public init(contentsOf url: URL, sharedBy group: ProcessGroup,
                maximumSentenceLength: Int = WordCorpus.defaultMaximumSentenceLength) throws {
        self.init(combining: try WordCounts.countsOfPieces(of: url, sharedBy: group, maximumSentenceLength: maximumSentenceLength))
    }

    /// Every rank's counts of its piece of `url` (``ProcessGroup/byteRange(ofFileSize:)``), in
    /// rank order, on every rank; ``init(combining:)`` of them is the whole text's counts.
    ///
    /// If reading fails on any rank, every rank throws, naming that rank.
    ///
    /// ```swift
    /// let pieces = try WordCounts.countsOfPieces(of: url, sharedBy: group)
    /// let mine = pieces[group.rank].totalWordCount          // the words this rank trains on
    /// let counts = WordCounts(combining: pieces)
    /// ```
    public static func countsOfPieces(of url: URL, sharedBy group: ProcessGroup,
                                      maximumSentenceLength: Int = WordCorpus.defaultMaximumSentenceLength)
        throws -> [WordCounts] {
        let local = try group.collectively("counting \(url.lastPathComponent)") {
            let size = try FileReader(url: url).size
            return (size, try WordCounts(contentsOf: url, byteRange: group.byteRange(ofFileSize: size),
                                         maximumSentenceLength: maximumSentenceLength))
        }
        // Ranks reading different copies of the text would cut it at different places.
        try group.checkAgreement(on: "\(local.0) bytes", what: "the size of \(url.lastPathComponent)")
        let all = try group.allgather(bytes: local.1.encoded())
        return all.enumerated().map { rank, bytes in
            rank == group.rank ? local.1 : WordCounts(encoded: bytes)!
        }
    }
}
