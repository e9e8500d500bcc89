import Foundation
internal import TensorSIMD

// Optimizer updates of a table, as the optimizers in NN drive them: which rows a step visits
// (``RowUpdates``: the rows visited so far, and the accumulator that sums a row-sparse gradient's
// duplicate entries in entry order), where each part reads its gradient (``UpdateSegments``), the
// split over threads, and the C kernel of each contiguous run (`SIMD/Optimizers.h`, the same body
// for Float and Double at every instruction-set level). NN keeps PyTorch's semantics — which
// optimizer, which rows dense semantics can change, the settings in Python's order — and reaches
// the C kernels only through the package functions here.
//
// Kernel precondition for this file: every pointer addresses the elements its segment description
// (or its count, rows and entries) promises inside live storage, of `Float` when `isFloat` and of
// `Double` otherwise; parameter and state pointers never alias a gradient pointer, and two
// segments never cover the same parameter element (so threads own disjoint outputs and results do
// not depend on the thread count). `level` is read on the calling thread
// (`InstructionSet.current`): worker threads do not see the task's instruction-set scope.
//
// Rounding follows PyTorch's CPU kernels on x86-64 (reference/pytorch-parity.md §C): each Python
// float is converted to the tensor's type once, `a.add(b, alpha: s)` is `fma(b, s, a)`, `a.mul_(s)`
// rounds the product.

/// What an optimizer keeps, per parameter, to apply row-sparse gradients with dense semantics:
/// the rows visited so far and the accumulator that sums duplicate entries. SGD and Adam (in NN)
/// each drive their updates through one of these, so the row bookkeeping is written once.
///
/// Under momentum (SGD) or Adam, a row whose state has never received a gradient keeps +0 state
/// that leaves the row unchanged, so such an optimizer need only pass over the rows visited so far
/// (``Rows/visitedSoFar``); weight decay moves every row (``Rows/all``).
package final class RowUpdates<Scalar: FloatingTensorScalar> {
    /// Which rows an update passes over.
    package enum Rows {
        /// The rows with an entry in this gradient.
        case withEntries
        /// Every row that has had an entry in any gradient so far (every row once a dense one came).
        case visitedSoFar
        /// Every row of the table.
        case all
    }

    private var visited: VisitedRows?
    private var accumulator: RowGradientAccumulator<Scalar>?

    package init() {}

    /// A dense gradient arrived: from now on every row counts as visited.
    package func visitAll() { visitedRows(rowCount: 0).includeAll() }

    /// Sums a row-sparse gradient — `values[k]` (shape `[entries] + row shape`) for row
    /// `rowIndices[k]` of a `rowCount`-row table — duplicates in entry order, and runs `body` on
    /// segments over `rows` of a parameter of `parameterShape`, each reading its summed gradient
    /// row (zeros for rows without entries). With `singleEntriesInPlace`, a row with one entry
    /// reads it where the backward left it. `optimizer` names the caller in the message of a
    /// gradient that does not fit.
    package func withSegments<Result>(
        summingRows rowIndices: Tensor<Int64>, values: Tensor<Scalar>, rowCount: Int, parameterShape: [Int],
        optimizer: String, rows: Rows, singleEntriesInPlace: Bool = false, _ body: (UpdateSegments) -> Result
    ) -> Result {
        precondition(rowIndices.rank == 1 && values.rank >= 1 && values.shape[0] == rowIndices.count,
                     "\(optimizer): \(rowIndices.count) row indices for gradient values of shape \(values.shape)")
        let gradientShape = [rowCount] + values.shape.dropFirst()
        precondition(gradientShape == parameterShape,
                     "\(optimizer): gradient of shape \(gradientShape) for a parameter of shape \(parameterShape)")
        let rowLength = parameterShape.dropFirst().reduce(1, *)
        let accumulator = self.accumulator ?? RowGradientAccumulator(rowCount: rowCount, rowLength: rowLength)
        precondition(accumulator.rowCount == rowCount && accumulator.rowLength == rowLength, """
            \(optimizer): the parameter is now \(parameterShape), but its row-sparse updates so far were for a \
            \(accumulator.rowCount)×\(accumulator.rowLength) table
            """)
        self.accumulator = accumulator
        let rowList: ([Int]) -> [Int]?
        switch rows {
        case .withEntries:
            rowList = { $0 }
        case .visitedSoFar:
            let visited = visitedRows(rowCount: rowCount)
            rowList = { rowsWithEntries in
                visited.include(rowsWithEntries)
                return visited.rows
            }
        case .all:
            rowList = { _ in nil }
        }
        return accumulator.withSegments(summingRows: rowIndices, values: values,
                                        singleEntriesInPlace: singleEntriesInPlace, rowList: rowList, body)
    }

    /// The rows visited so far, created empty (for a `rowCount`-row table) on first use.
    private func visitedRows(rowCount: Int) -> VisitedRows {
        let visited = self.visited ?? VisitedRows(rowCount: rowCount)
        self.visited = visited
        return visited
    }
}

