internal import TensorSIMD

/// An n-dimensional array of scalars: a value type over shared, copy-on-write storage.
///
/// A tensor is a ``shape``, ``strides`` and an ``offset`` over a storage buffer. Views such as
/// ``reshaped(_:)``, ``transposed(_:_:)`` or ``expanded(to:)`` share the storage and copy nothing;
/// the first write to a tensor whose storage is shared copies it, so a view and its base never
/// see each other's mutations (Swift value semantics, unlike PyTorch's aliasing views).
///
/// ```swift
/// let t = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
/// t.shape                  // [2, 3]
/// t.transposed().scalars   // [1, 4, 2, 5, 3, 6]
/// ```
public struct Tensor<Scalar: TensorScalar>: Sendable {
    @usableFromInline var storage: TensorStorage<Scalar>
    /// Shape, strides and offset inside the storage; users read `shape`, `strides` and `offset`.
    package internal(set) var layout: Layout

    @usableFromInline
    init(storage: TensorStorage<Scalar>, layout: Layout) {
        self.storage = storage
        self.layout = layout
    }

    /// A contiguous tensor of `shape` whose elements are not yet written. Internal: every public
    /// creation path writes all elements.
    @usableFromInline
    init(uninitializedShape shape: [Int]) {
        let layout = Layout(contiguous: shape)
        self.init(storage: TensorStorage(uninitializedCount: layout.count), layout: layout)
    }

    /// A contiguous tensor of `shape` whose elements `initializer` writes, with no zero-filling or
    /// copy first: the fastest way for a kernel to produce a result.
    ///
    /// Precondition: `initializer` writes every element of the buffer it is given (they start
    /// undefined); if it throws, the tensor is discarded.
    ///
    /// ```swift
    /// let squares = Tensor<Float>(unsafeUninitializedShape: [4]) { buffer in
    ///     for i in buffer.indices { buffer[i] = Float(i * i) }
    /// }
    /// ```
    public init<Failure: Error>(
        unsafeUninitializedShape shape: [Int],
        initializingWith initializer: (UnsafeMutableBufferPointer<Scalar>) throws(Failure) -> Void
    ) throws(Failure) {
        self.init(uninitializedShape: shape)
        try initializer(UnsafeMutableBufferPointer(start: storage.base, count: layout.count))
    }

