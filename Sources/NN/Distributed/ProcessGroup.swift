import Foundation
import Synchronization
import Tensor

/// The processes of a data-parallel job and the collectives between them, as Horovod and
/// `torch.distributed` offer them: rank, size, allreduce, allgather of tensors whose first axes
/// differ, broadcast and barrier.
///
/// Under `mpirun` the ranks are processes talking through an MPI library loaded at run time
/// (``mpi(library:)``); the package never links MPI, so a program without it builds and runs,
/// and only asking for MPI fails, with a clear error. ``local(size:)`` makes ranks that are
/// threads of one process, for tests and trials; ``single`` is a group of one.
///
/// Every rank must call the same collectives in the same order. Sums are taken in rank order by
/// the rank that owns each slice (never by the MPI library's own reduction), so a result has the
/// same bits on every rank, in every run, whatever the transport. Arguments that do not fit
/// together across ranks (shapes, counts) throw ``DistributedError/ranksDisagree(operation:detail:)``
/// on every rank and change nothing.
///
/// ```swift
/// let groups = ProcessGroup.local(size: 2)
/// let sums = groups.concurrentMap { group in
///     try! group.allreduce(Tensor<Float>([Float(group.rank + 1), 10]))
/// }
/// sums[0].scalars   // [3.0, 20.0], on both ranks
/// ```
public final class ProcessGroup: @unchecked Sendable {
    /// This process's rank, `0..<size`; rank 0 writes the job's files.
    public let rank: Int
    /// The number of ranks.
    public let size: Int
    let communicator: any Communicator
    /// One collective at a time from this rank: MPI is initialised for serialised calls.
    private let serial = NSLock()

    init(communicator: any Communicator) {
        self.communicator = communicator
        rank = communicator.rank
        size = communicator.size
    }

    /// A group of one process: every collective returns its input.
    public static let single = ProcessGroup(communicator: LocalCommunicator.group(size: 1)[0])

    /// The environment variables by which `mpirun` (Open MPI, MPICH, Intel MPI, PMIx launchers)
    /// tells a process it is one rank of a job.
    static let launcherVariables = ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS"]

    /// Whether this process was started by an MPI launcher.
    public static var isLaunchedByMPI: Bool {
        let environment = ProcessInfo.processInfo.environment
        return launcherVariables.contains { environment[$0] != nil }
    }

    /// The job's group: over MPI when started by an MPI launcher, else ``single``.
    ///
    /// ```swift
    /// let group = try ProcessGroup.world()
    /// print("rank \(group.rank) of \(group.size)")   // rank 0 of 1 without mpirun
    /// ```
    public static func world() throws(DistributedError) -> ProcessGroup {
        isLaunchedByMPI ? try mpi() : single
    }

    /// The group of `MPI_COMM_WORLD`, loading the MPI library `library` (a path or a name the
    /// dynamic loader finds), else `$SWIFT_AUTOGRAD_MPI_LIBRARY`, else Open MPI's `libmpi.so.40`
    /// or MPICH's `libmpi.so.12`. MPI is initialised once per process and finalised at exit.
    ///
    /// Throws ``DistributedError/libraryUnavailable(library:reason:)`` when no library loads.
    ///
    /// ```swift
    /// let group = try ProcessGroup.mpi()   // mpirun -np 4 ./program: ranks 0 to 3
    /// ```
    public static func mpi(library: String? = nil) throws(DistributedError) -> ProcessGroup {
        let communicator = try MPICommunicator.world(library: library)
        // One group per process: its lock is what keeps MPI's calls one at a time.
        return mpiGroup.withLock { group in
            if let group { return group }
            let made = ProcessGroup(communicator: communicator)
            group = made
            return made
        }
    }

    private static let mpiGroup = Mutex<ProcessGroup?>(nil)

    /// The first line of the MPI library's own version text (`Open MPI v4.1.4, …`, `MPICH
    /// Version: 4.0.2`), or nil for groups that are not over MPI.
    public var mpiLibraryVersion: String? { (communicator as? MPICommunicator)?.libraryVersion }

    /// `size` ranks that are threads of this process: give each group to its own thread.
    ///
    /// ```swift
    /// let groups = ProcessGroup.local(size: 4)
    /// groups.map(\.rank)   // [0, 1, 2, 3]
    /// ```
    public static func local(size: Int) -> [ProcessGroup] {
        precondition(size >= 1, "a process group has at least 1 rank, got \(size)")
        return LocalCommunicator.group(size: size).map(ProcessGroup.init)
    }

