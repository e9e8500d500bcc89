import Foundation
import MPIShim
import Synchronization

/// Collectives over `MPI_COMM_WORLD` of an MPI library loaded at run time (see `MPIShim.h`).
///
/// MPI counts and offsets are 32-bit: an allgather or broadcast larger than that is split into
/// rounds (the allgather through a staging buffer); the group keeps its all-to-alls well below
/// it. MPI is initialised once per process and finalised at exit.
final class MPICommunicator: Communicator, @unchecked Sendable {
    let rank: Int
    let size: Int
    /// The first line of the library's own version text, for messages.
    let libraryVersion: String

    /// The largest byte count or offset one MPI call takes.
    static let largestCall = Int(Int32.max)

    /// The library names tried when none is given, the launcher's own first: a process started
    /// by MPICH's `mpiexec` that loaded Open MPI would start a job of its own, of one rank.
    static var defaultLibraries: [String] {
        #if canImport(Darwin)
        let openMPI = ["libmpi.40.dylib"], mpich = ["libmpi.12.dylib", "libmpich.12.dylib"], other = ["libmpi.dylib"]
        #else
        // Debian names MPICH's library libmpich.so.12; libmpi.so.12 is its development link.
        let openMPI = ["libmpi.so.40"], mpich = ["libmpich.so.12", "libmpi.so.12"], other = ["libmpi.so"]
        #endif
        let environment = ProcessInfo.processInfo.environment
        // Open MPI's launcher sets OMPI_COMM_WORLD_SIZE (not merely some OMPI_ setting, which a
        // user may export for every job).
        let startedByOpenMPI = environment["OMPI_COMM_WORLD_SIZE"] != nil
        return (startedByOpenMPI ? openMPI + mpich : mpich + openMPI) + other
    }

    /// The number of ranks the launcher says the job has, if it says.
    static var launcherSize: Int? {
        let environment = ProcessInfo.processInfo.environment
        return ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE"].lazy
            .compactMap { environment[$0].flatMap { Int($0) } }.first
    }

    /// The one communicator of this process: MPI is initialised once.
    private static let shared = Mutex<MPICommunicator?>(nil)

