#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif
import Synchronization

/// Where storage memory comes from.
///
/// Small buffers come from the system allocator. Large ones (training steps allocate outputs and
/// gradients of tens of megabytes every step) would otherwise be mapped fresh and page-faulted in
/// 4 KiB at a time on each step, which costs more than computing them. So large buffers are
/// rounded up to whole 2 MiB huge pages, aligned to them and marked for transparent huge pages.
/// Freed buffers from ``cachedByteCount`` up (mid-sized ones rounded to size classes, four per
/// doubling, see ``roundedByteCount(_:)``) are kept
/// in a small cache and handed out again for a request of the same rounded size: a small model's
/// step then allocates nothing from the system either (for buffers of tens of kilobytes, malloc
/// consolidates its free lists on every request). The cache is bounded, so memory held beyond
/// live tensors stays below ``cacheCapacity`` in at most ``cachedBufferLimit`` buffers.
enum StorageAllocator {
    /// Buffers from this size up are huge-page aligned.
    static let largeByteCount = 1 << 20
    /// Buffers from this size up are cached when freed.
    static let cachedByteCount = 16 << 10
    /// Buffers below this size are only 16-byte aligned.
    static let smallByteCount = 4096
    static let pageByteCount = 4096
    static let hugePageByteCount = 2 << 20
    /// The most bytes kept in freed buffers.
    static let cacheCapacity = 1 << 30
    /// The most freed buffers kept (a look-up scans them).
    static let cachedBufferLimit = 64

    private static let cache = Mutex(FreedBuffers())

    private struct FreedBuffers: ~Copyable {
        /// Freed buffers, oldest first.
        var buffers: [(byteCount: Int, address: UInt)] = []
        var totalByteCount = 0
    }

    /// The size a cached buffer of `byteCount` bytes really has: whole huge pages for large
    /// buffers; for mid-sized ones the next size class of four per doubling (16, 20, 24, 28, 32 KiB,
    /// 40 KiB, …), at most a quarter more than asked. Steps whose sizes vary a little from one to the
    /// next (a batch of sentences, a sampled window) then ask for the same few sizes and find them
    /// in the cache, instead of mapping and zeroing fresh pages each time.
    static func roundedByteCount(_ byteCount: Int) -> Int {
        guard byteCount < largeByteCount else {
            return (byteCount + hugePageByteCount - 1) / hugePageByteCount * hugePageByteCount
        }
        guard byteCount > cachedByteCount else { return (byteCount + pageByteCount - 1) / pageByteCount * pageByteCount }
        // The largest power of two not above byteCount − 1, in quarters of it.
        let octave = 1 << (Int.bitWidth - 1 - (byteCount - 1).leadingZeroBitCount)
        let quarter = octave / 4
        return (byteCount + quarter - 1) / quarter * quarter
    }

    /// How many freed buffers the cache holds now.
    static var cachedBufferCount: Int { cache.withLock { $0.buffers.count } }

    /// A buffer of at least `byteCount` bytes, contents undefined: 64-byte aligned from 4 KiB on,
    /// 16-byte aligned below.
    static func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        guard byteCount >= cachedByteCount else {
            // Small buffers take malloc's own 16-byte alignment: asking more sends every tiny
            // tensor through the slower aligned-allocation path, and kernels gain nothing from it.
            return UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: byteCount < smallByteCount ? 16 : 64)
        }
        let rounded = roundedByteCount(byteCount)
        let reused: UInt? = cache.withLock { freed in
            guard let index = freed.buffers.lastIndex(where: { $0.byteCount == rounded }) else { return nil }
            freed.totalByteCount -= rounded
            return freed.buffers.remove(at: index).address
        }
        if let reused, let pointer = UnsafeMutableRawPointer(bitPattern: reused) { return pointer }
        guard rounded >= largeByteCount else {
            return UnsafeMutableRawPointer.allocate(byteCount: rounded, alignment: 64)
        }
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: rounded, alignment: hugePageByteCount)
        #if os(Linux)
        _ = madvise(pointer, rounded, MADV_HUGEPAGE)
        #endif
        return pointer
    }

    /// Returns a buffer from ``allocate(byteCount:)`` with the same `byteCount`.
    static func deallocate(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        guard byteCount >= cachedByteCount else {
            pointer.deallocate()
            return
        }
        let rounded = roundedByteCount(byteCount)
        guard rounded <= cacheCapacity else {
            pointer.deallocate()
            return
        }
        let evicted: [UInt] = cache.withLock { freed in
            var evicted: [UInt] = []
            while freed.totalByteCount + rounded > cacheCapacity || freed.buffers.count >= cachedBufferLimit,
                  !freed.buffers.isEmpty {
                let oldest = freed.buffers.removeFirst()
                freed.totalByteCount -= oldest.byteCount
                evicted.append(oldest.address)
            }
            freed.buffers.append((rounded, UInt(bitPattern: pointer)))
            freed.totalByteCount += rounded
            return evicted
        }
        for address in evicted { UnsafeMutableRawPointer(bitPattern: address)?.deallocate() }
    }
}

/// Writes `value` into `count` elements at `base`: a byte fill when every byte of the value is
/// the same (zero in particular), otherwise a typed loop the compiler vectorises.
/// Precondition: `base` addresses `count` elements of writable storage.
func fillStorage<Scalar: TensorScalar>(_ base: UnsafeMutablePointer<Scalar>, count: Int, value: Scalar) {
    let byteValue: UInt8? = withUnsafeBytes(of: value) { bytes in
        bytes.allSatisfy { $0 == bytes[0] } ? bytes[0] : nil
    }
    if let byteValue {
        memset(base, Int32(byteValue), count * MemoryLayout<Scalar>.stride)
    } else if let float = value as? Float {
        UnsafeMutableRawPointer(base).assumingMemoryBound(to: Float.self).update(repeating: float, count: count)
    } else if let double = value as? Double {
        UnsafeMutableRawPointer(base).assumingMemoryBound(to: Double.self).update(repeating: double, count: count)
    } else if let integer = value as? Int64 {
        UnsafeMutableRawPointer(base).assumingMemoryBound(to: Int64.self).update(repeating: integer, count: count)
    } else if let integer = value as? Int32 {
        UnsafeMutableRawPointer(base).assumingMemoryBound(to: Int32.self).update(repeating: integer, count: count)
    } else {
        base.update(repeating: value, count: count)
    }
}
