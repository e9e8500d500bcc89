internal import TensorSIMD

extension Tensor where Scalar: NumericTensorScalar {
    /// `self ∘ other` elementwise with NumPy broadcasting. Traps when the shapes cannot broadcast.
    @_specialize(exported: true, where Scalar == Float)
    package func applying(_ operation: BinaryOperation, _ other: Tensor) -> Tensor {
        if shape == other.shape && isContiguous && other.isContiguous {
            var result = Tensor(uninitializedShape: shape)
            result.writeFlat(operation, storage.base + offset, 1, other.storage.base + other.offset, 1)
            return withExtendedLifetime((self, other)) { result }
        }
        let resultShape = Broadcasting.checkedShape(shape, other.shape, operation: "\(operation)")
        var result = Tensor(uninitializedShape: resultShape)
        result.writeBinary(operation, layout.broadcast(to: resultShape), storage.base,
                           other.layout.broadcast(to: resultShape), other.storage.base)
        return withExtendedLifetime((self, other)) { result }
    }

    /// `self ∘ scalar` elementwise.
    @_specialize(where Scalar == Float)
    package func applying(_ operation: BinaryOperation, scalar: Scalar) -> Tensor {
        var result = Tensor(uninitializedShape: shape)
        withUnsafePointer(to: scalar) { scalarPointer in
            if isContiguous {
                result.writeFlat(operation, storage.base + offset, 1, UnsafeMutablePointer(mutating: scalarPointer), 0)
                return
            }
            let scalarLayout = Layout(shape: shape, strides: [Int](repeating: 0, count: rank), offset: 0)
            result.writeBinary(operation, layout, storage.base, scalarLayout, UnsafeMutablePointer(mutating: scalarPointer))
        }
        return withExtendedLifetime(self) { result }
    }

    /// `scalar ∘ self` elementwise.
    package func applying(_ operation: BinaryOperation, scalarOnLeft scalar: Scalar) -> Tensor {
        var result = Tensor(uninitializedShape: shape)
        withUnsafePointer(to: scalar) { scalarPointer in
            if isContiguous {
                result.writeFlat(operation, UnsafeMutablePointer(mutating: scalarPointer), 0, storage.base + offset, 1)
                return
            }
            let scalarLayout = Layout(shape: shape, strides: [Int](repeating: 0, count: rank), offset: 0)
            result.writeBinary(operation, scalarLayout, UnsafeMutablePointer(mutating: scalarPointer), layout, storage.base)
        }
        return withExtendedLifetime(self) { result }
    }

    /// `self = self ∘ other` in place; `other` must broadcast to `self`'s shape.
    package mutating func formApplying(_ operation: BinaryOperation, _ other: Tensor) {
        let resultShape = Broadcasting.checkedShape(shape, other.shape, operation: "in-place \(operation)")
        precondition(resultShape == shape,
                     "in-place \(operation): shape \(other.shape) does not broadcast to \(shape)")
        makeUniqueAndContiguous()
        if other.shape == shape && other.isContiguous {
            let base = storage.base + offset
            writeFlat(operation, base, 1, other.storage.base + other.offset, 1)
        } else {
            let selfLayout = layout
            writeBinary(operation, selfLayout, storage.base, other.layout.broadcast(to: shape), other.storage.base)
        }
        withExtendedLifetime(other) {}
    }

    /// `self = self ∘ scalar` in place.
    package mutating func formApplying(_ operation: BinaryOperation, scalar: Scalar) {
        makeUniqueAndContiguous()
        let base = storage.base + offset
        withUnsafePointer(to: scalar) { scalarPointer in
            writeFlat(operation, base, 1, UnsafeMutablePointer(mutating: scalarPointer), 0)
        }
    }

