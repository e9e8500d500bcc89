/// Layer normalisation (Ba et al.), PyTorch's `nn.LayerNorm`: each slice over the trailing
/// `normalizedShape` axes is shifted to mean 0 and scaled to variance 1 (the biased variance, as
/// PyTorch), then multiplied by `weight` and shifted by `bias` (starting at 1 and 0).
///
/// Forward and backward are one fused node each way (PyTorch's `NativeLayerNormBackward0`); row
/// statistics are accumulated in Double.
///
/// ```swift
/// let norm = LayerNorm(normalizedShape: [4])                      // LayerNorm<Float>
/// let y = norm(Variable(Tensor<Float>(shape: [2, 4], scalars: [1, 2, 3, 4, 2, 2, 2, 2])))
/// // rows [-1.3416, -0.4472, 0.4472, 1.3416] and [0, 0, 0, 0]
/// ```
public final class LayerNorm<Scalar: FloatingTensorScalar>: Module {
    /// The trailing axes normalised over, PyTorch's `normalized_shape`; inputs must end with them.
    public let normalizedShape: [Int]
    /// Added to the variance before its square root, for numerical stability: PyTorch's `eps`
    /// (default 1e-5).
    public let epsilon: Double
    /// Shaped like `normalizedShape`, or nil without an elementwise affine transform.
    public let weight: Parameter<Scalar>?
    /// Shaped like `normalizedShape`, or nil without an elementwise affine transform.
    public let bias: Parameter<Scalar>?
    public var isTraining = true

    public var ownParameters: [(name: String, parameter: Parameter<Scalar>)] {
        guard let weight, let bias else { return [] }
        return [("weight", weight), ("bias", bias)]
    }

    public convenience init(normalizedShape: [Int], epsilon: Double = 1e-5, elementwiseAffine: Bool = true) {
        self.init(initializingShape: normalizedShape, epsilon: epsilon, elementwiseAffine: elementwiseAffine)
    }

    private init(initializingShape normalizedShape: [Int], epsilon: Double, elementwiseAffine: Bool) {
        precondition(!normalizedShape.isEmpty && normalizedShape.allSatisfy { $0 > 0 },
                     "LayerNorm needs a non-empty shape of positive sizes, got \(normalizedShape)")
        precondition(epsilon >= 0, "LayerNorm needs a non-negative epsilon, got \(epsilon)")
        self.normalizedShape = normalizedShape
        self.epsilon = epsilon
        weight = elementwiseAffine ? Parameter(.ones(normalizedShape)) : nil
        bias = elementwiseAffine ? Parameter(.zeros(normalizedShape)) : nil
    }

    /// ``callAsFunction(_:)-(Variable<Scalar>)`` on a constant tensor.
    public func callAsFunction(_ input: Tensor<Scalar>) -> Variable<Scalar> { self(Variable(input)) }

