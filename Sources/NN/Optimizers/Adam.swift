import Foundation

/// Adam (Kingma & Ba), PyTorch's `torch.optim.Adam`: the same update order and rounding as its
/// single-tensor CPU path, with L2 weight decay added to the gradient.
///
/// Per parameter with a gradient, at step t (counted per parameter from 1):
/// ```
/// g = maximize ? −grad : grad;  if weightDecay ≠ 0: g = g + weightDecay·p
/// m = lerp(m, g, 1 − β1);  v = β2·v + (1 − β2)·g²;  (amsgrad: v̂ = max(v̂, v), used for v)
/// p = p − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
/// ```
/// The moments are created on a parameter's first update; frozen parameters (nil gradient) are
/// skipped and get none. Row-sparse gradients keep these dense semantics (every row's moments
/// decay) without building the dense gradient; rows that have never had a gradient are not visited,
/// since the dense update leaves them unchanged (+0 moments stay +0), unless weight decay moves them. For parameters marked `Parameter.isSparse` the
/// update is PyTorch's `SparseAdam` instead: only the rows in the gradient move and only their moments
/// decay, at O(rows × D) per step; weight decay and AMSGrad are not defined there and trap.
///
/// ```swift
/// let adam = Adam(parameters: model.parameters, learningRate: 1e-3)
/// adam.zeroGrad(); loss.backward(); adam.step()
/// ```
public class Adam<Scalar: FloatingTensorScalar>: Optimizer {
    private let engine: AdamEngine<Scalar>

    public var parameters: [Parameter<Scalar>] { engine.parameters }
    public var learningRate: Double {
        get { engine.settings.learningRate }
        set { engine.setLearningRate(newValue) }
    }
    /// PyTorch's `betas`: the coefficients (β1, β2) of the running averages of the gradient and of its
    /// square (default (0.9, 0.999)).
    public var betas: (Double, Double) { (engine.settings.beta1, engine.settings.beta2) }
    /// PyTorch's `eps`: added to the denominator for numerical stability (default 1e-8).
    public var epsilon: Double { engine.settings.epsilon }
    /// PyTorch's `weight_decay`: for ``Adam`` the L2 penalty added to the gradient as `weightDecay·p`
    /// (default 0); for ``AdamW`` the decoupled decay `p·(1 − lr·weightDecay)` (default 0.01).
    public var weightDecay: Double { engine.settings.weightDecay }
    /// PyTorch's `amsgrad`: whether the update divides by the running maximum of the second moment
    /// (AMSGrad, Reddi et al.) instead of the second moment itself (default false).
    public var amsgrad: Bool { engine.settings.amsgrad }
    /// PyTorch's `maximize`: whether to maximise the objective, stepping along the gradient instead of
    /// against it (default false).
    public var maximize: Bool { engine.settings.maximize }

    /// An Adam optimizer over `parameters`, with PyTorch's defaults.
    ///
    /// Invalid values trap with PyTorch's messages (`Invalid beta parameter at index 0: 1.0`).
    ///
    /// - Parameters:
    ///   - parameters: The parameters to update; each may appear only once.
    ///   - learningRate: The step size, PyTorch's `lr` (≥ 0).
    ///   - betas: The coefficients of the running averages of the gradient and of its square, each
    ///     in `0..<1`.
    ///   - epsilon: Added to the denominator for numerical stability, PyTorch's `eps` (≥ 0).
    ///   - weightDecay: The L2 penalty added to the gradient (≥ 0); a parameter marked
    ///     `Parameter.isSparse` needs 0, else ``step()`` traps.
    ///   - amsgrad: Whether to use AMSGrad's running maximum of the second moment; a sparse parameter
    ///     needs false, else ``step()`` traps.
    ///   - maximize: Whether to maximise the objective instead of minimising it.
    ///
    /// ```swift
    /// let optimizer = Adam(parameters: model.parameters, learningRate: 1e-3, betas: (0.9, 0.98))
    /// ```
    public convenience init(parameters: [Parameter<Scalar>], learningRate: Double = 1e-3,
                            betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-8, weightDecay: Double = 0,
                            amsgrad: Bool = false, maximize: Bool = false) {
        self.init(name: "Adam", parameters: parameters, learningRate: learningRate, betas: betas, epsilon: epsilon,
                  weightDecay: weightDecay, decouplesWeightDecay: false, amsgrad: amsgrad, maximize: maximize)
    }

