import Foundation

// Optimizer update loops. Kernel precondition for this file: every pointer addresses the elements
// its segment description promises inside live storage, parameter and state pointers never alias a
// gradient pointer, and two segments never cover the same parameter element (so threads own
// disjoint outputs and results do not depend on the thread count).
//
// Rounding follows PyTorch's CPU kernels on x86-64 with AVX2 (reference/pytorch-parity.md §C): each
// Python float is converted to the tensor's type once, `a.add(b, alpha: s)` is `fma(b, s, a)`,
// `a.mul_(s)` rounds the product. Swift's `x.addingProduct(a, b)` is that fused multiply-add.

/// Which elements of a parameter one update visits and where each part reads its gradient.
///
/// A parameter is cut into segments: fixed-size runs of a dense gradient, or rows of a 2-D table whose
/// gradient is a coalesced row-sparse one (rows without an entry read a shared row of zeros, so the
/// arithmetic is exactly the dense arithmetic on a zero gradient; rows with a single entry may read
/// it in place, see ``readsEntriesInPlace``).
struct UpdateSegments<Scalar> {
    let segmentCount: Int
    let segmentLength: Int
    /// Elements of the whole parameter; bounds the last dense segment.
    let elementCount: Int
    /// Rows visited, in order; nil means row `k` for segment `k`.
    let rowList: UnsafePointer<Int>?
    /// Row → slot in `gradientBase` (negative: no entry); nil for a dense gradient.
    let slotOfRow: UnsafePointer<Int32>?
    let gradientBase: UnsafePointer<Scalar>
    let zeroRow: UnsafePointer<Scalar>?
    /// Slot → the entry of `entryValues` it reads in place (negative: its sum in `gradientBase`).
    let inPlaceEntryOfSlot: UnsafePointer<Int32>?
    let entryValues: UnsafePointer<Scalar>?

    /// True when some rows read a gradient entry `v` in place where the dense gradient holds
    /// `0 + v`: the update must add zero to the gradient first (it turns −0 into +0), which leaves
    /// summed rows unchanged.
    var readsEntriesInPlace: Bool { inPlaceEntryOfSlot != nil }

    /// Segments over a dense contiguous gradient of `count` elements.
    init(denseGradient: UnsafePointer<Scalar>, count: Int, segmentLength: Int = 4096) {
        self.segmentLength = segmentLength
        segmentCount = (count + segmentLength - 1) / segmentLength
        elementCount = count
        rowList = nil
        slotOfRow = nil
        gradientBase = denseGradient
        zeroRow = nil
        inPlaceEntryOfSlot = nil
        entryValues = nil
    }

    /// One segment per row (every row of a `rowCount`-row table, or the rows of `rowList`), reading
    /// coalesced gradient rows through `slotOfRow`, or entries of `entryValues` in place for the
    /// slots that `inPlaceEntryOfSlot` maps to one.
    init(rowCount: Int, rowLength: Int, rowList: UnsafeBufferPointer<Int>?, slotOfRow: UnsafePointer<Int32>,
         sums: UnsafePointer<Scalar>, zeroRow: UnsafePointer<Scalar>,
         inPlaceEntryOfSlot: UnsafePointer<Int32>? = nil, entryValues: UnsafePointer<Scalar>? = nil) {
        precondition(inPlaceEntryOfSlot == nil || entryValues != nil, "in-place entries need their values")
        segmentLength = rowLength
        segmentCount = rowList?.count ?? rowCount
        elementCount = rowCount * rowLength
        self.rowList = rowList?.baseAddress
        self.slotOfRow = slotOfRow
        gradientBase = sums
        self.zeroRow = zeroRow
        self.inPlaceEntryOfSlot = inPlaceEntryOfSlot
        self.entryValues = entryValues
    }

    private init<Other>(_ other: UpdateSegments<Other>) {
        segmentCount = other.segmentCount
        segmentLength = other.segmentLength
        elementCount = other.elementCount
        rowList = other.rowList
        slotOfRow = other.slotOfRow
        gradientBase = UnsafeRawPointer(other.gradientBase).assumingMemoryBound(to: Scalar.self)
        zeroRow = other.zeroRow.map { UnsafeRawPointer($0).assumingMemoryBound(to: Scalar.self) }
        inPlaceEntryOfSlot = other.inPlaceEntryOfSlot
        entryValues = other.entryValues.map { UnsafeRawPointer($0).assumingMemoryBound(to: Scalar.self) }
    }

    func rebound<Target>(to type: Target.Type) -> UpdateSegments<Target> { UpdateSegments<Target>(self) }

