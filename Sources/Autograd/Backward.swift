import Synchronization

// Backward, whole: what flows back (a gradient, dense or row-sparse), what the forward pass
// recorded (a node per operation), and the walk that runs the nodes in reverse and leaves
// gradients on the leaves. One file so that a reader follows one gradient from the loss to a
// parameter without leaving it.

/// A gradient as the tape carries it: dense, or as rows of a 2-D table.
///
/// The embedding backward produces `.rows`: the upstream gradient rows and the token ids they belong
/// to, which is O(tokens × D) instead of a dense O(V × D) table. Reading `Variable.grad` turns it
/// into the dense tensor PyTorch would hold; optimizers may apply it row by row instead.
public enum Gradient<Scalar: FloatingTensorScalar>: Sendable {
    /// A dense gradient, shaped like the variable it belongs to.
    case dense(Tensor<Scalar>)
    /// Entries for rows of a table, as the embedding backward produces them; ``denseValue``
    /// sums them into the dense gradient.
    case rows(RowSparseGradient<Scalar>)

    /// The gradient as a dense tensor.
    public var denseValue: Tensor<Scalar> {
        switch self {
        case .dense(let tensor): return tensor
        case .rows(let rows): return rows.densified()
        }
    }

    /// The sum of two gradients of the same shape, staying row-sparse when both are.
    @_specialize(where Scalar == Float)
    func adding(_ other: Gradient) -> Gradient {
        switch (self, other) {
        case (.dense(var sum), .dense(let addend)):
            sum += addend
            return .dense(sum)
        case (.rows(let first), .rows(let second)):
            return .rows(first.appending(second))
        case (.dense(var sum), .rows(let rows)), (.rows(let rows), .dense(var sum)):
            rows.add(into: &sum)
            return .dense(sum)
        }
    }
}

/// Rows of a `[rowCount] + rowShape` gradient given as (row index, values) entries; duplicate rows
/// are summed in entry order when densified, exactly as PyTorch's dense embedding backward does.
public struct RowSparseGradient<Scalar: FloatingTensorScalar>: Sendable {
    /// The row each entry belongs to, one per entry, in order.
    public var rowIndices: Tensor<Int64>
    /// The values, shape `[entries] + rowShape`.
    public var values: Tensor<Scalar>
    /// The number of rows of the dense table.
    public var rowCount: Int

    /// Entries for a `[rowCount] + rowShape` table: `values[k]` belongs to row `rowIndices[k]`.
    ///
    /// Traps unless `rowIndices` is 1-D with one index per entry (`values.shape[0]`). The indices
    /// themselves are checked when the gradient is densified or added: one outside `0..<rowCount`
    /// traps there.
    ///
    /// ```swift
    /// let gradient = RowSparseGradient(rowIndices: Tensor<Int64>([2, 0, 2]),
    ///                                  values: Tensor<Float>.ones([3, 4]), rowCount: 5)
    /// gradient.densified().shape   // [5, 4]: row 2 holds 2s, row 0 holds 1s, the rest 0s
    /// ```
    public init(rowIndices: Tensor<Int64>, values: Tensor<Scalar>, rowCount: Int) {
        precondition(rowIndices.rank == 1 && values.rank >= 1 && values.shape[0] == rowIndices.count,
                     "row-sparse gradient: \(rowIndices.count) indices for values of shape \(values.shape)")
        self.rowIndices = rowIndices
        self.values = values
        self.rowCount = rowCount
    }

    /// The shape of the dense gradient.
    public var denseShape: [Int] { [rowCount] + values.shape.dropFirst() }

    /// The dense gradient: zeros plus every entry added to its row, in entry order.
    public func densified() -> Tensor<Scalar> {
        var dense = Tensor<Scalar>.zeros(denseShape)
        add(into: &dense)
        return dense
    }