    init(name: String, parameters: [Parameter<Scalar>], learningRate: Double, betas: (Double, Double),
         epsilon: Double, weightDecay: Double, decouplesWeightDecay: Bool, amsgrad: Bool, maximize: Bool) {
        engine = AdamEngine(
            name: name, parameters: parameters,
            settings: AdamSettings(learningRate: learningRate, beta1: betas.0, beta2: betas.1, epsilon: epsilon,
                                   weightDecay: weightDecay, decouplesWeightDecay: decouplesWeightDecay,
                                   amsgrad: amsgrad, maximize: maximize))
    }

    @_specialize(exported: true, where Scalar == Float)
    public final func step() { engine.step() }

    /// The first and second moments of `parameter` (and AMSGrad's running maximum), or nil before
    /// its first update.
    public final func moments(for parameter: Parameter<Scalar>) -> AdamMoments<Scalar>? {
        engine.moments(for: parameter)
    }
}

/// AdamW (Loshchilov & Hutter), PyTorch's `torch.optim.AdamW`: Adam whose weight decay shrinks the
/// parameter directly (`p = p·(1 − lr·weightDecay)` before the moment update) instead of adding to
/// the gradient. The default weight decay is 0.01, as in PyTorch; parameters marked
/// `Parameter.isSparse` need `weightDecay: 0`. A subclass of ``Adam``, as in PyTorch, since only
/// the decay differs.
///
/// ```swift
/// let adamW = AdamW(parameters: model.parameters, learningRate: 1e-3, weightDecay: 0.1)
/// ```
public final class AdamW<Scalar: FloatingTensorScalar>: Adam<Scalar> {
    /// An AdamW optimizer over `parameters`, with PyTorch's defaults (note `weightDecay` 0.01).
    ///
    /// Invalid values trap with PyTorch's messages, as for ``Adam``.
    ///
    /// - Parameters:
    ///   - parameters: The parameters to update; each may appear only once.
    ///   - learningRate: The step size, PyTorch's `lr` (≥ 0).
    ///   - betas: The coefficients of the running averages of the gradient and of its square, each
    ///     in `0..<1`.
    ///   - epsilon: Added to the denominator for numerical stability, PyTorch's `eps` (≥ 0).
    ///   - weightDecay: The decoupled decay, each step multiplying the parameter by
    ///     `1 − learningRate·weightDecay` (≥ 0); a parameter marked `Parameter.isSparse` needs 0,
    ///     else `step()` traps.
    ///   - amsgrad: Whether to use AMSGrad's running maximum of the second moment; a sparse parameter
    ///     needs false, else `step()` traps.
    ///   - maximize: Whether to maximise the objective instead of minimising it.
    ///
    /// ```swift
    /// let optimizer = AdamW(parameters: model.parameters, learningRate: 1e-3, weightDecay: 0.1)
    /// ```
    public init(parameters: [Parameter<Scalar>], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                epsilon: Double = 1e-8, weightDecay: Double = 1e-2, amsgrad: Bool = false, maximize: Bool = false) {
        super.init(name: "AdamW", parameters: parameters, learningRate: learningRate, betas: betas, epsilon: epsilon,
                   weightDecay: weightDecay, decouplesWeightDecay: true, amsgrad: amsgrad, maximize: maximize)
    }
}

/// The state Adam keeps for one parameter.
public struct AdamMoments<Scalar: FloatingTensorScalar> {
    /// Updates applied so far.
    public var step: Int
    /// The running mean of the gradient (`exp_avg`).
    public var firstMoment: Tensor<Scalar>
    /// The running mean of the squared gradient (`exp_avg_sq`).
    public var secondMoment: Tensor<Scalar>
    /// AMSGrad's running maximum of the second moment (`max_exp_avg_sq`), nil without AMSGrad.
    public var maximumSecondMoment: Tensor<Scalar>?
}

