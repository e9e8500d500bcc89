import Synchronization

/// A storage's elements still to be written, and the one-time work that writes them.
final class DeferredElements: Sendable {
    private let isWritten = Atomic<Bool>(false)
    private let pendingWrite: Mutex<(@Sendable (UnsafeMutableRawPointer) -> Void)?>

    init(_ write: @escaping @Sendable (UnsafeMutableRawPointer) -> Void) {
        pendingWrite = Mutex(write)
    }

    /// True until the write has run.
    var isPending: Bool { !isWritten.load(ordering: .acquiring) }

    /// Runs the write unless it has run: after the first call returns, every later one is a
    /// single acquiring load.
    @inline(__always)
    func writeOnce(into address: UnsafeMutableRawPointer) {
        if _fastPath(isWritten.load(ordering: .acquiring)) { return }
        writeUnderLock(into: address)
    }

    /// Marks the elements written without running the write (they are about to be overwritten).
    func discard() {
        if isWritten.load(ordering: .acquiring) { return }
        settle(runningInto: nil)
    }

    @inline(never)
    private func writeUnderLock(into address: UnsafeMutableRawPointer) {
        settle(runningInto: address)
    }

    /// Under the lock: runs the pending write into `address` (unless nil, or already run), then
    /// drops it, which releases what it holds (the mapped file), and marks the elements written.
    private func settle(runningInto address: UnsafeMutableRawPointer?) {
        pendingWrite.withLock { pending in
            guard let write = pending else { return }
            if let address { write(address) }
            pending = nil
            isWritten.store(true, ordering: .releasing)
        }
    }
}