/// The rows of a table that have had a gradient so far, in first-visit order, or every row.
private final class VisitedRows {
    private var isVisited: [Bool]
    private var list: [Int] = []
    private var includesAll = false

    init(rowCount: Int) { isVisited = [Bool](repeating: false, count: rowCount) }

    /// The visited rows, or nil once every row counts as visited.
    var rows: [Int]? { includesAll ? nil : list }

    func include(_ rows: [Int]) {
        guard !includesAll else { return }
        for row in rows where !isVisited[row] {
            isVisited[row] = true
            list.append(row)
        }
    }

    func includeAll() {
        includesAll = true
        list = []
        isVisited = []
    }
}

/// Sums a row-sparse gradient per row exactly as the dense scatter-add does (from zero, entries in
/// order), keeping its storage between steps.
///
/// The row → slot map is sized to the table once; each step resets only the rows it touched, so a
/// step costs O(entries × row length) with no O(rows) pass or allocation after the first.
///
/// A row with a single entry can be read from the gradient's own values instead of being
/// copied into a sum: the dense sum would be `0 + v`, which differs from `v` only in the sign of a
/// zero, so segments that read entries in place say so (``UpdateSegments/readsEntriesInPlace``) and
/// the update adds zero itself. Most rows of a large vocabulary have one entry per batch, so this
/// saves a copy of nearly the whole upstream gradient per step.
private final class RowGradientAccumulator<Scalar: FloatingTensorScalar> {
    let rowCount: Int
    let rowLength: Int
    /// Row → slot of its sum in `sums`, −1 for rows without entries.
    private var slotOfRow: [Int32]
    /// Rows with entries in order of first appearance; row `rows[k]` sums into slot `k`.
    private(set) var rows: [Int] = []
    /// Entry → slot of its row, bitwise complemented (negative) for the row's first entry, which
    /// starts the sum instead of adding to it (so the sums need no zero fill first);
    /// `skippedEntry` for an entry read in place.
    private var entrySlots: [Int32] = []
    /// Slot → its only entry when that entry is read in place, else −1.
    private var inPlaceEntryOfSlot: [Int32] = []
    /// The sums, slot after slot, then one row of zeros; raw memory so that zeroing it is a
    /// byte fill rather than a generic per-element loop (zero bits are 0 in Float and Double).
    private var storage: UnsafeMutableRawPointer
    private var storageRows: Int

    init(rowCount: Int, rowLength: Int) {
        self.rowCount = rowCount
        self.rowLength = rowLength
        slotOfRow = [Int32](repeating: -1, count: rowCount)
        storageRows = 0
        storage = Self.allocate(rows: 0, rowLength: rowLength)
    }

    deinit { storage.deallocate() }

