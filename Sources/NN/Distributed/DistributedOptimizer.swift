import Autograd
import Tensor

/// Any ``Optimizer`` made data-parallel, as Horovod's `DistributedOptimizer`: before each step the
/// ranks' gradients are combined, so every rank takes the same step and keeps the same parameters.
///
/// - Dense gradients are summed by ``ProcessGroup/allreduce(_:average:)``, in rank order, all of
///   them in one exchange.
/// - Row-sparse gradients (embedding tables) are never densified: every rank's entries are
///   gathered, rank 0's first, and the wrapped optimizer sums duplicates in that entry order as it
///   always does. A table with a vocabulary of 50 000 rows and 4 000 entries per rank moves
///   4 000 × size rows, not 50 000.
/// - With `averagesGradients` (the default) both are divided by the number of ranks, which turns
///   each rank's mean loss into the mean over the whole batch.
///
/// Creating it broadcasts every parameter from rank 0, so all ranks start alike, and checks that
/// every rank has the same parameters.
///
/// N ranks with batch b each and a mean loss take the step of one process with batch N·b whose
/// batch is the ranks' batches in rank order (``DataLoader/sharded(for:)`` makes such batches).
/// Row-sparse parameters get exactly that step, bit for bit, when N is a power of two (dividing
/// by it is then exact, and the entries are the one process's entries in its order). Dense
/// gradients are sums of per-rank partial sums, which round differently from one sum over the
/// whole batch: the parameters agree to a few units in the last place per step, and every rank,
/// run after run, has the same bits.
///
/// ```swift
/// let group = try ProcessGroup.world()
/// let model = Embedding(vocabularySize: 6, embeddingSize: 3)
/// let optimizer = try DistributedOptimizer(SGD(parameters: model.parameters, learningRate: 0.1),
///                                          group: group)
/// for (inputs, targets) in loader.sharded(for: group) {
///     optimizer.zeroGrad()
///     try lossFunction(model(inputs), targets).backward()
///     optimizer.step()   // the ranks' gradients combined, then SGD's step
/// }
/// ```
public final class DistributedOptimizer<Scalar: FloatingTensorScalar>: Optimizer {
    /// The optimizer that takes the step.
    public let base: any Optimizer<Scalar>
    /// The ranks that train together.
    public let group: ProcessGroup
    /// Whether gradients are averaged over the ranks (true) or summed.
    public let averagesGradients: Bool

    /// Wraps `base`, broadcasting its parameters from rank 0 to every rank of `group`.
    ///
    /// Throws ``DistributedError/ranksDisagree(operation:detail:)`` on every rank, changing no
    /// parameter, if the ranks' parameter lists differ in count or shape.
    public init(_ base: any Optimizer<Scalar>, group: ProcessGroup, averagesGradients: Bool = true) throws(DistributedError) {
        self.base = base
        self.group = group
        self.averagesGradients = averagesGradients
        try group.broadcast(parameters: base.parameters)
    }

    public var parameters: [Parameter<Scalar>] { base.parameters }

    public var learningRate: Double {
        get { base.learningRate }
        set { base.learningRate = newValue }
    }

    /// Clears the gradients as the wrapped optimizer does (its own `zeroGrad()`, not the default).
    public func zeroGrad() {
        base.zeroGrad()
    }

    /// Combines the ranks' gradients, then takes the wrapped optimizer's step. A failed exchange
    /// ends every rank with a message naming this one (the ranks could no longer agree).
    public func step() {
        do {
            try synchronizeGradients()
        } catch {
            group.abort("gradient exchange failed: \(error)")
        }
        base.step()
    }

    /// Replaces every parameter's gradient with the ranks' combined gradient (see
    /// ``DistributedOptimizer``); a parameter with no gradient on any rank (a frozen one) keeps
    /// none. ``step()`` calls this first; call it yourself to look at the combined gradients.
    public func synchronizeGradients() throws(DistributedError) {
        // A group of one has nothing to combine (and averaging by 1 changes nothing).
        guard group.size > 1 else { return }
        let parameters = base.parameters
        try group.serialized { () throws(DistributedError) in
            // One header for all parameters: each rank's gradient kinds and entry counts.
            let local = parameters.flatMap { parameter -> [Int] in
                switch parameter.gradient {
                case .none: return [GradientKind.none.rawValue, 0]
                case .dense: return [GradientKind.dense.rawValue, 0]
                case .rows(let rows): return [GradientKind.rows.rawValue, rows.rowIndices.count]
                }
            }
            let headers = try group.allgatherIntegers(local)
            if let peer = headers.firstIndex(where: { $0.count != local.count }) {
                throw .ranksDisagree(operation: "gradient exchange",
                                     detail: "rank \(group.rank) has \(parameters.count) parameters, rank \(peer) \(headers[peer].count / 2)")
            }
            // Every dense gradient in one allreduce (Horovod's tensor fusion): a model of many
            // small parameters pays one exchange's latency, not one per parameter. The sum is
            // element by element, so fusing changes no bit.
            let kinds = parameters.indices.map { index in headers.map { GradientKind(rawValue: $0[2 * index])! } }
            let denseIndices = parameters.indices.filter { kinds[$0].contains(.dense) }
            if !denseIndices.isEmpty {
                var flat = Tensor.concatenated(denseIndices.map { index in
                    (parameters[index].gradient?.denseValue ?? Tensor<Scalar>.zeros(parameters[index].shape))
                        .reshaped([parameters[index].value.count])
                })
                try group.reduceUnlocked(&flat, average: averagesGradients)
                var offset = 0
                for index in denseIndices {
                    let count = parameters[index].value.count
                    parameters[index].gradient = .dense(flat[offset..<(offset + count)].reshaped(parameters[index].shape))
                    offset += count
                }
            }
            for (index, parameter) in parameters.enumerated() where !kinds[index].contains(.dense) {
                if kinds[index].allSatisfy({ $0 == .none }) { continue }
                let entries = headers.map { $0[2 * index + 1] }
                let local: RowSparseGradient<Scalar>
                if case .rows(let rows) = parameter.gradient {
                    local = rows
                } else {
                    local = RowSparseGradient(rowIndices: Tensor<Int64>.zeros([0]),
                                              values: Tensor<Scalar>.zeros([0] + parameter.shape.dropFirst()),
                                              rowCount: parameter.shape[0])
                }
                let rowIndices = try group.allgatherUnlocked(local.rowIndices, firstAxes: entries)
                var values = try group.allgatherUnlocked(local.values, firstAxes: entries)
                if averagesGradients { values = values / Scalar(group.size) }
                parameter.gradient = .rows(RowSparseGradient(rowIndices: rowIndices, values: values,
                                                             rowCount: local.rowCount))
            }
        }
    }
}

/// How a rank holds a parameter's gradient, in the gradient exchange's header.
private enum GradientKind: Int {
    case none = 0, dense = 1, rows = 2
}
