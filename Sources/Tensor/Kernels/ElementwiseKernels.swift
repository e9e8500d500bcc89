/// Binary elementwise operations understood by the kernels.
package enum BinaryOperation: Sendable, Hashable {
    /// `lhs + rhs`; integers wrap on overflow.
    case add
    /// `lhs - rhs`; integers wrap on overflow.
    case subtract
    /// `lhs * rhs`; integers wrap on overflow.
    case multiply
    /// `lhs / rhs`; integers truncate toward zero and trap on a zero divisor.
    case divide
    /// The larger of `lhs` and `rhs`; NaN when either is NaN, as `torch.maximum`.
    case maximum
    /// The smaller of `lhs` and `rhs`; NaN when either is NaN, as `torch.minimum`.
    case minimum
    /// `lhs` raised to `rhs`; integers trap on a negative exponent.
    case power
}

/// Unary elementwise operations on floating-point tensors.
package enum UnaryOperation: Sendable, Hashable {
    /// `-x`.
    case negate
    /// `|x|`.
    case abs
    /// `e^x`.
    case exp
    /// The natural logarithm.
    case log
    /// The square root.
    case sqrt
    /// The hyperbolic tangent.
    case tanh
    /// The logistic sigmoid `1 / (1 + e^-x)`.
    case sigmoid
    /// `max(x, 0)`; NaN stays NaN.
    case relu
    /// The exact (erf) GELU, `x/2 · (1 + erf(x/√2))`.
    case gelu
    /// The sine (radians).
    case sin
    /// The cosine (radians).
    case cos
    /// `log(1 + x)`, accurate near 0.
    case log1p
    /// `x * x`.
    case square
    /// The Gauss error function.
    case erf
    /// `x ** exponent`.
    case power(Double)
    /// `min(max(x, lower), upper)`; nil bounds are open.
    case clamp(lower: Double?, upper: Double?)
}

// Kernel precondition for everything below: each pointer addresses `count` elements at its
// stride inside live storage, and `output` does not overlap an input except exactly (in place).

/// Entry point from generic code: picks the kernel specialised for the concrete scalar type, so
/// that generic callers from other modules still run compiler-vectorised Float/Double loops.
func binaryKernel<S: NumericTensorScalar>(
    _ operation: BinaryOperation,
    _ lhs: UnsafePointer<S>, _ lhsStride: Int,
    _ rhs: UnsafePointer<S>, _ rhsStride: Int,
    _ output: UnsafeMutablePointer<S>, _ outputStride: Int, _ count: Int
) {
    if S.self == Float.self {
        floatingBinary(operation, cast(lhs, Float.self), lhsStride, cast(rhs, Float.self), rhsStride,
                       cast(output, Float.self), outputStride, count)
    } else if S.self == Double.self {
        floatingBinary(operation, cast(lhs, Double.self), lhsStride, cast(rhs, Double.self), rhsStride,
                       cast(output, Double.self), outputStride, count)
    } else if S.self == Int64.self {
        integerBinary(operation, cast(lhs, Int64.self), lhsStride, cast(rhs, Int64.self), rhsStride,
                      cast(output, Int64.self), outputStride, count)
    } else if S.self == Int32.self {
        integerBinary(operation, cast(lhs, Int32.self), lhsStride, cast(rhs, Int32.self), rhsStride,
                      cast(output, Int32.self), outputStride, count)
    } else if S.self == UInt8.self {
        integerBinary(operation, cast(lhs, UInt8.self), lhsStride, cast(rhs, UInt8.self), rhsStride,
                      cast(output, UInt8.self), outputStride, count)
    } else {
        preconditionFailure("no elementwise kernel for \(S.self)")
    }
}