    private static func allocate(rows: Int, rowLength: Int) -> UnsafeMutableRawPointer {
        let count = Swift.max(rows * rowLength, 1)
        let memory = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Scalar>.stride, alignment: 64)
        memory.bindMemory(to: Scalar.self, capacity: count)
        return memory
    }

    private var sums: UnsafeMutablePointer<Scalar> { storage.assumingMemoryBound(to: Scalar.self) }

    /// Sums the entries (`values[k]` for row `rowIndices[k]`, whose table must be this one) and
    /// calls `body` with segments over the rows of `rowList(rowsWithEntries)` (every row when it
    /// returns nil), each reading its summed gradient row, or zeros for rows without entries. With
    /// `singleEntriesInPlace`, rows with one entry read it from `values` instead of a copy.
    func withSegments<Result>(
        summingRows rowIndices: Tensor<Int64>, values: Tensor<Scalar>, singleEntriesInPlace: Bool,
        rowList: (_ rowsWithEntries: [Int]) -> [Int]?, _ body: (UpdateSegments) -> Result
    ) -> Result {
        let inPlace = singleEntriesInPlace
        return values.withContiguousBuffer { values in
            accumulate(rowIndices, values: values.baseAddress, inPlace: inPlace)
            let zeroRow = sums + rows.count * rowLength
            let list = rowList(rows)
            return slotOfRow.withUnsafeBufferPointer { slotOfRow in
                inPlaceEntryOfSlot.withUnsafeBufferPointer { inPlaceEntries in
                    list.withOptionalBuffer { list in
                        body(UpdateSegments(rowCount: rowCount, rowLength: rowLength, rowList: list,
                                            slotOfRow: slotOfRow.baseAddress!, sums: sums, zeroRow: zeroRow,
                                            inPlaceEntryOfSlot: inPlace ? inPlaceEntries.baseAddress : nil,
                                            entryValues: values.baseAddress))
                    }
                }
            }
        }
    }

    private func accumulate(_ rowIndices: Tensor<Int64>, values: UnsafePointer<Scalar>?, inPlace: Bool) {
        // The bookkeeping runs on local arrays (moved out and back, not copied): a class's stored
        // arrays would be checked for exclusive access on every element access.
        var slotOfRow = takeArray(&self.slotOfRow), rows = takeArray(&self.rows)
        var entrySlots = takeArray(&self.entrySlots), inPlaceEntryOfSlot = takeArray(&self.inPlaceEntryOfSlot)
        defer {
            self.slotOfRow = slotOfRow
            self.rows = rows
            self.entrySlots = entrySlots
            self.inPlaceEntryOfSlot = inPlaceEntryOfSlot
        }
        for row in rows { slotOfRow[row] = -1 }
        let entryCount = rowIndices.count
        rowIndices.withContiguousBuffer { indices in
            slotOfRow.withUnsafeMutableBufferPointer { slotOfRow in
                RowSlots.assign(indices, slotOfRow: slotOfRow, rows: &rows, entrySlots: &entrySlots,
                                onlyEntryOfSlot: &inPlaceEntryOfSlot)
            }
        }
        if inPlace {
            for slot in inPlaceEntryOfSlot.indices where inPlaceEntryOfSlot[slot] >= 0 {
                entrySlots[Int(inPlaceEntryOfSlot[slot])] = skippedEntry
            }
        }
        // Slots, then the zero row; grown geometrically, so steps stop allocating.
        let neededRows = rows.count + 1
        if neededRows > storageRows {
            storage.deallocate()
            storageRows = Swift.max(neededRows, 2 * storageRows)
            storage = Self.allocate(rows: storageRows, rowLength: rowLength)
        }
        memset(sums + rows.count * rowLength, 0, rowLength * MemoryLayout<Scalar>.stride)
        guard let values else { return }
        let slotCount = rows.count, length = rowLength, sums = sums
        entrySlots.withUnsafeBufferPointer { slots in
            addEntriesBySlot(sums: sums, slotCount: slotCount, rowLength: length, values: values,
                             slots: slots.baseAddress!, entryCount: entryCount)
        }
    }
}

/// The entry → slot code of an entry read in place rather than summed.
private let skippedEntry = Int32.min

/// `sums[slot] += values[entry]` for every entry in order, the first entry of a
/// slot (complemented slot) adding to zero, entries marked `skippedEntry` skipped. Threads own slot
/// ranges and each scans all entries, so every sum is accumulated in entry order by one thread.
@_specialize(where T == Float)
@_specialize(where T == Double)
private func addEntriesBySlot<T: FloatingTensorScalar>(
    sums: UnsafeMutablePointer<T>, slotCount: Int, rowLength: Int, values: UnsafePointer<T>,
    slots: UnsafePointer<Int32>, entryCount: Int
) {
    let level = InstructionSet.current
    applyInEntryOrder(entryCount: entryCount, targetCount: slotCount, workPerEntry: rowLength,
                      target: { slots[$0] == skippedEntry ? nil : RowSlots.decode(slots[$0]).slot }) { entry, slot in
        let sum = sums + slot * rowLength, value = values + entry * rowLength
        // `0 + x` rather than `x` for a first entry, as the dense scatter-add from zero: it turns
        // −0 into +0 (a one-source sum from zero).
        if RowSlots.decode(slots[entry]).isFirst {
            startRowSum(from: value, into: sum, count: rowLength, at: level)
        } else {
            addRow(value, into: sum, count: rowLength, at: level)
        }
    }
}

