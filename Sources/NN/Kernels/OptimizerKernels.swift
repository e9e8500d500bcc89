import Foundation
import Tensor

// Optimizer updates: which elements a step visits and where each reads its gradient is decided
// here; the update of each contiguous run is one C kernel per optimizer (Tensor/Kernels/SIMD/
// Optimizers.h), the same body for Float and Double at every instruction-set level.
//
// Kernel precondition for this file: every pointer addresses the elements its segment description
// promises inside live storage, parameter and state pointers never alias a gradient pointer, and
// two segments never cover the same parameter element (so threads own disjoint outputs and results
// do not depend on the thread count).
//
// Rounding follows PyTorch's CPU kernels on x86-64 (reference/pytorch-parity.md §C): each Python
// float is converted to the tensor's type once, `a.add(b, alpha: s)` is `fma(b, s, a)`, `a.mul_(s)`
// rounds the product.

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
struct UpdateSegments {
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
    init<Scalar>(denseGradient: UnsafePointer<Scalar>, count: Int, segmentLength: Int = 4096) {
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

// MARK: - SGD

/// SGD's hyper-parameters as PyTorch's `torch.optim.SGD` takes them.
struct SGDSettings: Sendable {
    var learningRate: Double
    var momentum: Double
    var dampening: Double
    var weightDecay: Double
    var nesterov: Bool
    var maximize: Bool

    /// The kernel's settings for one step.
    func kernelSettings(isFirstStep: Bool, addsZero: Bool) -> SGDKernelSettings {
        SGDKernelSettings(negativeLearningRate: -learningRate, momentum: momentum, dampeningComplement: 1 - dampening,
                          weightDecay: weightDecay, nesterov: nesterov, maximize: maximize, isFirstStep: isFirstStep,
                          addsZero: addsZero)
    }
}

/// One SGD step over `segments`, fused into a single pass:
/// `g = ±grad (+ wd·p); buf = g on the first step, else m·buf + (1−d)·g; g = nesterov ? g + m·buf : buf;
/// p += −lr·g`. `buffer` (shaped like the parameter) is required when momentum is not zero.
func sgdStep<Scalar: FloatingTensorScalar>(
    parameter: UnsafeMutablePointer<Scalar>, segments: UpdateSegments,
    buffer: UnsafeMutablePointer<Scalar>?, settings: SGDSettings, isFirstStep: Bool
) {
    precondition(settings.momentum == 0 || buffer != nil, "SGD with momentum needs a momentum buffer")
    let kernelSettings = settings.kernelSettings(isFirstStep: isFirstStep, addsZero: segments.readsEntriesInPlace)
    sgdSegments(UpdateTarget(parameter, buffer), segments, kernelSettings)
}

private func sgdSegments(_ target: UpdateTarget, _ segments: UpdateSegments, _ settings: SGDKernelSettings) {
    forEachSegment(segments, settings: settings) { level, settings, offset, length, gradient in
        sgdUpdate(isFloat: target.isFloat, parameter: target.at(0, offset)!, momentumBuffer: target.at(1, offset),
                  gradient: gradient, count: length, settings: settings, at: level)
    }
}

/// PyTorch's SGD step for a sparse gradient without momentum: every entry is applied on its own, in
/// entry order (`p[row] = fma(±v, −lr, p[row])`), so duplicate rows are applied one after the other
/// rather than summed first. Threads own interleaved blocks of rows and each scans all entries,
/// which keeps the per-row order.
func sgdSparseEntriesStep<Scalar: FloatingTensorScalar>(
    parameter: UnsafeMutablePointer<Scalar>, rowLength: Int,
    rowIndices: UnsafePointer<Int64>, values: UnsafePointer<Scalar>, entryCount: Int, settings: SGDSettings
) {
    precondition(settings.momentum == 0 && settings.weightDecay == 0, "entry-wise SGD takes plain SGD only")
    precondition(Scalar.self == Float.self || Scalar.self == Double.self, "no optimizer kernel for \(Scalar.self)")
    let level = InstructionSet.current
    // Threads own interleaved blocks of rows (a vocabulary sorted by frequency has its busy rows
    // first) and each scans all entries. The rows were usually just read by every thread (the
    // forward pass), so a second writer pulls each line across cores: a thread pays only from
    // `scatteredRowGrain` elements on (word2vec steps of 256 windows applied 10–15 % faster on one
    // thread than on two, 2-core Xeon, 2026-12-07).
    let owners = Swift.max(1, Swift.min(ParallelConfiguration.maximumThreadCount,
                                        entryCount * rowLength / scatteredRowGrain))
    withUnsafePointer(to: settings.kernelSettings(isFirstStep: false, addsZero: false)) { settings in
        parallelFor(owners, grain: 1) { range in
            for owner in range {
                sgdEntries(isFloat: Scalar.self == Float.self, table: UnsafeMutableRawPointer(parameter),
                           rowLength: rowLength, rows: rowIndices, values: UnsafeRawPointer(values),
                           entryCount: entryCount, ownerBlock: entriesOwnerBlock, ownerCount: Int64(owners),
                           owner: Int64(owner), settings: settings, at: level)
            }
        }
    }
}

/// The fewest elements of scattered row updates worth a thread of their own (see
/// ``sgdSparseEntriesStep``).
private let scatteredRowGrain = 1 << 18

/// Rows per block of the interleaved ownership of ``sgdSparseEntriesStep``.
private let entriesOwnerBlock: Int64 = 16

// MARK: - Adam

/// Adam's hyper-parameters as PyTorch's `torch.optim.Adam`/`AdamW` take them.
struct AdamSettings: Sendable {
    var learningRate: Double
    var beta1: Double
    var beta2: Double
    var epsilon: Double
    var weightDecay: Double
    /// AdamW: decay the parameter directly instead of adding `wd·p` to the gradient.
    var decouplesWeightDecay: Bool
    var amsgrad: Bool
    var maximize: Bool

    /// The bias corrections `1 − β1ᵗ` and `1 − β2ᵗ` at `step` (counted from 1), in Double as
    /// PyTorch's `_single_tensor_adam` computes them.
    func biasCorrections(step: Int) -> (first: Double, second: Double) {
        (1 - pow(beta1, Double(step)), 1 - pow(beta2, Double(step)))
    }

    /// The kernel's settings for the dense step at `step`.
    func kernelSettings(step: Int) -> AdamKernelSettings {
        let (bias1, bias2) = biasCorrections(step: step)
        return AdamKernelSettings(
            weightDecay: weightDecay, decayFactor: 1 - learningRate * weightDecay, oneMinusBeta1: 1 - beta1,
            beta2: beta2, oneMinusBeta2: 1 - beta2, biasCorrection2Root: bias2.squareRoot(), epsilon: epsilon,
            negativeStepSize: -(learningRate / bias1), decouplesWeightDecay: decouplesWeightDecay, amsgrad: amsgrad,
            maximize: maximize)
    }

    /// The kernel's settings for the `SparseAdam` step at `step`.
    func sparseKernelSettings(step: Int) -> SparseAdamKernelSettings {
        let (bias1, bias2) = biasCorrections(step: step)
        return SparseAdamKernelSettings(oneMinusBeta1: 1 - beta1, oneMinusBeta2: 1 - beta2, epsilon: epsilon,
                                        negativeStepSize: -(learningRate * bias2.squareRoot() / bias1),
                                        maximize: maximize)
    }
}

/// One dense Adam/AdamW step at `step` over `segments`, fused into one pass over parameter and
/// moments, in PyTorch's order: decay (AdamW: `p *= 1 − lr·wd`; Adam: `g += wd·p`),
/// `m = lerp(m, g, 1 − β1)`, `v = β2·v + (1 − β2)·g·g`, (AMSGrad: `v̂ = max(v̂, v)`),
/// `denom = √v / √(1 − β2ᵗ) + ε`, `p += (−lr / (1 − β1ᵗ))·m / denom`.
func adamStep<Scalar: FloatingTensorScalar>(
    parameter: UnsafeMutablePointer<Scalar>, segments: UpdateSegments,
    firstMoment: UnsafeMutablePointer<Scalar>, secondMoment: UnsafeMutablePointer<Scalar>,
    maximumSecondMoment: UnsafeMutablePointer<Scalar>?, settings: AdamSettings, step: Int
) {
    precondition(!settings.amsgrad || maximumSecondMoment != nil, "AMSGrad needs its maximum buffer")
    adamSegments(UpdateTarget(parameter, firstMoment, secondMoment, maximumSecondMoment), segments,
                 settings.kernelSettings(step: step))
}

private func adamSegments(_ target: UpdateTarget, _ segments: UpdateSegments, _ settings: AdamKernelSettings) {
    forEachSegment(segments, settings: settings) { level, settings, offset, length, gradient in
        adamUpdate(isFloat: target.isFloat, parameter: target.at(0, offset)!, firstMoment: target.at(1, offset)!,
                   secondMoment: target.at(2, offset)!, maximumSecondMoment: target.at(3, offset), gradient: gradient,
                   count: length, settings: settings, at: level)
    }
}

/// PyTorch's `SparseAdam` step on the rows of a coalesced gradient (`segments` lists exactly those
/// rows): only they move, and only their moments decay.
///
/// Per element, in PyTorch's order: `Δm = (g − m)·(1 − β1)`, `Δv = (g² − v)·(1 − β2)`, `m += Δm`,
/// `v += Δv`, `p += (−lr·√(1 − β2ᵗ)/(1 − β1ᵗ))·(m / (√v + ε))`.
func sparseAdamStep<Scalar: FloatingTensorScalar>(
    parameter: UnsafeMutablePointer<Scalar>, segments: UpdateSegments,
    firstMoment: UnsafeMutablePointer<Scalar>, secondMoment: UnsafeMutablePointer<Scalar>,
    settings: AdamSettings, step: Int
) {
    sparseAdamSegments(UpdateTarget(parameter, firstMoment, secondMoment), segments,
                       settings.sparseKernelSettings(step: step))
}

private func sparseAdamSegments(_ target: UpdateTarget, _ segments: UpdateSegments,
                                _ settings: SparseAdamKernelSettings) {
    forEachSegment(segments, settings: settings) { level, settings, offset, length, gradient in
        sparseAdamUpdate(isFloat: target.isFloat, parameter: target.at(0, offset)!, firstMoment: target.at(1, offset)!,
                         secondMoment: target.at(2, offset)!, gradient: gradient, count: length, settings: settings,
                         at: level)
    }
}
