import Foundation

// The conversions and elementary functions generic kernels need, visible to this package only.
// They are extension members chosen by the concrete type rather than protocol requirements, so that
// `Float` and `Double` carry no public `init(converting:)` (which made `doubles.map(Float.init)`
// ambiguous in users' code) and no public static `exp`, `log`… (which collided with swift-numerics'
// `Real` in any file importing both). Specialised code folds each type test away.

extension NumericTensorScalar {
    /// The multiplicative identity.
    @inline(__always) package static var one: Self { 1 }

    /// The value as a `Double` (exact for every `Float`, `Int32`, `UInt8`; rounded for large `Int64`).
    @inline(__always)
    package var doubleValue: Double {
        if Self.self == Float.self { return Double(unsafeBitCast(self, to: Float.self)) }
        if Self.self == Double.self { return unsafeBitCast(self, to: Double.self) }
        if Self.self == Int64.self { return Double(unsafeBitCast(self, to: Int64.self)) }
        if Self.self == Int32.self { return Double(unsafeBitCast(self, to: Int32.self)) }
        if Self.self == UInt8.self { return Double(unsafeBitCast(self, to: UInt8.self)) }
        preconditionFailure("\(Self.self) is not one of the library's numeric element types")
    }

    /// `value` converted as `Float(_:)`, `Double(_:)` and the integer initialisers convert it
    /// (integers truncate toward zero and trap out of range, as those do).
    @inline(__always)
    package static func converting(_ value: Double) -> Self {
        if Self.self == Float.self { return unsafeBitCast(Float(value), to: Self.self) }
        if Self.self == Double.self { return unsafeBitCast(value, to: Self.self) }
        if Self.self == Int64.self { return unsafeBitCast(Int64(value), to: Self.self) }
        if Self.self == Int32.self { return unsafeBitCast(Int32(value), to: Self.self) }
        if Self.self == UInt8.self { return unsafeBitCast(UInt8(value), to: Self.self) }
        preconditionFailure("\(Self.self) is not one of the library's numeric element types")
    }
}

extension FloatingTensorScalar {
    @inline(__always)
    private static func elementary(_ x: Self, _ float: (Float) -> Float, _ double: (Double) -> Double) -> Self {
        if Self.self == Float.self { return unsafeBitCast(float(unsafeBitCast(x, to: Float.self)), to: Self.self) }
        if Self.self == Double.self { return unsafeBitCast(double(unsafeBitCast(x, to: Double.self)), to: Self.self) }
        preconditionFailure("\(Self.self) is not Float or Double")
    }

    @inline(__always) package static func exp(_ x: Self) -> Self { elementary(x, Foundation.exp, Foundation.exp) }
    @inline(__always) package static func log(_ x: Self) -> Self { elementary(x, Foundation.log, Foundation.log) }
    @inline(__always) package static func log1p(_ x: Self) -> Self { elementary(x, Foundation.log1p, Foundation.log1p) }
    @inline(__always) package static func tanh(_ x: Self) -> Self { elementary(x, Foundation.tanh, Foundation.tanh) }
    @inline(__always) package static func erf(_ x: Self) -> Self { elementary(x, Foundation.erf, Foundation.erf) }
    @inline(__always) package static func sin(_ x: Self) -> Self { elementary(x, Foundation.sin, Foundation.sin) }
    @inline(__always) package static func cos(_ x: Self) -> Self { elementary(x, Foundation.cos, Foundation.cos) }

    @inline(__always)
    package static func pow(_ x: Self, _ y: Self) -> Self {
        if Self.self == Float.self {
            let result = Foundation.pow(unsafeBitCast(x, to: Float.self), unsafeBitCast(y, to: Float.self))
            return unsafeBitCast(result, to: Self.self)
        }
        if Self.self == Double.self {
            let result = Foundation.pow(unsafeBitCast(x, to: Double.self), unsafeBitCast(y, to: Double.self))
            return unsafeBitCast(result, to: Self.self)
        }
        preconditionFailure("\(Self.self) is not Float or Double")
    }
}
