import Synchronization

/// A tensor that takes part in automatic differentiation.
///
/// Operations on variables compute their value at once and, when gradient recording is on and an
/// input requires a gradient, record a node so that ``backward(gradient:retainGraph:)`` can compute
/// the gradients of every leaf that requires one. Gradients accumulate in ``grad`` until cleared,
/// as in PyTorch.
///
/// ```swift
/// let p = Parameter(Tensor<Float>([1, 2, 3]))
/// let loss = (p * p).sum()
/// loss.backward()
/// p.grad?.scalars   // [2, 4, 6]
/// ```
public class Variable<Scalar: FloatingTensorScalar>: CustomStringConvertible {
    /// The current value. Setting it (for example to load weights) keeps gradients and graph as they are.
    ///
    /// The rows a lookup picks are copied out of their table only when first read (see
    /// `PendingRows` in the source), so that `token(ids) + position(length: T)` writes its result in one pass;
    /// what a read returns is the same either way.
    public final var value: Tensor<Scalar> {
        get {
            if let storedValue { return storedValue }
            return materializePendingRows()
        }
        set {
            materializePendingReaders()
            dropPendingRows()
            storedValue = newValue
        }
        _modify {
            materializePendingReaders()
            if storedValue == nil { materializePendingRows() }
            yield &storedValue!
        }
    }

    /// The value once it exists: nil only while ``pendingRows`` describes it.
    final var storedValue: Tensor<Scalar>?
    /// Where the value will be copied from when first read, nil once it has been.
    final var pendingRows: PendingRows<Scalar>?
    /// The variables whose pending rows read this one's value: they copy them out before it changes.
    /// Locked, so that lookups on one table from several threads (a frozen model serving requests)
    /// stay as safe as reading it. A list rather than a set: a table has a reader or two at a
    /// time (the lookups of the batch in flight), and a reader leaves by a search from the back
    /// that is cheaper than hashing (a book-sized lookup costs about 3 µs in all).
    final let pendingReaders = Mutex<[PendingReader]>([])

    /// The operation that produced this variable, nil for leaves.
    final let node: Node<Scalar>?

    final var storedRequiresGrad: Bool
    final var storedGradient: Gradient<Scalar>? {
        didSet { denseGradientCache = nil }
    }
    /// The dense form of a row-sparse ``storedGradient``, made on the first read of ``grad`` and
    /// dropped whenever the gradient changes; the stored gradient itself stays row-sparse.
    private final var denseGradientCache: Tensor<Scalar>?
    final var retainsGrad = false

    /// A leaf holding `value`; it requires a gradient only if asked.
    public init(_ value: Tensor<Scalar>, requiresGrad: Bool = false) {
        self.storedValue = value
        self.node = nil
        self.storedRequiresGrad = requiresGrad
    }

    /// A variable produced by a recorded operation.
    init(value: Tensor<Scalar>, node: Node<Scalar>?) {
        self.storedValue = value
        self.node = node
        self.storedRequiresGrad = node != nil
    }

    /// A variable whose value is `rows`, copied out when first read.
    init(pendingRows rows: PendingRows<Scalar>, node: Node<Scalar>?) {
        self.storedValue = nil
        self.pendingRows = rows
        self.node = node
        self.storedRequiresGrad = node != nil
        let reader = PendingReader(variable: Unmanaged.passUnretained(self as AnyObject))
        rows.table.pendingReaders.withLock { $0.append(reader) }
    }

    deinit {
        dropPendingRows()
    }

    /// True for variables created by the user rather than by a recorded operation.
    public final var isLeaf: Bool { node == nil }

    /// Whether gradients flow to this variable. Only leaves can be switched; switching off a leaf
    /// freezes it (operations on it record nothing and its gradient stays nil).
    public final var requiresGrad: Bool {
        get { storedRequiresGrad }
        set {
            precondition(isLeaf || newValue, "requiresGrad can only be switched off on leaf variables; use detached()")
            storedRequiresGrad = newValue
        }
    }

    /// The accumulated gradient, dense (PyTorch's `.grad`).
    ///
    /// Reading it changes nothing: after an embedding backward the stored gradient stays
    /// row-sparse (see ``gradient``), so the next optimizer step still touches only those rows;
    /// the dense tensor returned is made once and kept until the gradient next changes. Setting
    /// it stores a dense gradient.
    ///
    /// ```swift
    /// let loss = try embedding(ids).sum()
    /// loss.backward()
    /// embedding.weight.grad?.shape   // [vocabularySize, embeddingSize]
    /// ```
    public final var grad: Tensor<Scalar>? {
        get {
            guard let storedGradient else { return nil }
            guard case .rows = storedGradient else { return storedGradient.denseValue }
            if let denseGradientCache { return denseGradientCache }
            let dense = storedGradient.denseValue
            denseGradientCache = dense
            return dense
        }
        set { storedGradient = newValue.map { .dense($0) } }
    }