    /// `self[i] = lhs[i · lhsStride] ∘ rhs[i · rhsStride]` over every element of this contiguous
    /// tensor, each stride 1 or 0 (a scalar): one run, split across threads when large. The
    /// common case of elementwise arithmetic, without the run bookkeeping of the strided path.
    @_specialize(where Scalar == Float)
    mutating func writeFlat(
        _ operation: BinaryOperation, _ lhs: UnsafeMutablePointer<Scalar>, _ lhsStride: Int,
        _ rhs: UnsafeMutablePointer<Scalar>, _ rhsStride: Int
    ) {
        let total = count
        if total == 0 { return }
        let out = storage.base + offset
        if operation == .add && Scalar.self == Float.self && (lhsStride, rhsStride) == (1, 1) {
            // The sum of two tensors (embeddings plus their positions, a residual) at the CPU's
            // widest vectors; a large one is too big to stay in cache for the next operation
            // anyway, so it is streamed rather than read before being written.
            let stream = StreamingStores.pays(count: total, of: Scalar.self)
            let kernels = InstructionSet.currentKernels
            parallelFor(total, grain: ParallelConfiguration.elementwiseGrain) { range in
                let start = range.lowerBound
                kernels.pointee.rows.add_f32(cast(out + start, Float.self), cast(UnsafePointer(lhs + start), Float.self),
                                        cast(UnsafePointer(rhs + start), Float.self), range.count, stream ? 1 : 0)
                if stream { kernels.pointee.rows.store_fence() }
            }
            return
        }
        parallelFor(total, grain: ParallelConfiguration.elementwiseGrain) { range in
            let start = range.lowerBound
            binaryKernel(operation, lhs + start * lhsStride, lhsStride, rhs + start * rhsStride, rhsStride,
                         out + start, 1, range.count)
        }
    }

    /// Writes `lhs ∘ rhs` (both already of this tensor's shape) into this contiguous tensor.
    @_specialize(where Scalar == Float)
    private mutating func writeBinary(
        _ operation: BinaryOperation, _ lhsLayout: Layout, _ lhsBase: UnsafeMutablePointer<Scalar>,
        _ rhsLayout: Layout, _ rhsBase: UnsafeMutablePointer<Scalar>
    ) {
        if count == 0 { return }
        let out = storage.base
        let runs = StridedRuns(shape: shape, strides: layout.strides, lhsLayout.strides, rhsLayout.strides)
        let (outStride, lhsStride, rhsStride) = runs.innerStrides
        if operation == .add && Scalar.self == Float.self && (outStride, lhsStride, rhsStride) == (1, 1, 1) {
            // As in `writeFlat`: the CPU's widest vectors, streamed when large.
            let stream = StreamingStores.pays(count: count, of: Scalar.self)
            let kernels = InstructionSet.currentKernels
            runs.forEachRunInParallel(offsets: (layout.offset, lhsLayout.offset, rhsLayout.offset)) { o, a, b, n in
                kernels.pointee.rows.add_f32(cast(out + o, Float.self), cast(UnsafePointer(lhsBase + a), Float.self),
                                        cast(UnsafePointer(rhsBase + b), Float.self), n, stream ? 1 : 0)
                if stream { kernels.pointee.rows.store_fence() }
            }
            return
        }
        runs.forEachRunInParallel(offsets: (layout.offset, lhsLayout.offset, rhsLayout.offset)) { o, a, b, n in
            binaryKernel(operation, lhsBase + a, lhsStride, rhsBase + b, rhsStride, out + o, outStride, n)
        }
    }

