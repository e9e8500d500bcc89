/// One position in a multi-axis subscript: `t[.all, .range(1..<3), .index(0)]`; positions and Swift
/// ranges can stand in the subscript too (`t[.all, 1..<3, 0]`, see ``TensorIndexExpression``).
public enum TensorIndex: Sendable, Hashable {
    /// One position along the axis; the axis is removed (negative counts from the end).
    case index(Int)
    /// `lower ..< upper` every `step` along the axis (step ≥ 1).
    case range(Range<Int>, step: Int = 1)
    /// The whole axis.
    case all
    /// A new axis of size 1 at this place.
    case newAxis
}

extension Tensor {
    /// The same elements in a new shape; one dimension may be `-1` and is inferred.
    ///
    /// A view when the layout allows (always for contiguous tensors), a copy otherwise.
    ///
    /// ```swift
    /// Tensor<Float>.arange(6).reshaped([2, -1]).shape   // [2, 3]
    /// ```
    public func reshaped(_ newShape: [Int]) -> Tensor {
        let resolved = Tensor.resolveShape(newShape, count: count)
        // A contiguous tensor stays contiguous, with no strides to work out.
        if layout.isContiguous { return Tensor(storage: storage, layout: Layout(contiguous: resolved, offset: offset)) }
        if let strides = Tensor.viewStrides(from: layout, to: resolved) {
            return Tensor(storage: storage, layout: Layout(shape: resolved, strides: strides, offset: offset))
        }
        var copy = contiguousCopy()
        copy.layout = Layout(contiguous: resolved)
        return copy
    }

    /// Resolves one `-1` dimension and checks that `shape` holds `count` elements.
    static func resolveShape(_ shape: [Int], count: Int) -> [Int] {
        let inferred = shape.indices.filter { shape[$0] == -1 }
        precondition(inferred.count <= 1, "only one dimension can be inferred in shape \(shape)")
        for size in shape { precondition(size >= -1, "invalid dimension \(size) in shape \(shape)") }
        var resolved = shape
        let known = shape.filter { $0 != -1 }.reduce(1, *)
        if let axis = inferred.first {
            precondition(known != 0 && count % known == 0,
                         "shape \(shape) is invalid for a tensor of \(count) elements")
            resolved[axis] = count / known
        }
        precondition(resolved.reduce(1, *) == count,
                     "shape \(shape) is invalid for a tensor of \(count) elements")
        return resolved
    }

    /// Strides that view `layout`'s elements in `shape` without copying, or nil when impossible.
    /// Dimensions of the old layout are grouped into runs that are contiguous with each other;
    /// each run can be re-split freely.
    static func viewStrides(from layout: Layout, to shape: [Int]) -> [Int]? {
        if layout.isContiguous { return Layout.contiguousStrides(for: shape) }
        let oldShape = layout.shape, oldStrides = layout.strides
        if layout.count == 0 { return Layout.contiguousStrides(for: shape) }
        var newStrides = [Int](repeating: 0, count: shape.count)
        var viewAxis = shape.count - 1
        var chunkBaseStride = oldStrides.last ?? 1
        var tensorElements = 1
        var viewElements = 1
        var oldAxis = oldShape.count - 1
        while oldAxis >= 0 {
            tensorElements *= oldShape[oldAxis]
            let endsChunk = oldAxis == 0
                || (oldShape[oldAxis - 1] != 1 && oldStrides[oldAxis - 1] != tensorElements * chunkBaseStride)
            if endsChunk {
                while viewAxis >= 0 && (viewElements < tensorElements || shape[viewAxis] == 1) {
                    newStrides[viewAxis] = viewElements * chunkBaseStride
                    viewElements *= shape[viewAxis]
                    viewAxis -= 1
                }
                if viewElements != tensorElements { return nil }
                if oldAxis > 0 {
                    chunkBaseStride = oldStrides[oldAxis - 1]
                    tensorElements = 1
                    viewElements = 1
                }
            }
            oldAxis -= 1
        }
        return viewAxis == -1 ? newStrides : nil
    }

    /// The elements flattened to one dimension.
    public func flattened() -> Tensor { reshaped([-1]) }