    // MARK: Collectives

    /// Returns once every rank has called it.
    public func barrier() throws(DistributedError) {
        try serialized { () throws(DistributedError) in try communicator.barrier() }
    }

    /// Ends every rank of the job, printing `message` with this rank's number; for errors that
    /// leave the ranks unable to go on together.
    public func abort(_ message: String) -> Never {
        communicator.abort(message)
    }

    /// Each rank's bytes, in rank order.
    ///
    /// ```swift
    /// let groups = ProcessGroup.local(size: 2)
    /// let all = groups.concurrentMap { try! $0.allgather(bytes: [UInt8]("rank \($0.rank)".utf8)) }
    /// all[1].map { String(decoding: $0, as: UTF8.self) }   // ["rank 0", "rank 1"]
    /// ```
    public func allgather(bytes: [UInt8]) throws(DistributedError) -> [[UInt8]] {
        try serialized { () throws(DistributedError) in try allgatherUnlocked(bytes: bytes) }
    }

    /// Every rank's `tensor` joined along the first axis in rank order; the first axes may
    /// differ, the other axes must agree.
    ///
    /// ```swift
    /// let groups = ProcessGroup.local(size: 2)
    /// let joined = groups.concurrentMap { group in
    ///     try! group.allgather(Tensor<Int64>(shape: [group.rank + 1], scalars: Array(repeating: Int64(group.rank), count: group.rank + 1)))
    /// }
    /// joined[0].scalars   // [0, 1, 1]
    /// ```
    public func allgather<S: TensorScalar>(_ tensor: Tensor<S>) throws(DistributedError) -> Tensor<S> {
        try serialized { () throws(DistributedError) in
            let shapes = try allgatherIntegers(tensor.shape)
            guard let first = shapes.first, shapes.allSatisfy({ $0.count >= 1 }) else {
                throw .ranksDisagree(operation: "allgather", detail: "every rank's tensor needs a first axis; shapes \(shapes)")
            }
            let trailing = Array(first.dropFirst())
            if let peer = shapes.firstIndex(where: { Array($0.dropFirst()) != trailing }) {
                throw .ranksDisagree(operation: "allgather",
                                     detail: "rank 0's tensor has shape \(first), rank \(peer)'s \(shapes[peer]); all but the first axis must agree")
            }
            return try allgatherUnlocked(tensor, firstAxes: shapes.map { $0[0] })
        }
    }

    /// Rank `root`'s tensor, on every rank. Every rank passes a tensor of the root's shape (the
    /// root's values are the ones kept); the argument is not changed.
    ///
    /// ```swift
    /// let groups = ProcessGroup.local(size: 2)
    /// let values = groups.concurrentMap { try! $0.broadcast(Tensor<Float>([Float($0.rank), 1]), from: 1) }
    /// values[0].scalars   // [1.0, 1.0]
    /// ```
    public func broadcast<S: TensorScalar>(_ tensor: Tensor<S>, from root: Int = 0) throws(DistributedError) -> Tensor<S> {
        try serialized { () throws(DistributedError) in
            let headers = try allgatherIntegers([root] + tensor.shape)
            try checkRoot(root, in: headers.map { $0[0] }, operation: "broadcast")
            let shapes = headers.map { Array($0.dropFirst()) }
            if let peer = shapes.firstIndex(where: { $0 != shapes[root] }) {
                throw .ranksDisagree(operation: "broadcast",
                                     detail: "rank \(root) (the root) sends shape \(shapes[root]), rank \(peer) expects \(shapes[peer])")
            }
            return try broadcastUnlocked(tensor, root: root)
        }
    }

    /// The element-wise sum (or with `average`, the mean) of every rank's `tensor`, on every
    /// rank. Shapes must agree.
    ///
    /// Each rank owns a slice of the elements, receives every rank's part of it and adds them in
    /// rank order — `((x₀ + x₁) + x₂) + …` — then the slices are gathered: the same bits on every
    /// rank and in every run, whatever the transport. The mean divides that sum by `size`.
    ///
    /// ```swift
    /// let groups = ProcessGroup.local(size: 2)
    /// let means = groups.concurrentMap { try! $0.allreduce(Tensor<Float>([Float($0.rank)]), average: true) }
    /// means[1].scalars   // [0.5]
    /// ```
    public func allreduce<S: FloatingTensorScalar>(_ tensor: Tensor<S>, average: Bool = false)
        throws(DistributedError) -> Tensor<S> {
        try serialized { () throws(DistributedError) in
            let shapes = try allgatherIntegers(tensor.shape)
            if let peer = shapes.firstIndex(where: { $0 != shapes[0] }) {
                throw .ranksDisagree(operation: "allreduce",
                                     detail: "rank 0's tensor has shape \(shapes[0]), rank \(peer)'s \(shapes[peer])")
            }
            return try allreduceUnlocked(tensor, average: average)
        }
    }

