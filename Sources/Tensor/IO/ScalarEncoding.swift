internal import TensorSIMD

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

    /// True when elements stored in this encoding already are `Target` values in memory (same
    /// type, little-endian host), so a file can be read straight into tensor storage.
    func isMemoryLayout<Target: TensorScalar>(of _: Target.Type) -> Bool {
        #if _endian(little)
        switch self {
        case .float32: return Target.self == Float.self
        case .float64: return Target.self == Double.self
        case .int32: return Target.self == Int32.self
        case .int64: return Target.self == Int64.self
        case .uint8: return Target.self == UInt8.self
        case .float16, .bfloat16, .bool: return false
        }
        #else
        return false
        #endif
    }
}

/// Converts `count` elements stored at `source` into `destination`.
/// `streaming` asks for stores that bypass the caches, for outputs far larger than the last-level
/// cache (see `StreamingStores`); decoders that cannot stream ignore it.
typealias ElementDecoder<Target> = @Sendable (_ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Target>, _ count: Int,
                                    _ streaming: Bool) -> Void

// Kernel precondition for every decoder and loop up to `readTensor`: `source` holds
// `count × byteCount` readable bytes at any alignment, and `destination` has room for `count`
// elements.

extension ScalarEncoding {
    /// The loop converting elements of this encoding into `Target`, or nil when that conversion
    /// could change what the numbers mean. Floating-point encodings convert into `Float` or `Double`
    /// (narrowing `float64` into `Float` rounds to nearest, as `Float(_:)`); `int32` widens into
    /// `Int64`; everything else converts only into its own type. (Little-endian hosts read
    /// identical layouts straight into storage, see ``isMemoryLayout(of:)``; the plain copies
    /// here serve big-endian hosts.)
    func decoder<Target: TensorScalar>(into _: Target.Type) -> ElementDecoder<Target>? {
        if Target.self == Float.self {
            guard let decode = floatingDecoder(Float.self) else { return nil }
            return { source, destination, count, streaming in decode(source, cast(destination, Float.self), count, streaming) }
        } else if Target.self == Double.self {
            guard let decode = floatingDecoder(Double.self) else { return nil }
            return { source, destination, count, streaming in decode(source, cast(destination, Double.self), count, streaming) }
        } else if Target.self == Int64.self {
            switch self {
            case .int64:
                return { source, destination, count, _ in copyLittleEndian(source, destination, count, as: UInt64.self) }
            case .int32:
                return { source, destination, count, _ in
                    decodeLoop(source, cast(destination, Int64.self), count) { (bits: UInt32) in
                        Int64(Int32(bitPattern: bits))
                    }
                }
            default: return nil
            }
        } else if Target.self == Int32.self {
            guard self == .int32 else { return nil }
            return { source, destination, count, _ in copyLittleEndian(source, destination, count, as: UInt32.self) }
        } else if Target.self == UInt8.self {
            guard self == .uint8 else { return nil }
            return { source, destination, count, _ in copyLittleEndian(source, destination, count, as: UInt8.self) }
        } else if Target.self == Bool.self {
            guard self == .bool else { return nil }
            // A Swift Bool must hold 0 or 1; like NumPy, read any other byte as true.
            return { source, destination, count, _ in
                decodeLoop(source, cast(destination, Bool.self), count) { (byte: UInt8) in byte != 0 }
            }
        }
        return nil
    }