    /// Normalises `input` of shape [..., normalizedShape] over its trailing axes.
    public func callAsFunction(_ input: Variable<Scalar>) -> Variable<Scalar> {
        let shape = input.shape
        precondition(shape.count >= normalizedShape.count && Array(shape.suffix(normalizedShape.count)) == normalizedShape,
                     "LayerNorm(\(normalizedShape)) expects input of shape [..., \(normalizedShape)], got \(shape)")
        let width = normalizedShape.reduce(1, *)
        let rowCount = input.value.count / width
        let x = input.value.contiguous()
        let gamma = weight?.value.contiguous(), beta = bias?.value.contiguous()
        var statistics = LayerNormStatistics(rowCount: rowCount)
        let output = makeTensor(shape: shape) { (output: UnsafeMutablePointer<Scalar>) in
            x.withContiguousBuffer { x in
                gamma.withOptionalContiguousBuffer { gamma in
                    beta.withOptionalContiguousBuffer { beta in
                        layerNormForward(x.baseAddress!, gamma?.baseAddress, beta?.baseAddress, output,
                                         rowCount, width, epsilon, &statistics)
                    }
                }
            }
        }
        var inputs = [input]
        if let weight, let bias { inputs += [weight, bias] }
        let needs = inputs.map(\.requiresGrad)
        return Variable.recordDense(output, name: "NativeLayerNormBackward0", inputs: inputs) { upstream in
            let dy = upstream.contiguous()
            var weightGradient = Tensor<Scalar>.zeros(gamma?.shape ?? [])
            var biasGradient = Tensor<Scalar>.zeros(gamma?.shape ?? [])
            let inputGradient = makeTensor(shape: shape) { (dx: UnsafeMutablePointer<Scalar>) in
                x.withContiguousBuffer { x in
                    dy.withContiguousBuffer { dy in
                        gamma.withOptionalContiguousBuffer { gamma in
                            weightGradient.withMutableContiguousBuffer { dw in
                                biasGradient.withMutableContiguousBuffer { db in
                                    layerNormBackward(x.baseAddress!, dy.baseAddress!, gamma?.baseAddress, statistics,
                                                      dx, gamma == nil ? nil : dw.baseAddress,
                                                      gamma == nil ? nil : db.baseAddress, rowCount, width)
                                }
                            }
                        }
                    }
                }
            }
            guard needs.count == 3 else { return [inputGradient] }
            return [needs[0] ? inputGradient : nil, needs[1] ? weightGradient : nil, needs[2] ? biasGradient : nil]
        }
    }
}

extension LayerNorm where Scalar == Float {
    /// A `Float` layer: `LayerNorm(normalizedShape: [256])`.
    public convenience init(normalizedShape: [Int], epsilon: Double = 1e-5, elementwiseAffine: Bool = true) {
        self.init(initializingShape: normalizedShape, epsilon: epsilon, elementwiseAffine: elementwiseAffine)
    }
}

/// Each row's mean and reciprocal standard deviation, saved by the forward pass for the backward.
struct LayerNormStatistics: Sendable {
    var mean: [Double]
    var reciprocalDeviation: [Double]

    init(rowCount: Int) {
        mean = [Double](repeating: 0, count: rowCount)
        reciprocalDeviation = [Double](repeating: 0, count: rowCount)
    }
}

extension Optional {
    /// Calls `body` with the wrapped tensor's contiguous buffer, or nil.
    fileprivate func withOptionalContiguousBuffer<Element, Result>(
        _ body: (UnsafeBufferPointer<Element>?) -> Result
    ) -> Result where Wrapped == Tensor<Element> {
        switch self {
        case .some(let tensor): return tensor.withContiguousBuffer { body($0) }
        case .none: return body(nil)
        }
    }
}

// Kernel precondition: `x`, `output`, `dy`, `dx` address rowCount × width elements; `gamma`, `beta`,
// `dw`, `db` address width elements or are nil; `dw` and `db` hold zeros on entry.

/// `y = (x − mean)·rstd·γ + β` per row, recording each row's mean and rstd. Threads own rows.
private func layerNormForward<Scalar: FloatingTensorScalar>(
    _ x: UnsafePointer<Scalar>, _ gamma: UnsafePointer<Scalar>?, _ beta: UnsafePointer<Scalar>?,
    _ output: UnsafeMutablePointer<Scalar>, _ rowCount: Int, _ width: Int, _ epsilon: Double,
    _ statistics: inout LayerNormStatistics
) {
    statistics.mean.withUnsafeMutableBufferPointer { mean in
        statistics.reciprocalDeviation.withUnsafeMutableBufferPointer { rstd in
            let rows = LayerNormRows(mean: mean.baseAddress!, rstd: rstd.baseAddress!, rowCount: rowCount, width: width)
            rows.forward(x, gamma, beta, output, epsilon)
        }
    }
}

