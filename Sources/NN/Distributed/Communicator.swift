/// The byte-level collectives a ``ProcessGroup`` is built on: an MPI library
/// (``MPICommunicator``) or threads of one process (``LocalCommunicator``).
///
/// Every rank calls the same collectives in the same order. The group computes counts and
/// offsets, and does every reduction itself in rank order, so a transport only moves bytes and
/// both transports give the same bits.
///
/// Precondition for every call: each buffer holds the bytes its counts and offsets describe, and
/// receive buffers do not overlap send buffers.
protocol Communicator: AnyObject, Sendable {
    /// This process's (or thread's) rank, `0..<size`.
    var rank: Int { get }
    /// The number of ranks.
    var size: Int { get }
    /// Every rank's `send` bytes, rank r's `counts[r]` of them at `receive + offsets[r]`.
    func allgatherv(_ send: UnsafeRawBufferPointer, into receive: UnsafeMutableRawPointer,
                    counts: [Int], offsets: [Int]) throws(DistributedError)
    /// Sends `sendCounts[r]` bytes at `send + sendOffsets[r]` to rank r and receives rank r's bytes
    /// for this rank, `receiveCounts[r]` of them, at `receive + receiveOffsets[r]`.
    func alltoallv(_ send: UnsafeRawPointer, sendCounts: [Int], sendOffsets: [Int],
                   into receive: UnsafeMutableRawPointer, receiveCounts: [Int], receiveOffsets: [Int])
        throws(DistributedError)
    /// Rank `root`'s `buffer` bytes into every rank's `buffer`.
    func broadcast(_ buffer: UnsafeMutableRawBufferPointer, root: Int) throws(DistributedError)
    /// Returns once every rank has called it.
    func barrier() throws(DistributedError)
    /// Ends every rank after printing `message` (a transport that cannot reach the others ends
    /// this process only).
    func abort(_ message: String) -> Never
}

/// Runs `body`, whose only errors are `DistributedError`s, under typed throws: the standard
/// library's buffer functions rethrow untyped errors.
func typedThrows<Result>(_ body: () throws -> Result) throws(DistributedError) -> Result {
    do {
        return try body()
    } catch let error as DistributedError {
        throw error
    } catch {
        preconditionFailure("a collective threw \(error), which is not a DistributedError")
    }
}
