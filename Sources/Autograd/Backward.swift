import Synchronization

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
