/// The validated header of a safetensors file: the metadata, and each tensor's element type,
/// shape and bytes.
///
/// Validation follows the format's reference implementation: the header length is at most
/// 100 MB and lies inside the file; the header is UTF-8 JSON holding one object; each tensor entry
/// has a known `dtype`, a `shape` of non-negative integers and `data_offsets` `[begin, end]`
/// whose span equals the shape's element count times the element size; sorted by offset, the
/// tensors tile the data section exactly, with no gap, overlap or trailing byte; `__metadata__`
/// maps strings to strings. Unknown fields inside an entry are ignored, as there.
struct SafetensorsHeader {
    struct TensorInfo {
        let dtype: SafetensorsDType
        let shape: [Int]
        /// File offsets of the tensor's bytes.
        let byteRange: Range<Int>
    }

    /// The reference implementation's limit, which keeps a corrupt length from allocating gigabytes.
    static let maximumLength = 100_000_000

    let metadata: [String: String]
    let tensors: [String: TensorInfo]

    /// The file offset where the header ends and the data begins, checked from the file's first
    /// (up to 8) bytes, which hold the header length, and the file's size.
    static func headerEnd(lengthPrefix: [UInt8], fileSize: Int, path: String) throws(TensorError) -> Int {
        guard fileSize >= 8, lengthPrefix.count >= 8 else {
            throw .malformedFile(path: path, offset: 0,
                                 reason: "the file is \(fileSize) bytes long, too short for the 8-byte header length")
        }
        let declaredLength = lengthPrefix[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard declaredLength <= UInt64(maximumLength) else {
            throw .malformedFile(path: path, offset: 0,
                                 reason: "header length \(declaredLength) exceeds the limit of \(maximumLength) bytes")
        }
        let headerEnd = 8 + Int(declaredLength)
        guard headerEnd <= fileSize else {
            throw .malformedFile(path: path, offset: 0,
                                 reason: "header length \(declaredLength) runs past the end of the \(fileSize)-byte file")
        }
        return headerEnd
    }

    /// Validates the header in `bytes`, the file's first bytes (at least through the header), for
    /// a file of `fileSize` bytes.
    init(validating bytes: [UInt8], fileSize: Int, path: String) throws(TensorError) {
        func failure(_ reason: String, at offset: Int) -> TensorError {
            .malformedFile(path: path, offset: offset, reason: reason)
        }
        let headerEnd = try Self.headerEnd(lengthPrefix: Array(bytes.prefix(8)), fileSize: fileSize, path: path)
        precondition(bytes.count >= headerEnd, "the header validator needs the bytes through the header")
        if let invalid = ByteCursor.firstInvalidUTF8Offset(in: bytes, range: 8..<headerEnd) {
            throw failure("the header is not valid UTF-8", at: invalid)
        }
        var cursor = ByteCursor(bytes: bytes, range: 8..<headerEnd, path: path)
        let root = try JSON.parseDocument(&cursor)
        guard case .object(let members) = root.kind else {
            throw failure("the header must be a JSON object, found \(root.typeDescription)", at: root.offset)
        }

        var metadata: [String: String] = [:]
        var entries: [Entry] = []
        for (key, value) in members {
            if key == "__metadata__" {
                metadata = try Self.parseMetadata(value, failure: failure)
            } else {
                entries.append(try Entry(name: key, value: value, failure: failure))
            }
        }

        // Sorted by offset, each tensor must begin where the previous one ended.
        entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        let dataStart = headerEnd
        let dataCount = fileSize - dataStart
        var tensors: [String: TensorInfo] = [:]
        var covered = 0
        var previousName: String?
        for entry in entries {
            let label = "tensor \"\(entry.name)\""
            let span = "data_offsets [\(entry.begin), \(entry.end)]"
            guard entry.end <= dataCount else {
                throw failure("\(label): \(span) reach beyond the \(dataCount)-byte data section", at: entry.offsetsOffset)
            }
            if entry.begin > covered {
                throw failure("\(label): \(span) leave bytes \(covered)..<\(entry.begin) of the data section to no tensor",
                              at: entry.offsetsOffset)
            }
            if entry.begin < covered {
                throw failure("\(label): \(span) overlap tensor \"\(previousName ?? "")\", which ends at \(covered)",
                              at: entry.offsetsOffset)
            }
            guard entry.end - entry.begin == entry.byteCount else {
                throw failure("\(label): \(span) hold \(entry.end - entry.begin) bytes but shape \(entry.shape) of "
                              + "\(entry.dtype.rawValue) needs \(entry.byteCount)", at: entry.offsetsOffset)
            }
            covered = entry.end
            previousName = entry.name
            tensors[entry.name] = TensorInfo(dtype: entry.dtype, shape: entry.shape,
                                             byteRange: dataStart + entry.begin ..< dataStart + entry.end)
        }
        guard covered == dataCount else {
            throw failure("bytes \(covered)..<\(dataCount) of the data section belong to no tensor", at: dataStart + covered)
        }
        self.metadata = metadata
        self.tensors = tensors
    }

    private static func parseMetadata(
        _ value: JSON.Value, failure: (String, Int) -> TensorError
    ) throws(TensorError) -> [String: String] {
        switch value.kind {
        case .null:
            return [:]
        case .object(let members):
            var metadata: [String: String] = [:]
            for (key, member) in members {
                guard case .string(let text) = member.kind else {
                    throw failure("__metadata__ \"\(key)\" must be a string, found \(member.typeDescription)", member.offset)
                }
                metadata[key] = text
            }
            return metadata
        default:
            throw failure("__metadata__ must be an object of strings, found \(value.typeDescription)", value.offset)
        }
    }

    /// One tensor entry as parsed, before the entries are checked against each other.
    private struct Entry {
        let name: String
        let dtype: SafetensorsDType
        let shape: [Int]
        let begin: Int
        let end: Int
        let byteCount: Int
        /// File offset of the `data_offsets` value, for errors about the offsets.
        let offsetsOffset: Int

        init(name: String, value: JSON.Value, failure: (String, Int) -> TensorError) throws(TensorError) {
            let label = "tensor \"\(name)\""
            guard case .object(let members) = value.kind else {
                throw failure("\(label): expected an object with dtype, shape and data_offsets, found \(value.typeDescription)",
                              value.offset)
            }
            func field(_ key: String) throws(TensorError) -> JSON.Value {
                guard let member = members.first(where: { $0.key == key }) else {
                    throw failure("\(label) has no \"\(key)\"", value.offset)
                }
                return member.value
            }
            func naturals(_ key: String) throws(TensorError) -> (values: [Int], offset: Int) {
                let list = try field(key)
                guard case .array(let elements) = list.kind else {
                    throw failure("\(label): \(key) must be an array of non-negative integers, found \(list.typeDescription)",
                                  list.offset)
                }
                var values: [Int] = []
                for element in elements {
                    guard case .integer(let number) = element.kind, number >= 0 else {
                        throw failure("\(label): \(key) must hold non-negative integers, found \(element.typeDescription)",
                                      element.offset)
                    }
                    values.append(number)
                }
                return (values, list.offset)
            }

            let dtypeValue = try field("dtype")
            guard case .string(let dtypeName) = dtypeValue.kind else {
                throw failure("\(label): dtype must be a string, found \(dtypeValue.typeDescription)", dtypeValue.offset)
            }
            guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
                throw failure("\(label): unknown dtype \"\(dtypeName)\"", dtypeValue.offset)
            }
            let shape = try naturals("shape")
            let offsets = try naturals("data_offsets")
            guard offsets.values.count == 2 else {
                throw failure("\(label): data_offsets must be [begin, end], found \(offsets.values.count) numbers",
                              offsets.offset)
            }
            guard offsets.values[0] <= offsets.values[1] else {
                throw failure("\(label): data_offsets \(offsets.values) end before they begin", offsets.offset)
            }
            guard let elements = checkedElementCount(of: shape.values) else {
                throw failure("\(label): shape \(shape.values) has too many elements", shape.offset)
            }
            let (bits, overflow) = elements.multipliedReportingOverflow(by: dtype.bitWidth)
            guard !overflow else { throw failure("\(label): shape \(shape.values) has too many elements", shape.offset) }
            guard bits % 8 == 0 else {
                throw failure("\(label): \(elements) elements of \(dtype.rawValue) do not fill a whole number of bytes",
                              shape.offset)
            }
            self.name = name
            self.dtype = dtype
            self.shape = shape.values
            self.begin = offsets.values[0]
            self.end = offsets.values[1]
            self.byteCount = bits / 8
            self.offsetsOffset = offsets.offset
        }
    }
}

/// The number of elements of `shape` (non-negative sizes), or nil when it, or the row-major
/// strides of a tensor of that shape, would overflow `Int`.
func checkedElementCount(of shape: [Int]) -> Int? {
    // Strides multiply the sizes with zeros counted as one, so they bound the count from above.
    var span = 1
    for size in shape {
        let (product, overflow) = span.multipliedReportingOverflow(by: Swift.max(size, 1))
        if overflow { return nil }
        span = product
    }
    return shape.contains(0) ? 0 : span
}