    // MARK: The collectives' bodies, for callers that hold the lock and checked the shapes

    /// Throws on every rank unless every rank named the same root and it is a rank of the group.
    func checkRoot(_ root: Int, in roots: [Int], operation: String) throws(DistributedError) {
        if let peer = roots.firstIndex(where: { $0 != roots[0] }) {
            throw .ranksDisagree(operation: operation, detail: "rank 0 names rank \(roots[0]) the root, rank \(peer) names rank \(roots[peer])")
        }
        guard (0..<size).contains(root) else {
            throw .invalidArgument(operation: operation, detail: "root rank \(root) is not in 0..<\(size)")
        }
    }

    func serialized<Result>(_ body: () throws(DistributedError) -> Result) throws(DistributedError) -> Result {
        serial.lock()
        defer { serial.unlock() }
        return try body()
    }

    /// The largest part of a tensor reduced in one round (bytes): bounds the staging memory.
    static let reductionSegmentBytes = 32 << 20

    /// Rank `root`'s `tensor` (whose shape every rank has checked), on every rank.
    func broadcastUnlocked<S: TensorScalar>(_ tensor: Tensor<S>, root: Int) throws(DistributedError) -> Tensor<S> {
        var result = tensor.contiguousCopy()
        try result.withMutableContiguousBuffer { (buffer) throws(DistributedError) in
            try communicator.broadcast(UnsafeMutableRawBufferPointer(buffer), root: root)
        }
        return result
    }

    @_specialize(where S == Float)
    func allreduceUnlocked<S: FloatingTensorScalar>(_ tensor: Tensor<S>, average: Bool) throws(DistributedError) -> Tensor<S> {
        var result = tensor.contiguousCopy()
        try reduceUnlocked(&result, average: average)
        return result
    }

    /// ``allreduceUnlocked(_:average:)`` in place, for a caller whose tensor is its own already
    /// (a fresh concatenation), so that it is not copied once more.
    @_specialize(where S == Float)
    func reduceUnlocked<S: FloatingTensorScalar>(_ tensor: inout Tensor<S>, average: Bool) throws(DistributedError) {
        guard size > 1 else { return }
        let divisor = S(size)
        try tensor.withMutableContiguousBuffer { (buffer) throws(DistributedError) in
            let segmentLength = max(size, Self.reductionSegmentBytes / MemoryLayout<S>.stride)
            // The parts this rank receives for its slice of one segment, for every segment: the
            // largest slice is the first segment's, rounded up.
            let longest = min(segmentLength, buffer.count)
            let parts = UnsafeMutableBufferPointer<S>.allocate(capacity: max(1, (longest + size - 1) / size * size))
            defer { parts.deallocate() }
            var start = 0
            while start < buffer.count {
                let end = min(buffer.count, start + segmentLength)
                try sumInRankOrder(UnsafeMutableBufferPointer(rebasing: buffer[start..<end]), parts: parts,
                                   average: average, divisor: divisor)
                start = end
            }
        }
    }

