/// How kernels add into an accumulator: IEEE arithmetic for floating point, wrapping arithmetic
/// for integers (PyTorch's integer tensors wrap on overflow). Integers also multiply-accumulate
/// here, for their matrix product (floating-point products are the C kernels', with fused
/// multiply-adds).
///
/// Static requirements rather than closure parameters: once the scalar type is known they
/// inline into the loop, even inside the bodies handed to worker threads, where a captured
/// closure would be called once per element.
protocol AccumulatingScalar: NumericTensorScalar {
    /// `sum + value`.
    static func accumulating(_ sum: Self, _ value: Self) -> Self
}

/// Integers: `sum + lhs · rhs` with wrapping arithmetic.
protocol WrappingMultiplyAccumulate: AccumulatingScalar {
    static func accumulating(_ sum: Self, product lhs: Self, _ rhs: Self) -> Self
}

extension Float: AccumulatingScalar {
    @inline(__always) static func accumulating(_ sum: Float, _ value: Float) -> Float { sum + value }
}

extension Double: AccumulatingScalar {
    @inline(__always) static func accumulating(_ sum: Double, _ value: Double) -> Double { sum + value }
}

extension Int64: WrappingMultiplyAccumulate {
    @inline(__always) static func accumulating(_ sum: Int64, _ value: Int64) -> Int64 { sum &+ value }
    @inline(__always)
    static func accumulating(_ sum: Int64, product lhs: Int64, _ rhs: Int64) -> Int64 {
        sum &+ lhs &* rhs
    }
}

extension Int32: WrappingMultiplyAccumulate {
    @inline(__always) static func accumulating(_ sum: Int32, _ value: Int32) -> Int32 { sum &+ value }
    @inline(__always)
    static func accumulating(_ sum: Int32, product lhs: Int32, _ rhs: Int32) -> Int32 {
        sum &+ lhs &* rhs
    }
}

extension UInt8: WrappingMultiplyAccumulate {
    @inline(__always) static func accumulating(_ sum: UInt8, _ value: UInt8) -> UInt8 { sum &+ value }
    @inline(__always)
    static func accumulating(_ sum: UInt8, product lhs: UInt8, _ rhs: UInt8) -> UInt8 {
        sum &+ lhs &* rhs
    }
}