    /// The parameter offset, length and gradient of segment `k`.
    @inline(__always)
    func segment(_ k: Int) -> (offset: Int, length: Int, gradient: UnsafePointer<Scalar>) {
        guard let slotOfRow else {
            let offset = k * segmentLength
            return (offset, Swift.min(segmentLength, elementCount - offset), gradientBase + offset)
        }
        let row = rowList?[k] ?? k
        let slot = Int(slotOfRow[row])
        guard slot >= 0 else { return (row * segmentLength, segmentLength, zeroRow!) }
        if let inPlaceEntryOfSlot, case let entry = Int(inPlaceEntryOfSlot[slot]), entry >= 0 {
            return (row * segmentLength, segmentLength, entryValues! + entry * segmentLength)
        }
        return (row * segmentLength, segmentLength, gradientBase + slot * segmentLength)
    }

    /// Runs `body` over the segments split across threads, each thread owning whole segments.
    @inline(__always)
    func forEachSegment(_ body: (Int) -> Void) {
        forEachSegmentRange { range in
            for k in range { body(k) }
        }
    }

    /// Runs `body` once per thread with the range of segments that thread owns.
    @inline(__always)
    func forEachSegmentRange(_ body: (Range<Int>) -> Void) {
        let grain = Swift.max(1, ParallelConfiguration.elementwiseGrain / Swift.max(segmentLength, 1))
        parallelForBalanced(segmentCount, grain: grain, body)
    }
}

@inline(__always)
func rebound<Source, Target>(_ pointer: UnsafeMutablePointer<Source>, to type: Target.Type) -> UnsafeMutablePointer<Target> {
    UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: Target.self)
}

@inline(__always)
func rebound<Source, Target>(_ pointer: UnsafePointer<Source>, to type: Target.Type) -> UnsafePointer<Target> {
    UnsafeRawPointer(pointer).assumingMemoryBound(to: Target.self)
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
}

/// The constants of one SGD update in the parameter's type, converted as PyTorch converts them.
struct SGDCoefficients<T: FloatingTensorScalar> {
    let negativeLearningRate: T
    let momentum: T
    let dampeningComplement: T
    let weightDecay: T
    let usesMomentum: Bool
    let usesWeightDecay: Bool
    let nesterov: Bool
    let maximize: Bool

    init(_ settings: SGDSettings) {
        negativeLearningRate = T(-settings.learningRate)
        momentum = T(settings.momentum)
        dampeningComplement = T(1 - settings.dampening)
        weightDecay = T(settings.weightDecay)
        usesMomentum = settings.momentum != 0
        usesWeightDecay = settings.weightDecay != 0
        nesterov = settings.nesterov
        maximize = settings.maximize
    }
}

/// One dense SGD step over `segments`, fused into a single pass:
/// `g = ±grad (+ wd·p); buf = g on the first step, else m·buf + (1−d)·g; g = nesterov ? g + m·buf : buf;
/// p += −lr·g`. `buffer` (shaped like the parameter) is required when momentum is not zero.
func sgdStep<Scalar: FloatingTensorScalar>(
    parameter: UnsafeMutablePointer<Scalar>, segments: UpdateSegments<Scalar>,
    buffer: UnsafeMutablePointer<Scalar>?, settings: SGDSettings, isFirstStep: Bool
) {
    if Scalar.self == Float.self {
        sgdFloatLoop(rebound(parameter, to: Float.self), segments.rebound(to: Float.self),
                     buffer.map { rebound($0, to: Float.self) }, SGDCoefficients(settings), isFirstStep)
    } else if Scalar.self == Double.self {
        sgdLoop(rebound(parameter, to: Double.self), segments.rebound(to: Double.self),
                buffer.map { rebound($0, to: Double.self) }, SGDCoefficients(settings), isFirstStep)
    } else {
        sgdLoop(parameter, segments, buffer, SGDCoefficients(settings), isFirstStep)
    }
}

@inline(__always)
private func sgdLoop<T: FloatingTensorScalar>(
    _ parameter: UnsafeMutablePointer<T>, _ segments: UpdateSegments<T>, _ buffer: UnsafeMutablePointer<T>?,
    _ c: SGDCoefficients<T>, _ isFirstStep: Bool
) {
    precondition(!c.usesMomentum || buffer != nil, "SGD with momentum needs a momentum buffer")
    // `0 + v`: the dense gradient's value for an entry read in place (see UpdateSegments).
    let zero: T = segments.readsEntriesInPlace ? T.zero : -T.zero
    segments.forEachSegment { k in
        let (offset, length, gradient) = segments.segment(k)
        let p = parameter + offset
        if c.usesMomentum {
            let b = buffer! + offset
            for i in 0..<length {
                var g = c.maximize ? -(zero + gradient[i]) : zero + gradient[i]
                if c.usesWeightDecay { g = g.addingProduct(p[i], c.weightDecay) }
                let updated = isFirstStep ? g : (b[i] * c.momentum).addingProduct(g, c.dampeningComplement)
                b[i] = updated
                let direction = c.nesterov ? g.addingProduct(updated, c.momentum) : updated
                p[i] = p[i].addingProduct(direction, c.negativeLearningRate)
            }
        } else {
            for i in 0..<length {
                var g = c.maximize ? -(zero + gradient[i]) : zero + gradient[i]
                if c.usesWeightDecay { g = g.addingProduct(p[i], c.weightDecay) }
                p[i] = p[i].addingProduct(g, c.negativeLearningRate)
            }
        }
    }
}

