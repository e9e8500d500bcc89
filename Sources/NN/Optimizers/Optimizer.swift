/// Updates parameters from their gradients: call ``step()`` after `backward()`, then ``zeroGrad()``
/// (or the other way round) before the next backward, as with `torch.optim`.
///
/// Optimizers update `Parameter`s: where PyTorch code trains a bare tensor made with
/// `requires_grad=True`, make it a `Parameter` (`let w = Parameter(Tensor.randn([3]))`), which
/// requires a gradient by default; a `Variable` is the result of operations, not something to train.
///
/// ```swift
/// let optimizer = SGD(parameters: model.parameters, learningRate: 0.1)
/// optimizer.zeroGrad()
/// loss.backward()
/// optimizer.step()
/// ```
public protocol Optimizer<Scalar>: AnyObject {
    /// The element type of the parameters it updates (`Float` or `Double`).
    associatedtype Scalar: FloatingTensorScalar

    /// The parameters this optimizer updates, in order.
    var parameters: [Parameter<Scalar>] { get }
    /// The step size; settable between steps (learning-rate schedules).
    var learningRate: Double { get set }
    /// Updates every parameter whose gradient is not nil; the others (frozen ones) are skipped
    /// entirely and get no optimizer state.
    func step()
    /// Clears every parameter's gradient (PyTorch's `zero_grad()`, which sets them to None).
    func zeroGrad()
}

extension Optimizer {
    public func zeroGrad() {
        for parameter in parameters { parameter.zeroGrad() }
    }
}

/// Traps unless every parameter appears once: updating one twice per step is a bug in the caller.
func checkDistinct<Scalar>(_ parameters: [Parameter<Scalar>], optimizer: String) {
    var seen = Set<ObjectIdentifier>()
    for (index, parameter) in parameters.enumerated() {
        precondition(seen.insert(ObjectIdentifier(parameter)).inserted,
                     "\(optimizer): parameter \(index) appears more than once in the parameter list")
    }
}

/// The number of elements in one row of a parameter whose first axis holds the rows.
func rowLength(of shape: [Int]) -> Int { shape.dropFirst().reduce(1, *) }
