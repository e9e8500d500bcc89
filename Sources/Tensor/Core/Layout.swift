/// Where each element of a tensor lives in its storage: `shape`, `strides` (in elements, may be 0
/// for broadcast dimensions or negative never) and the `offset` of element `[0, 0, …]`.
///
/// All stride arithmetic lives here so that kernels never recompute it ad hoc.
@usableFromInline
package struct Layout: Hashable, Sendable {
    /// The size of each dimension.
    @usableFromInline package var shape: [Int]
    /// Per dimension, how many storage elements one step along it moves (0 for a broadcast dimension).
    @usableFromInline package var strides: [Int]
    /// The storage position of element `[0, 0, …]`.
    @usableFromInline package var offset: Int

    /// A contiguous, row-major layout of `shape`.
    package init(contiguous shape: [Int]) {
        for size in shape { precondition(size >= 0, "negative dimension in shape \(shape)") }
        self.shape = shape
        self.strides = Layout.contiguousStrides(for: shape)
        self.offset = 0
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
        self.shape = shape
        self.strides = strides
        self.offset = offset
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