/// The loop shared by all binary kernels. The unit-stride and scalar-operand cases are written
/// out separately because those are the loops the compiler vectorises.
@inline(__always)
func binaryLoop<S>(
    _ lhs: UnsafePointer<S>, _ lhsStride: Int, _ rhs: UnsafePointer<S>, _ rhsStride: Int,
    _ output: UnsafeMutablePointer<S>, _ outputStride: Int, _ count: Int, _ body: (S, S) -> S
) {
    if outputStride == 1 && lhsStride == 1 && rhsStride == 1 {
        for i in 0..<count { output[i] = body(lhs[i], rhs[i]) }
    } else if outputStride == 1 && lhsStride == 1 && rhsStride == 0 {
        let right = rhs[0]
        for i in 0..<count { output[i] = body(lhs[i], right) }
    } else if outputStride == 1 && lhsStride == 0 && rhsStride == 1 {
        let left = lhs[0]
        for i in 0..<count { output[i] = body(left, rhs[i]) }
    } else {
        for i in 0..<count { output[i * outputStride] = body(lhs[i * lhsStride], rhs[i * rhsStride]) }
    }
}

func floatingBinary<S: FloatingTensorScalar>(
    _ operation: BinaryOperation, _ lhs: UnsafePointer<S>, _ lhsStride: Int,
    _ rhs: UnsafePointer<S>, _ rhsStride: Int, _ output: UnsafeMutablePointer<S>, _ outputStride: Int, _ count: Int
) {
    switch operation {
    case .add: binaryLoop(lhs, lhsStride, rhs, rhsStride, output, outputStride, count) { $0 + $1 }
    case .subtract: binaryLoop(lhs, lhsStride, rhs, rhsStride, output, outputStride, count) { $0 - $1 }
    case .multiply: binaryLoop(lhs, lhsStride, rhs, rhsStride, output, outputStride, count) { $0 * $1 }
    case .divide: binaryLoop(lhs, lhsStride, rhs, rhsStride, output, outputStride, count) { $0 / $1 }
    // NaN propagates through maximum/minimum, as torch.maximum does.
    case .maximum: binaryLoop(lhs, lhsStride, rhs, rhsStride, output, outputStride, count) {
        $0.isNaN || $1.isNaN ? S.nan : ($0 > $1 ? $0 : $1)
    }
    case .minimum: binaryLoop(lhs, lhsStride, rhs, rhsStride, output, outputStride, count) {
        $0.isNaN || $1.isNaN ? S.nan : ($0 < $1 ? $0 : $1)
    }
    case .power: binaryLoop(lhs, lhsStride, rhs, rhsStride, output, outputStride, count) { S.pow($0, $1) }
    }
}

func integerBinary<S: NumericTensorScalar & FixedWidthInteger>(
    _ operation: BinaryOperation, _ lhs: UnsafePointer<S>, _ lhsStride: Int,
    _ rhs: UnsafePointer<S>, _ rhsStride: Int, _ output: UnsafeMutablePointer<S>, _ outputStride: Int, _ count: Int
) {
    switch operation {
    // Integer tensors wrap on overflow, as PyTorch's do.
    case .add: binaryLoop(lhs, lhsStride, rhs, rhsStride, output, outputStride, count) { $0 &+ $1 }
    case .subtract: binaryLoop(lhs, lhsStride, rhs, rhsStride, output, outputStride, count) { $0 &- $1 }
    case .multiply: binaryLoop(lhs, lhsStride, rhs, rhsStride, output, outputStride, count) { $0 &* $1 }
    case .divide: binaryLoop(lhs, lhsStride, rhs, rhsStride, output, outputStride, count) {
        precondition($1 != 0, "integer division by zero")
        return $0 / $1
    }
    case .maximum: binaryLoop(lhs, lhsStride, rhs, rhsStride, output, outputStride, count) { Swift.max($0, $1) }
    case .minimum: binaryLoop(lhs, lhsStride, rhs, rhsStride, output, outputStride, count) { Swift.min($0, $1) }
    case .power: binaryLoop(lhs, lhsStride, rhs, rhsStride, output, outputStride, count) { base, exponent in
        precondition(exponent >= 0, "integers to negative powers are not allowed")
        var result: S = 1, factor = base, remaining = exponent
        while remaining > 0 {
            if remaining & 1 == 1 { result = result &* factor }
            factor = factor &* factor
            remaining >>= 1
        }
        return result
    }
    }
}

