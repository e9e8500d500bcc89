import Foundation
import Testing
import NN

// Helpers of the tests of data-parallel training (ProcessGroupTests, DistributedOptimizerTests,
// ShardedDataLoaderTests). The ranks are threads of this process (`ProcessGroup.local(size:)`);
// the checks run on the test's own thread, after every rank has returned its results.

/// Runs `body` on each of `size` new thread ranks and returns their results in rank order; nil
/// (and a recorded issue) when the ranks have not all returned within `timeout` seconds — a
/// collective that leaves some rank waiting for the others then fails its test instead of hanging
/// the whole run. The stuck threads are left behind.
func onRanks<Result>(_ size: Int, timeout: Double = 60, sourceLocation: SourceLocation = #_sourceLocation,
                     _ body: @escaping @Sendable (ProcessGroup) -> Result) -> [Result]? {
    let groups = ProcessGroup.local(size: size)
    let results = RanksOutcome<Result>()
    let finished = DispatchSemaphore(value: 0)
    let driver = Thread {
        results.store(groups.concurrentMap(body))
        finished.signal()
    }
    driver.start()
    guard finished.wait(timeout: .now() + timeout) == .success, let collected = results.load() else {
        Issue.record("the \(size) ranks did not all return within \(timeout) s: some rank waits for the others",
                     sourceLocation: sourceLocation)
        return nil
    }
    return collected
}

/// The results of ``onRanks(_:timeout:sourceLocation:_:)``, handed from its driver thread.
private final class RanksOutcome<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: [Value]?

    func store(_ newValue: [Value]) {
        lock.lock()
        value = newValue
        lock.unlock()
    }

    func load() -> [Value]? {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}

/// The error `body` throws, or nil when it returns.
func distributedError<T>(_ body: () throws(DistributedError) -> T) -> DistributedError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

extension DistributedError {
    /// The operation of a ``ranksDisagree(operation:detail:)``, or nil for the other cases.
    var disagreeingOperation: String? {
        if case .ranksDisagree(let operation, _) = self { return operation }
        return nil
    }

    /// The operation of an ``invalidArgument(operation:detail:)``, or nil for the other cases.
    var invalidArgumentOperation: String? {
        if case .invalidArgument(let operation, _) = self { return operation }
        return nil
    }
}

/// The bit patterns of each tensor, in order.
func bitPatterns(_ tensors: [Tensor<Float>]) -> [[UInt32]] { tensors.map { bitPatterns($0) } }

/// Values whose sum depends on the order of the additions. For element `index`, rank
/// `index % ranks` holds a 1e8 and the next rank a −1e8, the others small numbers: rank order adds
/// the small numbers before the 1e8 into it (where they vanish) and those after the −1e8 to 0, so
/// any other order that puts a small number elsewhere gives other bits. Each element has its 1e8
/// on another rank, so each rank's slice of a reduction sees such elements.
func orderSensitiveFloats(rank: Int, ranks: Int, count: Int) -> [Float] {
    orderSensitiveValues(rank: rank, ranks: ranks, count: count, big: 1e8)
}

/// As ``orderSensitiveFloats(rank:ranks:count:)`` with 1e16 for 1e8.
func orderSensitiveDoubles(rank: Int, ranks: Int, count: Int) -> [Double] {
    orderSensitiveValues(rank: rank, ranks: ranks, count: count, big: 1e16)
}

private func orderSensitiveValues<T: BinaryFloatingPoint>(rank: Int, ranks: Int, count: Int, big: T) -> [T] {
    (0..<count).map { index in
        let bigRank = index % ranks
        let scale = T(1 + index % 2)
        if rank == bigRank { return big * scale }
        if rank == (bigRank + 1) % ranks { return -big * scale }
        return scale
    }
}

/// Every order of `elements`.
func permutations(of elements: [Int]) -> [[Int]] {
    guard elements.count > 1 else { return [elements] }
    return elements.indices.flatMap { index in
        var rest = elements
        let first = rest.remove(at: index)
        return permutations(of: rest).map { [first] + $0 }
    }
}

/// What an error prints, or "nil".
func describe(_ error: DistributedError?) -> String { error.map { String(describing: $0) } ?? "nil" }

/// Element by element, `((x₀ + x₁) + x₂) + …` over the ranks' values in `order`.
func sumInOrder<S: FloatingPoint>(_ perRank: [[S]], order: [Int]) -> [S] {
    (0..<perRank[0].count).map { index in
        order.dropFirst().reduce(perRank[order[0]][index]) { $0 + perRank[$1][index] }
    }
}

extension Gradient {
    /// The entries of a row-sparse gradient, or nil for a dense one.
    var rowEntries: RowSparseGradient<Scalar>? {
        if case .rows(let rows) = self { return rows }
        return nil
    }

    /// The tensor of a dense gradient, or nil for a row-sparse one.
    var denseTensor: Tensor<Scalar>? {
        if case .dense(let tensor) = self { return tensor }
        return nil
    }
}
