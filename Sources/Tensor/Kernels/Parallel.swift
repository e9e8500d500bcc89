#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif
import Dispatch
import Synchronization
internal import TensorSIMD

/// How many threads kernels may use.
///
/// Kernels split work by *output* rows or ranges, never by accumulating into shared memory, so
/// every result is bit-identical for any thread count; the count only changes speed.
///
/// ```swift
/// ParallelConfiguration.maximumThreadCount = 1   // every kernel of the process on its calling thread
/// try withMaximumThreadCount(1) { try model(ids) }   // only this task's kernels
/// ```
public enum ParallelConfiguration {
    private static let threadLimit = Atomic<Int>(ProcessInfoCores.activeCount)

    /// Set by `withMaximumThreadCount` for the current task (or thread, outside tasks).
    @TaskLocal static var scopedThreadLimit: Int?

    /// The most threads one kernel uses (at least 1): the current task's limit inside
    /// ``withMaximumThreadCount(_:_:)``, else the process-wide one, which defaults to the number of
    /// active cores. Setting it changes the process-wide limit.
    public static var maximumThreadCount: Int {
        get { scopedThreadLimit ?? threadLimit.load(ordering: .relaxed) }
        set { threadLimit.store(Swift.max(1, newValue), ordering: .relaxed) }
    }

    /// Elementwise work below this many elements per thread is not worth a thread hand-off.
    package static let elementwiseGrain = 1 << 15
}

/// Runs `body` with kernels limited to `count` threads (at least 1) in the current task and the
/// child tasks it starts; other tasks keep their own limit. Results do not depend on it.
///
/// ```swift
/// let single = withMaximumThreadCount(1) { a.matmul(b) }
/// let split = withMaximumThreadCount(4) { a.matmul(b) }   // the same bits
/// ```
public func withMaximumThreadCount<Result, Failure: Error>(
    _ count: Int, _ body: () throws(Failure) -> Result
) throws(Failure) -> Result {
    try withTaskLocalValue(ParallelConfiguration.$scopedThreadLimit, Swift.max(1, count), body)
}

enum ProcessInfoCores {
    /// The cores this process may run on: its CPU affinity mask on Linux (which `taskset` and
    /// container CPU sets narrow), else the online processors.
    static var activeCount: Int {
        #if canImport(Glibc)
        let allowed = Int(sa_allowed_cores())
        return allowed > 0 ? allowed : Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)
        #endif
    }
}

/// Runs `body` over `0..<count` split into at most `maximumThreadCount` contiguous ranges of at
/// least `grain` elements, one per thread; runs inline when one range suffices.
///
/// The ranges partition the work; `body` must write only what its range owns.
package func parallelFor(_ count: Int, grain: Int, _ body: (Range<Int>) -> Void) {
    parallelForBalanced(count, grain: grain, chunksPerThread: 1, body)
}

/// Runs `body` over `0..<count` cut into up to `chunksPerThread` ranges per thread (each at least
/// `grain` long), which at most `maximumThreadCount` threads take one after another as they finish
/// the last: a thread slowed by other work on its core then takes fewer ranges instead of holding
/// up the others, as an even split into one range per thread would. Runs inline when one range
/// suffices.
///
/// As with ``parallelFor(_:grain:_:)``, the ranges partition the work and `body` must write only
/// what its range owns; which thread runs a range never changes what the range computes.
package func parallelForBalanced(_ count: Int, grain: Int, chunksPerThread: Int = 4, _ body: (Range<Int>) -> Void) {
    let largestChunkCount = count / Swift.max(grain, 1)
    let threads = Swift.min(ParallelConfiguration.maximumThreadCount, largestChunkCount)
    if threads <= 1 {
        if count > 0 { body(0..<count) }
        return
    }
    let chunks = Swift.min(largestChunkCount, threads * Swift.max(chunksPerThread, 1))
    let chunkLength = (count + chunks - 1) / chunks
    let chunkCount = (count + chunkLength - 1) / chunkLength
    let ranOnPool: Void? = WorkerPool.shared.run(iterations: chunkCount, threads: threads) { chunk in
        let lower = chunk * chunkLength
        body(lower..<Swift.min(count, lower + chunkLength))
    }
    if ranOnPool != nil { return }
    let nextChunk = ChunkCounter()
    withoutActuallyEscaping(body) { body in
        let box = UncheckedSendableBox(body)
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            while true {
                let chunk = nextChunk.take()
                let lower = chunk * chunkLength
                guard lower < count else { return }
                box.value(lower..<Swift.min(count, lower + chunkLength))
            }
        }
    }
}

/// Hands out chunk numbers 0, 1, 2, … to the threads of ``parallelForBalanced(_:grain:chunksPerThread:_:)``.
private final class ChunkCounter: Sendable {
    private let next = Atomic<Int>(0)

    func take() -> Int { next.wrappingAdd(1, ordering: .relaxed).oldValue }
}

/// Wraps a value that is handed to worker threads under a stated discipline (see each use).
@usableFromInline
struct UncheckedSendableBox<Value>: @unchecked Sendable {
    @usableFromInline let value: Value
    @usableFromInline init(_ value: Value) { self.value = value }
}
