/// How a file stores one element. The readers turn these into tensor scalars and the writers
/// produce them; every multi-byte encoding is little-endian, as safetensors and `.npy` (`<`) use.
enum ScalarEncoding: Sendable, CaseIterable {
    case float16, bfloat16, float32, float64, int32, int64, uint8, bool

    /// Bytes per element.
    var byteCount: Int {
        switch self {
        case .uint8, .bool: return 1
        case .float16, .bfloat16: return 2
        case .float32, .int32: return 4
        case .float64, .int64: return 8
        }
    }
}

/// Converts `count` elements stored at `source` into `destination`.
typealias ElementDecoder<Target> = (_ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Target>, _ count: Int) -> Void

// Kernel precondition for everything below: `source` holds `count × byteCount` readable bytes at
// any alignment, and `destination` has room for `count` elements.

extension ScalarEncoding {
    /// The loop converting elements of this encoding into `Target`, or nil when that conversion
    /// could change what the numbers mean. Floating-point encodings convert into `Float` or `Double`
    /// (narrowing `float64` into `Float` rounds to nearest, as `Float(_:)`); `int32` widens into
    /// `Int64`; everything else converts only into its own type.
    func decoder<Target: TensorScalar>(into _: Target.Type) -> ElementDecoder<Target>? {
        if Target.self == Float.self {
            guard let decode = floatingDecoder(Float.self) else { return nil }
            return { source, destination, count in decode(source, cast(destination, Float.self), count) }
        } else if Target.self == Double.self {
            guard let decode = floatingDecoder(Double.self) else { return nil }
            return { source, destination, count in decode(source, cast(destination, Double.self), count) }
        } else if Target.self == Int64.self {
            switch self {
            case .int64:
                return { source, destination, count in copyLittleEndian(source, destination, count, as: UInt64.self) }
            case .int32:
                return { source, destination, count in
                    decodeLoop(source, cast(destination, Int64.self), count) { (bits: UInt32) in
                        Int64(Int32(bitPattern: bits))
                    }
                }
            default: return nil
            }
        } else if Target.self == Int32.self {
            guard self == .int32 else { return nil }
            return { source, destination, count in copyLittleEndian(source, destination, count, as: UInt32.self) }
        } else if Target.self == UInt8.self {
            guard self == .uint8 else { return nil }
            return { source, destination, count in copyLittleEndian(source, destination, count, as: UInt8.self) }
        } else if Target.self == Bool.self {
            guard self == .bool else { return nil }
            // A Swift Bool must hold 0 or 1; like NumPy, read any other byte as true.
            return { source, destination, count in
                decodeLoop(source, cast(destination, Bool.self), count) { (byte: UInt8) in byte != 0 }
            }
        }
        return nil
    }

    private func floatingDecoder<Target: FloatingTensorScalar>(_: Target.Type) -> ElementDecoder<Target>? {
        switch self {
        case .float16:
            return { source, destination, count in
                decodeLoop(source, destination, count) { (bits: UInt16) in
                    Target(HalfPrecision.float(fromHalfBits: bits))
                }
            }
        case .bfloat16:
            return { source, destination, count in
                decodeLoop(source, destination, count) { (bits: UInt16) in
                    Target(HalfPrecision.float(fromBFloat16Bits: bits))
                }
            }
        case .float32 where Target.self == Float.self:
            return { source, destination, count in copyLittleEndian(source, destination, count, as: UInt32.self) }
        case .float32:
            return { source, destination, count in
                decodeLoop(source, destination, count) { (bits: UInt32) in Target(Float(bitPattern: bits)) }
            }
        case .float64 where Target.self == Double.self:
            return { source, destination, count in copyLittleEndian(source, destination, count, as: UInt64.self) }
        case .float64:
            return { source, destination, count in
                decodeLoop(source, destination, count) { (bits: UInt64) in Target(Double(bitPattern: bits)) }
            }
        default:
            return nil
        }
    }
}

