extension Tensor {
    /// `axes` resolved against the rank (negative counts from the end), checked to be distinct.
    /// A 0-d tensor accepts axis 0 or -1 and has nothing to reduce, as in PyTorch.
    func resolvedReductionAxes(_ axes: [Int], operation: String) -> [Int] {
        let resolved = axes.map { Layout.normalize(axis: $0, rank: rank) }
        precondition(Set(resolved).count == resolved.count, "\(operation): axis appears more than once in \(axes)")
        return resolved.filter { $0 < rank }
    }

    /// The shape left after reducing `axes`: removed, or kept with size 1.
    func reducedShape(_ axes: [Int], keepingDimensions: Bool) -> [Int] {
        var result = [Int]()
        for axis in 0..<rank {
            if !axes.contains(axis) {
                result.append(shape[axis])
            } else if keepingDimensions {
                result.append(1)
            }
        }
        return result
    }

    /// The number of elements folded into each output when reducing `axes`.
    func reducedElementCount(_ axes: [Int]) -> Int {
        axes.reduce(1) { $0 * shape[$1] }
    }
}

extension Tensor where Scalar: NumericTensorScalar {
    /// Reduces `axes` (already resolved) with `operation` into a new contiguous tensor.
    func reduced(_ operation: ReductionOperation, axes: [Int], keepingDimensions: Bool) -> Tensor {
        let plan = ReductionPlan(layout: layout, reducing: axes)
        let walkable = plan.reducedSizes.isEmpty || plan.reducesContiguousRuns || plan.contiguousKeptAxis != nil
        if !walkable && count > 0 {
            // No axis has unit stride (a strided slice, a broadcast): one contiguous copy makes one.
            return contiguousCopy().reduced(operation, axes: axes, keepingDimensions: keepingDimensions)
        }
        precondition(operation == .sum || plan.outputCount == 0 || plan.reducedCount > 0,
                     "\(operation) over an empty axis of shape \(shape) has no value")
        let result = Tensor(uninitializedShape: reducedShape(axes, keepingDimensions: keepingDimensions))
        withExtendedLifetime(self) {
            reductionKernel(operation, plan: plan, input: storage.base + offset, output: result.storage.base)
        }
        return result
    }

    /// The sum of all elements, as a 0-d tensor.
    ///
    /// Floating-point sums are pairwise and cut into fixed blocks, so they are accurate and the
    /// same for any thread count. Integer sums wrap on overflow.
    ///
    /// ```swift
    /// Tensor<Float>(shape: [2, 2], scalars: [1, 2, 3, 4]).sum().scalar   // 10
    /// ```
    public func sum() -> Tensor {
        reduced(.sum, axes: Array(0..<rank), keepingDimensions: false)
    }

    /// Sums along `axes` (negative axes count from the end); the reduced axes are removed, or
    /// kept with size 1 when `keepingDimensions` is true. An empty `axes` reduces nothing.
    ///
    /// ```swift
    /// let m = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    /// m.sum(alongAxes: [0]).scalars                            // [5, 7, 9]
    /// m.sum(alongAxes: [-1], keepingDimensions: true).shape    // [2, 1]
    /// ```
    public func sum(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        reduced(.sum, axes: resolvedReductionAxes(axes, operation: "sum"), keepingDimensions: keepingDimensions)
    }

    /// Sums along one axis.
    ///
    /// ```swift
    /// Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]).sum(axis: 1).scalars   // [6, 15]
    /// ```
    public func sum(axis: Int, keepingDimensions: Bool = false) -> Tensor {
        sum(alongAxes: [axis], keepingDimensions: keepingDimensions)
    }

    /// The largest element, as a 0-d tensor; NaN when any element is NaN. Traps on an empty tensor.
    ///
    /// ```swift
    /// Tensor<Float>([3, 7, 5]).max().scalar   // 7
    /// ```
    public func max() -> Tensor {
        precondition(count > 0, "max of an empty tensor has no value")
        return reduced(.maximum, axes: Array(0..<rank), keepingDimensions: false)
    }

    /// The largest elements along `axes`; NaN propagates. Traps when a reduced axis is empty.
    ///
    /// ```swift
    /// Tensor<Float>(shape: [2, 2], scalars: [1, 4, 3, 2]).max(alongAxes: [0]).scalars   // [3, 4]
    /// ```
    public func max(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        reduced(.maximum, axes: resolvedReductionAxes(axes, operation: "max"), keepingDimensions: keepingDimensions)
    }

