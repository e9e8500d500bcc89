#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A whole file mapped read-only into memory, unmapped when the last reference goes away.
///
/// Tensors read from a mapped checkpoint borrow its pages (``TensorStorage/init(borrowing:count:owner:)``
/// keeps the mapping alive), so opening a checkpoint reads nothing but its header and the
/// operating system brings pages in as they are first touched. The mapping is private and
/// read-only: nothing is ever written back, and a write through a tensor copies first.
///
/// A file that shrinks on disk while mapped makes reading the lost pages fault (`SIGBUS`), in this
/// program as in any other that maps files; ``SafetensorsFile/Reading/copied`` reads instead.
package final class MappedFile: @unchecked Sendable {
    // Sendable by construction: the pages are mapped read-only and never change through it.
    package let base: UnsafeRawPointer?
    package let size: Int

    /// Maps the `size` bytes of the open file `descriptor` (the descriptor may be closed after).
    init(descriptor: Int32, size: Int, path: String) throws(TensorError) {
        self.size = size
        guard size > 0 else {
            base = nil
            return
        }
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let address, address != MAP_FAILED else {
            throw .io(path: path, reason: "cannot map the file: \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(address)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), size) }
    }

    /// The address of byte `offset`, which lies within the file.
    func address(of offset: Int) -> UnsafeRawPointer {
        precondition(offset >= 0 && offset <= size, "byte \(offset) is outside the \(size)-byte mapping")
        return base! + offset
    }
}

extension MappedFile {
    /// A tensor of `shape` whose elements are stored in `encoding` at file offsets `byteRange`
    /// (which hold exactly the shape's elements), or nil when `encoding` does not convert into
    /// `Target` (see ``ScalarEncoding/decoder(into:)``).
    ///
    /// Elements already in `Target`'s memory layout, suitably aligned, are not read at all: the
    /// tensor borrows the mapped pages. Others (a `BF16` table asked for as `Float`) are converted
    /// from the mapping into storage of their own when the tensor's elements are first used, split
    /// across threads, so getting the tensor reads nothing either; until then the storage keeps the
    /// mapping alive.
    func tensor<Target: TensorScalar>(
        _: Target.Type, shape: [Int], encoding: ScalarEncoding, at byteRange: Range<Int>
    ) -> Tensor<Target>? {
        let layout = Layout(contiguous: shape)
        precondition(byteRange.count == layout.count * encoding.byteCount,
                     "\(byteRange.count) bytes cannot hold \(layout.count) elements of \(encoding)")
        let source = address(of: byteRange.lowerBound)
        if encoding.isMemoryLayout(of: Target.self), Int(bitPattern: source) % MemoryLayout<Target>.alignment == 0 {
            let storage = TensorStorage<Target>(borrowing: source.assumingMemoryBound(to: Target.self),
                                                count: layout.count, owner: self)
            return Tensor(storage: storage, layout: layout)
        }
        guard let decode = encoding.decoder(into: Target.self) else { return nil }
        let count = layout.count, elementBytes = encoding.byteCount, sourceOffset = byteRange.lowerBound
        let streaming = StreamingStores.pays(count: count, of: Target.self)
        let storage = TensorStorage<Target>(uninitializedCount: count) { destination in
            // `self` is captured: the mapping lives until the conversion has run.
            let source = self.address(of: sourceOffset), elements = destination.assumingMemoryBound(to: Target.self)
            // Worker threads do not see the first user's instruction-set scope (a task-local), so
            // it is carried to them; each thread converts its own range into the new storage.
            let level = InstructionSet.current
            parallelFor(count, grain: 1 << 16) { range in
                withInstructionSet(level) {
                    decode(source + range.lowerBound * elementBytes, elements + range.lowerBound, range.count, streaming)
                }
            }
        }
        return Tensor(storage: storage, layout: layout)
    }
}