/// The update shared by ``Adam`` and ``AdamW``.
private final class AdamEngine<Scalar: FloatingTensorScalar> {
    let name: String
    let parameters: [Parameter<Scalar>]
    private(set) var settings: AdamSettings
    private var states: [AdamMoments<Scalar>?]
    /// Per parameter, the row bookkeeping of row-sparse gradients: the rows visited so far are
    /// those whose moments can be other than +0 (see `step`).
    private var rowUpdates: [RowUpdates<Scalar>]

    init(name: String, parameters: [Parameter<Scalar>], settings: AdamSettings) {
        precondition(settings.learningRate >= 0, "Invalid learning rate: \(settings.learningRate)")
        precondition(settings.epsilon >= 0, "Invalid epsilon value: \(settings.epsilon)")
        precondition(settings.beta1 >= 0 && settings.beta1 < 1, "Invalid beta parameter at index 0: \(settings.beta1)")
        precondition(settings.beta2 >= 0 && settings.beta2 < 1, "Invalid beta parameter at index 1: \(settings.beta2)")
        precondition(settings.weightDecay >= 0, "Invalid weight_decay value: \(settings.weightDecay)")
        checkDistinct(parameters, optimizer: name)
        self.name = name
        self.parameters = parameters
        self.settings = settings
        states = Array(repeating: nil, count: parameters.count)
        rowUpdates = parameters.map { _ in RowUpdates() }
    }

    func setLearningRate(_ value: Double) {
        precondition(value >= 0, "Invalid learning rate: \(value)")
        settings.learningRate = value
    }

    func moments(for parameter: Parameter<Scalar>) -> AdamMoments<Scalar>? {
        guard let index = parameters.firstIndex(where: { $0 === parameter }) else { return nil }
        return states[index]
    }

    @_specialize(where Scalar == Float)
    func step() {
        for (index, parameter) in parameters.enumerated() {
            guard let gradient = parameter.gradient else { continue }
            var state = states[index] ?? AdamMoments(
                step: 0, firstMoment: .zeros(parameter.shape), secondMoment: .zeros(parameter.shape),
                maximumSecondMoment: settings.amsgrad ? .zeros(parameter.shape) : nil)
            states[index] = nil
            state.step += 1
            switch gradient {
            case .dense(let dense):
                precondition(dense.shape == parameter.shape,
                             "\(name): gradient of shape \(dense.shape) for a parameter of shape \(parameter.shape)")
                rowUpdates[index].visitAll()
                dense.contiguous().withContiguousBuffer { gradient in
                    update(parameter, &state,
                           UpdateSegments(denseGradient: gradient.baseAddress!, count: gradient.count))
                }
            case .rows(let rows) where parameter.isSparse:
                precondition(settings.weightDecay == 0 && !settings.amsgrad, """
                    \(name): a sparse parameter is updated as by SparseAdam, which has no weight decay or \
                    AMSGrad; pass weightDecay: 0 and amsgrad: false
                    """)
                rowUpdates[index].withSegments(summingRows: rows.rowIndices, values: rows.values, rowCount: rows.rowCount,
                                               parameterShape: parameter.shape, optimizer: name,
                                               rows: .withEntries) { segments in
                    updateSparse(parameter, &state, segments)
                }
            case .rows(let rows):
                // A row that has never had a gradient has +0 moments, which stay +0 on a zero gradient,
                // and moves by (−step·(+0)) / (√(+0)/c + ε) = −0 with ε > 0: not at all. So, without
                // weight decay (which moves every row), only the rows seen so far are visited.
                let visiting: RowUpdates<Scalar>.Rows = settings.weightDecay == 0 && settings.epsilon > 0
                    ? .visitedSoFar : .all
                rowUpdates[index].withSegments(summingRows: rows.rowIndices, values: rows.values, rowCount: rows.rowCount,
                                               parameterShape: parameter.shape, optimizer: name,
                                               rows: visiting) { segments in
                    update(parameter, &state, segments)
                }
            }
            states[index] = state
        }
    }

