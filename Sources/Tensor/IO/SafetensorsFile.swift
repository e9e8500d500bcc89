import Foundation

/// A safetensors file (the format of Hugging Face and PyTorch checkpoints), opened and validated.
///
/// The initialiser reads and checks the header completely, including that the tensors tile the
/// rest of the file exactly (a broken file throws ``TensorError/malformedFile(path:offset:reason:)``
/// naming the byte and the reason), and maps the file into memory. A tensor stored in the element
/// type it is asked for is then not read at all: its storage is the mapping (copy-on-write — the
/// first write to it copies; the mapping lives as long as any tensor using it), so opening a
/// GPT-2 table takes as long as reading its header. Other element types (BF16 and F16 widened to
/// `Float`, for instance) convert from the mapping, across threads.
///
/// ```swift
/// let file = try SafetensorsFile(contentsOf: url)
/// file.names                        // ["wpe.weight", "wte.weight"]
/// file.dtype(of: "wte.weight")      // .bfloat16
/// let w = try file.tensor(named: "wte.weight")   // Tensor<Float>: BF16 widened exactly
/// ```
///
/// A mapped file must not shrink while tensors from it are alive: reading pages that are no longer
/// in the file faults (`SIGBUS`), as it does for any program that maps files. A tensor from a
/// mapped file reads the file when its elements are first used (a converted one is converted
/// then, at the instruction-set level and thread limit of that first use), so a file rewritten in
/// place before that shows the new bytes. For a file that another process may rewrite or truncate,
/// open it with `reading: .copied`, which reads each tensor into storage of its own and throws
/// `TensorError.io` if the file was truncated. (This library's own saves write a new file and
/// rename it, so they never change a file that is mapped.)
public struct SafetensorsFile: Sendable {
    /// How tensors come out of the file.
    public enum Reading: Sendable {
        /// The file is mapped into memory; tensors in their stored element type share its pages,
        /// and others are converted from them when first used.
        case mapped
        /// Each tensor is read into storage of its own when asked for: safe against files that
        /// change on disk, and slower, since every byte is read and converted there and then.
        case copied
    }

    /// The tensor names, sorted.
    public let names: [String]
    /// The header's `__metadata__` strings (empty when it has none).
    public let metadata: [String: String]

    private let reader: FileReader
    private let mapping: MappedFile?
    private let tensors: [String: SafetensorsHeader.TensorInfo]

    /// Opens the safetensors file at `url`, validates its header and (by default) maps it.
    ///
    /// ```swift
    /// let file = try SafetensorsFile(contentsOf: url)                        // mapped
    /// let copying = try SafetensorsFile(contentsOf: url, reading: .copied)   // read on demand
    /// ```
    ///
    /// - Throws: `TensorError.io` when the file cannot be read or mapped, `TensorError.malformedFile`
    ///   with the byte offset and reason when it breaks the format.
    public init(contentsOf url: URL, reading: Reading = .mapped) throws(TensorError) {
        let reader = try FileReader(url: url)
        let lengthPrefix = try reader.bytes(0 ..< Swift.min(8, reader.size))
        let headerEnd = try SafetensorsHeader.headerEnd(lengthPrefix: lengthPrefix, fileSize: reader.size, path: reader.path)
        let header = try SafetensorsHeader(validating: reader.bytes(0..<headerEnd), fileSize: reader.size, path: reader.path)
        self.reader = reader
        self.mapping = reading == .mapped ? try reader.mapped() : nil
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
    /// `U8` to `UInt8`; `BOOL` to `Bool`. The result is contiguous. In a mapped file nothing is
    /// read here: a tensor asked for in its stored type shares the mapping's pages until it is first
    /// written, and one that needs converting (a `BF16` table as `Float`) is converted, across
    /// threads, the first time its elements are used, as Python's `load_file(...)["w"].float()`
    /// converts in `.float()`.
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
        if let encoding = info.dtype.encoding {
            if let mapping {
                if let tensor = mapping.tensor(Scalar.self, shape: info.shape, encoding: encoding, at: info.byteRange) {
                    return tensor
                }
            } else if let tensor = try readTensor(Scalar.self, shape: info.shape, encoding: encoding, from: reader,
                                                  at: info.byteRange) {
                return tensor
            }
        }
        throw .dtypeMismatch(expected: Scalar.dtype, found: info.dtype.rawValue,
                             context: "tensor \"\(name)\" in \(reader.path)")
    }

    /// Tensor `name` as `Float`, the element type a checkpoint's weights are used in when nothing
    /// else is asked for: `let w = try file.tensor(named: "wte.weight")` needs no annotation, and
    /// `Embedding(pretrained: try file.tensor(named: "wte.weight"))` builds a `Float` layer. Ask for
    /// another type with `tensor(named:as:)` or a typed context.
    ///
    /// ```swift
    /// let table = try file.tensor(named: "wte.weight")   // Tensor<Float>
    /// ```
    ///
    /// - Throws: as ``tensor(named:as:)``.
    public func tensor(named name: String) throws(TensorError) -> Tensor<Float> {
        try tensor(named: name, as: Float.self)
    }

    /// Tensor `name` in the scalar type that holds its element type without loss, as an entry
    /// that `SafetensorsFile.write(_:metadata:to:)` writes back with the same element type.
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
            throw .invalidArgument("tensor \"\(name)\" in \(reader.path) is \(dtype.rawValue), which no tensor scalar holds")
        }
    }
}
