import Foundation

extension ProcessGroup {
    /// Throws ``DistributedError/ranksDisagree(operation:detail:)`` on every rank unless every
    /// rank passes the same `value`: for options and versions that must match before training.
    ///
    /// ```swift
    /// try group.checkAgreement(on: "dimensions 100, window 5", what: "training options")
    /// // with different values: "training options: the ranks disagree: rank 0 has …, rank 1 has …"
    /// ```
    public func checkAgreement(on value: String, what: String) throws(DistributedError) {
        let all = try allgather(bytes: Array(value.utf8)).map { String(decoding: $0, as: UTF8.self) }
        if let peer = all.firstIndex(where: { $0 != all[0] }) {
            throw .ranksDisagree(operation: what, detail: "rank 0 has \(all[0]), rank \(peer) has \(all[peer])")
        }
    }

    /// Runs `body` on every rank and returns its result if it succeeded on every rank; otherwise
    /// throws on every rank — this rank's own error where `body` failed here, else
    /// ``DistributedError/failedOnRank(operation:rank:reason:)`` naming the first rank that failed
    /// and its error. For steps that may fail on one rank only (a file missing on one node) before
    /// collectives the ranks must all reach: without it, the other ranks would wait forever.
    ///
    /// `body` must not call collectives itself (a rank that failed before them would leave the
    /// others waiting in them).
    ///
    /// ```swift
    /// let text = try group.collectively("reading the text") { try String(contentsOf: url, encoding: .utf8) }
    /// ```
    public func collectively<Result>(_ operation: String, _ body: () throws -> Result) throws -> Result {
        var result: Result?
        var failure: (any Error)?
        do {
            result = try body()
        } catch {
            failure = error
        }
        let reports = try allgather(bytes: failure.map { [0] + Array("\($0)".utf8) } ?? [1])
        if let failed = reports.firstIndex(where: { $0.first != 1 }) {
            if let failure { throw failure }
            throw DistributedError.failedOnRank(operation: operation, rank: failed,
                                                reason: String(decoding: reports[failed].dropFirst(), as: UTF8.self))
        }
        return result!
    }
}