/// Which parts of the SGD formula a step uses. The float loops are instantiated with constant
/// flags for the common cases, because the optimizer does not unswitch a loop on five flags and
/// would leave it unvectorised.
struct SGDFlags {
    var maximize: Bool
    var weightDecay: Bool
    var momentum: Bool
    var firstStep: Bool
    var nesterov: Bool
    /// The gradient is all zeros and there is no weight decay: `fma(±0, 1 − d, x)` is then the
    /// exact `x + (±0)·(1 − d)`, one double-rounded multiply-add less per element.
    var zeroGradient: Bool
    /// No dampening: `fma(g, 1, x)` is the float sum `x + g`. Computed through double, such sums
    /// of nearby floats land exactly on a float midpoint half the time and would be flagged.
    var unitDampening: Bool

    init(_ c: SGDCoefficients<Float>, isFirstStep: Bool, zeroGradient: Bool) {
        maximize = c.maximize
        weightDecay = c.usesWeightDecay
        momentum = c.usesMomentum
        firstStep = isFirstStep
        nesterov = c.nesterov
        self.zeroGradient = zeroGradient && !c.usesWeightDecay
        unitDampening = c.dampeningComplement == 1
    }

    init(maximize: Bool = false, weightDecay: Bool = false, momentum: Bool, firstStep: Bool = false,
         nesterov: Bool = false, zeroGradient: Bool = false, unitDampening: Bool = true) {
        self.maximize = maximize
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.firstStep = firstStep
        self.nesterov = nesterov
        self.zeroGradient = zeroGradient
        self.unitDampening = unitDampening
    }
}

/// One element of the float SGD step: the new parameter and momentum buffer values. `zero` is
/// added to the gradient first: +0 for entries read in place (the dense `0 + v`), else −0 (no-op).
@inline(__always)
private func sgdFloatElement<F: MultiplyAddStrategy>(
    _ parameter: Float, _ buffer: Float, _ gradient: Float, _ zero: Float, _ c: SGDCoefficients<Float>,
    _ flags: SGDFlags, _ ambiguous: inout UInt32, _ fused: F.Type
) -> (parameter: Float, buffer: Float) {
    var g = flags.maximize ? -(zero + gradient) : zero + gradient
    if flags.weightDecay { g = F.multiplyAdd(parameter, c.weightDecay, g, ambiguous: &ambiguous) }
    guard flags.momentum else {
        return (F.multiplyAdd(g, c.negativeLearningRate, parameter, ambiguous: &ambiguous), buffer)
    }
    let decayed = buffer * c.momentum
    let updated = flags.firstStep ? g
        : flags.zeroGradient ? decayed + g * c.dampeningComplement
        : flags.unitDampening ? decayed + g
        : F.multiplyAdd(g, c.dampeningComplement, decayed, ambiguous: &ambiguous)
    let direction = flags.nesterov ? F.multiplyAdd(updated, c.momentum, g, ambiguous: &ambiguous) : updated
    return (F.multiplyAdd(direction, c.negativeLearningRate, parameter, ambiguous: &ambiguous), updated)
}

/// Calls `body` with `flags`, as a constant for the common cases (plain SGD; momentum without
/// dampening after the first step, on a zero gradient row or not), so that each gets its own
/// vectorised loop.
@inline(__always)
private func withConstantFlags(_ flags: SGDFlags, _ body: (SGDFlags) -> Void) {
    if !flags.maximize && !flags.weightDecay && !flags.nesterov && (!flags.momentum || flags.unitDampening) {
        if !flags.momentum {
            body(SGDFlags(momentum: false))
        } else if flags.zeroGradient && !flags.firstStep {
            body(SGDFlags(momentum: true, zeroGradient: true))
        } else if !flags.firstStep {
            body(SGDFlags(momentum: true))
        } else {
            body(SGDFlags(momentum: true, firstStep: true))
        }
    } else {
        body(flags)
    }
}

