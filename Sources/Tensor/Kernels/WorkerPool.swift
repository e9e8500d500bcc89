#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization
internal import TensorSIMD

/// Threads that stay awake between parallel loops, so that a loop's helpers start at once.
///
/// `DispatchQueue.concurrentPerform` wakes its helper threads for every loop: on the 2-core
/// machines this project is measured on, the second thread starts about 33 µs after the first even
/// when loops follow each other directly. Training steps of a few hundred microseconds, each
/// several loops, then run mostly on one thread. The pool's workers instead wait for the next loop
/// by spinning for ``spinNanoseconds`` (a loop that follows within that time starts on every thread
/// within a microsecond), then sleep on a condition variable until one comes. Only the workers a
/// loop can use are woken, and only those that took part in the last loop spin.
///
/// One loop runs on the pool at a time; a loop started while it is busy (another thread's, or one
/// nested inside a loop's body) returns nil and runs on Dispatch instead. Which thread runs which
/// iteration never changes a kernel's result, so none of this changes any bits.
final class WorkerPool: @unchecked Sendable {
    /// How long a worker that took part in a loop spins for the next one before it sleeps: longer
    /// than the serial work between the loops of one training step, short enough that an idle
    /// pool gives its cores back at once.
    static let spinNanoseconds: UInt64 = 200_000

    /// The pool of the process: one worker per core this process may use but the caller's,
    /// started on first use.
    static let shared = WorkerPool(workerCount: ProcessInfoCores.activeCount - 1)

    /// One parallel loop: iterations handed out one at a time to the caller and the workers.
    ///
    /// The loop's body lives on the caller's stack and the job only points at it: a worker calls it
    /// only with an iteration it took, and the caller returns only when every iteration is done, so
    /// the body is never called after the caller returned, and nothing retains it.
    private final class Job: @unchecked Sendable {
        let generation: Int
        let iterations: Int
        /// The most threads that run iterations, the caller included.
        let participantLimit: Int
        let body: UnsafePointer<(Int) -> Void>
        let nextIteration = Atomic<Int>(0)
        let completedIterations = Atomic<Int>(0)
        let joinedWorkers = Atomic<Int>(0)

        init(generation: Int, iterations: Int, participantLimit: Int, body: UnsafePointer<(Int) -> Void>) {
            self.generation = generation
            self.iterations = iterations
            self.participantLimit = participantLimit
            self.body = body
        }

        /// Runs iterations until none is left.
        func work() {
            while true {
                let iteration = nextIteration.wrappingAdd(1, ordering: .relaxed).oldValue
                guard iteration < iterations else { return }
                body.pointee(iteration)
                completedIterations.wrappingAdd(1, ordering: .releasing)
            }
        }
    }

    let workerCount: Int
    /// Set while a loop runs on the pool: a second loop (another thread's, or a nested one) sees
    /// it and goes to Dispatch instead of waiting.
    private let busy = Atomic<Bool>(false)
    /// Bumped for every job; workers compare it with the last one they saw.
    private let generation = Atomic<Int>(0)
    private let current = Mutex<Job?>(nil)
    /// Workers asleep, or about to be (read by a poster after it bumps the generation).
    private let sleepers = Atomic<Int>(0)
    private let started = Mutex<Bool>(false)
    /// Loops run on the pool so far (a diagnostic for tests).
    private let loops = Atomic<Int>(0)
    private let wakeMutex: UnsafeMutablePointer<pthread_mutex_t>
    private let wakeCondition: UnsafeMutablePointer<pthread_cond_t>

    /// Marks the pool's own threads, so that a loop inside a loop runs elsewhere.
    private static let workerKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    private init(workerCount: Int) {
        self.workerCount = Swift.max(0, workerCount)
        wakeMutex = .allocate(capacity: 1)
        wakeCondition = .allocate(capacity: 1)
        pthread_mutex_init(wakeMutex, nil)
        pthread_cond_init(wakeCondition, nil)
    }

    /// How many loops have run on the pool.
    var loopCount: Int { loops.load(ordering: .relaxed) }

