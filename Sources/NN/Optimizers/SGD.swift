/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum, weight decay
/// and maximisation: PyTorch's `torch.optim.SGD`, with its update order and its float rounding
/// (the results match PyTorch on x86-64 bit for bit; reference/pytorch-parity.md §C).
///
/// Per parameter with a gradient, per step:
/// ```
/// g = maximize ? −grad : grad
/// if weightDecay ≠ 0: g = g + weightDecay·p
/// if momentum ≠ 0:    buf = (first step) ? g : momentum·buf + (1 − dampening)·g
///                     g = nesterov ? g + momentum·buf : buf
/// p = p − learningRate·g
/// ```
/// Parameters whose gradient is nil (frozen ones) are skipped: no decay, no momentum state.
///
/// Row-sparse gradients (from embeddings) keep these dense semantics and are applied without a
/// dense gradient: plain SGD (no momentum, no weight decay) touches only the rows in the gradient,
/// summing duplicate rows first exactly as the dense gradient would, so the result is bit-identical
/// to the dense update at O(tokens × D) per step. With momentum every row that has ever had a
/// gradient changes (its buffer decays), and one fused pass visits those rows, reading zeros for
/// the rows without a gradient this step; rows that never had one keep a +0 buffer and their values,
/// exactly as under the dense update. With weight decay or maximisation the pass covers the whole
/// table (maximisation turns a −0 parameter into +0 even where the gradient is zero). Parameters marked `Parameter.isSparse` (layers built with
/// `sparse: true`) follow PyTorch's sparse-gradient path instead: without momentum each entry is
/// applied on its own in entry order; with momentum only rows that ever had a gradient are visited
/// (their buffers equal PyTorch's up to rounding, PyTorch summing in a different order); weight decay
/// is not supported for them, as in PyTorch.
///
/// Invalid hyper-parameters trap with PyTorch's messages (`Invalid learning rate: -0.1`), because
/// they are mistakes in the code rather than in data.
///
/// ```swift
/// let sgd = SGD(parameters: tok.parameters + pos.parameters, learningRate: 0.1, momentum: 0.9)
/// sgd.zeroGrad()
/// loss.backward()
/// sgd.step()
/// ```
public final class SGD<Scalar: FloatingTensorScalar>: Optimizer {
    public let parameters: [Parameter<Scalar>]
    public var learningRate: Double {
        didSet { precondition(learningRate >= 0, "Invalid learning rate: \(learningRate)") }
    }
    /// PyTorch's `momentum`: the factor by which the momentum buffer carries over between steps;
    /// 0 (the default) for plain SGD.
    public let momentum: Double
    /// PyTorch's `dampening`: the gradient enters the momentum buffer scaled by `1 − dampening`
    /// (default 0; has to be 0 with Nesterov momentum).
    public let dampening: Double
    /// PyTorch's `weight_decay`: the L2 penalty added to the gradient as `weightDecay·p` (default 0).
    public let weightDecay: Double
    /// PyTorch's `nesterov`: whether to use Nesterov momentum, `g + momentum·buf` instead of `buf`
    /// (default false).
    public let nesterov: Bool
    /// PyTorch's `maximize`: whether to maximise the objective, stepping along the gradient instead of
    /// against it (default false).
    public let maximize: Bool

    private var states: [ParameterState?]