/// Computes a block's new parameter and buffer values into `newParameter` and `newBuffer` (which
/// may be `p` and `b` themselves) and returns the ambiguity flags of the multiply-adds.
@inline(__always)
private func sgdFloatBlock<F: MultiplyAddStrategy>(
    _ p: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>?, _ gradient: UnsafePointer<Float>,
    _ count: Int, _ coefficients: SGDCoefficients<Float>, _ zero: Float, _ isFirstStep: Bool, _ zeroGradient: Bool,
    _ fused: F.Type, into newParameter: UnsafeMutablePointer<Float>, _ newBuffer: UnsafeMutablePointer<Float>
) -> UInt32 {
    // A local copy keeps the constants in registers: read through the argument's address they
    // are reloaded after every store.
    let c = coefficients
    var ambiguous: UInt32 = 0
    withConstantFlags(SGDFlags(c, isFirstStep: isFirstStep, zeroGradient: zeroGradient)) { flags in
        if let b {
            for i in 0..<count {
                let (value, updated) = sgdFloatElement(p[i], b[i], gradient[i], zero, c, flags, &ambiguous, F.self)
                newParameter[i] = value
                newBuffer[i] = updated
            }
        } else {
            for i in 0..<count {
                newParameter[i] = sgdFloatElement(p[i], 0, gradient[i], zero, c, flags, &ambiguous, F.self).parameter
            }
        }
    }
    return ambiguous
}

/// One block of the float SGD step: its new values go to `newParameter`/`newBuffer` (scratch), or
/// straight to the parameter and buffer when computed in place.
private struct SGDFloatBlock: FusedRoundingBlock {
    let parameter: UnsafeMutablePointer<Float>, buffer: UnsafeMutablePointer<Float>?
    let gradient: UnsafePointer<Float>, count: Int
    let coefficients: SGDCoefficients<Float>, zero: Float, isFirstStep: Bool, zeroGradient: Bool
    let newParameter: UnsafeMutablePointer<Float>, newBuffer: UnsafeMutablePointer<Float>

    @inline(__always)
    func compute<F: MultiplyAddStrategy>(with strategy: F.Type, inPlace: Bool) -> UInt32 {
        sgdFloatBlock(parameter, buffer, gradient, count, coefficients, zero, isFirstStep, zeroGradient, F.self,
                      into: inPlace ? parameter : newParameter, inPlace ? (buffer ?? newBuffer) : newBuffer)
    }

    @inline(__always)
    func commit() {
        parameter.update(from: newParameter, count: count)
        buffer?.update(from: newBuffer, count: count)
    }
}

/// The float SGD step with PyTorch's fused multiply-adds, block by block with the cheapest rounding
/// strategy that is certain (see `FusedRoundingBlock`).
private func sgdFloatLoop(
    _ parameter: UnsafeMutablePointer<Float>, _ segments: UpdateSegments<Float>, _ buffer: UnsafeMutablePointer<Float>?,
    _ c: SGDCoefficients<Float>, _ isFirstStep: Bool
) {
    precondition(!c.usesMomentum || buffer != nil, "SGD with momentum needs a momentum buffer")
    let blockLength = 1024
    let zero: Float = segments.readsEntriesInPlace ? 0 : -0.0
    segments.forEachSegmentRange { range in
        // One scratch allocation per thread: one per segment would be a heap allocation per row.
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 2 * blockLength)
        defer { scratch.deallocate() }
        let newParameter = scratch, newBuffer = newParameter + blockLength
        for k in range {
            let (offset, length, gradient) = segments.segment(k)
            let b = c.usesMomentum ? buffer! + offset : nil
            let zeroGradient = gradient == segments.zeroRow
            var start = 0
            while start < length {
                let count = Swift.min(blockLength, length - start)
                SGDFloatBlock(parameter: parameter + offset + start, buffer: b.map { $0 + start },
                              gradient: gradient + start, count: count, coefficients: c, zero: zero,
                              isFirstStep: isFirstStep, zeroGradient: zeroGradient,
                              newParameter: newParameter, newBuffer: newBuffer).evaluate()
                start += count
            }
        }
    }
}

/// PyTorch's SGD step for a sparse gradient without momentum: every entry is applied on its own, in
/// entry order (`p[row] = fma(±v, −lr, p[row])`), so duplicate rows are applied one after the other
/// rather than summed first. Threads own row ranges and each scans all entries, which keeps the
/// per-row order.
func sgdSparseEntriesStep<Scalar: FloatingTensorScalar>(
    parameter: UnsafeMutablePointer<Scalar>, rowCount: Int, rowLength: Int,
    rowIndices: UnsafePointer<Int64>, values: UnsafePointer<Scalar>, entryScales: UnsafePointer<Scalar>?,
    entryCount: Int, settings: SGDSettings
) {
    if Scalar.self == Float.self {
        sparseEntriesLoop(rebound(parameter, to: Float.self), rowCount, rowLength, rowIndices,
                          rebound(values, to: Float.self), entryScales.map { rebound($0, to: Float.self) },
                          entryCount, SGDCoefficients(settings))
    } else if Scalar.self == Double.self {
        sparseEntriesLoop(rebound(parameter, to: Double.self), rowCount, rowLength, rowIndices,
                          rebound(values, to: Double.self), entryScales.map { rebound($0, to: Double.self) },
                          entryCount, SGDCoefficients(settings))
    } else {
        sparseEntriesLoop(parameter, rowCount, rowLength, rowIndices, values, entryScales, entryCount,
                          SGDCoefficients(settings))
    }
}

