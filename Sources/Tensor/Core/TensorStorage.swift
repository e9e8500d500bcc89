/// A fixed-size buffer of scalars shared by a tensor and its views (64-byte aligned from 4 KiB on),
/// or a read-only window into memory something else owns (a mapped checkpoint file).
///
/// Tensors never write to a storage that another tensor can see: `Tensor` checks
/// `isKnownUniquelyReferenced` (and ``isWritable``) before every write and copies first when it is
/// shared or borrowed. That copy-on-write rule is why the class may be marked `@unchecked
/// Sendable`: a storage reachable from two threads is only ever read.
@usableFromInline
final class TensorStorage<Scalar: TensorScalar>: @unchecked Sendable {
    @usableFromInline let base: UnsafeMutablePointer<Scalar>
    @usableFromInline let count: Int
    /// What keeps borrowed memory alive (the file mapping), nil when the storage allocated its own.
    let owner: (any AnyObject & Sendable)?

    /// False for borrowed memory: a write must first copy the elements into storage of its own.
    @usableFromInline var isWritable: Bool { owner == nil }

    /// Storage over `count` elements at `base`, which `owner` keeps valid and unchanged for as long
    /// as it lives; the elements are never written through this storage.
    init(borrowing base: UnsafePointer<Scalar>, count: Int, owner: any AnyObject & Sendable) {
        self.base = UnsafeMutablePointer(mutating: base)
        self.count = count
        self.owner = owner
    }

    /// Uninitialised storage of `count` elements. Every scalar type is trivial, so the bytes need
    /// no initialisation before being overwritten.
    @usableFromInline
    init(uninitializedCount count: Int) {
        precondition(count >= 0, "storage size must be non-negative, got \(count)")
        self.count = count
        self.owner = nil
        let bytes = Swift.max(count, 1) * MemoryLayout<Scalar>.stride
        base = StorageAllocator.allocate(byteCount: bytes).bindMemory(to: Scalar.self, capacity: Swift.max(count, 1))
    }

    @usableFromInline
    convenience init(repeating value: Scalar, count: Int) {
        self.init(uninitializedCount: count)
        fillStorage(base, count: count, value: value)
    }

    deinit {
        guard owner == nil else { return }
        StorageAllocator.deallocate(UnsafeMutableRawPointer(base),
                                    byteCount: Swift.max(count, 1) * MemoryLayout<Scalar>.stride)
    }
}