    /// The accumulated gradient as stored: row-sparse after an embedding backward, dense otherwise.
    /// Optimizers read this to update only the touched rows.
    public final var gradient: Gradient<Scalar>? {
        get { storedGradient }
        set { storedGradient = newValue }
    }

    /// PyTorch's name for the backward of the operation that produced this variable (for example
    /// `AddBackward0`), or nil for leaves.
    public final var gradFunctionName: String? { node?.name }

    /// The shape of ``value``.
    public final var shape: [Int] { storedValue?.shape ?? pendingRows!.shape }

    /// Clears the gradient (PyTorch's `zero_grad(set_to_none=True)`).
    public final func zeroGrad() { storedGradient = nil }

    /// Asks a non-leaf to keep its gradient in ``grad`` after backward.
    public final func retainGrad() {
        guard let node else { return }
        retainsGrad = true
        node.retainedOutput = self
    }

    /// A new leaf sharing this value that does not require a gradient and records nothing.
    public final func detached() -> Variable { Variable(value) }

    /// Adds `incoming` to the stored gradient.
    @_specialize(where Scalar == Float)
    final func accumulate(_ incoming: Gradient<Scalar>) {
        if let existing = storedGradient {
            storedGradient = existing.adding(incoming)
        } else {
            storedGradient = incoming
        }
    }

    /// PyTorch's text for the value, then the Swift-spelled suffix (`requiresGrad: true`,
    /// `gradFunction: AddBackward0`).
    public var description: String {
        var suffixes: [String] = []
        if let name = gradFunctionName {
            suffixes.append("gradFunction: \(name)")
        } else if requiresGrad {
            suffixes.append("requiresGrad: true")
        }
        return value.formattedDescription(suffixes: suffixes)
    }
}

/// A trainable leaf: a ``Variable`` that requires a gradient unless frozen.
///
/// ```swift
/// let weight = Parameter(Tensor<Float>.zeros([3, 2]))
/// weight.requiresGrad   // true
/// ```
public final class Parameter<Scalar: FloatingTensorScalar>: Variable<Scalar> {
    /// True for a parameter whose layer asked for PyTorch's sparse gradients (`Embedding(…, sparse: true)`).
    ///
    /// Optimizers then apply PyTorch's lazy sparse semantics to its row-sparse gradients: SGD applies
    /// each entry on its own (duplicates one after the other, not summed first) and keeps momentum only
    /// for rows that have had a gradient; Adam and AdamW behave as `SparseAdam` (only the rows in the
    /// gradient move, only their moments decay). Weight decay is not defined for such parameters, as
    /// in PyTorch. Without the mark, row-sparse gradients are only a faster encoding of the dense
    /// gradient and every optimizer keeps dense semantics.
    ///
    /// ```swift
    /// let table = Parameter(Tensor<Float>.zeros([10, 4]))
    /// table.isSparse = true
    /// ```
    public var isSparse = false

    /// A parameter holding `value`, trainable unless `requiresGrad` is false.
    public override init(_ value: Tensor<Scalar>, requiresGrad: Bool = true) {
        super.init(value, requiresGrad: requiresGrad)
    }
}

extension Variable {
    /// Records `value` as the result of an operation on `inputs`, if any input requires a
    /// gradient and recording is on; otherwise returns a plain leaf that costs nothing.
    ///
    /// `backward` receives the gradient of the result and returns one gradient (or nil) per input.
    @_specialize(where Scalar == Float)
    public static func record(
        _ value: Tensor<Scalar>, name: String, inputs: [Variable<Scalar>],
        backward: @escaping (Tensor<Scalar>) -> [Gradient<Scalar>?]
    ) -> Variable<Scalar> {
        recording(value, name: name, inputs: inputs, .general(backward))
    }

    /// ``record(_:name:inputs:backward:)`` for operations whose input gradients are dense.
    @_specialize(where Scalar == Float)
    public static func recordDense(
        _ value: Tensor<Scalar>, name: String, inputs: [Variable<Scalar>],
        backward: @escaping (Tensor<Scalar>) -> [Tensor<Scalar>?]
    ) -> Variable<Scalar> {
        recording(value, name: name, inputs: inputs, .dense(backward))
    }

    @_specialize(where Scalar == Float)
    private static func recording(
        _ value: Tensor<Scalar>, name: String, inputs: [Variable<Scalar>], _ backward: Node<Scalar>.Backward
    ) -> Variable<Scalar> {
        guard GradientMode.isEnabled, inputs.contains(where: { $0.storedRequiresGrad }) else {
            return Variable(value)
        }
        return Variable(value: value, node: Node(name: name, inputs: inputs, backward: backward))
    }
}