    private func update(_ parameter: Parameter<Scalar>, _ state: inout AdamMoments<Scalar>,
                        _ segments: UpdateSegments) {
        let settings = settings, step = state.step
        parameter.value.withMutableContiguousBuffer { values in
            state.firstMoment.withMutableContiguousBuffer { first in
                state.secondMoment.withMutableContiguousBuffer { second in
                    if state.maximumSecondMoment != nil {
                        state.maximumSecondMoment!.withMutableContiguousBuffer { maximum in
                            adamUpdate(parameter: values.baseAddress!, firstMoment: first.baseAddress!,
                                       secondMoment: second.baseAddress!, maximumSecondMoment: maximum.baseAddress!,
                                       segments: segments, settings: settings.kernelSettings(step: step))
                        }
                    } else {
                        adamUpdate(parameter: values.baseAddress!, firstMoment: first.baseAddress!,
                                   secondMoment: second.baseAddress!, maximumSecondMoment: nil, segments: segments,
                                   settings: settings.kernelSettings(step: step))
                    }
                }
            }
        }
    }

    private func updateSparse(_ parameter: Parameter<Scalar>, _ state: inout AdamMoments<Scalar>,
                              _ segments: UpdateSegments) {
        let settings = settings, step = state.step
        parameter.value.withMutableContiguousBuffer { values in
            state.firstMoment.withMutableContiguousBuffer { first in
                state.secondMoment.withMutableContiguousBuffer { second in
                    sparseAdamUpdate(parameter: values.baseAddress!, firstMoment: first.baseAddress!,
                                     secondMoment: second.baseAddress!, segments: segments,
                                     settings: settings.sparseKernelSettings(step: step))
                }
            }
        }
    }
}

/// Adam's hyper-parameters as PyTorch's `torch.optim.Adam`/`AdamW` take them.
struct AdamSettings: Sendable {
    var learningRate: Double
    var beta1: Double
    var beta2: Double
    var epsilon: Double
    var weightDecay: Double
    /// AdamW: decay the parameter directly instead of adding `wd·p` to the gradient.
    var decouplesWeightDecay: Bool
    var amsgrad: Bool
    var maximize: Bool

    /// The bias corrections `1 − β1ᵗ` and `1 − β2ᵗ` at `step` (counted from 1), in Double as
    /// PyTorch's `_single_tensor_adam` computes them.
    func biasCorrections(step: Int) -> (first: Double, second: Double) {
        (1 - pow(beta1, Double(step)), 1 - pow(beta2, Double(step)))
    }

    /// The kernel's settings for the dense step at `step`.
    func kernelSettings(step: Int) -> AdamKernelSettings {
        let (bias1, bias2) = biasCorrections(step: step)
        return AdamKernelSettings(
            weightDecay: weightDecay, decayFactor: 1 - learningRate * weightDecay, oneMinusBeta1: 1 - beta1,
            beta2: beta2, oneMinusBeta2: 1 - beta2, biasCorrection2Root: bias2.squareRoot(), epsilon: epsilon,
            negativeStepSize: -(learningRate / bias1), decouplesWeightDecay: decouplesWeightDecay, amsgrad: amsgrad,
            maximize: maximize)
    }

    /// The kernel's settings for the `SparseAdam` step at `step`.
    func sparseKernelSettings(step: Int) -> SparseAdamKernelSettings {
        let (bias1, bias2) = biasCorrections(step: step)
        return SparseAdamKernelSettings(oneMinusBeta1: 1 - beta1, oneMinusBeta2: 1 - beta2, epsilon: epsilon,
                                        negativeStepSize: -(learningRate * bias2.squareRoot() / bias1),
                                        maximize: maximize)
    }
}