/// Moves an array out of `storage`, leaving it empty, so that the caller holds its only reference.
@inline(__always)
private func takeArray<Element>(_ storage: inout [Element]) -> [Element] {
    var taken: [Element] = []
    swap(&taken, &storage)
    return taken
}

// MARK: - Segments

/// Which elements of a parameter one update visits and where each part reads its gradient.
///
/// A parameter is cut into segments: fixed-size runs of a dense gradient, or rows of a 2-D table whose
/// gradient is a coalesced row-sparse one (rows without an entry read a shared row of zeros, so the
/// arithmetic is exactly the dense arithmetic on a zero gradient; rows with a single entry may read
/// it in place, see ``readsEntriesInPlace``).
///
/// Not generic: pointers are raw and offsets in elements of `elementSize` bytes, so that the walk
/// over thousands of rows per step is compiled once, specialised, even when the optimizer calling
/// it is generic code.
package struct UpdateSegments {
    let segmentCount: Int
    let segmentLength: Int
    /// Elements of the whole parameter; bounds the last dense segment.
    let elementCount: Int
    /// Bytes per element.
    let elementSize: Int
    /// Rows visited, in order; nil means row `k` for segment `k`.
    let rowList: UnsafePointer<Int>?
    /// Row → slot in `gradientBase` (negative: no entry); nil for a dense gradient.
    let slotOfRow: UnsafePointer<Int32>?
    let gradientBase: UnsafeRawPointer
    let zeroRow: UnsafeRawPointer?
    /// Slot → the entry of `entryValues` it reads in place (negative: its sum in `gradientBase`).
    let inPlaceEntryOfSlot: UnsafePointer<Int32>?
    let entryValues: UnsafeRawPointer?

    /// True when some rows read a gradient entry `v` in place where the dense gradient holds
    /// `0 + v`: the update must add zero to the gradient first (it turns −0 into +0), which leaves
    /// summed rows unchanged.
    var readsEntriesInPlace: Bool { inPlaceEntryOfSlot != nil }

    /// Segments over a dense contiguous gradient of `count` elements.
    package init<Scalar>(denseGradient: UnsafePointer<Scalar>, count: Int, segmentLength: Int = 4096) {
        self.segmentLength = segmentLength
        segmentCount = (count + segmentLength - 1) / segmentLength
        elementCount = count
        elementSize = MemoryLayout<Scalar>.stride
        rowList = nil
        slotOfRow = nil
        gradientBase = UnsafeRawPointer(denseGradient)
        zeroRow = nil
        inPlaceEntryOfSlot = nil
        entryValues = nil
    }

    /// One segment per row (every row of a `rowCount`-row table, or the rows of `rowList`), reading
    /// coalesced gradient rows through `slotOfRow`, or entries of `entryValues` in place for the
    /// slots that `inPlaceEntryOfSlot` maps to one.
    init<Scalar>(rowCount: Int, rowLength: Int, rowList: UnsafeBufferPointer<Int>?, slotOfRow: UnsafePointer<Int32>,
                 sums: UnsafePointer<Scalar>, zeroRow: UnsafePointer<Scalar>,
                 inPlaceEntryOfSlot: UnsafePointer<Int32>? = nil, entryValues: UnsafePointer<Scalar>? = nil) {
        precondition(inPlaceEntryOfSlot == nil || entryValues != nil, "in-place entries need their values")
        segmentLength = rowLength
        segmentCount = rowList?.count ?? rowCount
        elementCount = rowCount * rowLength
        elementSize = MemoryLayout<Scalar>.stride
        self.rowList = rowList?.baseAddress
        self.slotOfRow = slotOfRow
        gradientBase = UnsafeRawPointer(sums)
        self.zeroRow = UnsafeRawPointer(zeroRow)
        self.inPlaceEntryOfSlot = inPlaceEntryOfSlot
        self.entryValues = entryValues.map(UnsafeRawPointer.init)
    }

    /// The parameter offset (in elements), length and gradient of segment `k`.
    @inline(__always)
    func segment(_ k: Int) -> (offset: Int, length: Int, gradient: UnsafeRawPointer) {
        guard let slotOfRow else {
            let offset = k * segmentLength
            return (offset, Swift.min(segmentLength, elementCount - offset), gradientBase + offset * elementSize)
        }
        let row = rowList?[k] ?? k
        let slot = Int(slotOfRow[row])
        let rowBytes = segmentLength * elementSize
        guard slot >= 0 else { return (row * segmentLength, segmentLength, zeroRow!) }
        if let inPlaceEntryOfSlot, case let entry = Int(inPlaceEntryOfSlot[slot]), entry >= 0 {
            return (row * segmentLength, segmentLength, entryValues! + entry * rowBytes)
        }
        return (row * segmentLength, segmentLength, gradientBase + slot * rowBytes)
    }
}

