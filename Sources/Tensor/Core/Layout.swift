/// Where each element of a tensor lives in its storage: `shape`, `strides` (in elements, may be 0
/// for broadcast dimensions or negative never) and the `offset` of element `[0, 0, …]`.
///
/// All stride arithmetic lives here so that kernels never recompute it ad hoc.
///
/// A contiguous layout keeps no strides array: they follow from the shape, and most tensors (every
/// new result) are contiguous, so each is one allocation and one reference count fewer to make,
/// copy and free — on a lookup of a few rows those are a visible part of the call. `strides` is
/// computed when read; a view that needs other strides stores them.
@usableFromInline
package struct Layout: Hashable, Sendable {
    /// The size of each dimension.
    @usableFromInline package var shape: [Int] {
        get { storedShape }
        // Strides that were implied by the old shape are written out first, so that a view that
        // changes the shape and then the strides (`squeezed`, `sliced`) edits the strides it had.
        _modify {
            storeStrides()
            yield &storedShape
        }
    }
    /// Per dimension, how many storage elements one step along it moves (0 for a broadcast dimension).
    @usableFromInline package var strides: [Int] {
        get { explicitStrides ?? Layout.contiguousStrides(for: storedShape) }
        _modify {
            storeStrides()
            yield &explicitStrides!
        }
    }
    /// The storage position of element `[0, 0, …]`.
    @usableFromInline package var offset: Int

    @usableFromInline var storedShape: [Int]
    /// The strides when they are not the row-major ones of `shape`, nil when they are.
    @usableFromInline var explicitStrides: [Int]?

    /// A contiguous, row-major layout of `shape`.
    package init(contiguous shape: [Int], offset: Int = 0) {
        for size in shape { precondition(size >= 0, "negative dimension in shape \(shape)") }
        self.storedShape = shape
        self.explicitStrides = nil
        self.offset = offset
    }

    /// A layout with explicit strides and offset, as views describe their elements; traps when
    /// `shape` and `strides` differ in rank. Nothing is checked against a storage.
    ///
    /// ```swift
    /// let transposed = Layout(shape: [3, 2], strides: [1, 3], offset: 0)   // a [2, 3] layout, transposed
    /// transposed.isContiguous          // false
    /// transposed.position(of: [2, 1])  // 5
    /// ```
    package init(shape: [Int], strides: [Int], offset: Int) {
        precondition(shape.count == strides.count, "shape \(shape) and strides \(strides) differ in rank")
        self.storedShape = shape
        self.explicitStrides = strides
        self.offset = offset
    }

    /// Writes out the strides implied by the shape, before either is edited.
    private mutating func storeStrides() {
        if explicitStrides == nil { explicitStrides = Layout.contiguousStrides(for: storedShape) }
    }

    /// Layouts are equal when they place every element at the same position, whether their
    /// strides are stored or implied.
    @usableFromInline package static func == (lhs: Layout, rhs: Layout) -> Bool {
        lhs.storedShape == rhs.storedShape && lhs.offset == rhs.offset
            && (lhs.explicitStrides == nil && rhs.explicitStrides == nil || lhs.strides == rhs.strides)
    }

    @usableFromInline package func hash(into hasher: inout Hasher) {
        hasher.combine(storedShape)
        hasher.combine(strides)
        hasher.combine(offset)
    }

    /// Row-major strides: the last dimension moves by one element.
    package static func contiguousStrides(for shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= Swift.max(shape[axis], 1)
        }
        return strides
    }

    /// The number of dimensions (0 for a scalar).
    package var rank: Int { shape.count }

    /// The number of elements.
    package var count: Int { shape.reduce(1, *) }

    /// True when the elements occupy `offset ..< offset + count` in row-major order.
    package var isContiguous: Bool {
        guard let strides = explicitStrides else { return true }
        // An empty tensor has no element out of place, whatever its strides say.
        if shape.contains(0) { return true }
        var expected = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] != 1 {
            if strides[axis] != expected { return false }
            expected *= shape[axis]
        }
        return true
    }

    /// The storage position of the element at `index` (one entry per dimension).
    @inlinable
    package func position(of index: [Int]) -> Int {
        guard let strides = explicitStrides else {
            // Row-major: Horner's rule over the shape, no strides array to build.
            var position = 0
            for axis in 0..<index.count { position = position * storedShape[axis] + index[axis] }
            return offset + position
        }
        var position = offset
        for axis in 0..<index.count { position += index[axis] * strides[axis] }
        return position
    }

    /// Resolves a possibly negative axis (`-1` is the last) against `rank`, trapping when out of range.
    package static func normalize(axis: Int, rank: Int) -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        precondition(resolved >= 0 && resolved < Swift.max(rank, 1),
                     "axis \(axis) is out of range for a tensor of rank \(rank)")
        return resolved
    }

    /// The storage positions of all elements in row-major logical order.
    func forEachPosition(_ body: (Int) -> Void) {
        let total = count
        if total == 0 { return }
        if isContiguous {
            for position in offset ..< offset + total { body(position) }
            return
        }
        var index = [Int](repeating: 0, count: rank)
        var position = offset
        for _ in 0..<total {
            body(position)
            var axis = rank - 1
            while axis >= 0 {
                index[axis] += 1
                position += strides[axis]
                if index[axis] < shape[axis] { break }
                position -= strides[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }
}
