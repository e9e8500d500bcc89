import Foundation
internal import TensorSIMD

/// Row operations that normalise by the exponentials along one axis.
enum SoftmaxOperation: Sendable {
    /// `exp(x - max) / Σ exp(x - max)`.
    case softmax
    /// `x - max - log Σ exp(x - max)`.
    case logSoftmax
    /// `log Σ exp(x - m) + m` (one value per row), with `m` the row maximum, or 0 when that is
    /// infinite so that rows of -inf give -inf instead of NaN.
    case logSumExp
}

/// Where the rows of a row operation live: rows are the row-major positions of the kept axes,
/// each row `length` elements `inputStride` apart in the input, and `outputStride` apart in the
/// output (unused for ``SoftmaxOperation/logSumExp``, which writes one element per row).
struct RowLayout {
    var keptSizes: [Int]
    var keptInputStrides: [Int]
    var keptOutputStrides: [Int]
    var length: Int
    var inputStride: Int
    var outputStride: Int

    var rowCount: Int { keptSizes.reduce(1, *) }
}

/// Entry point from generic code: runs `operation` over every row with the kernel specialised
/// for Float or Double. `input` is the element at the layout's zero offset; `output` is contiguous.
func softmaxKernel<S: FloatingTensorScalar>(
    _ operation: SoftmaxOperation, rows: RowLayout, input: UnsafePointer<S>, output: UnsafeMutablePointer<S>
) {
    if S.self == Float.self {
        softmaxRows(operation, rows, cast(input, Float.self), cast(output, Float.self))
    } else if S.self == Double.self {
        softmaxRows(operation, rows, cast(input, Double.self), cast(output, Double.self))
    } else {
        preconditionFailure("no softmax kernel for \(S.self)")
    }
}

/// Pointers handed to worker threads: each thread writes only the rows of its range.
private struct RowPointers<S>: @unchecked Sendable {
    let input: UnsafePointer<S>
    let output: UnsafeMutablePointer<S>
}

// Kernel precondition: `input` and `output` address every element `rows` describes, and do not
// overlap.
private func softmaxRows<S: SIMDFloatingScalar>(
    _ operation: SoftmaxOperation, _ rows: RowLayout, _ input: UnsafePointer<S>, _ output: UnsafeMutablePointer<S>
) {
    let length = rows.length
    let pointers = RowPointers(input: input, output: output)
    let exponentials = RowExponentials<S>(level: InstructionSet.current)
    let grain = Swift.max(1, ParallelConfiguration.elementwiseGrain / Swift.max(1, length))
    parallelFor(rows.rowCount, grain: grain) { rowRange in
        // Strided rows are gathered into `gathered` and their results assembled in `strided`;
        // `work` holds exponentials.
        let gathered = UnsafeMutablePointer<S>.allocate(capacity: Swift.max(1, length))
        let strided = UnsafeMutablePointer<S>.allocate(capacity: Swift.max(1, length))
        let work = UnsafeMutablePointer<S>.allocate(capacity: Swift.max(1, length))
        defer {
            gathered.deallocate()
            strided.deallocate()
            work.deallocate()
        }
        var rowIndex = rowRange.lowerBound
        forEachOffsetPair(sizes: rows.keptSizes, firstStrides: rows.keptInputStrides,
                          secondStrides: rows.keptOutputStrides, range: rowRange) { inputBase, outputBase in
            defer { rowIndex += 1 }
            let source: UnsafePointer<S>
            if rows.inputStride == 1 {
                source = pointers.input + inputBase
            } else {
                for index in 0..<length { gathered[index] = pointers.input[inputBase + index * rows.inputStride] }
                source = UnsafePointer(gathered)
            }
            if operation == .logSumExp {
                pointers.output[rowIndex] = logSumExpOfRow(source, length, work: work, exponentials)
                return
            }
            if rows.outputStride == 1 {
                normalizeRow(operation, source, length, into: pointers.output + outputBase, work: work, exponentials)
            } else {
                normalizeRow(operation, source, length, into: strided, work: work, exponentials)
                for index in 0..<length { pointers.output[outputBase + index * rows.outputStride] = strided[index] }
            }
        }
    }
}

/// `exp(x − shift)` over a row and `log` of a value: the C kernels for Float (the same bits at
/// every instruction-set level, and vectorised), the platform's `exp` and `log` for Double.
private struct RowExponentials<S: SIMDFloatingScalar> {
    /// Read on the calling thread: worker threads do not see the task's instruction-set scope.
    let level: InstructionSet

    /// `output[i] = exp(input[i] − shift)` (`output` may be `input`).
    @inline(__always)
    func exponentials(_ input: UnsafePointer<S>, shift: S, into output: UnsafeMutablePointer<S>, count: Int) {
        shiftedExponentials(input, shift: shift, scale: 1, into: output, count: count, at: level)
    }

    @inline(__always)
    func logarithm(_ x: S) -> S {
        S.self == Float.self ? unsafeBitCast(level.kernels.pointee.exponentials.log_f32(unsafeBitCast(x, to: Float.self)), to: S.self) : S.log(x)
    }
}

/// Softmax or log-softmax of one contiguous row into `destination` (which may not alias it);
/// `work` holds `length` scratch elements. The maximum is subtracted before exponentiating, so
/// no finite input overflows.
@inline(__always)
private func normalizeRow<S: SIMDFloatingScalar>(
    _ operation: SoftmaxOperation, _ source: UnsafePointer<S>, _ length: Int,
    into destination: UnsafeMutablePointer<S>, work: UnsafeMutablePointer<S>, _ math: RowExponentials<S>
) {
    if length == 0 { return }
    let maximum = FloatingExtremum<S, GreatestFirst>.reduceRun(source, count: length)
    // Log-softmax keeps its exponentials in the (cached) work row, so the result is written once.
    let exponentials = operation == .softmax ? destination : work
    math.exponentials(source, shift: maximum, into: exponentials, count: length)
    let total = pairwiseSum(UnsafePointer(exponentials), length)
    if operation == .softmax {
        for index in 0..<length { destination[index] /= total }
    } else {
        let logTotal = math.logarithm(total)
        for index in 0..<length { destination[index] = source[index] - maximum - logTotal }
    }
}

/// `log Σ exp(x)` of one contiguous row, shifted by its maximum; `work` holds `length` elements.
@inline(__always)
private func logSumExpOfRow<S: SIMDFloatingScalar>(
    _ source: UnsafePointer<S>, _ length: Int, work: UnsafeMutablePointer<S>, _ math: RowExponentials<S>
) -> S {
    if length == 0 { return -S.infinity }
    let maximum = FloatingExtremum<S, GreatestFirst>.reduceRun(source, count: length)
    // An infinite maximum would turn inf - inf into NaN; PyTorch shifts by 0 then.
    let shift = maximum.isInfinite ? S.zero : maximum
    math.exponentials(source, shift: shift, into: work, count: length)
    return math.logarithm(pairwiseSum(UnsafePointer(work), length)) + shift
}
