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
///
/// `Float`, `Double`, `Int32`, `Int64` and `UInt8` conform. The protocol adds no members to them:
/// the kernels' conversions are in `ScalarMath.swift`, visible to this package only.
public protocol NumericTensorScalar: TensorScalar, Numeric, Comparable {}

/// Differentiable scalars: `Float` and `Double`.
///
/// The protocols add no public initialisers or functions to `Float` and `Double` themselves, so a
/// user's `doubles.map(Float.init)` and swift-numerics' `Float.exp` mean what they mean without
/// this library (the kernels' own conversions and elementary functions are in `ScalarMath.swift`).
public protocol FloatingTensorScalar: NumericTensorScalar, BinaryFloatingPoint
where Self.RawSignificand: FixedWidthInteger {}

extension Float: FloatingTensorScalar {
    public static var dtype: DType { .float32 }
}

extension Double: FloatingTensorScalar {
    public static var dtype: DType { .float64 }
}

extension Int32: NumericTensorScalar {
    public static var dtype: DType { .int32 }
}

extension Int64: NumericTensorScalar {
    public static var dtype: DType { .int64 }
}

extension UInt8: NumericTensorScalar {
    public static var dtype: DType { .uint8 }
}

extension Bool: TensorScalar {
    public static var zero: Bool { false }
    public static var dtype: DType { .bool }
}
