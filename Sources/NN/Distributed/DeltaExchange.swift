import Autograd
import Dispatch
import Tensor

/// Local SGD for tables: each rank updates its own copy of the parameters and, every so often,
/// ``exchange()`` gives every rank the sum of all ranks' changes since the last exchange.
///
/// Where ``DistributedOptimizer`` exchanges gradients at every step (the step of one process with
/// the whole batch), this exchanges changed rows once per many steps: word2vec's thousands of
/// small steps per second would otherwise spend more time talking than computing. Only rows that a
/// gradient touched since the last exchange travel (``recordGradientRows()`` notes them), so a
/// vocabulary of a million words costs what the words in use cost. When the ranks together
/// touched more than twice a table's rows — many ranks, or long intervals — the whole table's
/// changes are summed instead (``ProcessGroup/allreduce(_:average:)``), which moves about two
/// tables per rank however many ranks there are.
///
/// After an exchange every rank holds, for each touched row, `start + Δ₀ + Δ₁ + …` — the row at
/// the last exchange plus each rank's change, added in rank order (`start + (Δ₀ + Δ₁ + …)` when
/// whole tables are summed) — so all ranks hold the same bits. Summing the changes (not averaging them) applies every rank's updates, as threads
/// updating one shared table would (word2vec's own parallelism), only later.
///
/// ```swift
/// let exchange = try DeltaExchange(parameters: [input.weight, output.weight], group: group)
/// for batch in myShareOfTheText {
///     try batchLoss(batch).backward()
///     exchange.recordGradientRows()
///     sgd.step(); sgd.zeroGrad()
///     if timeToExchange { try exchange.exchange() }
/// }
/// try exchange.exchange()
/// ```
public final class DeltaExchange<Scalar: FloatingTensorScalar> {
    /// The parameters kept in step; each has its rows along the first axis.
    public let parameters: [Parameter<Scalar>]
    /// The ranks that train together.
    public let group: ProcessGroup
    /// Each parameter's value at the last exchange.
    private var starts: [Tensor<Scalar>]
    /// Each parameter's rows touched since the last exchange, as a bit per row.
    private var touched: [[UInt64]]
    /// What the exchanges so far cost.
    public struct Statistics: Sendable, Equatable {
        /// The calls of ``DeltaExchange/exchange()``.
        public var exchanges = 0
        /// The rows received, every rank's (this rank's own included), summed over the tables.
        public var rows = 0
        /// The bytes of changes received (rows gathered, or whole tables summed).
        public var bytes = 0
        /// The seconds spent in ``DeltaExchange/exchange()``.
        public var seconds = 0.0
        /// The part of ``seconds`` spent moving bytes between the ranks (the rest computes and
        /// applies the changes).
        public var transferSeconds = 0.0
    }

    /// What the exchanges so far cost, for progress reports and tuning the interval.
    ///
    /// ```swift
    /// let table = Embedding(vocabularySize: 6, embeddingSize: 3)
    /// let exchange = try DeltaExchange(parameters: [table.weight], group: .single)
    /// try exchange.exchange()
    /// exchange.statistics.exchanges   // 1
    /// ```
    public private(set) var statistics = Statistics()

    /// The buffers of an exchange, kept for the next: this rank's changes, and every rank's rows
    /// and changes.
    private var sentChanges: [Scalar] = []
    private var receivedRows: [Int64] = []
    private var receivedChanges: [Scalar] = []

    /// Keeps `parameters` in step across `group`, first setting them to rank 0's values.
    ///
    /// Throws ``DistributedError/ranksDisagree(operation:detail:)`` on every rank, changing
    /// nothing, if the ranks' parameters differ in count or shape.
    public init(parameters: [Parameter<Scalar>], group: ProcessGroup) throws(DistributedError) {
        precondition(parameters.allSatisfy { $0.shape.count >= 1 }, "DeltaExchange: every parameter needs a first axis of rows")
        try group.broadcast(parameters: parameters)
        self.parameters = parameters
        self.group = group
        starts = parameters.map { $0.value.contiguousCopy() }
        touched = parameters.map { Array(repeating: 0, count: ($0.shape[0] + 63) / 64) }
    }

    /// Notes the rows of each parameter's current gradient as changed: call it after each
    /// backward, before the optimizer's step. A dense gradient marks every row.
    @_specialize(where Scalar == Float)
    public func recordGradientRows() {
        for (index, parameter) in parameters.enumerated() {
            switch parameter.gradient {
            case .none:
                continue
            case .dense:
                markAllRows(of: index)
            case .rows(let rows):
                rows.rowIndices.withContiguousBuffer { ids in
                    markRows(ids, below: parameter.shape[0], in: &touched[index])
                }
            }
        }
    }

    /// Notes every row of every parameter as changed (after changes not made through gradients).
    public func markAllRowsChanged() {
        for index in parameters.indices { markAllRows(of: index) }
    }

    /// Every word's bits set, the last word's only up to the last row, so that no row past the
    /// table is ever marked.
    private func markAllRows(of index: Int) {
        let rowCount = parameters[index].shape[0]
        let fullWords = rowCount >> 6
        for word in 0..<fullWords { touched[index][word] = ~0 }
        if rowCount & 63 != 0 { touched[index][fullWords] = (1 << UInt64(rowCount & 63)) - 1 }
    }

    /// Gives every rank the sum of all ranks' changes since the last exchange (see
    /// ``DeltaExchange``); every rank must call it the same number of times. Returns the number
    /// of rows received from all ranks together.
    @discardableResult
    public func exchange() throws(DistributedError) -> Int {
        let start = DispatchTime.now().uptimeNanoseconds
        var received = 0
        for index in parameters.indices {
            received += try exchange(parameterAt: index)
        }
        statistics.exchanges += 1
        statistics.rows += received
        statistics.seconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return received
    }