    /// Loads the MPI library (`library`, else `$SWIFT_AUTOGRAD_MPI_LIBRARY`, else the default
    /// names in order) and initialises MPI, or returns the communicator made earlier.
    static func world(library: String?) throws(DistributedError) -> MPICommunicator {
        let result: Result<MPICommunicator, DistributedError> = shared.withLock { existing in
            if let existing { return .success(existing) }
            do throws(DistributedError) {
                let communicator = try MPICommunicator(library: library)
                existing = communicator
                return .success(communicator)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private init(library: String?) throws(DistributedError) {
        // What to suggest when nothing loads depends on who named the library.
        let candidates: [String], hint: String
        if let library {
            candidates = [library]
            hint = "check the path given to ProcessGroup.mpi(library:)"
        } else if let fromEnvironment = ProcessInfo.processInfo.environment["SWIFT_AUTOGRAD_MPI_LIBRARY"],
                  !fromEnvironment.isEmpty {
            candidates = [fromEnvironment]
            hint = "SWIFT_AUTOGRAD_MPI_LIBRARY names it: point it at the launcher's libmpi"
        } else {
            candidates = Self.defaultLibraries
            hint = "install Open MPI or MPICH, or set SWIFT_AUTOGRAD_MPI_LIBRARY"
        }
        var reasons: [String] = []
        var loaded = false
        for candidate in candidates {
            var message = [CChar](repeating: 0, count: 1024)
            if sa_mpi_load(candidate, &message, Int32(message.count)) != Int32(SA_MPI_ABI_NONE) {
                loaded = true
                break
            }
            reasons.append(Self.string(fromCText: message))
        }
        guard loaded else {
            throw .libraryUnavailable(library: candidates.joined(separator: " or "),
                                      reason: reasons.joined(separator: "; ") + " (\(hint))")
        }
        var worldRank: Int32 = 0, worldSize: Int32 = 0
        let status = sa_mpi_initialize(&worldRank, &worldSize)
        guard status == Int32(SA_MPI_SUCCESS) else {
            let reason = status == Int32(SA_MPI_THREAD_LEVEL_TOO_LOW)
                ? "the library cannot take calls from several threads one at a time (MPI_THREAD_SERIALIZED)"
                : Self.text(of: status)
            throw .communicationFailed(operation: "MPI initialisation", rank: 0, reason: reason)
        }
        rank = Int(worldRank)
        size = Int(worldSize)
        if let launched = Self.launcherSize, launched != size {
            throw .libraryUnavailable(library: candidates.joined(separator: " or "),
                                      reason: "the launcher started \(launched) ranks but this library sees \(size): it is not "
                                          + "the launcher's MPI (set SWIFT_AUTOGRAD_MPI_LIBRARY to the launcher's libmpi)")
        }
        var version = [CChar](repeating: 0, count: 512)
        sa_mpi_library_version(&version, Int32(version.count))
        // The first line only: MPICH's text runs over many lines of build settings.
        let text = Self.string(fromCText: version)
        libraryVersion = text.split(separator: "\n").first.map {
            $0.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        } ?? text
        // MPI wants MPI_Finalize before a normal exit; an abort ends the job without it.
        atexit { _ = sa_mpi_finalize() }
    }

    /// The text the shim wrote into `buffer`, up to its terminating NUL.
    private static func string(fromCText buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func text(of status: Int32) -> String {
        var text = [CChar](repeating: 0, count: 1024)
        sa_mpi_error_text(status, &text, Int32(text.count))
        return Self.string(fromCText: text)
    }

    private func check(_ status: Int32, _ operation: String) throws(DistributedError) {
        guard status != Int32(SA_MPI_SUCCESS) else { return }
        throw .communicationFailed(operation: operation, rank: rank, reason: Self.text(of: status))
    }

    func allgatherv(_ send: UnsafeRawBufferPointer, into receive: UnsafeMutableRawPointer,
                    counts: [Int], offsets: [Int]) throws(DistributedError) {
        let end = zip(counts, offsets).map { $0 + $1 }.max() ?? 0
        if end <= Self.largestCall {
            try check(sa_mpi_allgatherv(send.baseAddress, Int32(send.count), receive,
                                        counts.map { Int32($0) }, offsets.map { Int32($0) }), "allgather")
            return
        }
        // Rounds of at most 256 MiB per rank (and within one call's limit), staged and copied out.
        let perRank = min(Self.largestCall / size, 256 << 20)
        let staging = UnsafeMutableRawPointer.allocate(byteCount: perRank * size, alignment: 16)
        defer { staging.deallocate() }
        var done = 0
        while done < (counts.max() ?? 0) {
            let roundCounts = counts.map { max(0, min(perRank, $0 - done)) }
            let roundOffsets = (0..<size).map { Int32($0 * perRank) }
            let sent = max(0, min(perRank, send.count - done))
            try check(sa_mpi_allgatherv(send.baseAddress.map { $0 + min(done, send.count) }, Int32(sent), staging,
                                        roundCounts.map { Int32($0) }, roundOffsets), "allgather")
            for peer in 0..<size where roundCounts[peer] > 0 {
                (receive + offsets[peer] + done).copyMemory(from: staging + peer * perRank, byteCount: roundCounts[peer])
            }
            done += perRank
        }
    }

    func alltoallv(_ send: UnsafeRawPointer, sendCounts: [Int], sendOffsets: [Int],
                   into receive: UnsafeMutableRawPointer, receiveCounts: [Int], receiveOffsets: [Int])
        throws(DistributedError) {
        // The group splits its reductions into segments well below the 32-bit limit.
        let largest = (zip(sendCounts, sendOffsets).map { $0 + $1 } + zip(receiveCounts, receiveOffsets).map { $0 + $1 })
            .max() ?? 0
        guard largest <= Self.largestCall else {
            throw .invalidArgument(operation: "all-to-all", detail: "\(largest) bytes exceed one MPI call's \(Self.largestCall)")
        }
        try check(sa_mpi_alltoallv(send, sendCounts.map { Int32($0) }, sendOffsets.map { Int32($0) }, receive,
                                   receiveCounts.map { Int32($0) }, receiveOffsets.map { Int32($0) }), "all-to-all")
    }

    func broadcast(_ buffer: UnsafeMutableRawBufferPointer, root: Int) throws(DistributedError) {
        var done = 0
        repeat {
            let count = min(Self.largestCall, buffer.count - done)
            try check(sa_mpi_broadcast(buffer.baseAddress.map { $0 + done }, Int32(count), Int32(root)), "broadcast")
            done += count
        } while done < buffer.count
    }

    func barrier() throws(DistributedError) {
        try check(sa_mpi_barrier(), "barrier")
    }

    func abort(_ message: String) -> Never {
        FileHandle.standardError.write(Data("rank \(rank) of \(size): \(message)\n".utf8))
        sa_mpi_abort(1)
        exit(1)
    }
}