/// `dx = rstd·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂))` with `dx̂ = dy·γ` per row (threads own rows), and
/// `dγ = Σ dy·x̂`, `dβ = Σ dy` over rows (threads own columns, rows summed in order).
private func layerNormBackward<Scalar: FloatingTensorScalar>(
    _ x: UnsafePointer<Scalar>, _ dy: UnsafePointer<Scalar>, _ gamma: UnsafePointer<Scalar>?,
    _ statistics: LayerNormStatistics, _ dx: UnsafeMutablePointer<Scalar>, _ dw: UnsafeMutablePointer<Scalar>?,
    _ db: UnsafeMutablePointer<Scalar>?, _ rowCount: Int, _ width: Int
) {
    statistics.mean.withUnsafeBufferPointer { mean in
        statistics.reciprocalDeviation.withUnsafeBufferPointer { rstd in
            // The backward only reads the statistics.
            let rows = LayerNormRows(mean: UnsafeMutablePointer(mutating: mean.baseAddress!),
                                     rstd: UnsafeMutablePointer(mutating: rstd.baseAddress!), rowCount: rowCount, width: width)
            rows.backward(x, dy, gamma, dx, dw, db)
        }
    }
}

/// The per-row statistics of one layer-norm call and the loops over its rows.
private struct LayerNormRows {
    let mean: UnsafeMutablePointer<Double>
    let rstd: UnsafeMutablePointer<Double>
    let rowCount: Int
    let width: Int

    private var rowGrain: Int { Swift.max(1, ParallelConfiguration.elementwiseGrain / Swift.max(width, 1)) }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func forward<T: FloatingTensorScalar>(
        _ x: UnsafePointer<T>, _ gamma: UnsafePointer<T>?, _ beta: UnsafePointer<T>?,
        _ output: UnsafeMutablePointer<T>, _ epsilon: Double
    ) {
        parallelFor(rowCount, grain: rowGrain) { rows in
            for row in rows {
                let input = x + row * width, y = output + row * width
                var sum = 0.0
                for i in 0..<width { sum += input[i].doubleValue }
                let rowMean = sum / Double(width)
                var squares = 0.0
                for i in 0..<width {
                    let centered = input[i].doubleValue - rowMean
                    squares += centered * centered
                }
                let reciprocal = 1 / (squares / Double(width) + epsilon).squareRoot()
                mean[row] = rowMean
                rstd[row] = reciprocal
                let shift = T(rowMean), scale = T(reciprocal)
                for i in 0..<width {
                    var normalized = (input[i] - shift) * scale
                    if let gamma { normalized = normalized * gamma[i] }
                    if let beta { normalized = normalized + beta[i] }
                    y[i] = normalized
                }
            }
        }
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func backward<T: FloatingTensorScalar>(
        _ x: UnsafePointer<T>, _ dy: UnsafePointer<T>, _ gamma: UnsafePointer<T>?,
        _ dx: UnsafeMutablePointer<T>, _ dw: UnsafeMutablePointer<T>?, _ db: UnsafeMutablePointer<T>?
    ) {
        parallelFor(rowCount, grain: rowGrain) { rows in
            for row in rows {
                let input = x + row * width, upstream = dy + row * width, result = dx + row * width
                let rowMean = mean[row], reciprocal = rstd[row]
                var meanGradient = 0.0, projection = 0.0
                for i in 0..<width {
                    let normalized = (input[i].doubleValue - rowMean) * reciprocal
                    let gradient = upstream[i].doubleValue * (gamma?[i].doubleValue ?? 1)
                    meanGradient += gradient
                    projection += gradient * normalized
                }
                meanGradient /= Double(width)
                projection /= Double(width)
                for i in 0..<width {
                    let normalized = (input[i].doubleValue - rowMean) * reciprocal
                    let gradient = upstream[i].doubleValue * (gamma?[i].doubleValue ?? 1)
                    result[i] = T(reciprocal * (gradient - meanGradient - normalized * projection))
                }
            }
        }
        guard let dw, let db else { return }
        let columnGrain = Swift.max(1, ParallelConfiguration.elementwiseGrain / Swift.max(rowCount, 1))
        parallelFor(width, grain: columnGrain) { columns in
            for row in 0..<rowCount {
                let input = x + row * width, upstream = dy + row * width
                let rowMean = mean[row], reciprocal = rstd[row]
                for i in columns {
                    let normalized = T((input[i].doubleValue - rowMean) * reciprocal)
                    dw[i] += upstream[i] * normalized
                    db[i] += upstream[i]
                }
            }
        }
    }
}