/// The parameter and state of one update as raw pointers, with the element type as a flag: the
/// segment loop below is then one specialised, non-generic loop for Float and Double alike.
private struct UpdateTarget: @unchecked Sendable {
    let isFloat: Bool
    /// The parameter, then up to three state buffers (nil where the update keeps none).
    let pointers: (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?)

    init<Scalar: FloatingTensorScalar>(
        _ parameter: UnsafeMutablePointer<Scalar>, _ first: UnsafeMutablePointer<Scalar>? = nil,
        _ second: UnsafeMutablePointer<Scalar>? = nil, _ third: UnsafeMutablePointer<Scalar>? = nil
    ) {
        precondition(Scalar.self == Float.self || Scalar.self == Double.self, "no optimizer kernel for \(Scalar.self)")
        isFloat = Scalar.self == Float.self
        pointers = (UnsafeMutableRawPointer(parameter), first.map(UnsafeMutableRawPointer.init),
                    second.map(UnsafeMutableRawPointer.init), third.map(UnsafeMutableRawPointer.init))
    }

    /// Pointer `index` (0: the parameter) moved to element `offset`.
    @inline(__always)
    func at(_ index: Int, _ offset: Int) -> UnsafeMutableRawPointer? {
        let pointer = index == 0 ? pointers.0 : index == 1 ? pointers.1 : index == 2 ? pointers.2 : pointers.3
        return pointer.map { $0 + offset * (isFloat ? MemoryLayout<Float>.stride : MemoryLayout<Double>.stride) }
    }
}

/// Runs `body` once per segment, split across threads (each thread owning whole segments), with
/// `settings` at a stable address.
private func forEachSegment<Settings>(
    _ segments: UpdateSegments, settings: Settings,
    _ body: (InstructionSet, UnsafePointer<Settings>, _ offset: Int, _ length: Int,
             _ gradient: UnsafeRawPointer) -> Void
) {
    // Read on the calling thread: worker threads do not see the task's instruction-set scope.
    let level = InstructionSet.current
    let grain = Swift.max(1, ParallelConfiguration.elementwiseGrain / Swift.max(segments.segmentLength, 1))
    withUnsafePointer(to: settings) { settings in
        parallelForBalanced(segments.segmentCount, grain: grain) { range in
            for k in range {
                let (offset, length, gradient) = segments.segment(k)
                body(level, settings, offset, length, gradient)
            }
        }
    }
}

// MARK: - The updates NN calls

/// One SGD step over `segments`, fused into a single pass:
/// `g = ±grad (+ wd·p); buf = g on the first step, else m·buf + (1−d)·g; g = nesterov ? g + m·buf : buf;
/// p += −lr·g`. `momentumBuffer` (shaped like the parameter) is required when momentum is not zero.
package func sgdUpdate<Scalar: FloatingTensorScalar>(
    parameter: UnsafeMutablePointer<Scalar>, momentumBuffer: UnsafeMutablePointer<Scalar>?,
    segments: UpdateSegments, settings: SGDKernelSettings
) {
    precondition(settings.raw.uses_momentum == 0 || momentumBuffer != nil, "SGD with momentum needs a momentum buffer")
    var settings = settings
    settings.raw.adds_zero = segments.readsEntriesInPlace ? 1 : 0
    let target = UpdateTarget(parameter, momentumBuffer)
    forEachSegment(segments, settings: settings) { level, settings, offset, length, gradient in
        sgdKernel(isFloat: target.isFloat, parameter: target.at(0, offset)!, momentumBuffer: target.at(1, offset),
                  gradient: gradient, count: length, settings: settings, at: level)
    }
}

