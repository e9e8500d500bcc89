import Foundation

/// Ranks that are threads of one process: each rank posts what it sends, waits for the others,
/// copies what it receives straight from their buffers, and waits again before any buffer is
/// reused. For tests and for trying a distributed program without MPI.
final class LocalCommunicator: Communicator, @unchecked Sendable {
    let rank: Int
    let size: Int
    private let rendezvous: LocalRendezvous

    /// The ranks of one new group, to be used by `size` threads, one each.
    static func group(size: Int) -> [LocalCommunicator] {
        let rendezvous = LocalRendezvous(size: size)
        return (0..<size).map { LocalCommunicator(rank: $0, rendezvous: rendezvous) }
    }

    private init(rank: Int, rendezvous: LocalRendezvous) {
        self.rank = rank
        self.size = rendezvous.size
        self.rendezvous = rendezvous
    }

    func allgatherv(_ send: UnsafeRawBufferPointer, into receive: UnsafeMutableRawPointer,
                    counts: [Int], offsets: [Int]) throws(DistributedError) {
        rendezvous.exchange(rank: rank, posting: LocalPost(address: send.baseAddress, counts: [send.count])) { posts in
            for peer in 0..<size {
                precondition(posts[peer].counts[0] == counts[peer],
                             "allgather: rank \(peer) sent \(posts[peer].counts[0]) bytes, rank \(rank) expected \(counts[peer])")
                if counts[peer] > 0 {
                    (receive + offsets[peer]).copyMemory(from: posts[peer].address!, byteCount: counts[peer])
                }
            }
        }
    }

    func alltoallv(_ send: UnsafeRawPointer, sendCounts: [Int], sendOffsets: [Int],
                   into receive: UnsafeMutableRawPointer, receiveCounts: [Int], receiveOffsets: [Int])
        throws(DistributedError) {
        let post = LocalPost(address: UnsafeRawPointer(send), counts: sendCounts, offsets: sendOffsets)
        rendezvous.exchange(rank: rank, posting: post) { posts in
            for peer in 0..<size {
                let count = posts[peer].counts[rank]
                precondition(count == receiveCounts[peer],
                             "all-to-all: rank \(peer) sent \(count) bytes, rank \(rank) expected \(receiveCounts[peer])")
                if count > 0 {
                    (receive + receiveOffsets[peer]).copyMemory(from: posts[peer].address! + posts[peer].offsets[rank],
                                                                byteCount: count)
                }
            }
        }
    }

    func broadcast(_ buffer: UnsafeMutableRawBufferPointer, root: Int) throws(DistributedError) {
        let post = LocalPost(address: buffer.baseAddress.map(UnsafeRawPointer.init), counts: [buffer.count])
        rendezvous.exchange(rank: rank, posting: post) { posts in
            guard rank != root, buffer.count > 0 else { return }
            precondition(posts[root].counts[0] == buffer.count,
                         "broadcast: rank \(root) sent \(posts[root].counts[0]) bytes, rank \(rank) expected \(buffer.count)")
            buffer.baseAddress!.copyMemory(from: posts[root].address!, byteCount: buffer.count)
        }
    }

    func barrier() throws(DistributedError) {
        rendezvous.exchange(rank: rank, posting: LocalPost(address: nil, counts: [])) { _ in }
    }

    func abort(_ message: String) -> Never {
        fatalError("rank \(rank) of \(size): \(message)")
    }
}

/// What one thread-rank offers the others in a collective: an address and its counts.
struct LocalPost: @unchecked Sendable {
    var address: UnsafeRawPointer?
    var counts: [Int]
    var offsets: [Int] = []
}

/// The meeting point of a local group's threads: a reusable barrier with a slot per rank.
final class LocalRendezvous: @unchecked Sendable {
    let size: Int
    private let condition = NSCondition()
    private var arrived = 0
    private var generation = 0
    private var posts: [LocalPost]

    init(size: Int) {
        precondition(size >= 1, "a local process group needs at least 1 rank, got \(size)")
        self.size = size
        posts = Array(repeating: LocalPost(address: nil, counts: []), count: size)
    }

    /// Posts this rank's offer, waits for every rank's, calls `body` with all of them, then waits
    /// until every rank has finished its `body` (so no buffer is reused while another reads it).
    func exchange(rank: Int, posting post: LocalPost, _ body: ([LocalPost]) -> Void) {
        condition.lock()
        posts[rank] = post
        condition.unlock()
        wait()
        condition.lock()
        let snapshot = posts
        condition.unlock()
        body(snapshot)
        wait()
    }

    private func wait() {
        condition.lock()
        defer { condition.unlock() }
        let current = generation
        arrived += 1
        if arrived == size {
            arrived = 0
            generation += 1
            condition.broadcast()
        } else {
            while generation == current { condition.wait() }
        }
    }
}
