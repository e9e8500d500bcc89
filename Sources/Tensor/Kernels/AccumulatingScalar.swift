/// How kernels add into an accumulator: IEEE arithmetic for floating point, wrapping arithmetic
/// for integers (PyTorch's integer tensors wrap on overflow).
///
/// Static requirements rather than closure parameters: once the scalar type is known they
/// inline into the loop, even inside the bodies handed to worker threads, where a captured
/// closure would be called once per element.
protocol AccumulatingScalar: NumericTensorScalar {
    /// `sum + value`.
    static func accumulating(_ sum: Self, _ value: Self) -> Self
    /// `sum + lhs · rhs`, rounded after the product and after the sum (never fused).
    static func accumulating(_ sum: Self, product lhs: Self, _ rhs: Self) -> Self
}

extension Float: AccumulatingScalar {
    @inline(__always) static func accumulating(_ sum: Float, _ value: Float) -> Float { sum + value }
    @inline(__always)
    static func accumulating(_ sum: Float, product lhs: Float, _ rhs: Float) -> Float {
        sum + lhs * rhs
    }
}

extension Double: AccumulatingScalar {
    @inline(__always) static func accumulating(_ sum: Double, _ value: Double) -> Double { sum + value }
    @inline(__always)
    static func accumulating(_ sum: Double, product lhs: Double, _ rhs: Double) -> Double {
        sum + lhs * rhs
    }
}

extension Int64: AccumulatingScalar {
    @inline(__always) static func accumulating(_ sum: Int64, _ value: Int64) -> Int64 { sum &+ value }
    @inline(__always)
    static func accumulating(_ sum: Int64, product lhs: Int64, _ rhs: Int64) -> Int64 {
        sum &+ lhs &* rhs
    }
}

extension Int32: AccumulatingScalar {
    @inline(__always) static func accumulating(_ sum: Int32, _ value: Int32) -> Int32 { sum &+ value }
    @inline(__always)
    static func accumulating(_ sum: Int32, product lhs: Int32, _ rhs: Int32) -> Int32 {
        sum &+ lhs &* rhs
    }
}

extension UInt8: AccumulatingScalar {
    @inline(__always) static func accumulating(_ sum: UInt8, _ value: UInt8) -> UInt8 { sum &+ value }
    @inline(__always)
    static func accumulating(_ sum: UInt8, product lhs: UInt8, _ rhs: UInt8) -> UInt8 {
        sum &+ lhs &* rhs
    }
}
