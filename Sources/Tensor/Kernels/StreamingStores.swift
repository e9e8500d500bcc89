#if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
import _Builtin_intrinsics.intel
#endif
import Synchronization

/// Float stores that bypass the caches, for large outputs written once.
///
/// An ordinary store to a line that is not in the cache first reads the line from memory
/// (read-for-ownership), so writing an output costs its bytes twice. A streaming store writes whole
/// lines without reading them: a 25 MB embedding gather then moves 50 MB instead of 75. They only
/// pay for outputs larger than the last-level cache (a smaller output would be read back from the
/// cache by the next operation), hence ``minimumByteCount``. SSE's streaming store is part of the
/// baseline x86-64 target; elsewhere these functions are ordinary stores.
///
/// Kernel precondition for this file: every pointer addresses `count` live elements, and `output`
/// does not overlap the inputs. Threads that stream must call ``fence()`` before handing their
/// output to another thread.
package enum StreamingStores {
    /// Outputs from this many bytes on are streamed: above a typical last-level cache share.
    package static let minimumByteCount = 16 << 20

    /// True when an output of `count` elements of `Element` is worth streaming.
    @inlinable
    package static func pays<Element>(count: Int, of element: Element.Type) -> Bool {
        count * MemoryLayout<Element>.stride >= minimumByteCount
    }

    /// `output[i] = first[i] + second[i]` for `i` in `0..<count`, streamed.
    @inline(__always)
    package static func storeSums(
        _ first: UnsafePointer<Float>, _ second: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>,
        count: Int
    ) {
        var i = alignedStart(output, count: count)
        for j in 0..<i { output[j] = first[j] + second[j] }
        #if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
        while i + 4 <= count {
            let sum = UnsafeRawPointer(first + i).loadUnaligned(as: SIMD4<Float>.self)
                + UnsafeRawPointer(second + i).loadUnaligned(as: SIMD4<Float>.self)
            _mm_stream_ps(output + i, sum)
            i += 4
        }
        #endif
        while i < count {
            output[i] = first[i] + second[i]
            i += 1
        }
    }

    /// `output[i] = source[i]` for `i` in `0..<count`, streamed.
    @inline(__always)
    package static func copy(_ source: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, count: Int) {
        copyBytes(source, into: output, byteCount: count * MemoryLayout<Float>.stride)
    }

    /// Copies `byteCount` bytes from `source` to `output`, streamed (any element type: the bytes
    /// are moved sixteen at a time).
    @inline(__always)
    package static func copyBytes(_ source: UnsafeRawPointer, into output: UnsafeMutableRawPointer, byteCount: Int) {
        let misalignment = Int(bitPattern: output) & 15
        var i = Swift.min(misalignment == 0 ? 0 : 16 - misalignment, byteCount)
        output.copyMemory(from: source, byteCount: i)
        #if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
        while i + 16 <= byteCount {
            _mm_stream_ps((output + i).assumingMemoryBound(to: Float.self),
                          (source + i).loadUnaligned(as: SIMD4<Float>.self))
            i += 16
        }
        #endif
        (output + i).copyMemory(from: source + i, byteCount: byteCount - i)
    }

    /// Makes this thread's streamed stores visible to other threads (they are weakly ordered; a
    /// locked instruction drains the write-combining buffers).
    @inline(__always)
    package static func fence() {
        atomicMemoryFence(ordering: .sequentiallyConsistent)
    }

    /// Elements before the first 16-byte boundary of `output` (streaming stores need it), at most `count`.
    @inline(__always)
    static func alignedStart(_ output: UnsafeMutablePointer<Float>, count: Int) -> Int {
        let misalignment = Int(bitPattern: output) & 15
        let head = misalignment == 0 ? 0 : (16 - misalignment) / MemoryLayout<Float>.stride
        return Swift.min(head, count)
    }
}
