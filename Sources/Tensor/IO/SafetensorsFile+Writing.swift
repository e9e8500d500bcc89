import Foundation

extension SafetensorsFile {
    /// Writes `tensors`, each at its own precision, and `metadata` as a safetensors file at `url`.
    ///
    /// ```swift
    /// try SafetensorsFile.write(["wte.weight": w], metadata: ["format": "pt"], to: url)
    /// ```
    ///
    /// Writing is atomic: `url` shows either its previous contents or the complete new file.
    /// - Throws: `TensorError.invalidArgument` for a tensor named `__metadata__`, `TensorError.io`
    ///   when the file cannot be written.
    public static func write<Scalar: TensorScalar>(
        _ tensors: [String: Tensor<Scalar>], metadata: [String: String] = [:], to url: URL
    ) throws(TensorError) {
        try write(tensors.mapValues { SafetensorsEntry($0) }, metadata: metadata, to: url)
    }

    /// Writes `entries`, tensors of any element type, and `metadata` as a safetensors file at `url`.
    ///
    /// ```swift
    /// try SafetensorsFile.write(["weight": .float16(w), "step": .int64(Tensor(scalar: 100))],
    ///                           metadata: [:], to: url)
    /// ```
    ///
    /// The header is compact JSON with `__metadata__` first (when not empty) and then the tensors
    /// in name order, padded with spaces to a multiple of 8 bytes. The data holds the tensors with
    /// the widest element types first, so every tensor starts aligned to its element size, as the
    /// reference implementation lays them out. Writing is atomic: `url` shows either its previous
    /// contents or the complete new file.
    ///
    /// - Throws: `TensorError.invalidArgument` for a tensor named `__metadata__` or a header over
    ///   100 MB, `TensorError.io` when the file cannot be written.
    public static func write(
        _ entries: [String: SafetensorsEntry], metadata: [String: String] = [:], to url: URL
    ) throws(TensorError) {
        guard entries["__metadata__"] == nil else {
            throw .invalidArgument("a tensor cannot be named \"__metadata__\": safetensors reserves that key for metadata")
        }
        let dataOrder = entries.sorted { left, right in
            let leftWidth = left.value.dtype.bitWidth, rightWidth = right.value.dtype.bitWidth
            return leftWidth != rightWidth ? leftWidth > rightWidth : left.key < right.key
        }
        var ranges: [String: (begin: Int, end: Int)] = [:]
        var dataCount = 0
        for (name, entry) in dataOrder {
            ranges[name] = (dataCount, dataCount + entry.byteCount)
            dataCount += entry.byteCount
        }

        var members: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }.map { JSON.quoted($0.key) + ":" + JSON.quoted($0.value) }
            members.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        for name in entries.keys.sorted() {
            let entry = entries[name]!, range = ranges[name]!
            let shape = entry.shape.map(String.init).joined(separator: ",")
            members.append(JSON.quoted(name) + ":{\"dtype\":\"\(entry.dtype.rawValue)\",\"shape\":[\(shape)],"
                           + "\"data_offsets\":[\(range.begin),\(range.end)]}")
        }
        var header = Array(("{" + members.joined(separator: ",") + "}").utf8)
        header += repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8)
        guard header.count <= SafetensorsHeader.maximumLength else {
            throw .invalidArgument("the safetensors header would be \(header.count) bytes, over the "
                                   + "\(SafetensorsHeader.maximumLength)-byte limit readers enforce")
        }

        try writeAtomically(to: url) { (output) throws(TensorError) in
            try output.write((0..<8).map { UInt8(truncatingIfNeeded: UInt64(header.count) >> (8 * $0)) })
            try output.write(header)
            for (_, entry) in dataOrder { try entry.writeElements(to: &output) }
        }
    }
}