    /// Runs `body(i)` for every `i` in `0..<iterations` on at most `threads` threads (the caller
    /// among them) and returns when all have run; returns nil, having run nothing, when the pool
    /// cannot take the loop now (it is busy, has no workers, or the caller is one of them).
    func run(iterations: Int, threads: Int, _ body: (Int) -> Void) -> Void? {
        guard workerCount > 0, threads > 1, pthread_getspecific(Self.workerKey) == nil,
              busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return nil }
        defer { busy.store(false, ordering: .releasing) }
        startWorkersOnce()
        loops.wrappingAdd(1, ordering: .relaxed)
        withoutActuallyEscaping(body) { body in
            withUnsafePointer(to: body) { body in
                let helpers = Swift.min(threads, workerCount + 1) - 1
                let number = generation.load(ordering: .relaxed) + 1
                let job = Job(generation: number, iterations: iterations, participantLimit: helpers + 1, body: body)
                current.withLock { $0 = job }
                generation.store(number, ordering: .sequentiallyConsistent)
                if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                    pthread_mutex_lock(wakeMutex)
                    for _ in 0..<helpers { pthread_cond_signal(wakeCondition) }
                    pthread_mutex_unlock(wakeMutex)
                }
                job.work()
                while job.completedIterations.load(ordering: .acquiring) < iterations { sa_cpu_relax() }
                current.withLock { $0 = nil }
            }
        }
        return ()
    }

    private func startWorkersOnce() {
        started.withLock { started in
            guard !started else { return }
            started = true
            for _ in 0..<workerCount {
                let context = Unmanaged.passRetained(self).toOpaque()
                #if canImport(Darwin)
                var thread: pthread_t?
                #else
                var thread = pthread_t()
                #endif
                let result = pthread_create(&thread, nil, { context in WorkerPool.workerMain(context) }, context)
                precondition(result == 0, "WorkerPool: pthread_create failed with \(result)")
                #if canImport(Darwin)
                pthread_detach(thread!)
                #else
                pthread_detach(thread)
                #endif
            }
        }
    }

    /// A worker thread's start: the pool passed in, retained, by ``startWorkersOnce()``.
    private static func workerMain(_ context: UnsafeMutableRawPointer?) -> Never {
        Unmanaged<WorkerPool>.fromOpaque(context!).takeRetainedValue().workerLoop()
    }

    private func workerLoop() -> Never {
        pthread_setspecific(Self.workerKey, UnsafeRawPointer(bitPattern: 1))
        var seen = 0
        var tookPart = false
        while true {
            seen = waitForNextGeneration(after: seen, spinning: tookPart)
            tookPart = false
            guard let job = current.withLock({ $0 }) else { continue }
            // The job read may be newer than the generation that woke us: remember the job's own.
            seen = job.generation
            // A worker that arrives after the loop is over, or beyond its thread limit, takes nothing.
            if job.joinedWorkers.wrappingAdd(1, ordering: .relaxed).oldValue + 1 < job.participantLimit {
                job.work()
                tookPart = true
            }
        }
    }

    /// Spins (when `spinning`), then sleeps, until the generation moves past `seen`; returns the
    /// new one.
    private func waitForNextGeneration(after seen: Int, spinning: Bool) -> Int {
        if spinning {
            let deadline = DispatchTime.now().uptimeNanoseconds + Self.spinNanoseconds
            var spins = 0
            while true {
                let now = generation.load(ordering: .acquiring)
                if now != seen { return now }
                sa_cpu_relax()
                spins += 1
                if spins % 64 == 0 && DispatchTime.now().uptimeNanoseconds > deadline { break }
            }
        }
        pthread_mutex_lock(wakeMutex)
        sleepers.wrappingAdd(1, ordering: .sequentiallyConsistent)
        var now = generation.load(ordering: .sequentiallyConsistent)
        while now == seen {
            pthread_cond_wait(wakeCondition, wakeMutex)
            now = generation.load(ordering: .sequentiallyConsistent)
        }
        sleepers.wrappingSubtract(1, ordering: .sequentiallyConsistent)
        pthread_mutex_unlock(wakeMutex)
        return now
    }
}
