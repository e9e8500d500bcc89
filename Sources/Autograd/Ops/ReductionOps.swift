extension Variable {
    /// The sum of all elements (0-d).
    @_specialize(where Scalar == Float)
    public func sum() -> Variable {
        let inputShape = shape
        return Variable.recordDense(value.sum(), name: "SumBackward0", inputs: [self]) {
            [$0.expanded(to: inputShape)]
        }
    }

    /// Sums along `axes`; the backward broadcasts the gradient back over them.
    public func sum(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Variable {
        let inputShape = shape
        let kept = Variable.keptShape(inputShape, axes: axes)
        return Variable.recordDense(value.sum(alongAxes: axes, keepingDimensions: keepingDimensions),
                                    name: "SumBackward1", inputs: [self]) {
            [$0.reshaped(kept).expanded(to: inputShape)]
        }
    }

    /// Sums along one axis (negative axes count from the end), PyTorch's `sum(dim)`; the backward
    /// broadcasts the gradient back over that axis (`SumBackward1`).
    public func sum(axis: Int, keepingDimensions: Bool = false) -> Variable {
        sum(alongAxes: [axis], keepingDimensions: keepingDimensions)
    }

    /// The mean of all elements (0-d).
    public func mean() -> Variable {
        let inputShape = shape
        let scale = Scalar(1) / Scalar(Swift.max(value.count, 1))
        return Variable.recordDense(value.mean(), name: "MeanBackward0", inputs: [self]) {
            [($0 * scale).expanded(to: inputShape)]
        }
    }

    /// Means along `axes`.
    public func mean(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Variable {
        let inputShape = shape
        let kept = Variable.keptShape(inputShape, axes: axes)
        let reduced = Set(axes.map { Layout.normalize(axis: $0, rank: inputShape.count) }).map { inputShape[$0] }.reduce(1, *)
        let scale = Scalar(1) / Scalar(Swift.max(reduced, 1))
        return Variable.recordDense(value.mean(alongAxes: axes, keepingDimensions: keepingDimensions),
                                    name: "MeanBackward1", inputs: [self]) {
            [($0 * scale).reshaped(kept).expanded(to: inputShape)]
        }
    }

    /// Means along one axis (negative axes count from the end), PyTorch's `mean(dim)`. Backward: the
    /// gradient divided by the axis's size, broadcast back over it (`MeanBackward1`).
    public func mean(axis: Int, keepingDimensions: Bool = false) -> Variable {
        mean(alongAxes: [axis], keepingDimensions: keepingDimensions)
    }

    /// Maximum along `axis`; the gradient goes to the first maximal element, as PyTorch's `max(dim)`.
    public func max(axis: Int, keepingDimensions: Bool = false) -> Variable {
        extremum(axis: axis, keepingDimensions: keepingDimensions, indices: value.argmax(axis: axis, keepingDimensions: true),
                 result: value.max(axis: axis, keepingDimensions: keepingDimensions), name: "MaxBackward0")
    }

    /// Minimum along `axis`; the gradient goes to the first minimal element.
    public func min(axis: Int, keepingDimensions: Bool = false) -> Variable {
        extremum(axis: axis, keepingDimensions: keepingDimensions, indices: value.argmin(axis: axis, keepingDimensions: true),
                 result: value.min(axis: axis, keepingDimensions: keepingDimensions), name: "MinBackward0")
    }

    private func extremum(axis: Int, keepingDimensions: Bool, indices: Tensor<Int64>, result: Tensor<Scalar>,
                          name: String) -> Variable {
        let inputShape = shape
        let resolved = Layout.normalize(axis: axis, rank: value.rank)
        let kept = Variable.keptShape(inputShape, axes: [resolved])
        return Variable.recordDense(result, name: name, inputs: [self]) { gradient in
            let expandedIndices = indices.expanded(to: inputShape)
            let positions = Tensor<Int64>.arange(Int64(inputShape[resolved]))
                .reshaped((0..<inputShape.count).map { $0 == resolved ? inputShape[resolved] : 1 })
                .expanded(to: inputShape)
            let mask = (positions .== expandedIndices).asScalars(Scalar.self)
            return [mask * gradient.reshaped(kept).expanded(to: inputShape)]
        }
    }

    /// The p-norm of all elements, or along `axes`.
    public func norm(p: Double = 2, alongAxes axes: [Int]? = nil, keepingDimensions: Bool = false) -> Variable {
        let input = value
        let inputShape = shape
        let allAxes = axes ?? Array(0..<value.rank)
        let kept = Variable.keptShape(inputShape, axes: allAxes)
        let result = input.norm(p: p, alongAxes: axes, keepingDimensions: keepingDimensions)
        return Variable.recordDense(result, name: "NormBackward1", inputs: [self]) { gradient in
            let norm = result.reshaped(kept).expanded(to: inputShape)
            let upstream = gradient.reshaped(kept).expanded(to: inputShape)
            let local: Tensor<Scalar>
            if p == .infinity {
                let hits = (input.abs() .== norm).asScalars(Scalar.self)
                let hitCount = hits.sum(alongAxes: allAxes, keepingDimensions: true).expanded(to: inputShape)
                local = Variable.sign(of: input) * hits / hitCount
            } else if p == 1 {
                local = Variable.sign(of: input)
            } else {
                // x·|x|^(p−2) / ‖x‖^(p−1); zero where the norm is zero, as PyTorch.
                let safeNorm = Tensor.where(norm .== Tensor(scalar: 0), Tensor(scalar: 1), norm)
                let scaled = Variable.sign(of: input) * input.abs().pow(Scalar(p - 1)) / safeNorm.pow(Scalar(p - 1))
                local = Tensor.where(norm .== Tensor(scalar: 0), Tensor(scalar: 0), scaled)
            }
            return [upstream * local]
        }
    }

    /// log Σ exp along `axis`, computed stably.
    public func logSumExp(axis: Int, keepingDimensions: Bool = false) -> Variable {
        let input = value
        let inputShape = shape
        let resolved = Layout.normalize(axis: axis, rank: value.rank)
        let kept = Variable.keptShape(inputShape, axes: [resolved])
        let result = input.logSumExp(axis: resolved, keepingDimensions: keepingDimensions)
        return Variable.recordDense(result, name: "LogsumexpBackward0", inputs: [self]) { gradient in
            let weights = (input - result.reshaped(kept)).exp()
            return [gradient.reshaped(kept) * weights]
        }
    }

    /// Softmax along `axis`.
    public func softmax(axis: Int) -> Variable {
        let result = value.softmax(axis: axis)
        let resolved = Layout.normalize(axis: axis, rank: value.rank)
        return Variable.recordDense(result, name: "SoftmaxBackward0", inputs: [self]) { gradient in
            let dot = (gradient * result).sum(axis: resolved, keepingDimensions: true)
            return [result * (gradient - dot)]
        }
    }

    /// Log-softmax along `axis`.
    public func logSoftmax(axis: Int) -> Variable {
        let result = value.logSoftmax(axis: axis)
        let resolved = Layout.normalize(axis: axis, rank: value.rank)
        return Variable.recordDense(result, name: "LogSoftmaxBackward0", inputs: [self]) { gradient in
            let total = gradient.sum(axis: resolved, keepingDimensions: true)
            return [gradient - result.exp() * total]
        }
    }

    /// `shape` with every axis in `axes` set to 1.
    static func keptShape(_ shape: [Int], axes: [Int]) -> [Int] {
        var kept = shape
        for axis in axes { kept[Layout.normalize(axis: axis, rank: shape.count)] = 1 }
        return kept
    }

    static func sign(of tensor: Tensor<Scalar>) -> Tensor<Scalar> {
        (tensor .> Tensor(scalar: 0)).asScalars(Scalar.self) - (tensor .< Tensor(scalar: 0)).asScalars(Scalar.self)
    }
}