    /// Replaces `values` with the rank-order sum of every rank's `values` (a reduce-scatter by
    /// all-to-all, the owner of each slice adding the parts in rank order, then an allgather);
    /// `parts` holds at least `size` times this rank's slice.
    @_specialize(where S == Float)
    private func sumInRankOrder<S: FloatingTensorScalar>(_ values: UnsafeMutableBufferPointer<S>,
                                                        parts: UnsafeMutableBufferPointer<S>, average: Bool,
                                                        divisor: S) throws(DistributedError) {
        let stride = MemoryLayout<S>.stride
        let starts = (0...size).map { values.count * $0 / size }
        let counts = (0..<size).map { starts[$0 + 1] - starts[$0] }
        let owned = counts[rank]
        precondition(parts.count >= owned * size, "sumInRankOrder: \(parts.count) elements for \(size) parts of \(owned)")
        try communicator.alltoallv(UnsafeRawPointer(values.baseAddress!), sendCounts: counts.map { $0 * stride },
                                   sendOffsets: starts.dropLast().map { $0 * stride },
                                   into: UnsafeMutableRawPointer(parts.baseAddress!),
                                   receiveCounts: Array(repeating: owned * stride, count: size),
                                   receiveOffsets: (0..<size).map { $0 * owned * stride })
        let sum = parts.baseAddress!
        sumPartsInOrder(sum, partCount: size, count: owned, dividingBy: average ? divisor : nil)
        try communicator.allgatherv(UnsafeRawBufferPointer(start: sum, count: owned * stride),
                                    into: UnsafeMutableRawPointer(values.baseAddress!),
                                    counts: counts.map { $0 * stride }, offsets: starts.dropLast().map { $0 * stride })
    }

    func allgatherUnlocked(bytes: [UInt8]) throws(DistributedError) -> [[UInt8]] {
        try allgatherArrays(bytes)
    }

    func allgatherIntegers(_ integers: [Int]) throws(DistributedError) -> [[Int]] {
        try allgatherArrays(integers.map(Int64.init)).map { $0.map { Int($0) } }
    }

    /// Every rank's `elements` (of any length), in rank order.
    private func allgatherArrays<Element: FixedWidthInteger>(_ elements: [Element]) throws(DistributedError) -> [[Element]] {
        let counts = try allgatherCounts(elements.count)
        var joined = [Element](repeating: 0, count: counts.reduce(0, +))
        try typedThrows {
            try elements.withUnsafeBytes { send in
                try joined.withUnsafeMutableBytes { receive in
                    try allgatherBlocks(send, into: receive.baseAddress, blockCounts: counts,
                                        blockBytes: MemoryLayout<Element>.stride)
                }
            }
        }
        var start = 0
        return counts.map { count in
            defer { start += count }
            return Array(joined[start..<(start + count)])
        }
    }

    /// Every rank's `count`, in rank order.
    func allgatherCounts(_ count: Int) throws(DistributedError) -> [Int] {
        var counts = [Int64](repeating: 0, count: size)
        var local = Int64(count)
        try typedThrows {
            try withUnsafeBytes(of: &local) { send in
                try counts.withUnsafeMutableBytes { receive in
                    try allgatherBlocks(send, into: receive.baseAddress, blockCounts: Array(repeating: 1, count: size),
                                        blockBytes: 8)
                }
            }
        }
        return counts.map { Int($0) }
    }

    /// Every rank's blocks of `blockBytes` bytes, `blockCounts[r]` of them from rank r, joined in
    /// rank order at `receive`; this rank sends `send`. The one place the byte offsets of a
    /// gather are worked out.
    func allgatherBlocks(_ send: UnsafeRawBufferPointer, into receive: UnsafeMutableRawPointer?,
                         blockCounts: [Int], blockBytes: Int) throws(DistributedError) {
        let counts = blockCounts.map { $0 * blockBytes }
        var offsets: [Int] = []
        offsets.reserveCapacity(size)
        var total = 0
        for count in counts {
            offsets.append(total)
            total += count
        }
        // An empty result still needs an address to receive at.
        try communicator.allgatherv(send, into: receive ?? UnsafeMutableRawPointer(bitPattern: 16)!, counts: counts,
                                    offsets: offsets)
    }

    /// Every rank's `tensor` (whose first axes are `firstAxes`, rank by rank, and whose other
    /// axes agree) joined along the first axis.
    func allgatherUnlocked<S: TensorScalar>(_ tensor: Tensor<S>, firstAxes: [Int]) throws(DistributedError) -> Tensor<S> {
        let rowBytes = tensor.shape.dropFirst().reduce(1, *) * MemoryLayout<S>.stride
        let shape = [firstAxes.reduce(0, +)] + tensor.shape.dropFirst()
        return try Tensor<S>(unsafeUninitializedShape: shape) { (receive) throws(DistributedError) in
            try tensor.withContiguousBuffer { (send) throws(DistributedError) in
                try allgatherBlocks(UnsafeRawBufferPointer(send), into: UnsafeMutableRawPointer(receive.baseAddress),
                                    blockCounts: firstAxes, blockBytes: rowBytes)
            }
        }
    }
}
