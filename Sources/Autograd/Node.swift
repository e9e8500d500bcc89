/// One recorded operation: the variables it read and the function that maps the gradient of its
/// output to gradients of those inputs.
///
/// A node is owned by the variable it produced and owns its inputs, so the graph is a DAG of strong
/// references from outputs to inputs with no cycles; releasing it (after backward) drops the
/// inputs and the saved tensors captured by `backward`.
final class Node<Scalar: FloatingTensorScalar> {
    /// PyTorch's name for the operation's backward, e.g. `AddBackward0`, shown when printing.
    let name: String
    private(set) var inputs: [Variable<Scalar>]
    private var backward: ((Tensor<Scalar>) -> [Gradient<Scalar>?])?

    /// Set by ``Variable/retainGrad()``: where the complete gradient of this node's output goes.
    weak var retainedOutput: Variable<Scalar>?

    // Per-backward bookkeeping, valid only while one backward pass runs over this graph.
    var visitEpoch = 0
    var pendingConsumers = 0
    var pendingGradient: Gradient<Scalar>?

    init(name: String, inputs: [Variable<Scalar>], backward: @escaping (Tensor<Scalar>) -> [Gradient<Scalar>?]) {
        self.name = name
        self.inputs = inputs
        self.backward = backward
    }

    var isReleased: Bool { backward == nil }

    /// Runs the backward function on the complete output gradient.
    @_specialize(where Scalar == Float)
    func gradients(for outputGradient: Tensor<Scalar>) -> [Gradient<Scalar>?] {
        guard let backward else {
            preconditionFailure("""
                backward through \(name) a second time: its saved values were freed after the first \
                backward. Pass retainGraph: true to the first backward if you need to run it twice.
                """)
        }
        let result = backward(outputGradient)
        precondition(result.count == inputs.count, "\(name) returned \(result.count) gradients for \(inputs.count) inputs")
        return result
    }

    /// Drops the saved tensors and the references to inputs.
    func release() {
        backward = nil
        inputs = []
    }
}
