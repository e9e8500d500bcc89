extension Tensor where Scalar: FloatingTensorScalar {
    /// `operation` applied to every element, into a new contiguous tensor.
    package func applying(_ operation: UnaryOperation) -> Tensor {
        let result = Tensor(uninitializedShape: shape)
        if count == 0 { return result }
        let out = result.storage.base, input = storage.base
        if isContiguous {
            let start = input + offset
            withExtendedLifetime(self) {
                parallelFor(count, grain: ParallelConfiguration.elementwiseGrain) { range in
                    unaryKernel(operation, start + range.lowerBound, 1, out + range.lowerBound, 1, range.count)
                }
            }
            return result
        }
        let runs = StridedRuns(shape: shape, strides: result.layout.strides, layout.strides, layout.strides)
        let (outStride, inputStride, _) = runs.innerStrides
        withExtendedLifetime(self) {
            runs.forEachRunInParallel(offsets: (0, offset, offset)) { o, i, _, n in
                unaryKernel(operation, input + i, inputStride, out + o, outStride, n)
            }
        }
        return result
    }

    /// Applies `operation` to every element in place.
    package mutating func formApplying(_ operation: UnaryOperation) {
        makeUniqueAndContiguous()
        let base = storage.base + offset
        parallelFor(count, grain: ParallelConfiguration.elementwiseGrain) { range in
            unaryKernel(operation, base + range.lowerBound, 1, base + range.lowerBound, 1, range.count)
        }
    }

    /// Elementwise exponential, PyTorch's `torch.exp`.
    public func exp() -> Tensor { applying(.exp) }
    /// Elementwise natural logarithm, PyTorch's `torch.log` (−inf at 0, NaN below 0).
    public func log() -> Tensor { applying(.log) }
    /// Elementwise `log(1 + x)`, accurate near 0, PyTorch's `torch.log1p`.
    public func log1p() -> Tensor { applying(.log1p) }
    /// Elementwise square root, PyTorch's `torch.sqrt` (NaN below 0).
    public func sqrt() -> Tensor { applying(.sqrt) }
    /// Elementwise absolute value, PyTorch's `torch.abs`.
    public func abs() -> Tensor { applying(.abs) }
    /// Elementwise hyperbolic tangent, PyTorch's `torch.tanh`.
    public func tanh() -> Tensor { applying(.tanh) }
    /// Elementwise logistic sigmoid `1 / (1 + exp(-x))`, PyTorch's `torch.sigmoid`.
    public func sigmoid() -> Tensor { applying(.sigmoid) }
    /// Elementwise `max(x, 0)`, PyTorch's `torch.relu`; NaN stays NaN.
    public func relu() -> Tensor { applying(.relu) }
    /// The exact GELU, `x/2 · (1 + erf(x/√2))` (PyTorch's default `approximate='none'`).
    public func gelu() -> Tensor { applying(.gelu) }
    /// The Gauss error function.
    public func erf() -> Tensor { applying(.erf) }
    /// Elementwise sine (radians), PyTorch's `torch.sin`.
    public func sin() -> Tensor { applying(.sin) }
    /// Elementwise cosine (radians), PyTorch's `torch.cos`.
    public func cos() -> Tensor { applying(.cos) }
    /// Every element squared, `x * x`: PyTorch's `torch.square`.
    public func squared() -> Tensor { applying(.square) }
    /// Every element raised to `exponent`.
    public func pow(_ exponent: Scalar) -> Tensor { applying(.power(exponent.doubleValue)) }
    /// Every element limited to `lower...upper` (either bound may be nil); NaN stays NaN.
    public func clamped(min lower: Scalar? = nil, max upper: Scalar? = nil) -> Tensor {
        applying(.clamp(lower: lower?.doubleValue, upper: upper?.doubleValue))
    }
}
