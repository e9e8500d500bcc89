extension Tensor where Scalar: FloatingTensorScalar {
    /// `operation` applied to every element, into a new contiguous tensor.
    public func applying(_ operation: UnaryOperation) -> Tensor {
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
    public mutating func formApplying(_ operation: UnaryOperation) {
        makeUniqueAndContiguous()
        let base = storage.base + offset
        parallelFor(count, grain: ParallelConfiguration.elementwiseGrain) { range in
            unaryKernel(operation, base + range.lowerBound, 1, base + range.lowerBound, 1, range.count)
        }
    }

    public func exp() -> Tensor { applying(.exp) }
    public func log() -> Tensor { applying(.log) }
    public func log1p() -> Tensor { applying(.log1p) }
    public func sqrt() -> Tensor { applying(.sqrt) }
    public func abs() -> Tensor { applying(.abs) }
    public func tanh() -> Tensor { applying(.tanh) }
    public func sigmoid() -> Tensor { applying(.sigmoid) }
    public func relu() -> Tensor { applying(.relu) }
    /// The exact GELU, `x/2 · (1 + erf(x/√2))` (PyTorch's default `approximate='none'`).
    public func gelu() -> Tensor { applying(.gelu) }
    /// The Gauss error function.
    public func erf() -> Tensor { applying(.erf) }
    public func sin() -> Tensor { applying(.sin) }
    public func cos() -> Tensor { applying(.cos) }
    public func squared() -> Tensor { applying(.square) }
    /// Every element raised to `exponent`.
    public func pow(_ exponent: Scalar) -> Tensor { applying(.power(exponent.doubleValue)) }
    /// Every element limited to `lower...upper` (either bound may be nil); NaN stays NaN.
    public func clamped(min lower: Scalar? = nil, max upper: Scalar? = nil) -> Tensor {
        applying(.clamp(lower: lower?.doubleValue, upper: upper?.doubleValue))
    }
}