@inline(__always)
private func decodeLoop<Stored: FixedWidthInteger, Target>(
    _ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Target>, _ count: Int,
    _ convert: (Stored) -> Target
) {
    let size = MemoryLayout<Stored>.size
    for index in 0..<count {
        destination[index] = convert(Stored(littleEndian: source.loadUnaligned(fromByteOffset: index * size, as: Stored.self)))
    }
}

/// Copies elements whose little-endian bytes already are `Target`'s representation, `Stored`
/// being the unsigned integer of the same size: a plain memory copy on little-endian hosts.
@inline(__always)
private func copyLittleEndian<Stored: FixedWidthInteger, Target>(
    _ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Target>, _ count: Int, as _: Stored.Type
) {
    let raw = UnsafeMutableRawPointer(destination)
    raw.copyMemory(from: source, byteCount: count * MemoryLayout<Stored>.size)
    #if _endian(big)
    for index in 0..<count {
        let offset = index * MemoryLayout<Stored>.size
        raw.storeBytes(of: Stored(littleEndian: raw.load(fromByteOffset: offset, as: Stored.self)),
                       toByteOffset: offset, as: Stored.self)
    }
    #endif
}

/// Decodes `shape`'s elements stored at `source` into a new tensor, or nil when `encoding` does
/// not convert into `Target` (see ``ScalarEncoding/decoder(into:)``).
///
/// `source` must hold `count × encoding.byteCount` bytes, where `count` is the element count of `shape`.
func decodeTensor<Target: TensorScalar>(
    _: Target.Type, shape: [Int], encoding: ScalarEncoding, from source: UnsafeRawBufferPointer
) -> Tensor<Target>? {
    guard let decode = encoding.decoder(into: Target.self) else { return nil }
    let result = Tensor<Target>(uninitializedShape: shape)
    precondition(source.count == result.count * encoding.byteCount,
                 "\(source.count) bytes cannot hold \(result.count) elements of \(encoding)")
    if let base = source.baseAddress { decode(base, result.storage.base, result.count) }
    return result
}

/// Writes the elements of `tensor` in row-major order, each converted by `encode` and stored
/// little-endian, a bounded chunk at a time so that no full-size copy is ever made.
func writeLittleEndian<Source: TensorScalar, Stored: FixedWidthInteger>(
    _ tensor: Tensor<Source>, as _: Stored.Type, to output: inout FileOutput, _ encode: (Source) -> Stored
) throws(TensorError) {
    let contiguous = tensor.contiguous()
    try withExtendedLifetime(contiguous) { () throws(TensorError) in
        let total = contiguous.count
        let elements = contiguous.storage.base + contiguous.offset
        var chunk = [Stored](repeating: 0, count: Swift.min(total, 1 << 16))
        var start = 0
        while start < total {
            let length = Swift.min(chunk.count, total - start)
            chunk.withUnsafeMutableBufferPointer { buffer in
                for index in 0..<length { buffer[index] = encode(elements[start + index]).littleEndian }
            }
            try chunk.withUnsafeBufferPointer { (buffer) throws(TensorError) in
                try output.write(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buffer.prefix(length))))
            }
            start += length
        }
    }
}

/// Writes the elements of `tensor`, whose in-memory bytes on a little-endian host already are
/// the file's encoding (`Stored` is the unsigned integer of the same size, `bitPattern` gives it).
func writeBitPatterns<Source: TensorScalar, Stored: FixedWidthInteger>(
    _ tensor: Tensor<Source>, as stored: Stored.Type, to output: inout FileOutput, _ bitPattern: (Source) -> Stored
) throws(TensorError) {
    #if _endian(little)
    let contiguous = tensor.contiguous()
    try withExtendedLifetime(contiguous) { () throws(TensorError) in
        try output.write(UnsafeRawBufferPointer(start: contiguous.storage.base + contiguous.offset,
                                                count: contiguous.count * MemoryLayout<Source>.stride))
    }
    #else
    try writeLittleEndian(tensor, as: stored, to: &output, bitPattern)
    #endif
}
