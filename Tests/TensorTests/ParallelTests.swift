import Dispatch
import Synchronization
import Testing
@testable import Tensor

struct ParallelTests {
    /// Every index handed to `body` once, whatever the chunking; the ranges it was given.
    private static func coverage(count: Int, grain: Int, chunksPerThread: Int,
                                 _ loop: (Int, Int, Int, (Range<Int>) -> Void) -> Void) -> (visits: [Int], ranges: [Range<Int>]) {
        let record = Mutex<(visits: [Int], ranges: [Range<Int>])>((Array(repeating: 0, count: count), []))
        loop(count, grain, chunksPerThread) { range in
            record.withLock { state in
                state.ranges.append(range)
                for index in range { state.visits[index] += 1 }
            }
        }
        return record.withLock { $0 }
    }

    @Test(arguments: [(0, 1), (1, 1), (7, 1), (1000, 10), (1000, 999), (12_345, 100)])
    func balancedLoopVisitsEveryIndexOnce(count: Int, grain: Int) {
        let result = Self.coverage(count: count, grain: grain, chunksPerThread: 4) { count, grain, chunks, body in
            parallelForBalanced(count, grain: grain, chunksPerThread: chunks, body)
        }
        #expect(result.visits.allSatisfy { $0 == 1 })
        #expect(result.ranges.allSatisfy { !$0.isEmpty })
        // (Other suites may change the thread limit meanwhile, so only what holds for any limit.)
        #expect(result.ranges.count <= Swift.max(1, count / grain))
        if result.ranges.count > 1 {
            #expect(result.ranges.allSatisfy { $0.count >= grain || $0.upperBound == count })
        }
    }

    @Test func balancedLoopRunsInlineAsOneRangeWhenOneThreadSuffices() {
        let result = Self.coverage(count: 50, grain: 100, chunksPerThread: 4) { count, grain, chunks, body in
            parallelForBalanced(count, grain: grain, chunksPerThread: chunks, body)
        }
        #expect(result.ranges == [0..<50])
    }

    @Test func aLoopInsideALoopRunsAndCoversItsRange() {
        let outer = Self.coverage(count: 64, grain: 1, chunksPerThread: 4) { count, grain, chunks, body in
            withMaximumThreadCount(2) {
                parallelForBalanced(count, grain: grain, chunksPerThread: chunks) { range in
                    // Each range runs a loop of its own; it may not wait for the pool its caller holds.
                    let inner = Self.coverage(count: 100, grain: 1, chunksPerThread: 4) { count, grain, chunks, body in
                        parallelForBalanced(count, grain: grain, chunksPerThread: chunks, body)
                    }
                    #expect(inner.visits.allSatisfy { $0 == 1 })
                    body(range)
                }
            }
        }
        #expect(outer.visits.allSatisfy { $0 == 1 })
    }

    @Test func loopsStartedFromManyThreadsAtOnceEachCoverTheirRange() {
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<20 {
                let result = Self.coverage(count: 1000, grain: 10, chunksPerThread: 4) { count, grain, chunks, body in
                    withMaximumThreadCount(2) { parallelForBalanced(count, grain: grain, chunksPerThread: chunks, body) }
                }
                if !result.visits.allSatisfy({ $0 == 1 }) { failures.withLock { $0 += 1 } }
            }
        }
        #expect(failures.withLock { $0 } == 0)
    }

    @Test func consecutiveLoopsRunOnThePoolWhenItHasWorkers() {
        guard WorkerPool.shared.workerCount > 0 else { return }
        let before = WorkerPool.shared.loopCount
        // Other suites may hold the pool meanwhile (their loops then go to Dispatch), so loops run
        // until one lands on the pool, for up to 20 seconds: a pool that is never used still fails.
        let deadline = DispatchTime.now().uptimeNanoseconds + 20_000_000_000
        repeat {
            for _ in 0..<50 {
                _ = Self.coverage(count: 1000, grain: 10, chunksPerThread: 4) { count, grain, chunks, body in
                    withMaximumThreadCount(2) { parallelForBalanced(count, grain: grain, chunksPerThread: chunks, body) }
                }
            }
        } while WorkerPool.shared.loopCount == before && DispatchTime.now().uptimeNanoseconds < deadline
        #expect(WorkerPool.shared.loopCount > before)
    }
}
