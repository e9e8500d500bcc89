import Foundation

/// The element type of a tensor, named as PyTorch names it.
public enum DType: String, Sendable, CaseIterable {
    case float32, float64, int32, int64, bool, uint8

    /// Bytes per element.
    public var byteCount: Int {
        switch self {
        case .float32, .int32: return 4
        case .float64, .int64: return 8
        case .bool, .uint8: return 1
        }
    }
}

/// What every tensor element shares: it can be stored, compared, and has a zero.
///
/// `Float`, `Double`, `Int32`, `Int64`, `UInt8` and `Bool` conform.
public protocol TensorScalar: Sendable, Hashable {
    /// The value of freshly zeroed storage (`false` for `Bool`).
    static var zero: Self { get }
    /// The element type tag used in files and printing.
    static var dtype: DType { get }
}

/// Scalars with arithmetic and an order: the integer and floating-point element types.
public protocol NumericTensorScalar: TensorScalar, Numeric, Comparable {
    /// The multiplicative identity.
    static var one: Self { get }
    /// Converts from `Double`, rounding as `Float(_:)`/`Int64(_:)` do (integers truncate toward zero).
    init(converting value: Double)
    /// The value as a `Double` (exact for every `Float`, `Int32`, `UInt8`; rounded for large `Int64`).
    var doubleValue: Double { get }
}

/// Differentiable scalars: `Float` and `Double`.
public protocol FloatingTensorScalar: NumericTensorScalar, BinaryFloatingPoint
where Self.RawSignificand: FixedWidthInteger {
    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func log1p(_ x: Self) -> Self
    static func tanh(_ x: Self) -> Self
    static func erf(_ x: Self) -> Self
    static func sin(_ x: Self) -> Self
    static func cos(_ x: Self) -> Self
    static func pow(_ x: Self, _ y: Self) -> Self
}

extension Float: FloatingTensorScalar {
    public static var one: Float { 1 }
    public static var dtype: DType { .float32 }
    @inlinable public init(converting value: Double) { self.init(value) }
    @inlinable public var doubleValue: Double { Double(self) }
    @inlinable public static func exp(_ x: Float) -> Float { Foundation.exp(x) }
    @inlinable public static func log(_ x: Float) -> Float { Foundation.log(x) }
    @inlinable public static func log1p(_ x: Float) -> Float { Foundation.log1p(x) }
    @inlinable public static func tanh(_ x: Float) -> Float { Foundation.tanh(x) }
    @inlinable public static func erf(_ x: Float) -> Float { Foundation.erf(x) }
    @inlinable public static func sin(_ x: Float) -> Float { Foundation.sin(x) }
    @inlinable public static func cos(_ x: Float) -> Float { Foundation.cos(x) }
    @inlinable public static func pow(_ x: Float, _ y: Float) -> Float { Foundation.pow(x, y) }
}

extension Double: FloatingTensorScalar {
    public static var one: Double { 1 }
    public static var dtype: DType { .float64 }
    @inlinable public init(converting value: Double) { self = value }
    @inlinable public var doubleValue: Double { self }
    @inlinable public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    @inlinable public static func log(_ x: Double) -> Double { Foundation.log(x) }
    @inlinable public static func log1p(_ x: Double) -> Double { Foundation.log1p(x) }
    @inlinable public static func tanh(_ x: Double) -> Double { Foundation.tanh(x) }
    @inlinable public static func erf(_ x: Double) -> Double { Foundation.erf(x) }
    @inlinable public static func sin(_ x: Double) -> Double { Foundation.sin(x) }
    @inlinable public static func cos(_ x: Double) -> Double { Foundation.cos(x) }
    @inlinable public static func pow(_ x: Double, _ y: Double) -> Double { Foundation.pow(x, y) }
}

extension Int32: NumericTensorScalar {
    public static var one: Int32 { 1 }
    public static var dtype: DType { .int32 }
    @inlinable public init(converting value: Double) { self.init(value) }
    @inlinable public var doubleValue: Double { Double(self) }
}

extension Int64: NumericTensorScalar {
    public static var one: Int64 { 1 }
    public static var dtype: DType { .int64 }
    @inlinable public init(converting value: Double) { self.init(value) }
    @inlinable public var doubleValue: Double { Double(self) }
}

extension UInt8: NumericTensorScalar {
    public static var one: UInt8 { 1 }
    public static var dtype: DType { .uint8 }
    @inlinable public init(converting value: Double) { self.init(value) }
    @inlinable public var doubleValue: Double { Double(self) }
}

extension Bool: TensorScalar {
    public static var zero: Bool { false }
    public static var dtype: DType { .bool }
}
