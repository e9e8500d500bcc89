/// A fixed-size buffer of scalars shared by a tensor and its views (64-byte aligned from 4 KiB on),
/// or a read-only window into memory something else owns (a mapped checkpoint file).
///
/// A storage may also hold elements that are written on first use (``init(uninitializedCount:writtenOnFirstUse:)``):
/// a checkpoint's `BF16` table is widened to `Float` when something first reads it, not when the
/// file is opened, as a mapped `F32` table is only read from disk when first touched. Every access
/// to the elements goes through ``base``, which runs that conversion once before returning.
///
/// Tensors never write to a storage that another tensor can see: `Tensor` checks
/// `isKnownUniquelyReferenced` (and ``isWritable``) before every write and copies first when it is
/// shared or borrowed. That copy-on-write rule is why the class may be marked `@unchecked
/// Sendable`: a storage reachable from two threads is only ever read.
@usableFromInline
final class TensorStorage<Scalar: TensorScalar>: @unchecked Sendable {
    /// Where the elements live, written or not: for identity and deallocation, never for reading.
    let address: UnsafeMutablePointer<Scalar>
    @usableFromInline let count: Int
    /// The conversion that writes the elements on first use, nil when they are written already.
    private let deferredElements: DeferredElements?
    /// What keeps borrowed memory alive (the file mapping), nil when the storage allocated its own.
    let owner: (any AnyObject & Sendable)?

    /// False for borrowed memory: a write must first copy the elements into storage of its own.
    @usableFromInline var isWritable: Bool { owner == nil }

    /// Storage over `count` elements at `base`, which `owner` keeps valid and unchanged for as long
    /// as it lives; the elements are never written through this storage.
    init(borrowing base: UnsafePointer<Scalar>, count: Int, owner: any AnyObject & Sendable) {
        self.address = UnsafeMutablePointer(mutating: base)
        self.count = count
        self.owner = owner
        self.deferredElements = nil
    }

    /// True while a deferred conversion has not yet written the elements.
    var elementsAreDeferred: Bool { deferredElements?.isPending ?? false }

    /// Drops a deferred conversion that has not run: the caller is about to overwrite every
    /// element, so converting them first would be wasted work.
    func discardDeferredElements() {
        deferredElements?.discard()
    }

    /// The elements, ready to read and (when ``isWritable`` and not shared) to write: a deferred
    /// conversion has run by the time this returns.
    @usableFromInline var base: UnsafeMutablePointer<Scalar> {
        deferredElements?.writeOnce(into: UnsafeMutableRawPointer(address))
        return address
    }

    /// Storage of `count` elements that `write` fills, all of them, the first time anything
    /// reads or writes them (on whichever thread comes first; others wait for it). `write` must
    /// not touch this storage through a tensor: it is given the elements' address.
    convenience init(uninitializedCount count: Int,
         writtenOnFirstUse write: @escaping @Sendable (UnsafeMutableRawPointer) -> Void) {
        self.init(allocatingCount: count, deferredElements: DeferredElements(write))
    }

    /// Uninitialised storage of `count` elements. Every scalar type is trivial, so the bytes need
    /// no initialisation before being overwritten.
    @usableFromInline
    convenience init(uninitializedCount count: Int) {
        self.init(allocatingCount: count, deferredElements: nil)
    }

    private init(allocatingCount count: Int, deferredElements: DeferredElements?) {
        precondition(count >= 0, "storage size must be non-negative, got \(count)")
        self.count = count
        self.owner = nil
        self.deferredElements = deferredElements
        let bytes = Swift.max(count, 1) * MemoryLayout<Scalar>.stride
        address = StorageAllocator.allocate(byteCount: bytes).bindMemory(to: Scalar.self, capacity: Swift.max(count, 1))
    }

    @usableFromInline
    convenience init(repeating value: Scalar, count: Int) {
        self.init(uninitializedCount: count)
        fillStorage(base, count: count, value: value)
    }

    deinit {
        guard owner == nil else { return }
        StorageAllocator.deallocate(UnsafeMutableRawPointer(address),
                                    byteCount: Swift.max(count, 1) * MemoryLayout<Scalar>.stride)
    }
}