@inline(__always)
private func sparseEntriesLoop<T: FloatingTensorScalar>(
    _ parameter: UnsafeMutablePointer<T>, _ rowCount: Int, _ rowLength: Int, _ rowIndices: UnsafePointer<Int64>,
    _ values: UnsafePointer<T>, _ entryScales: UnsafePointer<T>?, _ entryCount: Int, _ c: SGDCoefficients<T>
) {
    let threads = Swift.min(ParallelConfiguration.maximumThreadCount,
                            entryCount * rowLength / ParallelConfiguration.elementwiseGrain)
    let grain = Swift.max(1, rowCount / Swift.max(threads, 1))
    parallelFor(rowCount, grain: grain) { rows in
        for entry in 0..<entryCount {
            let row = Int(rowIndices[entry])
            guard rows.contains(row) else { continue }
            let p = parameter + row * rowLength
            let v = values + entry * rowLength
            if let entryScales {
                let scale = entryScales[entry]
                for i in 0..<rowLength {
                    let g = v[i] * scale
                    p[i] = p[i].addingProduct(c.maximize ? -g : g, c.negativeLearningRate)
                }
            } else {
                for i in 0..<rowLength {
                    p[i] = p[i].addingProduct(c.maximize ? -v[i] : v[i], c.negativeLearningRate)
                }
            }
        }
    }
}

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
}

/// The constants of one Adam update at step `step` (counted from 1), converted as PyTorch's
/// `_single_tensor_adam` converts them: bias corrections and the step size in Double, then each
/// scalar operand rounded to the tensor type.
struct AdamCoefficients<T: FloatingTensorScalar> {
    let usesWeightDecay: Bool
    let decouplesWeightDecay: Bool
    let weightDecay: T
    let decayFactor: T
    /// `lerp_(grad, 1 − β1)` is `fma(w, grad − m, m)` for a small weight and `fma(w − 1, grad − m, grad)` otherwise.
    let lerpWeightIsSmall: Bool
    let lerpCoefficient: T
    let beta2: T
    let oneMinusBeta2: T
    let biasCorrection2Root: T
    let epsilon: T
    let negativeStepSize: T
    let amsgrad: Bool
    let maximize: Bool

    init(_ settings: AdamSettings, step: Int) {
        let bias1 = 1 - pow(settings.beta1, Double(step))
        let bias2 = 1 - pow(settings.beta2, Double(step))
        usesWeightDecay = settings.weightDecay != 0
        decouplesWeightDecay = settings.decouplesWeightDecay
        weightDecay = T(settings.weightDecay)
        decayFactor = T(1 - settings.learningRate * settings.weightDecay)
        let weight = T(1 - settings.beta1)
        lerpWeightIsSmall = Swift.abs(weight) < T(0.5)
        lerpCoefficient = lerpWeightIsSmall ? weight : weight - 1
        beta2 = T(settings.beta2)
        oneMinusBeta2 = T(1 - settings.beta2)
        biasCorrection2Root = T(bias2.squareRoot())
        epsilon = T(settings.epsilon)
        negativeStepSize = T(-(settings.learningRate / bias1))
        amsgrad = settings.amsgrad
        maximize = settings.maximize
    }
}

/// One dense Adam/AdamW step at `step` over `segments`, fused into one pass over parameter and
/// moments, in PyTorch's order: decay (AdamW: `p *= 1 − lr·wd`; Adam: `g += wd·p`),
/// `m = lerp(m, g, 1 − β1)`, `v = β2·v + (1 − β2)·g·g`, (AMSGrad: `v̂ = max(v̂, v)`),
/// `denom = √v / √(1 − β2ᵗ) + ε`, `p += (−lr / (1 − β1ᵗ))·m / denom`.
func adamStep<Scalar: FloatingTensorScalar>(
    parameter: UnsafeMutablePointer<Scalar>, segments: UpdateSegments<Scalar>,
    firstMoment: UnsafeMutablePointer<Scalar>, secondMoment: UnsafeMutablePointer<Scalar>,
    maximumSecondMoment: UnsafeMutablePointer<Scalar>?, settings: AdamSettings, step: Int
) {
    if Scalar.self == Float.self {
        adamFloatLoop(rebound(parameter, to: Float.self), segments.rebound(to: Float.self),
                      rebound(firstMoment, to: Float.self), rebound(secondMoment, to: Float.self),
                      maximumSecondMoment.map { rebound($0, to: Float.self) }, AdamCoefficients(settings, step: step))
    } else if Scalar.self == Double.self {
        adamLoop(rebound(parameter, to: Double.self), segments.rebound(to: Double.self),
                 rebound(firstMoment, to: Double.self), rebound(secondMoment, to: Double.self),
                 maximumSecondMoment.map { rebound($0, to: Double.self) }, AdamCoefficients(settings, step: step))
    } else {
        adamLoop(parameter, segments, firstMoment, secondMoment, maximumSecondMoment,
                 AdamCoefficients(settings, step: step))
    }
}