/// PyTorch's SGD step for a sparse gradient without momentum: every entry is applied on its own, in
/// entry order (`p[row] = fma(±v, −lr, p[row])`), so duplicate rows are applied one after the other
/// rather than summed first. Threads own interleaved blocks of rows and each scans all entries,
/// which keeps the per-row order.
package func sgdEntriesUpdate<Scalar: FloatingTensorScalar>(
    table: UnsafeMutablePointer<Scalar>, rowLength: Int,
    rowIndices: UnsafePointer<Int64>, values: UnsafePointer<Scalar>, entryCount: Int, settings: SGDKernelSettings
) {
    precondition(settings.raw.uses_momentum == 0 && settings.raw.uses_weight_decay == 0,
                 "entry-wise SGD takes plain SGD only")
    precondition(Scalar.self == Float.self || Scalar.self == Double.self, "no optimizer kernel for \(Scalar.self)")
    let level = InstructionSet.current
    // Threads own interleaved blocks of rows (a vocabulary sorted by frequency has its busy rows
    // first) and each scans all entries. The rows were usually just read by every thread (the
    // forward pass), so a second writer pulls each line across cores: a thread pays only from
    // `scatteredRowGrain` elements on (word2vec steps of 256 windows applied 10–15 % faster on one
    // thread than on two, 2-core Xeon, 2026-12-07).
    let owners = Swift.max(1, Swift.min(ParallelConfiguration.maximumThreadCount,
                                        entryCount * rowLength / scatteredRowGrain))
    withUnsafePointer(to: settings) { settings in
        parallelFor(owners, grain: 1) { range in
            for owner in range {
                sgdEntriesKernel(isFloat: Scalar.self == Float.self, table: UnsafeMutableRawPointer(table),
                                 rowLength: rowLength, rows: rowIndices, values: UnsafeRawPointer(values),
                                 entryCount: entryCount, ownerBlock: entriesOwnerBlock, ownerCount: Int64(owners),
                                 owner: Int64(owner), settings: settings, at: level)
            }
        }
    }
}

/// The fewest elements of scattered row updates worth a thread of their own (see
/// ``sgdEntriesUpdate(table:rowLength:rowIndices:values:entryCount:settings:)``).
private let scatteredRowGrain = 1 << 18

/// Rows per block of the interleaved ownership of entry-wise SGD.
private let entriesOwnerBlock: Int64 = 16

/// One dense Adam/AdamW step over `segments`, fused into one pass over parameter and moments, in
/// PyTorch's order: decay (AdamW: `p *= 1 − lr·wd`; Adam: `g += wd·p`), `m = lerp(m, g, 1 − β1)`,
/// `v = β2·v + (1 − β2)·g·g`, (AMSGrad: `v̂ = max(v̂, v)`), `denom = √v / √(1 − β2ᵗ) + ε`,
/// `p += (−lr / (1 − β1ᵗ))·m / denom`. `maximumSecondMoment` is required for AMSGrad.
package func adamUpdate<Scalar: FloatingTensorScalar>(
    parameter: UnsafeMutablePointer<Scalar>, firstMoment: UnsafeMutablePointer<Scalar>,
    secondMoment: UnsafeMutablePointer<Scalar>, maximumSecondMoment: UnsafeMutablePointer<Scalar>?,
    segments: UpdateSegments, settings: AdamKernelSettings
) {
    precondition(settings.raw.amsgrad == 0 || maximumSecondMoment != nil, "AMSGrad needs its maximum buffer")
    let target = UpdateTarget(parameter, firstMoment, secondMoment, maximumSecondMoment)
    forEachSegment(segments, settings: settings) { level, settings, offset, length, gradient in
        adamKernel(isFloat: target.isFloat, parameter: target.at(0, offset)!, firstMoment: target.at(1, offset)!,
                   secondMoment: target.at(2, offset)!, maximumSecondMoment: target.at(3, offset), gradient: gradient,
                   count: length, settings: settings, at: level)
    }
}

/// PyTorch's `SparseAdam` step on the rows of a coalesced gradient (`segments` lists exactly those
/// rows): only they move, and only their moments decay. Per element, in PyTorch's order:
/// `Δm = (g − m)·(1 − β1)`, `Δv = (g² − v)·(1 − β2)`, `m += Δm`, `v += Δv`,
/// `p += (−lr·√(1 − β2ᵗ)/(1 − β1ᵗ))·(m / (√v + ε))`.
package func sparseAdamUpdate<Scalar: FloatingTensorScalar>(
    parameter: UnsafeMutablePointer<Scalar>, firstMoment: UnsafeMutablePointer<Scalar>,
    secondMoment: UnsafeMutablePointer<Scalar>, segments: UpdateSegments, settings: SparseAdamKernelSettings
) {
    let target = UpdateTarget(parameter, firstMoment, secondMoment)
    forEachSegment(segments, settings: settings) { level, settings, offset, length, gradient in
        sparseAdamKernel(isFloat: target.isFloat, parameter: target.at(0, offset)!, firstMoment: target.at(1, offset)!,
                         secondMoment: target.at(2, offset)!, gradient: gradient, count: length, settings: settings,
                         at: level)
    }
}