    /// A tensor of `shape` holding `scalars` in row-major order.
    ///
    /// ```swift
    /// let m = Tensor<Float>(shape: [2, 2], scalars: [1, 2, 3, 4])
    /// ```
    public init(shape: [Int], scalars: [Scalar]) {
        let layout = Layout(contiguous: shape)
        precondition(layout.count == scalars.count,
                     "shape \(shape) holds \(layout.count) elements but \(scalars.count) scalars were given")
        let storage = TensorStorage<Scalar>(uninitializedCount: scalars.count)
        scalars.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { storage.base.initialize(from: base, count: scalars.count) }
        }
        self.init(storage: storage, layout: layout)
    }

    /// A one-dimensional tensor of `scalars`.
    public init(_ scalars: [Scalar]) {
        self.init(shape: [scalars.count], scalars: scalars)
    }

    /// A zero-dimensional tensor holding `scalar`.
    public init(scalar: Scalar) {
        self.init(shape: [], scalars: [scalar])
    }

    /// The size of each dimension.
    public var shape: [Int] { layout.shape }
    /// The distance in elements between neighbours along each dimension.
    public var strides: [Int] { layout.strides }
    /// The storage position of the first element.
    public var offset: Int { layout.offset }
    /// The number of dimensions.
    public var rank: Int { layout.rank }
    /// The number of elements.
    public var count: Int { layout.count }
    /// True when the elements are laid out row-major with no gaps.
    public var isContiguous: Bool { layout.isContiguous }

    /// All elements in row-major logical order, whatever the layout.
    public var scalars: [Scalar] {
        let total = count
        if layout.isContiguous {
            return Array(UnsafeBufferPointer(start: storage.base + layout.offset, count: total))
        }
        return contiguousCopy().scalars
    }

    /// The only element of a tensor with one element (any rank).
    public var scalar: Scalar {
        precondition(count == 1, "scalar needs a tensor with exactly one element, shape is \(shape)")
        return storage.base[layout.offset]
    }

    /// The only element of a one-element tensor, as PyTorch's `item()`.
    public func item() -> Scalar { scalar }

    /// The element at `index`, one position per dimension; a negative position counts from the end
    /// of its axis, as in PyTorch (`t[element: [-1, 0]]` is the last row's first element).
    ///
    /// ```swift
    /// let m = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    /// m[element: [1, 2]]    // 6
    /// m[element: [-1, 0]]   // 4
    /// ```
    public subscript(element index: [Int]) -> Scalar {
        get { storage.base[layout.position(of: resolvedElementIndex(index))] }
        set {
            let resolved = resolvedElementIndex(index)
            makeUniqueAndContiguous()
            storage.base[layout.position(of: resolved)] = newValue
        }
    }

    /// `index` with negative positions wrapped; traps, naming the index and the shape, when a
    /// position is outside `-size..<size` of its axis or the count does not match the rank.
    private func resolvedElementIndex(_ index: [Int]) -> [Int] {
        precondition(index.count == rank, "element index \(index) needs \(rank) positions for shape \(shape)")
        var resolved = index
        for axis in 0..<rank {
            precondition(index[axis] >= -shape[axis] && index[axis] < shape[axis],
                         "element index \(index) is out of range for shape \(shape)")
            if resolved[axis] < 0 { resolved[axis] += shape[axis] }
        }
        return resolved
    }

    /// True when this tensor and `other` read the same storage (a view and its base).
    public func sharesStorage(with other: Tensor) -> Bool { storage === other.storage }

    /// Makes the storage private to this tensor and the layout contiguous, copying when either is
    /// not already so. Called before every in-place write (copy-on-write).
    @usableFromInline
    mutating func makeUniqueAndContiguous() {
        if isKnownUniquelyReferenced(&storage) && storage.isWritable && layout.isContiguous
            && layout.offset == 0 && storage.count == layout.count {
            return
        }
        self = contiguousCopy()
    }

    /// Makes the storage private, contiguous and exactly this tensor's size without keeping the
    /// old values: a fill is about to overwrite them all.
    mutating func prepareForOverwrite() {
        if isKnownUniquelyReferenced(&storage) && storage.isWritable && layout.isContiguous
            && layout.offset == 0 && storage.count == layout.count {
            // A checkpoint table not yet converted need not be: every element is overwritten.
            storage.discardDeferredElements()
            return
        }
        self = Tensor(uninitializedShape: shape)
    }

    /// A fresh contiguous copy of the elements, never sharing storage.
    public func contiguousCopy() -> Tensor {
        var result = Tensor(uninitializedShape: shape)
        result.copyElements(from: self)
        return result
    }

    /// Overwrites every element with the matching element of `source` (same shape, any layout),
    /// reusing this tensor's storage when it is private and contiguous.
    ///
    /// ```swift
    /// var buffer = Tensor<Float>.zeros([2, 2])
    /// buffer.copy(from: Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]).transposed())   // [1, 3, 2, 4]
    /// ```
    public mutating func copy(from source: Tensor) {
        precondition(source.shape == shape, "copy(from:): shape \(source.shape) does not match \(shape)")
        // Every element is overwritten, so the old ones are neither copied nor converted first.
        prepareForOverwrite()
        copyElements(from: source)
    }

    /// Copies the elements of `source` (same count, any layout) into this tensor's storage, which
    /// must be private and contiguous.
    @usableFromInline
    mutating func copyElements(from source: Tensor) {
        let destination = storage.base + layout.offset
        let total = source.count
        if source.layout.isContiguous {
            let start = source.storage.base + source.layout.offset
            if total >= ParallelConfiguration.elementwiseGrain * 4 {
                // Streamed when too large to stay in cache, so that the destination is not read first.
                let stream: Int32 = StreamingStores.pays(count: total, of: Scalar.self) ? 1 : 0
                let kernels = InstructionSet.currentKernels
                let pair = UnsafeSendablePair(source: UnsafeMutablePointer(mutating: start), destination: destination)
                parallelFor(total, grain: ParallelConfiguration.elementwiseGrain) { range in
                    let source = pair.source + range.lowerBound, target = pair.destination + range.lowerBound
                    kernels.pointee.rows.copy_bytes(target, source, range.count * MemoryLayout<Scalar>.stride, stream)
                    if stream != 0 { kernels.pointee.rows.store_fence() }
                }
            } else {
                destination.update(from: start, count: total)
            }
            return
        }
        // Strided source: copy run by run; each run is a fixed-stride loop over the innermost
        // merged axis, and large copies split by output runs across threads.
        let sourceBase = source.storage.base
        let runs = StridedRuns(shape: source.shape, strides: Layout.contiguousStrides(for: source.shape),
                               source.layout.strides, source.layout.strides)
        let (outputStride, inputStride, _) = runs.innerStrides
        let pair = UnsafeSendablePair(source: sourceBase, destination: destination)
        withExtendedLifetime(source) {
            runs.forEachRunInParallel(offsets: (0, source.layout.offset, 0)) { output, input, _, count in
                let from = pair.source + input, to = pair.destination + output
                if inputStride == 1 && outputStride == 1 {
                    to.update(from: from, count: count)
                } else {
                    for i in 0..<count { to[i * outputStride] = from[i * inputStride] }
                }
            }
        }
    }

    /// Calls `body` with the elements in a contiguous buffer, reading in place when the layout
    /// already is contiguous.
    public func withContiguousBuffer<Result, Failure: Error>(
        _ body: (UnsafeBufferPointer<Scalar>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        if layout.isContiguous {
            return try body(UnsafeBufferPointer(start: storage.base + layout.offset, count: count))
        }
        let copy = contiguousCopy()
        defer { withExtendedLifetime(copy) {} }
        return try body(UnsafeBufferPointer(start: copy.storage.base, count: copy.count))
    }

    /// Calls `body` with the elements as a mutable contiguous buffer, first making the storage
    /// private and contiguous (copy-on-write).
    public mutating func withMutableContiguousBuffer<Result, Failure: Error>(
        _ body: (UnsafeMutableBufferPointer<Scalar>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        makeUniqueAndContiguous()
        return try body(UnsafeMutableBufferPointer(start: storage.base + layout.offset, count: count))
    }
}

extension Tensor: Equatable {
    /// Equal when the shapes and all elements are equal (layouts may differ).
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        lhs.shape == rhs.shape && lhs.scalars == rhs.scalars
    }
}

/// Two pointers handed to worker threads. Sendable by promise: each thread touches a disjoint
/// range of `destination`, and `source` is only read.
struct UnsafeSendablePair<Scalar>: @unchecked Sendable {
    let source: UnsafeMutablePointer<Scalar>
    let destination: UnsafeMutablePointer<Scalar>
}