/// Unary kernel entry from generic code (Float and Double only).
func unaryKernel<S: FloatingTensorScalar>(
    _ operation: UnaryOperation, _ input: UnsafePointer<S>, _ inputStride: Int,
    _ output: UnsafeMutablePointer<S>, _ outputStride: Int, _ count: Int
) {
    floatingUnary(operation, input, inputStride, output, outputStride, count)
}

@inline(__always)
func unaryLoop<S>(
    _ input: UnsafePointer<S>, _ inputStride: Int, _ output: UnsafeMutablePointer<S>, _ outputStride: Int,
    _ count: Int, _ body: (S) -> S
) {
    if inputStride == 1 && outputStride == 1 {
        for i in 0..<count { output[i] = body(input[i]) }
    } else {
        for i in 0..<count { output[i * outputStride] = body(input[i * inputStride]) }
    }
}

@_specialize(where S == Float)
@_specialize(where S == Double)
func floatingUnary<S: FloatingTensorScalar>(
    _ operation: UnaryOperation, _ input: UnsafePointer<S>, _ inputStride: Int,
    _ output: UnsafeMutablePointer<S>, _ outputStride: Int, _ count: Int
) {
    switch operation {
    case .negate: unaryLoop(input, inputStride, output, outputStride, count) { -$0 }
    case .abs: unaryLoop(input, inputStride, output, outputStride, count) { Swift.abs($0) }
    case .exp: unaryLoop(input, inputStride, output, outputStride, count) { S.exp($0) }
    case .log: unaryLoop(input, inputStride, output, outputStride, count) { S.log($0) }
    case .log1p: unaryLoop(input, inputStride, output, outputStride, count) { S.log1p($0) }
    case .sqrt: unaryLoop(input, inputStride, output, outputStride, count) { $0.squareRoot() }
    case .tanh: unaryLoop(input, inputStride, output, outputStride, count) { S.tanh($0) }
    case .sin: unaryLoop(input, inputStride, output, outputStride, count) { S.sin($0) }
    case .cos: unaryLoop(input, inputStride, output, outputStride, count) { S.cos($0) }
    case .erf: unaryLoop(input, inputStride, output, outputStride, count) { S.erf($0) }
    case .square: unaryLoop(input, inputStride, output, outputStride, count) { $0 * $0 }
    case .sigmoid: unaryLoop(input, inputStride, output, outputStride, count) { 1 / (1 + S.exp(-$0)) }
    case .relu: unaryLoop(input, inputStride, output, outputStride, count) { $0 > 0 ? $0 : ($0.isNaN ? $0 : 0) }
    // The exact (erf) GELU, PyTorch's default: x/2 · (1 + erf(x/√2)).
    case .gelu:
        let inverseRootTwo = S(0.70710678118654752440)
        unaryLoop(input, inputStride, output, outputStride, count) { $0 * S(0.5) * (1 + S.erf($0 * inverseRootTwo)) }
    case .power(let exponent):
        let e = S(exponent)
        if exponent == 2 {
            unaryLoop(input, inputStride, output, outputStride, count) { $0 * $0 }
        } else {
            unaryLoop(input, inputStride, output, outputStride, count) { S.pow($0, e) }
        }
    case let .clamp(lower, upper):
        let low = lower.map { S($0) } ?? -S.infinity
        let high = upper.map { S($0) } ?? S.infinity
        unaryLoop(input, inputStride, output, outputStride, count) { $0.isNaN ? $0 : Swift.min(Swift.max($0, low), high) }
    }
}