    /// The largest elements along one axis.
    public func max(axis: Int, keepingDimensions: Bool = false) -> Tensor {
        max(alongAxes: [axis], keepingDimensions: keepingDimensions)
    }

    /// The smallest element, as a 0-d tensor; NaN when any element is NaN. Traps on an empty tensor.
    ///
    /// ```swift
    /// Tensor<Float>([3, 7, 5]).min().scalar   // 3
    /// ```
    public func min() -> Tensor {
        precondition(count > 0, "min of an empty tensor has no value")
        return reduced(.minimum, axes: Array(0..<rank), keepingDimensions: false)
    }

    /// The smallest elements along `axes`; NaN propagates. Traps when a reduced axis is empty.
    public func min(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        reduced(.minimum, axes: resolvedReductionAxes(axes, operation: "min"), keepingDimensions: keepingDimensions)
    }

    /// The smallest elements along one axis.
    public func min(axis: Int, keepingDimensions: Bool = false) -> Tensor {
        min(alongAxes: [axis], keepingDimensions: keepingDimensions)
    }

    /// The position of the largest element along `axis`; the first one on ties, and the first
    /// NaN when there is one (as `torch.argmax`). Traps when the axis is empty.
    ///
    /// ```swift
    /// Tensor<Float>(shape: [2, 3], scalars: [1, 5, 5, 9, 0, 2]).argmax(axis: 1).scalars   // [1, 0]
    /// ```
    public func argmax(axis: Int, keepingDimensions: Bool = false) -> Tensor<Int64> {
        argumentOfExtremum(prefersGreater: true, axis: axis, keepingDimensions: keepingDimensions, operation: "argmax")
    }

    /// The position of the smallest element along `axis`; the first one on ties, and the first
    /// NaN when there is one (as `torch.argmin`). Traps when the axis is empty.
    ///
    /// ```swift
    /// Tensor<Float>(shape: [2, 3], scalars: [1, 5, 0, 9, 0, 2]).argmin(axis: 1).scalars   // [2, 1]
    /// ```
    public func argmin(axis: Int, keepingDimensions: Bool = false) -> Tensor<Int64> {
        argumentOfExtremum(prefersGreater: false, axis: axis, keepingDimensions: keepingDimensions, operation: "argmin")
    }

    /// The flat (row-major) position of the largest element, as a 0-d tensor.
    ///
    /// ```swift
    /// Tensor<Float>(shape: [2, 2], scalars: [1, 8, 3, 2]).argmax().scalar   // 1
    /// ```
    public func argmax() -> Tensor<Int64> { flattened().argmax(axis: 0) }

    /// The flat (row-major) position of the smallest element, as a 0-d tensor.
    public func argmin() -> Tensor<Int64> { flattened().argmin(axis: 0) }

    private func argumentOfExtremum(
        prefersGreater: Bool, axis: Int, keepingDimensions: Bool, operation: String
    ) -> Tensor<Int64> {
        let resolved = resolvedReductionAxes([axis], operation: operation)
        let length = resolved.isEmpty ? 1 : shape[resolved[0]]
        let lengthStride = resolved.isEmpty ? 0 : strides[resolved[0]]
        var keptSizes = shape, keptStrides = strides
        if let reducedAxis = resolved.first {
            keptSizes.remove(at: reducedAxis)
            keptStrides.remove(at: reducedAxis)
        }
        let result = Tensor<Int64>(uninitializedShape: reducedShape(resolved, keepingDimensions: keepingDimensions))
        precondition(length > 0 || result.count == 0, "\(operation) over an empty axis of shape \(shape) has no value")
        withExtendedLifetime(self) {
            argumentOfExtremumKernel(prefersGreater: prefersGreater, keptSizes: keptSizes, keptStrides: keptStrides,
                                     length: length, stride: lengthStride,
                                     input: storage.base + offset, output: result.storage.base)
        }
        return result
    }

