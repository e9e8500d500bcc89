/// A fully connected layer, PyTorch's `nn.Linear`: `y = x·Wᵀ + b` over the last axis of `x`.
///
/// The weight has shape [outputSize, inputSize] and the bias [outputSize]. Both start as PyTorch
/// initialises them (`kaiming_uniform_(a: √5)`, i.e. U(−1/√inputSize, 1/√inputSize), then the bias
/// from the same range), drawing the weight first and then the bias from `generator` (the global
/// generator when nil), so that after the same seed the values equal PyTorch's.
///
/// The forward pass and its backward are one node (PyTorch's `AddmmBackward0`, recorded by
/// `Variable.linear(weight:bias:)`): inputs of any rank are flattened to rows, multiplied, and
/// reshaped back.
///
/// ```swift
/// manualSeed(0)
/// let layer = Linear(inputSize: 4, outputSize: 2)       // Linear<Float>
/// let y = layer(Variable(Tensor<Float>.ones([8, 3, 4]))) // shape [8, 3, 2]
/// ```
public final class Linear<Scalar: FloatingTensorScalar>: Module {
    /// The number of input features, the size of the input's last axis (PyTorch's `in_features`).
    public let inputSize: Int
    /// The number of output features, the size of the result's last axis (PyTorch's `out_features`).
    public let outputSize: Int
    /// [outputSize, inputSize].
    public let weight: Parameter<Scalar>
    /// [outputSize], or nil when built with `bias: false`.
    public let bias: Parameter<Scalar>?
    public var isTraining = true

    public var ownParameters: [(name: String, parameter: Parameter<Scalar>)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public convenience init(inputSize: Int, outputSize: Int, bias: Bool = true, generator: Generator? = nil) {
        self.init(initializingInputSize: inputSize, outputSize: outputSize, bias: bias, generator: generator)
    }

    private init(initializingInputSize inputSize: Int, outputSize: Int, bias hasBias: Bool, generator: Generator?) {
        precondition(inputSize >= 0 && outputSize >= 0,
                     "Linear needs non-negative sizes, got inputSize \(inputSize), outputSize \(outputSize)")
        self.inputSize = inputSize
        self.outputSize = outputSize
        // kaiming_uniform_(a = √5) computes gain = √(2 / (1 + a²)), std = gain / √fanIn and
        // bound = √3 · std in Double; the bias bound is 1 / √fanIn. The two differ in the last bit
        // for some sizes, so both are computed as PyTorch does.
        let a = 5.0.squareRoot()
        let gain = (2.0 / (1 + a * a)).squareRoot()
        let fanIn = Double(inputSize)
        let weightBound = inputSize > 0 ? 3.0.squareRoot() * (gain / fanIn.squareRoot()) : 0
        var weightValues = Tensor<Scalar>.zeros([outputSize, inputSize])
        if inputSize > 0 { weightValues.fillUniform(from: -weightBound, to: weightBound, generator: generator) }
        weight = Parameter(weightValues)
        if hasBias {
            let biasBound = inputSize > 0 ? 1 / fanIn.squareRoot() : 0
            var biasValues = Tensor<Scalar>.zeros([outputSize])
            biasValues.fillUniform(from: -biasBound, to: biasBound, generator: generator)
            bias = Parameter(biasValues)
        } else {
            bias = nil
        }
    }

    /// ``callAsFunction(_:)-(Variable<Scalar>)`` on a constant tensor, as `layer(x)` on a plain
    /// tensor in PyTorch.
    ///
    /// ```swift
    /// let y = Linear(inputSize: 3, outputSize: 4)(Tensor.randn([2, 3]))   // Variable, shape [2, 4]
    /// ```
    public func callAsFunction(_ input: Tensor<Scalar>) -> Variable<Scalar> { self(Variable(input)) }

    /// `input·Wᵀ + b` for `input` of shape [..., inputSize]; the result has shape [..., outputSize]
    /// (`Variable.linear(weight:bias:)`, one `AddmmBackward0` node).
    @_specialize(exported: true, where Scalar == Float)
    public func callAsFunction(_ input: Variable<Scalar>) -> Variable<Scalar> {
        precondition(input.value.rank >= 1 && input.shape.last == inputSize,
                     "Linear(\(inputSize) → \(outputSize)) expects input of shape [..., \(inputSize)], got \(input.shape)")
        return input.linear(weight: weight, bias: bias)
    }
}

extension Linear where Scalar == Float {
    /// A `Float` layer: `Linear(inputSize: 4, outputSize: 2)`.
    public convenience init(inputSize: Int, outputSize: Int, bias: Bool = true, generator: Generator? = nil) {
        self.init(initializingInputSize: inputSize, outputSize: outputSize, bias: bias, generator: generator)
    }
}