    /// An SGD optimizer over `parameters`, with PyTorch's defaults.
    ///
    /// Invalid values trap with PyTorch's messages (`Invalid momentum value: -0.5`).
    ///
    /// - Parameters:
    ///   - parameters: The parameters to update; each may appear only once.
    ///   - learningRate: The step size, PyTorch's `lr` (≥ 0).
    ///   - momentum: The momentum factor (≥ 0); 0 for plain SGD.
    ///   - dampening: The dampening of the gradient entering the momentum buffer.
    ///   - weightDecay: The L2 penalty added to the gradient (≥ 0); a parameter marked
    ///     `Parameter.isSparse` needs 0, else ``step()`` traps.
    ///   - nesterov: Whether to use Nesterov momentum; needs a positive `momentum` and zero
    ///     `dampening`.
    ///   - maximize: Whether to maximise the objective instead of minimising it.
    ///
    /// ```swift
    /// let optimizer = SGD(parameters: model.parameters, learningRate: 0.1, momentum: 0.9)
    /// ```
    public init(parameters: [Parameter<Scalar>], learningRate: Double = 1e-3, momentum: Double = 0,
                dampening: Double = 0, weightDecay: Double = 0, nesterov: Bool = false, maximize: Bool = false) {
        precondition(learningRate >= 0, "Invalid learning rate: \(learningRate)")
        precondition(momentum >= 0, "Invalid momentum value: \(momentum)")
        precondition(weightDecay >= 0, "Invalid weight_decay value: \(weightDecay)")
        precondition(!nesterov || (momentum > 0 && dampening == 0),
                     "Nesterov momentum requires a momentum and zero dampening")
        checkDistinct(parameters, optimizer: "SGD")
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        self.maximize = maximize
        states = Array(repeating: nil, count: parameters.count)
    }

    /// The momentum buffer of `parameter`, shaped like it, or nil before its first update with
    /// momentum (frozen parameters never get one).
    public func momentumBuffer(for parameter: Parameter<Scalar>) -> Tensor<Scalar>? {
        guard let index = parameters.firstIndex(where: { $0 === parameter }) else { return nil }
        return states[index]?.momentumBuffer
    }

    @_specialize(exported: true, where Scalar == Float)
    public func step() {
        let settings = SGDSettings(learningRate: learningRate, momentum: momentum, dampening: dampening,
                                   weightDecay: weightDecay, nesterov: nesterov, maximize: maximize)
        for (index, parameter) in parameters.enumerated() {
            guard let gradient = parameter.gradient else { continue }
            let state = states[index] ?? ParameterState()
            states[index] = state
            switch gradient {
            case .dense(let dense):
                state.updateDense(parameter, gradient: dense, settings: settings)
            case .rows(let rows) where parameter.isSparse:
                precondition(weightDecay == 0, """
                    SGD: weight decay is not supported for a sparse parameter (PyTorch: add(sparse, dense) is \
                    not supported. Use add(dense, sparse) instead.)
                    """)
                state.updateLazily(parameter, gradient: rows, settings: settings)
            case .rows(let rows):
                state.updateRows(parameter, gradient: rows, settings: settings)
            }
        }
    }

    /// What SGD keeps for one parameter.
    private final class ParameterState {
        var momentumBuffer: Tensor<Scalar>?
        /// The row bookkeeping of row-sparse gradients; with momentum, the rows visited so far are
        /// the only rows whose buffer can be other than +0.
        let rowUpdates = RowUpdates<Scalar>()

        func updateDense(_ parameter: Parameter<Scalar>, gradient: Tensor<Scalar>, settings: SGDSettings) {
            precondition(gradient.shape == parameter.shape,
                         "SGD: gradient of shape \(gradient.shape) for a parameter of shape \(parameter.shape)")
            rowUpdates.visitAll()
            let contiguous = gradient.contiguous()
            contiguous.withContiguousBuffer { gradient in
                update(parameter, settings: settings,
                       UpdateSegments(denseGradient: gradient.baseAddress!, count: gradient.count))
            }
        }