    /// Runs `body`, a transfer of `bytes` bytes received, counting its time as transfer time.
    private func transfer<Result>(receiving bytes: Int, _ body: () throws(DistributedError) -> Result)
        throws(DistributedError) -> Result {
        let start = DispatchTime.now().uptimeNanoseconds
        defer {
            statistics.transferSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            statistics.bytes += bytes
        }
        return try body()
    }

    // Specialised for Float: the loops over every changed element run unspecialised otherwise
    // (the class is generic and used from other modules), ten times slower than the exchange.
    @_specialize(where Scalar == Float)
    private func exchange(parameterAt index: Int) throws(DistributedError) -> Int {
        let parameter = parameters[index]
        let rowLength = parameter.shape.dropFirst().reduce(1, *)
        var rows: [Int64] = []
        forEachMarkedRow(touched[index]) { rows.append(Int64($0)) }
        let rowCounts = try group.serialized { () throws(DistributedError) in try group.allgatherCounts(rows.count) }
        let totalRows = rowCounts.reduce(0, +)
        if totalRows > Self.denseExchangeFactor * parameter.shape[0] {
            return try exchangeWholeTable(parameterAt: index, rowLength: rowLength, totalRows: totalRows)
        }
        // This rank's changes: the touched rows now, less the rows at the last exchange. The
        // buffers are kept from one exchange to the next: fresh tens of megabytes would cost
        // their page faults every time.
        let stride = MemoryLayout<Scalar>.stride
        grow(&sentChanges, to: rows.count * rowLength)
        grow(&receivedRows, to: totalRows)
        grow(&receivedChanges, to: totalRows * rowLength)
        parameter.value.withContiguousBuffer { now in
            starts[index].withContiguousBuffer { start in
                rows.withUnsafeBufferPointer { rows in
                    sentChanges.withUnsafeMutableBufferPointer { changes in
                        gatherRowChanges(now: now, start: start, rows: rows, rowLength: rowLength, into: changes)
                    }
                }
            }
        }
        try transfer(receiving: totalRows * rowLength * stride) { () throws(DistributedError) in
            try group.serialized { () throws(DistributedError) in
                try typedThrows {
                    try rows.withUnsafeBytes { send in
                        try receivedRows.withUnsafeMutableBytes { receive in
                            try group.allgatherBlocks(send, into: receive.baseAddress, blockCounts: rowCounts, blockBytes: 8)
                        }
                    }
                    try sentChanges.withUnsafeBytes { send in
                        try receivedChanges.withUnsafeMutableBytes { receive in
                            let rowBytes = rowLength * stride
                            try group.allgatherBlocks(UnsafeRawBufferPointer(rebasing: send[..<(rows.count * rowBytes)]),
                                                      into: receive.baseAddress, blockCounts: rowCounts, blockBytes: rowBytes)
                        }
                    }
                }
            }
        }
        // Every row any rank touched becomes start + Δ₀ + Δ₁ + …, in rank order: first the new
        // start, then the parameter's row a copy of it.
        starts[index].withMutableContiguousBuffer { start in
            receivedRows.withUnsafeBufferPointer { allIDs in
                let ids = UnsafeBufferPointer(rebasing: allIDs[..<totalRows])
                receivedChanges.withUnsafeBufferPointer { changes in
                    addRowChanges(changes, rows: ids, rowLength: rowLength, to: start)
                }
                // Each row once, in order, though several ranks may have sent it.
                markRows(ids, below: parameter.shape[0], in: &touched[index])
                parameter.value.withMutableContiguousBuffer { value in
                    copyMarkedRows(touched[index], from: UnsafeBufferPointer(start), to: value, rowLength: rowLength)
                }
            }
        }
        clearMarks(of: index)
        return totalRows
    }

    private func clearMarks(of index: Int) {
        for word in touched[index].indices { touched[index][word] = 0 }
    }

    /// Makes `buffer` hold at least `count` elements (growing it only; its contents are not kept).
    private func grow<Element: Numeric>(_ buffer: inout [Element], to count: Int) {
        if buffer.count < count { buffer = [Element](repeating: 0, count: count + count / 4) }
    }

    /// Gathering rows makes every rank receive every other rank's rows, which grows with the
    /// number of ranks; summing whole tables (``ProcessGroup/allreduce(_:average:)``) moves about
    /// twice a table per rank, whatever their number. Past this many rows per table row, summed
    /// over the ranks, the whole table is cheaper.
    static var denseExchangeFactor: Int { 2 }

    /// The exchange as a sum of whole tables: every rank's change of every row (zero where it
    /// touched none), summed in rank order, added to the start.
    @_specialize(where Scalar == Float)
    private func exchangeWholeTable(parameterAt index: Int, rowLength: Int, totalRows: Int) throws(DistributedError) -> Int {
        let parameter = parameters[index]
        // `-` makes a new tensor, which the sum takes as its own; the shapes were checked when
        // the exchange was made (`broadcast(parameters:)`).
        var summed = parameter.value - starts[index]
        try transfer(receiving: summed.count * MemoryLayout<Scalar>.stride) { () throws(DistributedError) in
            try group.serialized { () throws(DistributedError) in try group.reduceUnlocked(&summed, average: false) }
        }
        var updated = starts[index]
        updated += summed
        parameter.value = updated
        starts[index] = updated
        clearMarks(of: index)
        return totalRows
    }
}
