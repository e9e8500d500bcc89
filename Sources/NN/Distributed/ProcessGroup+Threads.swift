import Foundation

extension Array where Element == ProcessGroup {
    /// Runs `body` once per group, each on its own thread, and returns the results in rank order:
    /// the way to drive the ranks of ``ProcessGroup/local(size:)``.
    ///
    /// ```swift
    /// let ranks = ProcessGroup.local(size: 3).concurrentMap { $0.rank }
    /// ranks   // [0, 1, 2]
    /// ```
    public func concurrentMap<Result>(_ body: @escaping @Sendable (ProcessGroup) -> Result) -> [Result] {
        let results = RankResults<Result>(count: count)
        let finished = DispatchSemaphore(value: 0)
        for (index, group) in enumerated() {
            let thread = Thread {
                results.store(body(group), at: index)
                finished.signal()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        for _ in indices { finished.wait() }
        return results.collected()
    }
}

/// The results of a ``Swift/Array/concurrentMap(_:)``'s threads, one slot per rank.
private final class RankResults<Result>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ result: Result, at index: Int) {
        lock.lock()
        slots[index] = result
        lock.unlock()
    }

    func collected() -> [Result] {
        lock.lock()
        defer { lock.unlock() }
        return slots.map { $0! }
    }
}
