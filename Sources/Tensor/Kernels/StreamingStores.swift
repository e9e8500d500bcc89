/// When an output is written with streaming stores, which bypass the caches.
///
/// An ordinary store to a line that is not in the cache first reads the line from memory
/// (read-for-ownership), so writing an output costs its bytes twice. A streaming store writes whole
/// lines without reading them: a 25 MB embedding gather then moves 50 MB instead of 75. They only
/// pay for outputs larger than a share of the last-level cache (a smaller output would be read back
/// from the cache by the next operation), hence ``minimumByteCount``. The stores themselves are in
/// the C kernels (`stream` arguments of Kernels/SIMD/Rows.h); a thread that streamed calls the
/// table's `store_fence` before the output is handed on.
package enum StreamingStores {
    /// Outputs from this many bytes on are streamed: above a typical last-level cache share.
    package static let minimumByteCount = 16 << 20

    /// True when an output of `count` elements of `Element` is worth streaming.
    @inlinable
    package static func pays<Element>(count: Int, of element: Element.Type) -> Bool {
        count * MemoryLayout<Element>.stride >= minimumByteCount
    }
}