@inline(__always)
private func adamLoop<T: FloatingTensorScalar>(
    _ parameter: UnsafeMutablePointer<T>, _ segments: UpdateSegments<T>, _ firstMoment: UnsafeMutablePointer<T>,
    _ secondMoment: UnsafeMutablePointer<T>, _ maximumSecondMoment: UnsafeMutablePointer<T>?,
    _ c: AdamCoefficients<T>
) {
    precondition(!c.amsgrad || maximumSecondMoment != nil, "AMSGrad needs its maximum buffer")
    segments.forEachSegment { k in
        let (offset, length, gradient) = segments.segment(k)
        let p = parameter + offset, m = firstMoment + offset, v = secondMoment + offset
        let vMax = maximumSecondMoment.map { $0 + offset }
        for i in 0..<length {
            var g = c.maximize ? -gradient[i] : gradient[i]
            var value = p[i]
            if c.usesWeightDecay {
                if c.decouplesWeightDecay {
                    value = value * c.decayFactor
                } else {
                    g = g.addingProduct(value, c.weightDecay)
                }
            }
            let difference = g - m[i]
            let mean = (c.lerpWeightIsSmall ? m[i] : g).addingProduct(c.lerpCoefficient, difference)
            m[i] = mean
            var variance = (v[i] * c.beta2).addingProduct(c.oneMinusBeta2 * g, g)
            v[i] = variance
            if let vMax {
                // torch.maximum propagates NaN.
                let previous = vMax[i]
                variance = previous.isNaN || variance.isNaN ? T.nan : Swift.max(previous, variance)
                vMax[i] = variance
            }
            let denominator = variance.squareRoot() / c.biasCorrection2Root + c.epsilon
            p[i] = value + (c.negativeStepSize * mean) / denominator
        }
    }
}

/// Which parts of the Adam formula a step uses; constant for the common cases (as `SGDFlags`: the
/// optimizer does not unswitch a loop on several flags).
struct AdamFlags {
    var maximize = false
    var weightDecay = false
    var decouplesWeightDecay = false
    var amsgrad = false
    var lerpWeightIsSmall = true

    init(_ c: AdamCoefficients<Float>) {
        maximize = c.maximize
        weightDecay = c.usesWeightDecay
        decouplesWeightDecay = c.decouplesWeightDecay
        amsgrad = c.amsgrad
        lerpWeightIsSmall = c.lerpWeightIsSmall
    }

    init(weightDecay: Bool, decouplesWeightDecay: Bool) {
        self.weightDecay = weightDecay
        self.decouplesWeightDecay = decouplesWeightDecay
    }
}

/// The moments of one element of the float Adam step with the multiply-adds of strategy `F`, in the
/// order and rounding of `adamLoop`: the (decayed) parameter, the new moments, and the second moment
/// the denominator uses (AMSGrad's maximum, else the new second moment).
@inline(__always)
private func adamFloatMoments<F: MultiplyAddStrategy>(
    _ parameter: Float, _ mean: Float, _ variance: Float, _ maximum: Float, _ gradient: Float,
    _ c: AdamCoefficients<Float>, _ flags: AdamFlags, _ ambiguous: inout UInt32, _ fused: F.Type
) -> (parameter: Float, mean: Float, variance: Float, denominatorVariance: Float) {
    var g = flags.maximize ? -gradient : gradient
    var value = parameter
    if flags.weightDecay {
        if flags.decouplesWeightDecay {
            value = value * c.decayFactor
        } else {
            g = F.multiplyAdd(value, c.weightDecay, g, ambiguous: &ambiguous)
        }
    }
    let difference = g - mean
    let newMean = F.multiplyAdd(c.lerpCoefficient, difference, flags.lerpWeightIsSmall ? mean : g, ambiguous: &ambiguous)
    let newVariance = F.multiplyAdd(c.oneMinusBeta2 * g, g, variance * c.beta2, ambiguous: &ambiguous)
    // torch.maximum propagates NaN.
    let used = !flags.amsgrad ? newVariance
        : maximum.isNaN || newVariance.isNaN ? .nan : Swift.max(maximum, newVariance)
    return (value, newMean, newVariance, used)
}

