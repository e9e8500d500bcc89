/// A fixed-size buffer of scalars shared by a tensor and its views (64-byte aligned from 4 KiB on).
///
/// Tensors never write to a storage that another tensor can see: `Tensor` checks
/// `isKnownUniquelyReferenced` before every write and copies first when it is shared. That
/// copy-on-write rule is why the class may be marked `@unchecked Sendable`: a storage reachable
/// from two threads is only ever read.
@usableFromInline
final class TensorStorage<Scalar: TensorScalar>: @unchecked Sendable {
    @usableFromInline let base: UnsafeMutablePointer<Scalar>
    @usableFromInline let count: Int

    /// Uninitialised storage of `count` elements. Every scalar type is trivial, so the bytes need
    /// no initialisation before being overwritten.
    @usableFromInline
    init(uninitializedCount count: Int) {
        precondition(count >= 0, "storage size must be non-negative, got \(count)")
        self.count = count
        let bytes = Swift.max(count, 1) * MemoryLayout<Scalar>.stride
        base = StorageAllocator.allocate(byteCount: bytes).bindMemory(to: Scalar.self, capacity: Swift.max(count, 1))
    }

    @usableFromInline
    convenience init(repeating value: Scalar, count: Int) {
        self.init(uninitializedCount: count)
        fillStorage(base, count: count, value: value)
    }

    deinit {
        StorageAllocator.deallocate(UnsafeMutableRawPointer(base),
                                    byteCount: Swift.max(count, 1) * MemoryLayout<Scalar>.stride)
    }
}