    /// Adds every entry to its row of `dense` in entry order.
    public func add(into dense: inout Tensor<Scalar>) {
        do {
            try dense.indexAdd(rows: rowIndices, values: values)
        } catch {
            preconditionFailure("row-sparse gradient holds an invalid row: \(error)")
        }
    }

    /// Both gradients' entries, `self`'s first.
    func appending(_ other: RowSparseGradient) -> RowSparseGradient {
        RowSparseGradient(rowIndices: Tensor.concatenated([rowIndices, other.rowIndices]),
                          values: Tensor.concatenated([values, other.values]), rowCount: rowCount)
    }
}

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

/// Numbers each backward pass so that nodes can tell whether this pass has visited them without a
/// separate visited set.
private let backwardEpochs = Atomic<Int>(0)

extension Variable {
    /// Computes the gradient of this variable with respect to every leaf that requires one and
    /// adds it to the leaves' ``grad``.
    ///
    /// Without `gradient` the variable must hold one element (a loss); the seed is 1. The graph is
    /// freed afterwards unless `retainGraph` is true, so a second backward through it is an error.
    ///
    /// ```swift
    /// let x = Parameter(Tensor<Double>([3]))
    /// (x * x).sum().backward()
    /// x.grad?.scalars   // [6]
    /// ```
    @_specialize(where Scalar == Float)
    public final func backward(gradient seed: Tensor<Scalar>? = nil, retainGraph: Bool = false) {
        precondition(requiresGrad, "backward on a variable that does not require a gradient and has no graph")
        let initial: Tensor<Scalar>
        if let seed {
            precondition(seed.shape == value.shape,
                         "backward gradient of shape \(seed.shape) does not match the variable's shape \(value.shape)")
            initial = seed
        } else {
            precondition(value.count == 1,
                         "backward without a gradient needs a single-element output, shape is \(value.shape)")
            initial = Tensor.full(value.shape, value: 1)
        }
        guard let root = node else {
            accumulate(.dense(initial))
            return
        }
        let order = Variable.topologicalOrder(from: root)
        root.pendingGradient = .dense(initial)
        for node in order {
            guard let outputGradient = node.pendingGradient else { continue }
            node.pendingGradient = nil
            if let retained = node.retainedOutput, retained.retainsGrad {
                retained.accumulate(outputGradient)
            }
            let inputs = node.inputs
            node.forEachInputGradient(for: outputGradient.denseValue) { index, gradient in
                let input = inputs[index]
                guard let gradient, input.storedRequiresGrad else { return }
                if let inputNode = input.node {
                    inputNode.pendingGradient = inputNode.pendingGradient.map { $0.adding(gradient) } ?? gradient
                } else {
                    input.accumulate(gradient)
                }
            }
            if !retainGraph { node.release() }
        }
    }

    /// The nodes reachable from `root`, each after every node that consumes its output (Kahn's
    /// algorithm over an explicit stack, so a 100 000-op chain needs no deep recursion).
    @_specialize(where Scalar == Float)
    private static func topologicalOrder(from root: Node<Scalar>) -> [Node<Scalar>] {
        let epoch = backwardEpochs.add(1, ordering: .relaxed).newValue
        var stack = [root]
        var reachableCount = 0
        root.visitEpoch = epoch
        root.pendingConsumers = 0
        while let node = stack.popLast() {
            reachableCount += 1
            for input in node.inputs {
                guard let inputNode = input.node else { continue }
                if inputNode.visitEpoch != epoch {
                    inputNode.visitEpoch = epoch
                    inputNode.pendingConsumers = 0
                    stack.append(inputNode)
                }
                inputNode.pendingConsumers += 1
            }
        }
        var order: [Node<Scalar>] = []
        order.reserveCapacity(reachableCount)
        var ready = [root]
        while let node = ready.popLast() {
            order.append(node)
            for input in node.inputs {
                guard let inputNode = input.node else { continue }
                inputNode.pendingConsumers -= 1
                if inputNode.pendingConsumers == 0 { ready.append(inputNode) }
            }
        }
        return order
    }
}