        /// Dense semantics for a row-sparse gradient.
        ///
        /// Which rows can change: without momentum or weight decay, those with an entry. With
        /// momentum but neither weight decay nor maximisation, also every row that ever had one:
        /// a row never visited holds a +0 buffer (created as zeros, or copied from a zero gradient
        /// row on the first step), which stays +0 (`m·(+0) + (1 − d)·(+0)`), and `p + (−lr)·(+0)`
        /// is `p` bit for bit, −0 included. So the dense update leaves such rows as they are and
        /// skipping them gives the same table. Maximisation negates a zero gradient to −0, and
        /// `−0 + (−lr)·(−0)` is +0, so it visits every row, as weight decay (which moves every row) does.
        func updateRows(_ parameter: Parameter<Scalar>, gradient: RowSparseGradient<Scalar>, settings: SGDSettings) {
            let rows: RowUpdates<Scalar>.Rows = settings.weightDecay != 0 || settings.maximize ? .all
                : settings.momentum != 0 ? .visitedSoFar : .withEntries
            rowUpdates.withSegments(summingRows: gradient.rowIndices, values: gradient.values,
                                    rowCount: gradient.rowCount, parameterShape: parameter.shape, optimizer: "SGD",
                                    rows: rows, singleEntriesInPlace: true) { segments in
                update(parameter, settings: settings, segments)
            }
        }

        /// PyTorch's semantics for a sparse gradient.
        func updateLazily(_ parameter: Parameter<Scalar>, gradient: RowSparseGradient<Scalar>, settings: SGDSettings) {
            guard settings.momentum != 0 else {
                precondition(gradient.denseShape == parameter.shape,
                             "SGD: gradient of shape \(gradient.denseShape) for a parameter of shape \(parameter.shape)")
                let length = rowLength(of: parameter.shape)
                gradient.rowIndices.withContiguousBuffer { indices in
                    for row in indices where row < 0 || row >= gradient.rowCount {
                        preconditionFailure("row-sparse gradient holds row \(row) outside 0..<\(gradient.rowCount)")
                    }
                    gradient.values.withContiguousBuffer { values in
                        parameter.value.withMutableContiguousBuffer { table in
                            sgdEntriesUpdate(table: table.baseAddress!, rowLength: length,
                                             rowIndices: indices.baseAddress!, values: values.baseAddress!,
                                             entryCount: indices.count, settings: settings.kernelSettings(isFirstStep: false))
                        }
                    }
                }
                return
            }
            rowUpdates.withSegments(summingRows: gradient.rowIndices, values: gradient.values,
                                    rowCount: gradient.rowCount, parameterShape: parameter.shape, optimizer: "SGD",
                                    rows: .visitedSoFar, singleEntriesInPlace: true) { segments in
                update(parameter, settings: settings, segments)
            }
        }

        /// One fused SGD pass over `segments` of the parameter and, with momentum, its buffer
        /// (created on the first step, when the pass copies the gradient into it).
        private func update(_ parameter: Parameter<Scalar>, settings: SGDSettings, _ segments: UpdateSegments) {
            let shape = parameter.shape
            parameter.value.withMutableContiguousBuffer { values in
                guard settings.momentum != 0 else {
                    sgdUpdate(parameter: values.baseAddress!, momentumBuffer: nil, segments: segments,
                              settings: settings.kernelSettings(isFirstStep: false))
                    return
                }
                let isFirstStep = momentumBuffer == nil
                if isFirstStep { momentumBuffer = Tensor.zeros(shape) }
                momentumBuffer!.withMutableContiguousBuffer { buffer in
                    sgdUpdate(parameter: values.baseAddress!, momentumBuffer: buffer.baseAddress!, segments: segments,
                              settings: settings.kernelSettings(isFirstStep: isFirstStep))
                }
            }
        }
    }
}

/// SGD's hyper-parameters as PyTorch's `torch.optim.SGD` takes them.
struct SGDSettings: Sendable {
    var learningRate: Double
    var momentum: Double
    var dampening: Double
    var weightDecay: Double
    var nesterov: Bool
    var maximize: Bool

    /// The kernel's settings for one step.
    func kernelSettings(isFirstStep: Bool) -> SGDKernelSettings {
        SGDKernelSettings(negativeLearningRate: -learningRate, momentum: momentum, dampeningComplement: 1 - dampening,
                          weightDecay: weightDecay, nesterov: nesterov, maximize: maximize, isFirstStep: isFirstStep)
    }
}
