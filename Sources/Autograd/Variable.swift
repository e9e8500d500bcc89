import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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
    /// that is cheaper than hashing (a book-sized lookup costs about 2 µs in all). Touched only
    /// under ``pendingReaderLock``, through ``withPendingReaders(_:)``: that lock, not the
    /// run-time exclusivity check, keeps accesses apart.
    @exclusivity(unchecked) private final var pendingReaders: [PendingReader] = []
    private final let pendingReaderLock = ReaderListLock()

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
        rows.table.withPendingReaders { $0.append(reader) }
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

// MARK: - A lookup's rows, copied out when first read

extension Variable {
    /// The rows of this table at `ids` (flat and contiguous, every id already checked against
    /// `shape[0]`), shaped `indexShape + shape.dropFirst()`, recorded as `name` with the row-sparse
    /// gradient `rowGradient(upstream)` of the upstream gradient as `[ids.count] + row shape`.
    ///
    /// The one differentiable gather: ``indexSelect(rows:)-(Tensor<Int64>)`` records through it,
    /// and so do the embedding layers, with their own gradient options (padding rows, scaling by
    /// frequency) and PyTorch's node names.
    @_specialize(exported: true, where Scalar == Float)
    package func gatheringRows(
        atCheckedRows ids: Tensor<Int64>, indexShape: [Int], name: String,
        rowGradient: @escaping (_ upstreamRows: Tensor<Scalar>) -> RowSparseGradient<Scalar>
    ) -> Variable {
        gatheringRows(PendingRows(of: self, atCheckedRows: ids, indexShape: indexShape), name: name,
                      rowGradient: rowGradient)
    }

    /// ``gatheringRows(atCheckedRows:indexShape:name:rowGradient:)`` for a lookup described
    /// beforehand: a layer that looks up the same rows every time (the positions `0..<T` of a
    /// learned position table) makes its ``PendingRows`` once and hands it to every forward.
    @_specialize(exported: true, where Scalar == Float)
    package func gatheringRows(
        _ rows: PendingRows<Scalar>, name: String,
        rowGradient: @escaping (_ upstreamRows: Tensor<Scalar>) -> RowSparseGradient<Scalar>
    ) -> Variable {
        precondition(rows.table === self, "gatheringRows: the pending rows belong to another table")
        guard recordsGradients else { return gatheringRows(rows) }
        let node = Node(name: name, inputs: [self],
                        backward: .lookup(rowsShape: [rows.ids.count] + shape.dropFirst(), rowGradient: rowGradient))
        return Variable(pendingRows: rows, node: node)
    }

    /// ``gatheringRows(atCheckedRows:indexShape:name:rowGradient:)`` when nothing is recorded
    /// (``recordsGradients`` is false): no backward to build.
    @_specialize(exported: true, where Scalar == Float)
    package func gatheringRows(atCheckedRows ids: Tensor<Int64>, indexShape: [Int]) -> Variable {
        gatheringRows(PendingRows(of: self, atCheckedRows: ids, indexShape: indexShape))
    }

    /// ``gatheringRows(_:name:rowGradient:)`` when nothing is recorded.
    @_specialize(exported: true, where Scalar == Float)
    package func gatheringRows(_ rows: PendingRows<Scalar>) -> Variable {
        precondition(rows.table === self, "gatheringRows: the pending rows belong to another table")
        return Variable(pendingRows: rows, node: nil)
    }

    /// Whether an operation on this variable alone records a node: recording is on and this
    /// variable requires a gradient. A layer checks it to skip building a backward it would drop.
    /// The cheap test first: reading the task-local switch is a lookup in the task's values.
    package var recordsGradients: Bool { storedRequiresGrad && GradientMode.isEnabled }
}

/// Rows of a table variable that a lookup's result holds before they are copied out.
///
/// A lookup (`Variable.gatheringRows`) records its node at once but leaves its value unwritten.
/// The first read of ``Variable/value`` copies the rows; an addition that can write the sum in the
/// same pass (`token(ids) + position(length: T)`, see ``Variable/summingPendingRows(with:)``)
/// never copies them at all. The table lists its pending readers, and every change to its value
/// first has them copy their rows: a result always holds the rows as they were at the lookup.
///
/// A class, so that passing it around costs one reference count rather than one per field, and
/// so that a layer can keep one and reuse it: nothing in it changes, and it describes its table
/// for as long as the table keeps the shape it had (a layer that keeps one checks that). A
/// lookup's own `PendingRows` needs no such check: every write to a table first has its pending
/// lookups copy their rows, so a table never changes shape under one.
package final class PendingRows<Scalar: FloatingTensorScalar> {
    /// The variable the rows come from.
    package let table: Variable<Scalar>
    /// The row of each result row, contiguous, every one checked against the table.
    package let ids: Tensor<Int64>
    /// The shape of the result: the ids' shape, then the table's row shape.
    package let shape: [Int]
    /// The ids' own shape: the leading axes of ``shape``, all but the table's row axes.
    var indexShape: [Int] { Array(shape.dropLast(table.shape.count - 1)) }
    /// When the ids are `k, k + 1, …` (the positions `0..<T` of a learned position table), the
    /// table rows they are, which an addition then reads in place; nil otherwise. Found when
    /// asked, by the addition, rather than on every lookup: token ids part at the second id.
    var consecutiveRows: Range<Int>? {
        ids.withContiguousBuffer { ids -> Range<Int>? in
            guard let first = ids.first else { return nil }
            for (offset, id) in ids.enumerated() where id != first + Int64(offset) { return nil }
            return Int(first)..<(Int(first) + ids.count)
        }
    }

    /// The rows of `table` at `ids` (contiguous, every id checked against the table's rows),
    /// shaped `indexShape + table.shape.dropFirst()`.
    package init(of table: Variable<Scalar>, atCheckedRows ids: Tensor<Int64>, indexShape: [Int]) {
        self.table = table
        self.ids = ids
        self.shape = indexShape + table.shape.dropFirst()
    }
}