    /// A view with the axes in `order` (a permutation of `0..<rank`).
    ///
    /// ```swift
    /// Tensor<Float>.zeros([2, 3, 4]).permuted([2, 0, 1]).shape   // [4, 2, 3]
    /// ```
    public func permuted(_ order: [Int]) -> Tensor {
        let resolved = order.map { Layout.normalize(axis: $0, rank: rank) }
        precondition(resolved.count == rank && Set(resolved).count == rank,
                     "permutation \(order) does not match rank \(rank)")
        let strides = self.strides
        return Tensor(storage: storage, layout: Layout(shape: resolved.map { shape[$0] },
                                                       strides: resolved.map { strides[$0] },
                                                       offset: offset))
    }

    /// A view with two axes swapped (by default the last two).
    public func transposed(_ first: Int = -2, _ second: Int = -1) -> Tensor {
        precondition(rank >= 2 || (rank == 1 && first == -2 && second == -1) || rank == 0,
                     "transposed needs two axes, tensor has rank \(rank)")
        if rank < 2 { return self }
        var order = Array(0..<rank)
        order.swapAt(Layout.normalize(axis: first, rank: rank), Layout.normalize(axis: second, rank: rank))
        return permuted(order)
    }

    /// A view without the size-1 axes (or without the one at `axis`, which must have size 1 or is
    /// left alone, as in PyTorch).
    public func squeezed(axis: Int? = nil) -> Tensor {
        var newLayout = layout
        if let axis {
            let resolved = Layout.normalize(axis: axis, rank: rank)
            guard shape[resolved] == 1 else { return self }
            newLayout.shape.remove(at: resolved)
            newLayout.strides.remove(at: resolved)
        } else {
            let keep = shape.indices.filter { shape[$0] != 1 }, strides = self.strides
            newLayout.strides = keep.map { strides[$0] }
            newLayout.shape = keep.map { shape[$0] }
        }
        return Tensor(storage: storage, layout: newLayout)
    }

    /// A view with a new size-1 axis inserted at `axis` (`-1` appends).
    public func unsqueezed(axis: Int) -> Tensor {
        let resolved = Layout.normalize(axis: axis, rank: rank + 1)
        var newLayout = layout
        let stride = resolved < rank ? shape[resolved] * strides[resolved] : 1
        newLayout.shape.insert(1, at: resolved)
        newLayout.strides.insert(stride, at: resolved)
        return Tensor(storage: storage, layout: newLayout)
    }

    /// A view repeating size-1 axes (stride 0) to `shape`, with new leading axes as needed
    /// (NumPy broadcasting). `-1` keeps a size.
    public func expanded(to newShape: [Int]) -> Tensor {
        precondition(newShape.count >= rank, "cannot expand shape \(shape) to fewer dimensions \(newShape)")
        let lead = newShape.count - rank
        var newStrides = [Int](repeating: 0, count: newShape.count)
        var resolved = newShape
        let strides = self.strides   // computed for a contiguous tensor: once, not per axis
        for axis in 0..<newShape.count {
            if axis < lead {
                precondition(newShape[axis] >= 0, "cannot expand shape \(shape) to \(newShape)")
                continue
            }
            let size = shape[axis - lead]
            if newShape[axis] == -1 || newShape[axis] == size {
                resolved[axis] = size
                newStrides[axis] = strides[axis - lead]
            } else {
                precondition(size == 1, "cannot expand shape \(shape) to \(newShape): axis \(axis - lead) has size \(size)")
                newStrides[axis] = 0
            }
        }
        return Tensor(storage: storage, layout: Layout(shape: resolved, strides: newStrides, offset: offset))
    }

    /// A view of `length` positions from `start` along `axis`.
    public func narrowed(axis: Int, start: Int, length: Int) -> Tensor {
        sliced(axis: axis, range: start..<(start + length))
    }

