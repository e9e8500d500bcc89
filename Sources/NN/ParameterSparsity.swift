import Synchronization

extension Parameter {
    /// True for a parameter whose layer asked for PyTorch's sparse gradients (`Embedding(…, sparse: true)`).
    ///
    /// Optimizers then apply PyTorch's lazy sparse semantics to its row-sparse gradients: SGD applies
    /// each entry on its own (duplicates one after the other, not summed first) and keeps momentum only
    /// for rows that have had a gradient; Adam and AdamW behave as `SparseAdam` (only the rows in the
    /// gradient move, only their moments decay). Weight decay is not defined for such parameters, as
    /// in PyTorch. Without the mark, row-sparse gradients are only a faster encoding of the dense
    /// gradient and every optimizer keeps dense semantics.
    ///
    /// The flag is held beside the parameter (keyed by object identity) because `Parameter` belongs
    /// to the Autograd module, which knows nothing of layers.
    ///
    /// ```swift
    /// let table = Parameter(Tensor<Float>.zeros([10, 4]))
    /// table.isSparse = true
    /// ```
    public var isSparse: Bool {
        get { SparseParameterRegistry.contains(self) }
        set { SparseParameterRegistry.set(self, isSparse: newValue) }
    }
}

/// The parameters marked sparse, held weakly: a parameter's identifier counts only while the
/// object registered under it is alive, so a reused identifier never inherits the mark.
private enum SparseParameterRegistry {
    /// Sendable by discipline: created and read only under the registry's lock, and Swift's weak
    /// references are safe to read from any thread.
    private final class WeakReference: @unchecked Sendable {
        weak var object: AnyObject?
        init(_ object: AnyObject) { self.object = object }
    }

    private static let marked = Mutex<[ObjectIdentifier: WeakReference]>([:])

    static func contains(_ object: AnyObject) -> Bool {
        marked.withLock { $0[ObjectIdentifier(object)]?.object === object }
    }

    static func set(_ object: AnyObject, isSparse: Bool) {
        marked.withLock { table in
            if isSparse {
                table = table.filter { $0.value.object != nil }
                table[ObjectIdentifier(object)] = WeakReference(object)
            } else {
                table[ObjectIdentifier(object)] = nil
            }
        }
    }
}
