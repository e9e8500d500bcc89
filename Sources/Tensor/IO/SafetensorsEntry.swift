/// One tensor to write to a safetensors file, with the element type to store it as.
///
/// `Float` tensors can be stored at full precision or as `F16`/`BF16`, rounding each element to
/// the nearest representable value (ties to even; overflow becomes infinity).
///
/// ```swift
/// try SafetensorsFile.write([
///     "wte.weight": .bfloat16(embeddings),
///     "ids": SafetensorsEntry(Tensor<Int64>([3, 1, 4])),
/// ], metadata: ["format": "pt"], to: url)
/// ```
public enum SafetensorsEntry: Sendable, Equatable {
    /// Stored as `F32`.
    case float32(Tensor<Float>)
    /// Stored as `F64`.
    case float64(Tensor<Double>)
    /// Stored as `F16`, each element rounded to the nearest half-precision value.
    case float16(Tensor<Float>)
    /// Stored as `BF16`, each element rounded to the nearest bfloat16 value.
    case bfloat16(Tensor<Float>)
    /// Stored as `I64`.
    case int64(Tensor<Int64>)
    /// Stored as `I32`.
    case int32(Tensor<Int32>)
    /// Stored as `U8`.
    case uint8(Tensor<UInt8>)
    /// Stored as `BOOL`, one byte per element.
    case bool(Tensor<Bool>)

    /// The entry storing `tensor` at its own precision: `Float` as `F32`, `Double` as `F64`,
    /// `Int64` as `I64`, `Int32` as `I32`, `UInt8` as `U8`, `Bool` as `BOOL`.
    public init<Scalar: TensorScalar>(_ tensor: Tensor<Scalar>) {
        if let tensor = tensor as? Tensor<Float> {
            self = .float32(tensor)
        } else if let tensor = tensor as? Tensor<Double> {
            self = .float64(tensor)
        } else if let tensor = tensor as? Tensor<Int64> {
            self = .int64(tensor)
        } else if let tensor = tensor as? Tensor<Int32> {
            self = .int32(tensor)
        } else if let tensor = tensor as? Tensor<UInt8> {
            self = .uint8(tensor)
        } else if let tensor = tensor as? Tensor<Bool> {
            self = .bool(tensor)
        } else {
            preconditionFailure("safetensors has no element type for \(Scalar.self)")
        }
    }

    /// The element type the file will record.
    public var dtype: SafetensorsDType {
        switch encoding {
        case .float32: return .float32
        case .float64: return .float64
        case .float16: return .float16
        case .bfloat16: return .bfloat16
        case .int64: return .int64
        case .int32: return .int32
        case .uint8: return .uint8
        case .bool: return .bool
        }
    }

    /// How the elements are stored.
    var encoding: ScalarEncoding {
        switch self {
        case .float32: return .float32
        case .float64: return .float64
        case .float16: return .float16
        case .bfloat16: return .bfloat16
        case .int64: return .int64
        case .int32: return .int32
        case .uint8: return .uint8
        case .bool: return .bool
        }
    }

    /// The shape of the tensor.
    public var shape: [Int] {
        switch self {
        case .float32(let tensor), .float16(let tensor), .bfloat16(let tensor): return tensor.shape
        case .float64(let tensor): return tensor.shape
        case .int64(let tensor): return tensor.shape
        case .int32(let tensor): return tensor.shape
        case .uint8(let tensor): return tensor.shape
        case .bool(let tensor): return tensor.shape
        }
    }

    /// Bytes the elements take in the file.
    var byteCount: Int {
        shape.reduce(1, *) * encoding.byteCount
    }

    /// Writes the elements in row-major order, little-endian, as ``dtype`` encodes them.
    func writeElements(to output: inout FileOutput) throws(TensorError) {
        switch self {
        case .float32(let tensor): try writeBitPatterns(tensor, as: UInt32.self, to: &output) { $0.bitPattern }
        case .float64(let tensor): try writeBitPatterns(tensor, as: UInt64.self, to: &output) { $0.bitPattern }
        case .int64(let tensor): try writeBitPatterns(tensor, as: UInt64.self, to: &output) { UInt64(bitPattern: $0) }
        case .int32(let tensor): try writeBitPatterns(tensor, as: UInt32.self, to: &output) { UInt32(bitPattern: $0) }
        case .uint8(let tensor): try writeBitPatterns(tensor, as: UInt8.self, to: &output) { $0 }
        case .bool(let tensor): try writeBitPatterns(tensor, as: UInt8.self, to: &output) { $0 ? 1 : 0 }
        case .float16(let tensor):
            try writeLittleEndian(tensor, as: UInt16.self, to: &output) { HalfPrecision.halfBits(from: $0) }
        case .bfloat16(let tensor):
            try writeLittleEndian(tensor, as: UInt16.self, to: &output) { HalfPrecision.bfloat16Bits(from: $0) }
        }
    }
}
