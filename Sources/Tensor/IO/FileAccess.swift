#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The operating system's message for the current `errno`.
private func systemErrorMessage() -> String {
    String(cString: strerror(errno))
}

/// Opens `url` as a C path, retrying when a signal interrupts the call.
private func openFile(_ url: URL, flags: Int32, mode: mode_t = 0) -> Int32 {
    url.withUnsafeFileSystemRepresentation { path -> Int32 in
        guard let path else { return -1 }
        while true {
            let descriptor = open(path, flags, mode)
            if descriptor >= 0 || errno != EINTR { return descriptor }
        }
    }
}

/// An open file read at explicit offsets, closed when the last reference goes away.
///
/// Readers check a file's header once and then read each tensor's bytes straight into tensor
/// storage, so a checkpoint never sits in memory twice. `pread` keeps no shared file position,
/// so one reader serves any number of threads.
package final class FileReader: Sendable {
    package let path: String
    /// The size of the file when it was opened.
    package let size: Int
    private let descriptor: Int32

    package init(url: URL) throws(TensorError) {
        path = url.path
        descriptor = openFile(url, flags: O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io(path: url.path, reason: systemErrorMessage()) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let reason = systemErrorMessage()
            close(descriptor)
            throw .io(path: url.path, reason: reason)
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw .io(path: url.path, reason: "not a regular file")
        }
        size = Int(status.st_size)
    }

    deinit { close(descriptor) }

    /// The file's ``size`` bytes mapped read-only into memory.
    package func mapped() throws(TensorError) -> MappedFile {
        try MappedFile(descriptor: descriptor, size: size, path: path)
    }

    /// The bytes at file offsets `range`, which must lie within ``size``.
    func bytes(_ range: Range<Int>) throws(TensorError) -> [UInt8] {
        var failure: TensorError?
        let bytes = [UInt8](unsafeUninitializedCapacity: range.count) { buffer, initializedCount in
            do throws(TensorError) {
                if let base = buffer.baseAddress { try read(range, into: UnsafeMutableRawPointer(base)) }
                initializedCount = range.count
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return bytes
    }

    /// Reads the bytes at file offsets `range` into `destination`, which has room for them.
    func read(_ range: Range<Int>, into destination: UnsafeMutableRawPointer) throws(TensorError) {
        let done = try read(into: destination, count: range.count, at: range.lowerBound)
        if done < range.count {
            throw .io(path: path, reason: "the file ended at byte \(range.lowerBound + done), before byte "
                      + "\(range.upperBound); it changed after it was opened")
        }
    }

    /// Reads up to `count` bytes at file offset `offset` into `destination` (which has room for
    /// them) and returns how many it read: fewer only at the end of the file. For files read as
    /// they grow or in chunks, past a ``size`` taken at opening.
    package func read(into destination: UnsafeMutableRawPointer, count: Int, at offset: Int) throws(TensorError) -> Int {
        var done = 0
        while done < count {
            let result = pread(descriptor, destination + done, count - done, off_t(offset + done))
            if result > 0 {
                done += result
            } else if result == 0 {
                break
            } else if errno != EINTR {
                throw .io(path: path, reason: systemErrorMessage())
            }
        }
        return done
    }
}

/// A file being written by ``writeAtomically(to:_:)``.
package struct FileOutput: ~Copyable {
    fileprivate let descriptor: Int32
    fileprivate let path: String

    /// Writes all of `bytes`.
    package mutating func write(_ bytes: UnsafeRawBufferPointer) throws(TensorError) {
        guard var next = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = systemWrite(descriptor, next, remaining)
            if written >= 0 {
                next += written
                remaining -= written
            } else if errno != EINTR {
                throw .io(path: path, reason: systemErrorMessage())
            }
        }
    }

    /// Writes all of `bytes`.
    package mutating func write(_ bytes: [UInt8]) throws(TensorError) {
        try bytes.withUnsafeBufferPointer { (buffer) throws(TensorError) in try write(UnsafeRawBufferPointer(buffer)) }
    }
}

/// `write(2)`, reachable from inside ``FileOutput`` whose own `write` methods hide it.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

/// The temporary file a save of `url` writes before renaming it over `url`: one fixed name per
/// checkpoint, so a save that was killed leaves at most this one file behind, and the next save
/// of the same checkpoint reuses it.
func temporaryFile(for url: URL) -> URL {
    url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial")
}

/// Opens `temporary` for writing, holding an exclusive lock on it: a second save of the same
/// checkpoint (another thread or process) waits here until the first has renamed its file. The
/// lock is taken on the file the name refers to when it is acquired; a save that renamed that file
/// meanwhile has made it the checkpoint, so the name is opened again.
private func openLockedTemporaryFile(_ temporary: URL, reportingAs path: String) throws(TensorError) -> Int32 {
    while true {
        let descriptor = openFile(temporary, flags: O_WRONLY | O_CREAT | O_CLOEXEC, mode: 0o666)
        guard descriptor >= 0 else { throw .io(path: path, reason: systemErrorMessage()) }
        var locked: Int32
        repeat { locked = flock(descriptor, LOCK_EX) } while locked != 0 && errno == EINTR
        guard locked == 0 else {
            let reason = systemErrorMessage()
            close(descriptor)
            throw .io(path: path, reason: reason)
        }
        var opened = stat(), named = stat()
        let stillNamed = fstat(descriptor, &opened) == 0
            && temporary.withUnsafeFileSystemRepresentation { $0.map { stat($0, &named) == 0 } ?? false }
            && opened.st_ino == named.st_ino && opened.st_dev == named.st_dev
        if stillNamed {
            guard ftruncate(descriptor, 0) == 0 else {
                let reason = systemErrorMessage()
                close(descriptor)
                throw .io(path: path, reason: reason)
            }
            return descriptor
        }
        close(descriptor)
    }
}

/// Writes a file through `body` so that `url` shows either its old contents or the complete new
/// ones, never a partial file: the bytes go to ``temporaryFile(for:)`` in the same directory,
/// which is flushed to disk and then renamed over `url`. On failure the temporary file is removed;
/// if the process dies while writing, the next save of `url` overwrites it.
package func writeAtomically(
    to url: URL, _ body: (inout FileOutput) throws(TensorError) -> Void
) throws(TensorError) {
    let directory = url.deletingLastPathComponent()
    let temporary = temporaryFile(for: url)
    let descriptor = try openLockedTemporaryFile(temporary, reportingAs: url.path)
    var output = FileOutput(descriptor: descriptor, path: url.path)
    var isOpen = true
    do throws(TensorError) {
        try body(&output)
        guard fsync(descriptor) == 0 else { throw .io(path: url.path, reason: systemErrorMessage()) }
        let renameFailure = temporary.withUnsafeFileSystemRepresentation { from in
            url.withUnsafeFileSystemRepresentation { to -> String? in
                guard let from, let to else { return "the path cannot be represented on this file system" }
                return rename(from, to) == 0 ? nil : systemErrorMessage()
            }
        }
        if let renameFailure { throw .io(path: url.path, reason: renameFailure) }
        // Closing releases the lock, after the rename: a waiting save then finds the name gone.
        isOpen = false
        guard close(descriptor) == 0 else { throw .io(path: url.path, reason: systemErrorMessage()) }
    } catch {
        if isOpen {
            _ = temporary.withUnsafeFileSystemRepresentation { path in path.map { unlink($0) } }
            close(descriptor)
        }
        throw error
    }
    // Make the rename itself durable. Some file systems cannot sync a directory; the file is
    // complete either way, so that failure is not reported.
    let directoryDescriptor = openFile(directory, flags: O_RDONLY | O_CLOEXEC)
    if directoryDescriptor >= 0 {
        fsync(directoryDescriptor)
        close(directoryDescriptor)
    }
}
