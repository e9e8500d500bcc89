/// An element type named by the safetensors format, spelled as file headers spell it.
///
/// A file may hold any of these; ``SafetensorsFile/tensor(named:as:)`` converts those that have a
/// tensor scalar counterpart (`F32`, `F64`, `F16`, `BF16`, `I64`, `I32`, `U8`, `BOOL`).
///
/// ```swift
/// SafetensorsDType(rawValue: "BF16")   // .bfloat16
/// SafetensorsDType.float16.bitWidth    // 16
/// ```
public enum SafetensorsDType: String, Sendable, CaseIterable {
    /// `BOOL`: booleans, one byte each; reads into `Bool` (any nonzero byte is true).
    case bool = "BOOL"
    /// `U8`: unsigned 8-bit integers; reads into `UInt8`.
    case uint8 = "U8"
    /// `I8`: signed 8-bit integers; recognised in headers, not converted to a tensor.
    case int8 = "I8"
    /// `F4`: 4-bit floats (MXFP4, E2M1), two per byte (PyTorch's `float4_e2m1fn_x2`); recognised in
    /// headers, not converted to a tensor.
    case float4 = "F4"
    /// `F6_E2M3`: 6-bit floats with 2 exponent and 3 mantissa bits (MXFP6); recognised in headers, not
    /// converted to a tensor.
    case float6E2M3 = "F6_E2M3"
    /// `F6_E3M2`: 6-bit floats with 3 exponent and 2 mantissa bits (MXFP6); recognised in headers, not
    /// converted to a tensor.
    case float6E3M2 = "F6_E3M2"
    /// `F8_E5M2`: 8-bit floats with 5 exponent and 2 mantissa bits (PyTorch's `float8_e5m2`);
    /// recognised in headers, not converted to a tensor.
    case float8E5M2 = "F8_E5M2"
    /// `F8_E4M3`: 8-bit floats with 4 exponent and 3 mantissa bits (PyTorch's `float8_e4m3fn`);
    /// recognised in headers, not converted to a tensor.
    case float8E4M3 = "F8_E4M3"
    /// `F8_E8M0`: 8-bit exponent-only values, the scales of the MX formats (PyTorch's
    /// `float8_e8m0fnu`); recognised in headers, not converted to a tensor.
    case float8E8M0 = "F8_E8M0"
    /// `F8_E4M3FNUZ`: `F8_E4M3` without infinities or negative zero (PyTorch's `float8_e4m3fnuz`);
    /// recognised in headers, not converted to a tensor.
    case float8E4M3FNUZ = "F8_E4M3FNUZ"
    /// `F8_E5M2FNUZ`: `F8_E5M2` without infinities or negative zero (PyTorch's `float8_e5m2fnuz`);
    /// recognised in headers, not converted to a tensor.
    case float8E5M2FNUZ = "F8_E5M2FNUZ"
    /// `I16`: signed 16-bit integers; recognised in headers, not converted to a tensor.
    case int16 = "I16"
    /// `U16`: unsigned 16-bit integers; recognised in headers, not converted to a tensor.
    case uint16 = "U16"
    /// `F16`: IEEE half precision; reads into `Float` or `Double` exactly.
    case float16 = "F16"
    /// `BF16`: bfloat16 (8 exponent bits, as `Float`, and 7 mantissa bits); reads into `Float` or
    /// `Double` exactly.
    case bfloat16 = "BF16"
    /// `I32`: signed 32-bit integers; reads into `Int32` or `Int64`.
    case int32 = "I32"
    /// `U32`: unsigned 32-bit integers; recognised in headers, not converted to a tensor.
    case uint32 = "U32"
    /// `F32`: IEEE single precision; reads into `Float` or `Double`.
    case float32 = "F32"
    /// `C64`: complex numbers of two 32-bit floats; recognised in headers, not converted to a tensor.
    case complex64 = "C64"
    /// `F64`: IEEE double precision; reads into `Double`, or into `Float` rounding to nearest.
    case float64 = "F64"
    /// `I64`: signed 64-bit integers; reads into `Int64`.
    case int64 = "I64"
    /// `U64`: unsigned 64-bit integers; recognised in headers, not converted to a tensor.
    case uint64 = "U64"

    /// Bits per element; `F4` and the `F6` types pack several elements into a byte.
    public var bitWidth: Int {
        switch self {
        case .float4: return 4
        case .float6E2M3, .float6E3M2: return 6
        case .bool, .uint8, .int8, .float8E5M2, .float8E4M3, .float8E8M0, .float8E4M3FNUZ, .float8E5M2FNUZ: return 8
        case .int16, .uint16, .float16, .bfloat16: return 16
        case .int32, .uint32, .float32: return 32
        case .complex64, .float64, .int64, .uint64: return 64
        }
    }

    /// How this library decodes and encodes the type, or nil for types it only recognises.
    var encoding: ScalarEncoding? {
        switch self {
        case .float16: return .float16
        case .bfloat16: return .bfloat16
        case .float32: return .float32
        case .float64: return .float64
        case .int32: return .int32
        case .int64: return .int64
        case .uint8: return .uint8
        case .bool: return .bool
        default: return nil
        }
    }
}