    /// Sums this tensor (a broadcast result) back down to `targetShape`, the shape of an operand
    /// that was broadcast to produce it: the backward of broadcasting. Leading axes are summed
    /// away and axes where `targetShape` has size 1 are summed with their dimension kept.
    ///
    /// ```swift
    /// let gradient = Tensor<Float>.ones([8, 4, 3])
    /// gradient.summed(toShape: [4, 1]).scalars   // [24, 24, 24, 24]
    /// ```
    @_specialize(exported: true, where Scalar == Float)
    public func summed(toShape targetShape: [Int]) -> Tensor {
        if shape == targetShape { return self }
        let lead = rank - targetShape.count
        precondition(lead >= 0 && Broadcasting.checkedShape(targetShape, shape, operation: "summed(toShape:)") == shape,
                     "summed(toShape:): shape \(targetShape) does not broadcast to \(shape)")
        var axes = Array(0..<lead)
        for axis in targetShape.indices where targetShape[axis] == 1 && shape[lead + axis] != 1 {
            axes.append(lead + axis)
        }
        if let sum = summedOverLeadingAxes(axes, toShape: targetShape) { return sum }
        return reduced(.sum, axes: axes, keepingDimensions: true).reshaped(targetShape)
    }
}

extension Tensor where Scalar: NumericTensorScalar {
    /// ``summed(toShape:)`` when the reduced `axes` are the leading ones of a contiguous tensor
    /// (a `[T, D]` addend's gradient from a `[B, T, D]` sum): the rows folded as the general
    /// reduction folds them, without planning it. Nil when that does not apply.
    private func summedOverLeadingAxes(_ axes: [Int], toShape targetShape: [Int]) -> Tensor? {
        guard layout.isContiguous, !axes.isEmpty, axes.last! == axes.count - 1 else { return nil }
        let rows = shape[..<axes.count].reduce(1, *), width = count / Swift.max(rows, 1)
        // One column is a contiguous run to the general plan, which sums it pairwise in lanes.
        guard rows > 0, width > 1 else { return nil }
        let result = Tensor(uninitializedShape: targetShape)
        let done = withExtendedLifetime(self) {
            sumLeadingRows(storage.base + offset, rows: rows, width: width, into: result.storage.base)
        }
        return done ? result : nil
    }
}

extension Tensor where Scalar: FloatingTensorScalar {
    /// The mean of all elements, as a 0-d tensor (NaN for an empty tensor, as in PyTorch).
    ///
    /// ```swift
    /// Tensor<Float>([1, 2, 3, 6]).mean().scalar   // 3
    /// ```
    public func mean() -> Tensor {
        sum() / Scalar(count)
    }

    /// The means along `axes`: the sums divided by the number of elements folded into each.
    ///
    /// ```swift
    /// Tensor<Float>(shape: [2, 2], scalars: [1, 2, 3, 6]).mean(alongAxes: [1]).scalars   // [1.5, 4.5]
    /// ```
    public func mean(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        let resolved = resolvedReductionAxes(axes, operation: "mean")
        return reduced(.sum, axes: resolved, keepingDimensions: keepingDimensions)
            / Scalar(reducedElementCount(resolved))
    }

    /// The means along one axis.
    public func mean(axis: Int, keepingDimensions: Bool = false) -> Tensor {
        mean(alongAxes: [axis], keepingDimensions: keepingDimensions)
    }

    /// The p-norm `(Σ |x|^p)^(1/p)` over `axes` (all axes when nil): `p` may be 1, 2, any other
    /// positive value, or `.infinity` (the largest magnitude).
    ///
    /// ```swift
    /// Tensor<Float>([3, -4]).norm().scalar                 // 5
    /// Tensor<Float>([3, -4]).norm(p: 1).scalar             // 7
    /// Tensor<Float>([3, -4]).norm(p: .infinity).scalar     // 4
    /// ```
    public func norm(p: Double = 2, alongAxes axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
        precondition(p > 0, "norm needs p > 0 or p = .infinity, got \(p)")
        let resolved = axes.map { resolvedReductionAxes($0, operation: "norm") } ?? Array(0..<rank)
        switch p {
        case .infinity:
            if reducedElementCount(resolved) == 0 {
                return Tensor.zeros(reducedShape(resolved, keepingDimensions: keepingDimensions))
            }
            return abs().reduced(.maximum, axes: resolved, keepingDimensions: keepingDimensions)
        case 1:
            return abs().reduced(.sum, axes: resolved, keepingDimensions: keepingDimensions)
        case 2:
            return squared().reduced(.sum, axes: resolved, keepingDimensions: keepingDimensions).sqrt()
        default:
            return abs().pow(Scalar(p)).reduced(.sum, axes: resolved, keepingDimensions: keepingDimensions)
                .pow(Scalar(1 / p))
        }
    }
}