    /// Elementwise sum with broadcasting, PyTorch's `torch.add`; traps when the shapes do not
    /// broadcast. Integers wrap on overflow, as in PyTorch.
    @_specialize(exported: true, where Scalar == Float)
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.applying(.add, rhs) }
    /// Elementwise difference with broadcasting, PyTorch's `torch.sub`; traps when the shapes do not
    /// broadcast. Integers wrap on overflow, as in PyTorch.
    @_specialize(exported: true, where Scalar == Float)
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.applying(.subtract, rhs) }
    /// Elementwise product with broadcasting, PyTorch's `torch.mul`; traps when the shapes do not
    /// broadcast. Integers wrap on overflow, as in PyTorch.
    @_specialize(exported: true, where Scalar == Float)
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.applying(.multiply, rhs) }
    /// Elementwise quotient with broadcasting, PyTorch's `torch.div`; traps when the shapes do not
    /// broadcast. Integers divide truncating toward zero (PyTorch's `rounding_mode="trunc"`, not its
    /// default true division) and trap on a zero divisor.
    @_specialize(exported: true, where Scalar == Float)
    public static func / (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.applying(.divide, rhs) }

    /// Adds `rhs` to every element.
    public static func + (lhs: Tensor, rhs: Scalar) -> Tensor { lhs.applying(.add, scalar: rhs) }
    /// Subtracts `rhs` from every element.
    public static func - (lhs: Tensor, rhs: Scalar) -> Tensor { lhs.applying(.subtract, scalar: rhs) }
    /// Multiplies every element by `rhs`.
    public static func * (lhs: Tensor, rhs: Scalar) -> Tensor { lhs.applying(.multiply, scalar: rhs) }
    /// Divides every element by `rhs` (for integers as `/` divides).
    public static func / (lhs: Tensor, rhs: Scalar) -> Tensor { lhs.applying(.divide, scalar: rhs) }
    /// Adds `lhs` to every element of `rhs`.
    public static func + (lhs: Scalar, rhs: Tensor) -> Tensor { rhs.applying(.add, scalarOnLeft: lhs) }
    /// `lhs` minus each element of `rhs`.
    public static func - (lhs: Scalar, rhs: Tensor) -> Tensor { rhs.applying(.subtract, scalarOnLeft: lhs) }
    /// Multiplies every element of `rhs` by `lhs`.
    public static func * (lhs: Scalar, rhs: Tensor) -> Tensor { rhs.applying(.multiply, scalarOnLeft: lhs) }
    /// `lhs` divided by each element of `rhs` (for integers as `/` divides).
    public static func / (lhs: Scalar, rhs: Tensor) -> Tensor { rhs.applying(.divide, scalarOnLeft: lhs) }

    /// Adds `rhs` to `lhs` in place; `rhs` must broadcast to `lhs`'s shape, else traps. Shared
    /// storage is copied first (copy-on-write).
    public static func += (lhs: inout Tensor, rhs: Tensor) { lhs.formApplying(.add, rhs) }
    /// Subtracts `rhs` from `lhs` in place; `rhs` must broadcast to `lhs`'s shape.
    public static func -= (lhs: inout Tensor, rhs: Tensor) { lhs.formApplying(.subtract, rhs) }
    /// Multiplies `lhs` by `rhs` in place; `rhs` must broadcast to `lhs`'s shape.
    public static func *= (lhs: inout Tensor, rhs: Tensor) { lhs.formApplying(.multiply, rhs) }
    /// Divides `lhs` by `rhs` in place; `rhs` must broadcast to `lhs`'s shape.
    public static func /= (lhs: inout Tensor, rhs: Tensor) { lhs.formApplying(.divide, rhs) }
    /// Adds `rhs` to every element of `lhs` in place.
    public static func += (lhs: inout Tensor, rhs: Scalar) { lhs.formApplying(.add, scalar: rhs) }
    /// Subtracts `rhs` from every element of `lhs` in place.
    public static func -= (lhs: inout Tensor, rhs: Scalar) { lhs.formApplying(.subtract, scalar: rhs) }
    /// Multiplies every element of `lhs` by `rhs` in place.
    public static func *= (lhs: inout Tensor, rhs: Scalar) { lhs.formApplying(.multiply, scalar: rhs) }
    /// Divides every element of `lhs` by `rhs` in place.
    public static func /= (lhs: inout Tensor, rhs: Scalar) { lhs.formApplying(.divide, scalar: rhs) }

    /// Elementwise maximum with broadcasting (NaN wins, as `torch.maximum`).
    public func maximum(_ other: Tensor) -> Tensor { applying(.maximum, other) }
    /// Elementwise minimum with broadcasting (NaN wins, as `torch.minimum`).
    public func minimum(_ other: Tensor) -> Tensor { applying(.minimum, other) }
    /// Elementwise power with broadcasting.
    public func pow(_ exponent: Tensor) -> Tensor { applying(.power, exponent) }
}

extension Tensor where Scalar: FloatingTensorScalar {
    /// Elementwise negation, PyTorch's `torch.neg` (for integer tensors, ``negated()``).
    public static prefix func - (operand: Tensor) -> Tensor { operand.applying(.negate) }
}

extension Tensor where Scalar: NumericTensorScalar & SignedNumeric {
    /// The elementwise negation.
    public func negated() -> Tensor { applying(.multiply, scalar: -1) }
}