    private func floatingDecoder<Target: FloatingTensorScalar>(_: Target.Type) -> ElementDecoder<Target>? {
        switch self {
        case .float16 where Target.self == Float.self:
            return { source, destination, count, streaming in
                widenHalves(source, cast(destination, Float.self), count, streaming,
                            InstructionSet.currentKernels.pointee.half_precision.widen_half_f32) {
                    HalfPrecision.float(fromHalfBits: $0)
                }
            }
        case .bfloat16 where Target.self == Float.self:
            return { source, destination, count, streaming in
                widenHalves(source, cast(destination, Float.self), count, streaming,
                            InstructionSet.currentKernels.pointee.half_precision.widen_bfloat16_f32) {
                    HalfPrecision.float(fromBFloat16Bits: $0)
                }
            }
        case .float16:
            return { source, destination, count, _ in
                decodeLoop(source, destination, count) { (bits: UInt16) in
                    Target(HalfPrecision.float(fromHalfBits: bits))
                }
            }
        case .bfloat16:
            return { source, destination, count, _ in
                decodeLoop(source, destination, count) { (bits: UInt16) in
                    Target(HalfPrecision.float(fromBFloat16Bits: bits))
                }
            }
        case .float32 where Target.self == Float.self:
            return { source, destination, count, _ in copyLittleEndian(source, destination, count, as: UInt32.self) }
        case .float32:
            return { source, destination, count, _ in
                decodeLoop(source, destination, count) { (bits: UInt32) in Target(Float(bitPattern: bits)) }
            }
        case .float64 where Target.self == Double.self:
            return { source, destination, count, _ in copyLittleEndian(source, destination, count, as: UInt64.self) }
        case .float64:
            return { source, destination, count, _ in
                decodeLoop(source, destination, count) { (bits: UInt64) in Target(Double(bitPattern: bits)) }
            }
        default:
            return nil
        }
    }
}

/// 16-bit floats widened to `Float` by the vector kernel of the current level when `source` is
/// 2-byte aligned (always, for tensors that start at even offsets), else element by element with
/// the Swift conversion, which gives the same bits.
@inline(__always)
private func widenHalves(
    _ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Float>, _ count: Int, _ streaming: Bool,
    _ kernel: @convention(c) (UnsafeMutablePointer<Float>?, UnsafePointer<UInt16>?, Int, Int32) -> Void,
    _ convert: (UInt16) -> Float
) {
    #if _endian(little)
    if Int(bitPattern: source) & 1 == 0 {
        kernel(destination, source.assumingMemoryBound(to: UInt16.self), count, streaming ? 1 : 0)
        if streaming { InstructionSet.currentKernels.pointee.rows.store_fence() }
        return
    }
    #endif
    decodeLoop(source, destination, count, convert)
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

/// Reads a tensor of `shape` whose elements are stored in `encoding` at file offsets
/// `byteRange`, or returns nil when `encoding` does not convert into `Target` (see
/// ``ScalarEncoding/decoder(into:)``). `byteRange` must hold exactly the shape's elements.
func readTensor<Target: TensorScalar>(
    _: Target.Type, shape: [Int], encoding: ScalarEncoding, from reader: FileReader, at byteRange: Range<Int>
) throws(TensorError) -> Tensor<Target>? {
    guard let decode = encoding.decoder(into: Target.self) else { return nil }
    let result = Tensor<Target>(uninitializedShape: shape)
    let total = result.count
    precondition(byteRange.count == total * encoding.byteCount,
                 "\(byteRange.count) bytes cannot hold \(total) elements of \(encoding)")
    let destination = result.storage.base
    if encoding.isMemoryLayout(of: Target.self) {
        try reader.read(byteRange, into: UnsafeMutableRawPointer(destination))
        return result
    }
    // Converting elements go through a bounded buffer, never a full-size copy of the bytes.
    let chunkCount = Swift.max(1, (1 << 20) / encoding.byteCount)
    var chunk = [UInt8](repeating: 0, count: Swift.min(total, chunkCount) * encoding.byteCount)
    var start = 0
    while start < total {
        let length = Swift.min(chunkCount, total - start)
        let first = byteRange.lowerBound + start * encoding.byteCount
        try chunk.withUnsafeMutableBufferPointer { (buffer) throws(TensorError) in
            guard let base = buffer.baseAddress else { return }
            try reader.read(first ..< first + length * encoding.byteCount, into: UnsafeMutableRawPointer(base))
            decode(UnsafeRawPointer(base), destination + start, length, false)
        }
        start += length
    }
    return result
}

/// Writes the elements of `tensor` in row-major order, each converted by `encode` and stored
/// little-endian, a bounded chunk at a time (a non-contiguous tensor is first made contiguous).
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
