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
    case bool = "BOOL"
    case uint8 = "U8"
    case int8 = "I8"
    case float4 = "F4"
    case float6E2M3 = "F6_E2M3"
    case float6E3M2 = "F6_E3M2"
    case float8E5M2 = "F8_E5M2"
    case float8E4M3 = "F8_E4M3"
    case float8E8M0 = "F8_E8M0"
    case float8E4M3FNUZ = "F8_E4M3FNUZ"
    case float8E5M2FNUZ = "F8_E5M2FNUZ"
    case int16 = "I16"
    case uint16 = "U16"
    case float16 = "F16"
    case bfloat16 = "BF16"
    case int32 = "I32"
    case uint32 = "U32"
    case float32 = "F32"
    case complex64 = "C64"
    case float64 = "F64"
    case int64 = "I64"
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