/// The lock around a table's list of pending readers: taken with one compare-and-swap and given
/// back with a plain store. `Mutex` also looks up the thread's id and needs a second atomic
/// operation to unlock, and every lookup locks twice (to join the list and to leave it), which
/// on a book-sized lookup was a twentieth of the call. The lock is held for an append or a short
/// search, so a thread that finds it taken spins briefly and then yields.
struct ReaderListLock: ~Copyable {
    private let isLocked = Atomic<Bool>(false)

    func lock() {
        var attempts = 0
        while !isLocked.weakCompareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
            // Wait by reading, which keeps the cache line shared, until the holder lets go.
            while isLocked.load(ordering: .relaxed) {
                attempts += 1
                if attempts % 64 == 0 { sched_yield() }
            }
        }
    }

    func unlock() {
        isLocked.store(false, ordering: .releasing)
    }
}

/// An unretained reference to a variable whose pending rows read a table: what the table's list of
/// readers holds. A reader leaves the list before it is freed, and the list is only touched under
/// its lock, hence `@unchecked Sendable`. Not generic, so that the list's code is compiled once,
/// specialised, rather than run through generic witnesses on every lookup.
struct PendingReader: @unchecked Sendable {
    let variable: Unmanaged<AnyObject>
}

extension Variable {
    /// Copies the pending rows into the value and returns it.
    @discardableResult
    @_specialize(where Scalar == Float)
    final func materializePendingRows() -> Tensor<Scalar> {
        let rows = pendingRows!
        dropPendingRows()
        let value = rows.table.value.gatheringRows(atCheckedRows: rows.ids, indexShape: rows.indexShape)
        storedValue = value
        return value
    }

    /// Forgets the pending rows and takes this variable off its table's list of readers.
    @_specialize(where Scalar == Float)
    final func dropPendingRows() {
        guard let table = pendingRows?.table else { return }
        pendingRows = nil
        let me = Unmanaged.passUnretained(self as AnyObject).toOpaque()
        table.withPendingReaders { readers in
            // From the back: the reader that leaves is usually the latest lookup of the table.
            guard let index = readers.lastIndex(where: { $0.variable.toOpaque() == me }) else { return }
            readers.swapAt(index, readers.count - 1)
            readers.removeLast()
        }
    }

    /// Has every variable still waiting to copy rows of this one copy them now, before this
    /// value changes. (A write needs exclusive access to the variable, as ever: no lookup on
    /// another thread may be making or dropping a reader meanwhile.)
    @_specialize(where Scalar == Float)
    final func materializePendingReaders() {
        while let reader = withPendingReaders({ $0.popLast() }) {
            unsafeDowncast(reader.variable.takeUnretainedValue(), to: Variable<Scalar>.self).materializePendingRows()
        }
    }

    /// How many variables still wait to copy rows of this one.
    final var pendingReaderCount: Int { withPendingReaders { $0.count } }

    /// Runs `body` on the list of pending readers under its lock.
    @inline(__always)
    private final func withPendingReaders<Result>(_ body: (inout [PendingReader]) -> Result) -> Result {
        pendingReaderLock.lock()
        defer { pendingReaderLock.unlock() }
        return body(&pendingReaders)
    }

    /// `self.value + other.value` written in one pass over the result when this variable's rows
    /// are still pending and `other` broadcasts along leading axes only; nil otherwise.
    ///
    /// Reads `other`'s value only when the shapes fit, so a pending `other` stays pending when the
    /// sum cannot be fused this way round.
    @_specialize(where Scalar == Float)
    final func summingPendingRows(with other: Variable) -> Tensor<Scalar>? {
        guard let rows = pendingRows, let table = rows.table.storedValue else { return nil }
        if let addend = other.pendingRows {
            // Rows `k, k + 1, …` of a table (learned positions) are read in place.
            if let addendRows = addend.consecutiveRows, let addendTable = addend.table.storedValue {
                return table.gatheringRows(atCheckedRows: rows.ids, resultShape: rows.shape, adding: addendTable,
                                           addendRows: addendRows, addendShape: addend.shape)
            }
            guard Tensor<Scalar>.addendFitsGatheredRows(addend.shape, resultShape: rows.shape,
                                                        rowRank: table.rank - 1) else { return nil }
        }
        return table.gatheringRows(atCheckedRows: rows.ids, resultShape: rows.shape, adding: other.value)
    }
}
