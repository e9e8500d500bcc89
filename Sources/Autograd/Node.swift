/// One recorded operation: the variables it read and the function that maps the gradient of its
/// output to gradients of those inputs.
///
/// A node is owned by the variable it produced and owns its inputs, so the graph is a DAG of strong
/// references from outputs to inputs with no cycles; releasing it (after backward) drops the
/// inputs and the saved tensors captured by `backward`.
final class Node<Scalar: FloatingTensorScalar> {
    /// How an operation maps its output gradient to input gradients: most produce dense tensors;
    /// lookups produce row-sparse ones. Kept apart so that a dense operation's closure is stored
    /// as written, without a wrapper converting its results on every backward.
    enum Backward {
        case dense((Tensor<Scalar>) -> [Tensor<Scalar>?])
        case general((Tensor<Scalar>) -> [Gradient<Scalar>?])
        /// A lookup of rows of its one input: the upstream gradient, reshaped to `rowsShape`
        /// (`[ids] + row shape`), goes to `rowGradient`. Stored as the layer gave it, so that
        /// recording a lookup makes no closure of its own.
        case lookup(rowsShape: [Int], rowGradient: (Tensor<Scalar>) -> RowSparseGradient<Scalar>)
    }

    /// PyTorch's name for the operation's backward, e.g. `AddBackward0`, shown when printing.
    let name: String
    private(set) var inputs: [Variable<Scalar>]
    private var backward: Backward?

    /// Set by ``Variable/retainGrad()``: where the complete gradient of this node's output goes.
    weak var retainedOutput: Variable<Scalar>?

    // Per-backward bookkeeping, valid only while one backward pass runs over this graph.
    var visitEpoch = 0
    var pendingConsumers = 0
    var pendingGradient: Gradient<Scalar>?

    init(name: String, inputs: [Variable<Scalar>], backward: Backward) {
        self.name = name
        self.inputs = inputs
        self.backward = backward
    }

    /// Runs the backward function on the complete output gradient and hands each input's gradient
    /// (nil where the operation computed none) to `body` with the input's index.
    @_specialize(where Scalar == Float)
    func forEachInputGradient(for outputGradient: Tensor<Scalar>, _ body: (Int, Gradient<Scalar>?) -> Void) {
        guard let backward else {
            preconditionFailure("""
                backward through \(name) a second time: its saved values were freed after the first \
                backward. Pass retainGraph: true to the first backward if you need to run it twice.
                """)
        }
        switch backward {
        case .dense(let function):
            let result = function(outputGradient)
            precondition(result.count == inputs.count, "\(name) returned \(result.count) gradients for \(inputs.count) inputs")
            for index in result.indices { body(index, result[index].map(Gradient.dense)) }
        case .general(let function):
            let result = function(outputGradient)
            precondition(result.count == inputs.count, "\(name) returned \(result.count) gradients for \(inputs.count) inputs")
            for index in result.indices { body(index, result[index]) }
        case .lookup(let rowsShape, let rowGradient):
            body(0, .rows(rowGradient(outputGradient.reshaped(rowsShape))))
        }
    }

    /// Drops the saved tensors and the references to inputs.
    func release() {
        backward = nil
        inputs = []
    }
}
