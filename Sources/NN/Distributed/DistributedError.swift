/// Why a collective operation of a ``ProcessGroup`` failed.
///
/// Every case says what and where: the operation, the rank that reports it and, when ranks
/// disagree, each rank's side.
///
/// ```swift
/// do {
///     let group = try ProcessGroup.mpi(library: "/no/such/libmpi.so")
///     print(group.size)
/// } catch {
///     print(error)   // MPI library /no/such/libmpi.so could not be loaded: …
/// }
/// ```
public enum DistributedError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The MPI library could not be loaded or lacks a function the shim needs.
    case libraryUnavailable(library: String, reason: String)
    /// An MPI call returned an error status.
    case communicationFailed(operation: String, rank: Int, reason: String)
    /// The ranks passed arguments that do not fit together (shapes, counts, options).
    case ranksDisagree(operation: String, detail: String)
    /// A step that every rank took failed on another rank (``ProcessGroup/collectively(_:_:)``).
    case failedOnRank(operation: String, rank: Int, reason: String)
    /// An argument is invalid on this rank alone.
    case invalidArgument(operation: String, detail: String)

    public var description: String {
        switch self {
        case .libraryUnavailable(let library, let reason):
            return "MPI library \(library) could not be loaded: \(reason)"
        case .communicationFailed(let operation, let rank, let reason):
            return "\(operation) failed on rank \(rank): \(reason)"
        case .ranksDisagree(let operation, let detail):
            return "\(operation): the ranks disagree: \(detail)"
        case .failedOnRank(let operation, let rank, let reason):
            return "\(operation) failed on rank \(rank): \(reason)"
        case .invalidArgument(let operation, let detail):
            return "\(operation): \(detail)"
        }
    }
}