/// Computes a block of the float Adam step into `into` and returns the ambiguity flags of its
/// multiply-adds.
@inline(__always)
private func adamFloatBlock<F: MultiplyAddStrategy>(
    _ p: UnsafeMutablePointer<Float>, _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>,
    _ vMax: UnsafeMutablePointer<Float>?, _ gradient: UnsafePointer<Float>, _ count: Int,
    _ coefficients: AdamCoefficients<Float>, _ fused: F.Type, into outputs: AdamBlockOutputs
) -> UInt32 {
    let flags = AdamFlags(coefficients)
    // Constant flags for the common cases, so that each gets its own vectorised loop.
    if let vMax {
        return adamFloatRun(p, m, v, vMax, gradient, count, coefficients, flags, F.self, into: outputs)
    } else if flags.maximize || flags.amsgrad || !flags.lerpWeightIsSmall {
        return adamFloatRun(p, m, v, nil, gradient, count, coefficients, flags, F.self, into: outputs)
    } else if !flags.weightDecay {
        return adamFloatRun(p, m, v, nil, gradient, count, coefficients,
                            AdamFlags(weightDecay: false, decouplesWeightDecay: false), F.self, into: outputs)
    } else if flags.decouplesWeightDecay {
        return adamFloatRun(p, m, v, nil, gradient, count, coefficients,
                            AdamFlags(weightDecay: true, decouplesWeightDecay: true), F.self, into: outputs)
    } else {
        return adamFloatRun(p, m, v, nil, gradient, count, coefficients,
                            AdamFlags(weightDecay: true, decouplesWeightDecay: false), F.self, into: outputs)
    }
}

/// One block in three loops, so that the square roots (see `VectorSquareRoot`) do not keep the
/// other two scalar: the moments and the decayed parameter, the square roots of the second moments
/// used, then the parameter update `p + (−lr/(1 − β1ᵗ))·m / (√v / √(1 − β2ᵗ) + ε)`.
@inline(__always)
private func adamFloatRun<F: MultiplyAddStrategy>(
    _ p: UnsafeMutablePointer<Float>, _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>,
    _ vMax: UnsafeMutablePointer<Float>?, _ gradient: UnsafePointer<Float>, _ count: Int,
    _ coefficients: AdamCoefficients<Float>, _ flags: AdamFlags, _ fused: F.Type,
    into outputs: AdamBlockOutputs
) -> UInt32 {
    // Local copies keep the constants in registers.
    let c = coefficients
    var ambiguous: UInt32 = 0
    let newParameter = outputs.parameter, newMean = outputs.mean, newVariance = outputs.variance
    let roots = outputs.roots
    if let vMax {
        for i in 0..<count {
            let result = adamFloatMoments(p[i], m[i], v[i], vMax[i], gradient[i], c, flags, &ambiguous, F.self)
            newParameter[i] = result.parameter
            newMean[i] = result.mean
            newVariance[i] = result.variance
            outputs.maximum[i] = result.denominatorVariance
            roots[i] = result.denominatorVariance
        }
    } else {
        for i in 0..<count {
            let result = adamFloatMoments(p[i], m[i], v[i], 0, gradient[i], c, flags, &ambiguous, F.self)
            newParameter[i] = result.parameter
            newMean[i] = result.mean
            newVariance[i] = result.variance
            roots[i] = result.denominatorVariance
        }
    }
    VectorSquareRoot.formSquareRoots(roots, count: count)
    for i in 0..<count {
        newParameter[i] = newParameter[i] + (c.negativeStepSize * newMean[i]) / (roots[i] / c.biasCorrection2Root + c.epsilon)
    }
    return ambiguous
}

/// Where a block of the float Adam step writes: scratch rows, or the state arrays themselves
/// (`maximum` only with AMSGrad); `roots` is always scratch.
private struct AdamBlockOutputs {
    let parameter: UnsafeMutablePointer<Float>
    let mean: UnsafeMutablePointer<Float>
    let variance: UnsafeMutablePointer<Float>
    let maximum: UnsafeMutablePointer<Float>
    let roots: UnsafeMutablePointer<Float>
}

/// One block of the float Adam step: its new values go to `scratch`, or straight to the state when
/// computed in place.
private struct AdamFloatBlock: FusedRoundingBlock {
    let parameter: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>
    let variance: UnsafeMutablePointer<Float>, maximum: UnsafeMutablePointer<Float>?
    let gradient: UnsafePointer<Float>, count: Int
    let coefficients: AdamCoefficients<Float>
    let scratch: AdamBlockOutputs

    @inline(__always)
    func compute<F: MultiplyAddStrategy>(with strategy: F.Type, inPlace: Bool) -> UInt32 {
        let outputs = inPlace
            ? AdamBlockOutputs(parameter: parameter, mean: mean, variance: variance,
                               maximum: maximum ?? scratch.maximum, roots: scratch.roots)
            : scratch
        return adamFloatBlock(parameter, mean, variance, maximum, gradient, count, coefficients, F.self, into: outputs)
    }

