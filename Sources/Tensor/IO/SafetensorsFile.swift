import Foundation

/// A safetensors file (the format of Hugging Face and PyTorch checkpoints), read and validated.
///
/// The initialiser reads the whole file and checks the header completely (see
/// ``TensorError/malformedFile(path:offset:reason:)`` for what a broken file reports), so that
/// every later read of a listed tensor succeeds unless its element type does not convert.
///
/// ```swift
/// let file = try SafetensorsFile(contentsOf: url)
/// file.names                        // ["wpe.weight", "wte.weight"]
/// file.dtype(of: "wte.weight")      // .bfloat16
/// let w: Tensor<Float> = try file.tensor(named: "wte.weight")   // BF16 widened exactly
/// ```
///
/// The file keeps the bytes it read; let it go once the tensors are out.
public struct SafetensorsFile: Sendable {
    /// The tensor names, sorted.
    public let names: [String]
    /// The header's `__metadata__` strings (empty when it has none).
    public let metadata: [String: String]

    private let path: String
    private let bytes: [UInt8]
    private let tensors: [String: SafetensorsHeader.TensorInfo]

    /// Reads and validates the safetensors file at `url`.
    ///
    /// - Throws: `TensorError.io` when the file cannot be read, `TensorError.malformedFile` with
    ///   the byte offset and reason when it breaks the format.
    public init(contentsOf url: URL) throws(TensorError) {
        let bytes = try readEntireFile(at: url)
        let header = try SafetensorsHeader(validating: bytes, path: url.path)
        self.path = url.path
        self.bytes = bytes
        self.tensors = header.tensors
        self.metadata = header.metadata
        self.names = header.tensors.keys.sorted()
    }

    /// The element type of tensor `name` as the file stores it, or nil when there is no such tensor.
    public func dtype(of name: String) -> SafetensorsDType? {
        tensors[name]?.dtype
    }

    /// The shape of tensor `name`, or nil when there is no such tensor.
    public func shape(of name: String) -> [Int]? {
        tensors[name]?.shape
    }

    /// Tensor `name` with its elements converted to `Scalar`.
    ///
    /// `F32`, `F64`, `F16` and `BF16` convert to `Float` or `Double` (half types exactly, `F64`
    /// to `Float` rounding to nearest); `I64` converts to `Int64`; `I32` to `Int32` or `Int64`;
    /// `U8` to `UInt8`; `BOOL` to `Bool`. The result is a fresh contiguous tensor.
    ///
    /// ```swift
    /// let ids = try file.tensor(named: "positions", as: Int64.self)
    /// ```
    ///
    /// - Throws: `TensorError.missingTensor` when the file has no tensor `name`,
    ///   `TensorError.dtypeMismatch` when its element type does not convert to `Scalar`.
    public func tensor<Scalar: TensorScalar>(
        named name: String, as _: Scalar.Type = Scalar.self
    ) throws(TensorError) -> Tensor<Scalar> {
        guard let info = tensors[name] else { throw .missingTensor(name: name) }
        let decoded = info.dtype.encoding.flatMap { encoding in
            bytes.withUnsafeBytes { file in
                decodeTensor(Scalar.self, shape: info.shape, encoding: encoding,
                             from: UnsafeRawBufferPointer(rebasing: file[info.byteRange]))
            }
        }
        guard let decoded else {
            throw .dtypeMismatch(expected: Scalar.dtype, found: info.dtype.rawValue,
                                 context: "tensor \"\(name)\" in \(path)")
        }
        return decoded
    }

    /// Tensor `name` in the scalar type that holds its element type without loss, as an entry
    /// that ``write(_:metadata:to:)-(_,_,URL)`` writes back with the same element type.
    ///
    /// ```swift
    /// let entries = try Dictionary(uniqueKeysWithValues: file.names.map { ($0, try file.entry(named: $0)) })
    /// try SafetensorsFile.write(entries, metadata: file.metadata, to: copyURL)
    /// ```
    ///
    /// - Throws: `TensorError.missingTensor` when the file has no tensor `name`,
    ///   `TensorError.invalidArgument` for element types no tensor scalar holds (such as `F8_E4M3`).
    public func entry(named name: String) throws(TensorError) -> SafetensorsEntry {
        guard let dtype = dtype(of: name) else { throw .missingTensor(name: name) }
        switch dtype {
        case .float32: return .float32(try tensor(named: name))
        case .float64: return .float64(try tensor(named: name))
        case .float16: return .float16(try tensor(named: name))
        case .bfloat16: return .bfloat16(try tensor(named: name))
        case .int64: return .int64(try tensor(named: name))
        case .int32: return .int32(try tensor(named: name))
        case .uint8: return .uint8(try tensor(named: name))
        case .bool: return .bool(try tensor(named: name))
        default:
            throw .invalidArgument("tensor \"\(name)\" in \(path) is \(dtype.rawValue), which no tensor scalar holds")
        }
    }
}