    /// A view of the positions `range` stepping by `step` along `axis`.
    public func sliced(axis: Int, range: Range<Int>, step: Int = 1) -> Tensor {
        let resolved = Layout.normalize(axis: axis, rank: rank)
        precondition(step >= 1, "slice step must be positive, got \(step)")
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[resolved],
                     "slice \(range) is out of range 0..<\(shape[resolved]) on axis \(axis)")
        var newLayout = layout
        newLayout.offset += range.lowerBound * strides[resolved]
        newLayout.shape[resolved] = (range.count + step - 1) / step
        newLayout.strides[resolved] *= step
        return Tensor(storage: storage, layout: newLayout)
    }

    /// A view of position `index` along `axis`, with that axis removed (negative counts from the end).
    public func selected(axis: Int, index: Int) -> Tensor {
        let resolved = Layout.normalize(axis: axis, rank: rank)
        let size = shape[resolved]
        let position = index < 0 ? index + size : index
        precondition(position >= 0 && position < size,
                     "index \(index) is out of range for axis \(axis) of size \(size)")
        var newLayout = layout
        newLayout.offset += position * strides[resolved]
        newLayout.shape.remove(at: resolved)
        newLayout.strides.remove(at: resolved)
        return Tensor(storage: storage, layout: newLayout)
    }

    /// The sub-tensor at `index` along the first axis (PyTorch's `t[i]`).
    public subscript(index: Int) -> Tensor {
        get { selected(axis: 0, index: index) }
        set { assign(newValue, toView: { $0.selected(axis: 0, index: index) }) }
    }

    /// The positions `range` along the first axis (PyTorch's `t[a:b]`).
    public subscript(range: Range<Int>) -> Tensor {
        get { sliced(axis: 0, range: range) }
        set { assign(newValue, toView: { $0.sliced(axis: 0, range: range) }) }
    }

    /// The positions of `range` along the first axis, for the other range forms: `t[1...]`
    /// (PyTorch's `t[1:]`), `t[..<2]` (`t[:2]`), `t[0...2]`.
    ///
    /// ```swift
    /// let rest = Tensor<Float>([1, 2, 3, 4])[1...]   // [2, 3, 4]
    /// ```
    public subscript<Positions: RangeExpression>(range: Positions) -> Tensor where Positions.Bound == Int {
        get { self[range.relative(to: 0..<shape[0])] }
        set { self[range.relative(to: 0..<shape[0])] = newValue }
    }

    /// Writes `values` (broadcast to the view's shape) into the elements that `view` selects from
    /// this tensor; `view` must be built from view operations only (slicing, selecting, transposing…).
    ///
    /// ```swift
    /// var m = Tensor<Float>.zeros([2, 3])
    /// m.assign(Tensor([7]), toView: { $0[.all, .range(1..<3)] })   // [[0, 7, 7], [0, 7, 7]]
    /// ```
    public mutating func assign(_ values: Tensor, toView view: (Tensor) -> Tensor) {
        makeUniqueAndContiguous()
        let target = view(self)
        precondition(target.storage === storage, "assign(_:toView:) needs a view of the tensor, not a copy")
        let source = values.expanded(to: target.shape).scalars
        var next = 0
        let base = storage.base
        target.layout.forEachPosition { position in
            base[position] = source[next]
            next += 1
        }
    }

    /// A view chosen axis by axis, as PyTorch's `t[1:3, 0, None]`; axes not named stay whole.
    ///
    /// ```swift
    /// let m = Tensor<Float>.arange(12).reshaped([3, 4])
    /// m[.all, .range(0..<4, step: 2)].scalars   // [0, 2, 4, 6, 8, 10]
    /// ```
    public subscript(_ indices: TensorIndex...) -> Tensor {
        get { indexed(by: indices) }
        set { assign(newValue, toView: { $0.indexed(by: indices) }) }
    }

    /// The view that `self[indices...]` reads, for an index list built at run time. (Not PyTorch's
    /// `view`, which is ``reshaped(_:)`` here.)
    ///
    /// ```swift
    /// let firstColumn = Tensor<Float>.arange(6).reshaped([2, 3]).indexed(by: [.all, .index(0)])   // [0, 3]
    /// ```
    public func indexed(by indices: [TensorIndex]) -> Tensor {
        var result = self
        var axis = 0
        for item in indices {
            switch item {
            case .index(let position):
                result = result.selected(axis: axis, index: position)
            case let .range(range, step):
                result = result.sliced(axis: axis, range: range, step: step)
                axis += 1
            case .all:
                precondition(axis < result.rank, "too many indices for a tensor of rank \(rank)")
                axis += 1
            case .newAxis:
                result = result.unsqueezed(axis: axis)
                axis += 1
            }
        }
        return result
    }

    /// This tensor when already contiguous, otherwise a contiguous copy.
    public func contiguous() -> Tensor {
        isContiguous ? self : contiguousCopy()
    }
}