// MARK: - Settings and the C kernels

/// The settings of one SGD update (PyTorch's `torch.optim.SGD`) as Python holds them, in Double;
/// the kernels round each to the element type once.
package struct SGDKernelSettings: Sendable {
    /// `adds_zero` is set by the update itself: +0 is added to every gradient element first when
    /// some rows read an entry in place, where the dense gradient holds `0 + v`.
    fileprivate var raw: sa_sgd_settings

    package init(negativeLearningRate: Double, momentum: Double, dampeningComplement: Double, weightDecay: Double,
                 nesterov: Bool, maximize: Bool, isFirstStep: Bool) {
        raw = sa_sgd_settings(negative_learning_rate: negativeLearningRate, momentum: momentum,
                              dampening_complement: dampeningComplement, weight_decay: weightDecay,
                              uses_momentum: momentum != 0 ? 1 : 0, uses_weight_decay: weightDecay != 0 ? 1 : 0,
                              nesterov: nesterov ? 1 : 0, maximize: maximize ? 1 : 0, first_step: isFirstStep ? 1 : 0,
                              adds_zero: 0)
    }
}

/// The settings of one Adam/AdamW step at a given step number (PyTorch's `_single_tensor_adam`),
/// computed in Double; the kernels round each to the element type once.
package struct AdamKernelSettings: Sendable {
    fileprivate let raw: sa_adam_settings

    package init(weightDecay: Double, decayFactor: Double, oneMinusBeta1: Double, beta2: Double, oneMinusBeta2: Double,
                 biasCorrection2Root: Double, epsilon: Double, negativeStepSize: Double,
                 decouplesWeightDecay: Bool, amsgrad: Bool, maximize: Bool) {
        raw = sa_adam_settings(weight_decay: weightDecay, decay_factor: decayFactor, one_minus_beta1: oneMinusBeta1,
                               beta2: beta2, one_minus_beta2: oneMinusBeta2, bias_correction2_root: biasCorrection2Root,
                               epsilon: epsilon, negative_step_size: negativeStepSize,
                               uses_weight_decay: weightDecay != 0 ? 1 : 0,
                               decouples_weight_decay: decouplesWeightDecay ? 1 : 0, amsgrad: amsgrad ? 1 : 0,
                               maximize: maximize ? 1 : 0)
    }
}

/// The settings of one `SparseAdam` step, in Double.
package struct SparseAdamKernelSettings: Sendable {
    fileprivate let raw: sa_sparse_adam_settings

    package init(oneMinusBeta1: Double, oneMinusBeta2: Double, epsilon: Double, negativeStepSize: Double, maximize: Bool) {
        raw = sa_sparse_adam_settings(one_minus_beta1: oneMinusBeta1, one_minus_beta2: oneMinusBeta2, epsilon: epsilon,
                                      negative_step_size: negativeStepSize, maximize: maximize ? 1 : 0)
    }
}

/// One SGD update of `count` elements, fused (the C kernels' `sgd`); `momentumBuffer` is needed
/// when the settings use momentum.
private func sgdKernel(isFloat: Bool, parameter: UnsafeMutableRawPointer, momentumBuffer: UnsafeMutableRawPointer?,
                       gradient: UnsafeRawPointer, count: Int, settings: UnsafePointer<SGDKernelSettings>,
                       at level: InstructionSet) {
    let raw = UnsafeRawPointer(settings).assumingMemoryBound(to: sa_sgd_settings.self)
    if isFloat {
        level.kernels.pointee.optimizers.sgd_f32(parameter.assumingMemoryBound(to: Float.self),
                                                 momentumBuffer?.assumingMemoryBound(to: Float.self),
                                                 gradient.assumingMemoryBound(to: Float.self), count, raw)
    } else {
        level.kernels.pointee.optimizers.sgd_f64(parameter.assumingMemoryBound(to: Double.self),
                                                 momentumBuffer?.assumingMemoryBound(to: Double.self),
                                                 gradient.assumingMemoryBound(to: Double.self), count, raw)
    }
}

