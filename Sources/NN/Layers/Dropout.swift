/// Dropout (Srivastava et al.), PyTorch's `nn.Dropout`: in training mode each element is zeroed
/// with probability `probability` and the survivors are scaled by 1 / (1 − probability), so the
/// expected value is unchanged; in evaluation mode (``Module/eval()``) it is the identity.
///
/// The mask keeps an element when a uniform draw `Tensor.rand` from `generator` (the global
/// generator when nil) is below 1 − probability, one draw per element in order. PyTorch's CPU
/// dropout draws its Bernoulli mask differently (through MKL when available), so masks are
/// reproducible from a seed here but not equal to PyTorch's.
///
/// ```swift
/// let dropout = Dropout(probability: 0.1, generator: Generator(seed: 0))   // Dropout<Float>
/// let y = dropout(x)          // training: ≈10% zeros, the rest × 1/0.9
/// dropout.eval(); dropout(x)  // x unchanged
/// ```
public final class Dropout<Scalar: FloatingTensorScalar>: Module {
    /// The probability of zeroing each element in training mode, PyTorch's `p` (0...1, default 0.5).
    public let probability: Double
    public var isTraining = true
    private let generator: Generator?

    public convenience init(probability: Double = 0.5, generator: Generator? = nil) {
        self.init(initializingProbability: probability, generator: generator)
    }

    private init(initializingProbability probability: Double, generator: Generator?) {
        precondition(probability >= 0 && probability <= 1,
                     "dropout probability has to be between 0 and 1, but got \(probability)")
        self.probability = probability
        self.generator = generator
    }

    /// ``callAsFunction(_:)-(Variable<Scalar>)`` on a constant tensor.
    public func callAsFunction(_ input: Tensor<Scalar>) -> Variable<Scalar> { self(Variable(input)) }

    /// `input` with dropped elements zeroed and the rest scaled (training), or `input` itself.
    public func callAsFunction(_ input: Variable<Scalar>) -> Variable<Scalar> {
        guard isTraining && probability > 0 && input.value.count > 0 else { return input }
        if probability == 1 { return input * Tensor<Scalar>.zeros(input.shape) }
        var mask = Tensor<Scalar>.rand(input.shape, generator: generator)
        mask.withMutableContiguousBuffer { formDropoutMask($0, keepProbability: 1 - probability) }
        return input * mask
    }
}

/// Replaces each uniform draw `u` by `1 / keep` when `u < keep` and by 0 otherwise, with `keep`
/// and its reciprocal rounded to the element type as PyTorch's `noise.div_(1 − p)` rounds them.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
private func formDropoutMask<Scalar: FloatingTensorScalar>(
    _ draws: UnsafeMutableBufferPointer<Scalar>, keepProbability: Double
) {
    let keep = Scalar(keepProbability), scale = 1 / keep
    for i in draws.indices { draws[i] = draws[i] < keep ? scale : 0 }
}

extension Dropout where Scalar == Float {
    /// A `Float` layer: `Dropout(probability: 0.1)`.
    public convenience init(probability: Double = 0.5, generator: Generator? = nil) {
        self.init(initializingProbability: probability, generator: generator)
    }
}