    @inline(__always)
    func commit() {
        parameter.update(from: scratch.parameter, count: count)
        mean.update(from: scratch.mean, count: count)
        variance.update(from: scratch.variance, count: count)
        maximum?.update(from: scratch.maximum, count: count)
    }
}

/// The float Adam step with PyTorch's fused multiply-adds, block by block with the cheapest rounding
/// strategy that is certain (see `FusedRoundingBlock`).
private func adamFloatLoop(
    _ parameter: UnsafeMutablePointer<Float>, _ segments: UpdateSegments<Float>, _ firstMoment: UnsafeMutablePointer<Float>,
    _ secondMoment: UnsafeMutablePointer<Float>, _ maximumSecondMoment: UnsafeMutablePointer<Float>?,
    _ c: AdamCoefficients<Float>
) {
    precondition(!c.amsgrad || maximumSecondMoment != nil, "AMSGrad needs its maximum buffer")
    let blockLength = 1024
    segments.forEachSegmentRange { range in
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 5 * blockLength)
        defer { scratch.deallocate() }
        let outputs = AdamBlockOutputs(parameter: scratch, mean: scratch + blockLength, variance: scratch + 2 * blockLength,
                                       maximum: scratch + 3 * blockLength, roots: scratch + 4 * blockLength)
        for k in range {
            let (offset, length, gradient) = segments.segment(k)
            var start = 0
            while start < length {
                let count = Swift.min(blockLength, length - start)
                let p = parameter + offset + start, g = gradient + start
                let m = firstMoment + offset + start, v = secondMoment + offset + start
                let vMax = maximumSecondMoment.map { $0 + offset + start }
                AdamFloatBlock(parameter: p, mean: m, variance: v, maximum: vMax, gradient: g, count: count,
                               coefficients: c, scratch: outputs).evaluate()
                start += count
            }
        }
    }
}

/// PyTorch's `SparseAdam` step on the rows of a coalesced gradient (`segments` lists exactly those
/// rows): only they move, and only their moments decay.
///
/// Per element, in PyTorch's order: `Δm = (g − m)·(1 − β1)`, `Δv = (g² − v)·(1 − β2)`, `m += Δm`,
/// `v += Δv`, `p += (−lr·√(1 − β2ᵗ)/(1 − β1ᵗ))·(m / (√v + ε))`.
func sparseAdamStep<Scalar: FloatingTensorScalar>(
    parameter: UnsafeMutablePointer<Scalar>, segments: UpdateSegments<Scalar>,
    firstMoment: UnsafeMutablePointer<Scalar>, secondMoment: UnsafeMutablePointer<Scalar>,
    settings: AdamSettings, step: Int
) {
    if Scalar.self == Float.self {
        sparseAdamLoop(rebound(parameter, to: Float.self), segments.rebound(to: Float.self),
                       rebound(firstMoment, to: Float.self), rebound(secondMoment, to: Float.self), settings, step)
    } else if Scalar.self == Double.self {
        sparseAdamLoop(rebound(parameter, to: Double.self), segments.rebound(to: Double.self),
                       rebound(firstMoment, to: Double.self), rebound(secondMoment, to: Double.self), settings, step)
    } else {
        sparseAdamLoop(parameter, segments, firstMoment, secondMoment, settings, step)
    }
}

@inline(__always)
private func sparseAdamLoop<T: FloatingTensorScalar>(
    _ parameter: UnsafeMutablePointer<T>, _ segments: UpdateSegments<T>, _ firstMoment: UnsafeMutablePointer<T>,
    _ secondMoment: UnsafeMutablePointer<T>, _ settings: AdamSettings, _ step: Int
) {
    let bias1 = 1 - pow(settings.beta1, Double(step))
    let bias2 = 1 - pow(settings.beta2, Double(step))
    let negativeStepSize = T(-(settings.learningRate * bias2.squareRoot() / bias1))
    let oneMinusBeta1 = T(1 - settings.beta1), oneMinusBeta2 = T(1 - settings.beta2)
    let epsilon = T(settings.epsilon)
    let maximize = settings.maximize
    segments.forEachSegment { k in
        let (offset, length, gradient) = segments.segment(k)
        let p = parameter + offset, m = firstMoment + offset, v = secondMoment + offset
        for i in 0..<length {
            let g = maximize ? -gradient[i] : gradient[i]
            let oldMean = m[i], oldVariance = v[i]
            let meanChange = (g - oldMean) * oneMinusBeta1
            let varianceChange = (g * g - oldVariance) * oneMinusBeta2
            let mean = oldMean + meanChange
            let variance = oldVariance + varianceChange
            m[i] = mean
            v[i] = variance
            p[i] = p[i] + negativeStepSize * (mean / (variance.squareRoot() + epsilon))
        }
    }
}