/// Plain SGD applied entry by entry, in order, to the rows this caller owns
/// (`(row / ownerBlock) % ownerCount == owner`): `table[row] += ±value · rate` per element.
private func sgdEntriesKernel(isFloat: Bool, table: UnsafeMutableRawPointer, rowLength: Int, rows: UnsafePointer<Int64>,
                        values: UnsafeRawPointer, entryCount: Int, ownerBlock: Int64, ownerCount: Int64, owner: Int64,
                        settings: UnsafePointer<SGDKernelSettings>, at level: InstructionSet) {
    let raw = UnsafeRawPointer(settings).assumingMemoryBound(to: sa_sgd_settings.self)
    if isFloat {
        level.kernels.pointee.optimizers.sgd_entries_f32(table.assumingMemoryBound(to: Float.self), rowLength, rows,
                                                         values.assumingMemoryBound(to: Float.self), entryCount,
                                                         ownerBlock, ownerCount, owner, raw)
    } else {
        level.kernels.pointee.optimizers.sgd_entries_f64(table.assumingMemoryBound(to: Double.self), rowLength, rows,
                                                         values.assumingMemoryBound(to: Double.self), entryCount,
                                                         ownerBlock, ownerCount, owner, raw)
    }
}

/// One Adam/AdamW update of `count` elements, fused (the C kernels' `adam`);
/// `maximumSecondMoment` is needed for AMSGrad.
private func adamKernel(isFloat: Bool, parameter: UnsafeMutableRawPointer, firstMoment: UnsafeMutableRawPointer,
                        secondMoment: UnsafeMutableRawPointer, maximumSecondMoment: UnsafeMutableRawPointer?,
                        gradient: UnsafeRawPointer, count: Int, settings: UnsafePointer<AdamKernelSettings>,
                        at level: InstructionSet) {
    let raw = UnsafeRawPointer(settings).assumingMemoryBound(to: sa_adam_settings.self)
    if isFloat {
        level.kernels.pointee.optimizers.adam_f32(parameter.assumingMemoryBound(to: Float.self),
                                                  firstMoment.assumingMemoryBound(to: Float.self),
                                                  secondMoment.assumingMemoryBound(to: Float.self),
                                                  maximumSecondMoment?.assumingMemoryBound(to: Float.self),
                                                  gradient.assumingMemoryBound(to: Float.self), count, raw)
    } else {
        level.kernels.pointee.optimizers.adam_f64(parameter.assumingMemoryBound(to: Double.self),
                                                  firstMoment.assumingMemoryBound(to: Double.self),
                                                  secondMoment.assumingMemoryBound(to: Double.self),
                                                  maximumSecondMoment?.assumingMemoryBound(to: Double.self),
                                                  gradient.assumingMemoryBound(to: Double.self), count, raw)
    }
}

/// One `SparseAdam` update of `count` elements (the C kernels' `sparse_adam`).
private func sparseAdamKernel(isFloat: Bool, parameter: UnsafeMutableRawPointer, firstMoment: UnsafeMutableRawPointer,
                              secondMoment: UnsafeMutableRawPointer, gradient: UnsafeRawPointer, count: Int,
                              settings: UnsafePointer<SparseAdamKernelSettings>, at level: InstructionSet) {
    let raw = UnsafeRawPointer(settings).assumingMemoryBound(to: sa_sparse_adam_settings.self)
    if isFloat {
        level.kernels.pointee.optimizers.sparse_adam_f32(parameter.assumingMemoryBound(to: Float.self),
                                                         firstMoment.assumingMemoryBound(to: Float.self),
                                                         secondMoment.assumingMemoryBound(to: Float.self),
                                                         gradient.assumingMemoryBound(to: Float.self), count, raw)
    } else {
        level.kernels.pointee.optimizers.sparse_adam_f64(parameter.assumingMemoryBound(to: Double.self),
                                                         firstMoment.assumingMemoryBound(to: Double.self),
                                                         secondMoment.assumingMemoryBound(to: Double.self),
                                                         gradient.assumingMemoryBound(to: Double.self), count, raw)
    }
}

extension Optional {
    /// Calls `body` with the wrapped array's buffer, or nil.
    fileprivate func withOptionalBuffer<Element, Result>(_ body: (UnsafeBufferPointer<Element>?) -> Result) -> Result
    where Wrapped == [Element] {
        switch self {
        case .some(let array): return array.withUnsafeBufferPointer { body($0) }
        case .none: return body(nil)
        }
    }
}
