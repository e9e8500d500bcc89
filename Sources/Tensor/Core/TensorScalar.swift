/// The element type of a tensor, named as PyTorch names it.
public enum DType: String, Sendable, CaseIterable {
    /// 32-bit floating point, Swift's `Float`: PyTorch's `torch.float32`.
    case float32
    /// 64-bit floating point, Swift's `Double`: PyTorch's `torch.float64`.
    case float64
    /// 32-bit signed integers, Swift's `Int32`: PyTorch's `torch.int32`.
    case int32
    /// 64-bit signed integers, Swift's `Int64`: PyTorch's `torch.int64` (the type of indices).
    case int64
    /// Booleans, Swift's `Bool`: PyTorch's `torch.bool`.
    case bool
    /// 8-bit unsigned integers, Swift's `UInt8`: PyTorch's `torch.uint8`.
    case uint8

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
    /// The value as a `Double` (exact for every `Float`, `Int32`, `UInt8`; rounded for large `Int64`).
    var doubleValue: Double { get }
}

/// Differentiable scalars: `Float` and `Double`.
///
/// The protocols add no public initialisers or functions to `Float` and `Double` themselves, so a
/// user's `doubles.map(Float.init)` and swift-numerics' `Float.exp` mean what they mean without
/// this library (the kernels' own conversions and elementary functions are in `ScalarMath.swift`).
public protocol FloatingTensorScalar: NumericTensorScalar, BinaryFloatingPoint
where Self.RawSignificand: FixedWidthInteger {}

extension Float: FloatingTensorScalar {
    public static var one: Float { 1 }
    public static var dtype: DType { .float32 }
    @inlinable public var doubleValue: Double { Double(self) }
}

extension Double: FloatingTensorScalar {
    public static var one: Double { 1 }
    public static var dtype: DType { .float64 }
    @inlinable public var doubleValue: Double { self }
}

extension Int32: NumericTensorScalar {
    public static var one: Int32 { 1 }
    public static var dtype: DType { .int32 }
    @inlinable public var doubleValue: Double { Double(self) }
}

extension Int64: NumericTensorScalar {
    public static var one: Int64 { 1 }
    public static var dtype: DType { .int64 }
    @inlinable public var doubleValue: Double { Double(self) }
}

extension UInt8: NumericTensorScalar {
    public static var one: UInt8 { 1 }
    public static var dtype: DType { .uint8 }
    @inlinable public var doubleValue: Double { Double(self) }
}

extension Bool: TensorScalar {
    public static var zero: Bool { false }
    public static var dtype: DType { .bool }
}
