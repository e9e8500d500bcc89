import Foundation
import Testing
@testable import Tensor

/// A fresh directory per test, removed afterwards.
final class IOTestDirectory {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("swift-autograd-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// A path inside the directory.
    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Writes `bytes` to a file inside the directory and returns its path.
    func file(_ name: String, bytes: [UInt8]) -> URL {
        let url = file(name)
        try! Data(bytes).write(to: url)
        return url
    }

    /// The names of the files in the directory.
    var contents: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: url.path).sorted()) ?? []
    }
}

/// Expects `body` to throw `malformedFile` at `offset` with a reason containing `reason`.
func expectMalformedFile(
    offset: Int, reason: String, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws(TensorError) -> Void
) {
    do {
        try body()
        Issue.record("expected a malformed-file error (\(reason))", sourceLocation: sourceLocation)
    } catch {
        guard case let .malformedFile(_, foundOffset, foundReason) = error else {
            Issue.record("expected a malformed-file error, got \(error)", sourceLocation: sourceLocation)
            return
        }
        #expect(foundOffset == offset, "\(foundReason)", sourceLocation: sourceLocation)
        #expect(foundReason.contains(reason), "\(foundReason)", sourceLocation: sourceLocation)
    }
}

/// The bytes of a safetensors file with `header` (8-byte length prefix added) and `payload`.
func safetensorsFileBytes(header: String, payload: [UInt8] = []) -> [UInt8] {
    let json = Array(header.utf8)
    return (0..<8).map { UInt8(truncatingIfNeeded: UInt64(json.count) >> (8 * $0)) } + json + payload
}

@Suite struct SafetensorsTests {
    let directory = IOTestDirectory()

    func roundTrip(_ entries: [String: SafetensorsEntry], metadata: [String: String] = [:]) throws -> SafetensorsFile {
        let url = directory.file("model.safetensors")
        try SafetensorsFile.write(entries, metadata: metadata, to: url)
        return try SafetensorsFile(contentsOf: url)
    }

    func expectMalformedHeader(
        _ header: String, payload: [UInt8] = [], offset: Int, reason: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let url = directory.file("bad.safetensors", bytes: safetensorsFileBytes(header: header, payload: payload))
        expectMalformedFile(offset: offset, reason: reason, sourceLocation: sourceLocation) { () throws(TensorError) in
            _ = try SafetensorsFile(contentsOf: url)
        }
    }

    // MARK: Round trips

    @Test func float32RoundTripIsExact() throws {
        let tensor = Tensor<Float>(shape: [2, 3], scalars: [1.5, -2.25, 3e-8, .greatestFiniteMagnitude, -0.0, .infinity])
        let file = try roundTrip(["w": .float32(tensor)])
        #expect(file.dtype(of: "w") == .float32)
        #expect(file.shape(of: "w") == [2, 3])
        let read: Tensor<Float> = try file.tensor(named: "w")
        #expect(read.scalars.map(\.bitPattern) == tensor.scalars.map(\.bitPattern))
    }

    @Test func float64RoundTripIsExact() throws {
        let tensor = Tensor<Double>([0.1, -1e300, .leastNonzeroMagnitude, .nan])
        let read = try roundTrip(["w": .float64(tensor)]).tensor(named: "w", as: Double.self)
        #expect(read.scalars.map(\.bitPattern) == tensor.scalars.map(\.bitPattern))
    }

    @Test func float16RoundTripKeepsRepresentableValues() throws {
        let values: [Float] = [1, -2, 0.333251953125, 65504, 0x1p-14, 0x1p-24, -.infinity, 0, -0.0]
        let file = try roundTrip(["h": .float16(Tensor(values))])
        #expect(file.dtype(of: "h") == .float16)
        let read = try file.tensor(named: "h", as: Float.self)
        #expect(read.scalars.map(\.bitPattern) == values.map(\.bitPattern))
    }

    @Test func float16WriteRoundsToNearestEven() throws {
        // 1 + 2⁻¹¹ is halfway between 1 and the next half 1 + 2⁻¹⁰: ties go to the even 1.
        // 65520 is halfway between 65504 and 2¹⁶: it rounds to infinity. 2⁻²⁵ rounds to zero,
        // anything above it to the smallest subnormal.
        let values: [Float] = [1 + 0x1p-11, 1 + 0x1.8p-11, 65519, 65520, 0x1p-25, 0x1.000002p-25, .nan]
        let read = try roundTrip(["h": .float16(Tensor(values))]).tensor(named: "h", as: Float.self).scalars
        #expect(Array(read.prefix(6)) == [1, 1 + 0x1p-10, 65504, .infinity, 0, 0x1p-24])
        #expect(read[6].isNaN)
    }

    @Test func bfloat16RoundTripKeepsRepresentableValues() throws {
        // Values from the Python fixture below, each exactly a bfloat16.
        let values: [Float] = [1, 3.140625, Float(bitPattern: 0xFF62_0000), Float(bitPattern: 0x0001_0000), .infinity]
        let file = try roundTrip(["b": .bfloat16(Tensor(values))])
        #expect(file.dtype(of: "b") == .bfloat16)
        #expect(try file.tensor(named: "b", as: Float.self).scalars == values)
    }

    @Test func bfloat16WriteRoundsToNearestEven() throws {
        let values: [Float] = [
            Float(bitPattern: 0x3F80_8000), // tie, kept part even: stays 0x3F80
            Float(bitPattern: 0x3F81_8000), // tie, kept part odd: up to 0x3F82
            Float(bitPattern: 0x3F80_8001), // above the tie: up
            .greatestFiniteMagnitude,       // rounds past the largest bfloat16 to infinity
            Float(bitPattern: 0x7F80_0001), // NaN whose payload sits in the dropped bits
        ]
        let read = try roundTrip(["b": .bfloat16(Tensor(values))]).tensor(named: "b", as: Float.self).scalars
        #expect(read.prefix(4).map(\.bitPattern) == [0x3F80_0000, 0x3F82_0000, 0x3F81_0000, 0x7F80_0000])
        #expect(read[4].isNaN)
    }

    @Test func integerBoolAndByteRoundTripsAreExact() throws {
        let int64 = Tensor<Int64>(shape: [2, 2], scalars: [.min, .max, 0, -1])
        let int32 = Tensor<Int32>([.min, .max, 7])
        let bytes = Tensor<UInt8>([0, 255])
        let mask = Tensor<Bool>(shape: [2, 2], scalars: [true, false, false, true])
        let file = try roundTrip(["i64": .int64(int64), "i32": .int32(int32), "u8": .uint8(bytes), "mask": .bool(mask)])
        #expect(file.names == ["i32", "i64", "mask", "u8"])
        #expect([file.dtype(of: "i64"), file.dtype(of: "i32"), file.dtype(of: "u8"), file.dtype(of: "mask")]
                == [.int64, .int32, .uint8, .bool])
        #expect(try file.tensor(named: "i64", as: Int64.self) == int64)
        #expect(try file.tensor(named: "i32", as: Int32.self) == int32)
        #expect(try file.tensor(named: "u8", as: UInt8.self) == bytes)
        #expect(try file.tensor(named: "mask", as: Bool.self) == mask)
    }

    @Test func genericWriteStoresEachScalarAtItsOwnPrecision() throws {
        let url = directory.file("doubles.safetensors")
        try SafetensorsFile.write(["a": Tensor<Double>([1, 2]), "b": Tensor<Double>(scalar: 3)], metadata: [:], to: url)
        let file = try SafetensorsFile(contentsOf: url)
        #expect(file.dtype(of: "a") == .float64)
        #expect(try file.tensor(named: "b", as: Double.self).shape == [])
    }

    @Test func metadataRoundTrips() throws {
        let metadata = ["format": "pt", "note": "café ✓ \"quoted\"\n\t\u{01}", "": "empty key"]
        let file = try roundTrip(["w": .float32(Tensor([1]))], metadata: metadata)
        #expect(file.metadata == metadata)
    }

    @Test func fileWithoutTensorsRoundTrips() throws {
        let file = try roundTrip([:], metadata: ["only": "metadata"])
        #expect(file.names.isEmpty)
        #expect(file.metadata == ["only": "metadata"])
    }

    @Test func emptyAndZeroDimensionalTensorsRoundTrip() throws {
        let file = try roundTrip([
            "empty": .float32(Tensor<Float>.zeros([0, 3])),
            "emptyHalf": .float16(Tensor<Float>.zeros([2, 0])),
            "scalar": .int64(Tensor(scalar: 42)),
        ])
        #expect(file.shape(of: "empty") == [0, 3])
        #expect(try file.tensor(named: "empty", as: Float.self).count == 0)
        #expect(try file.tensor(named: "emptyHalf", as: Float.self).shape == [2, 0])
        let scalar = try file.tensor(named: "scalar", as: Int64.self)
        #expect(scalar.shape == [])
        #expect(scalar.scalar == 42)
    }

    @Test func nonContiguousTensorsAreWrittenInLogicalOrder() throws {
        let matrix = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let file = try roundTrip(["t": .float32(matrix.transposed()), "h": .bfloat16(matrix.transposed())])
        #expect(try file.tensor(named: "t", as: Float.self) == Tensor(shape: [3, 2], scalars: [1, 4, 2, 5, 3, 6]))
        #expect(try file.tensor(named: "h", as: Float.self).scalars == [1, 4, 2, 5, 3, 6])
    }

    @Test func entriesCopyAFileWithItsElementTypes() throws {
        let original = try roundTrip([
            "h": .float16(Tensor([1, 2])), "b": .bfloat16(Tensor([3])), "f": .float32(Tensor([4])),
            "d": .float64(Tensor([5])), "i": .int32(Tensor([6])), "l": .int64(Tensor([7])),
            "u": .uint8(Tensor([8])), "m": .bool(Tensor([true])),
        ])
        let entries = try Dictionary(uniqueKeysWithValues: original.names.map { ($0, try original.entry(named: $0)) })
        let copy = try roundTrip(entries, metadata: original.metadata)
        for name in original.names {
            #expect(copy.dtype(of: name) == original.dtype(of: name))
            #expect(try copy.entry(named: name) == original.entry(named: name))
        }
    }

    // MARK: Conversions on read

    @Test func halfAndSingleWidenToDouble() throws {
        let file = try roundTrip(["h": .float16(Tensor([0.5, -3])), "b": .bfloat16(Tensor([2])), "f": .float32(Tensor([0.1]))])
        #expect(try file.tensor(named: "h", as: Double.self).scalars == [0.5, -3])
        #expect(try file.tensor(named: "b", as: Double.self).scalars == [2])
        #expect(try file.tensor(named: "f", as: Double.self).scalars == [Double(Float(0.1))])
    }

    @Test func float64NarrowsToFloatRoundingToNearest() throws {
        let file = try roundTrip(["d": .float64(Tensor([0.1, 1e300]))])
        #expect(try file.tensor(named: "d", as: Float.self).scalars == [Float(0.1), .infinity])
    }

    @Test func int32WidensToInt64() throws {
        let file = try roundTrip(["i": .int32(Tensor([.min, -1, .max]))])
        #expect(try file.tensor(named: "i", as: Int64.self).scalars == [Int64(Int32.min), -1, Int64(Int32.max)])
    }

    @Test func unconvertibleDtypeThrowsDtypeMismatch() throws {
        let file = try roundTrip(["f": .float32(Tensor([1])), "l": .int64(Tensor([1])), "m": .bool(Tensor([true]))])
        #expect(throws: TensorError.dtypeMismatch(expected: .int64, found: "F32",
                                                  context: "tensor \"f\" in \(directory.file("model.safetensors").path)")) {
            try file.tensor(named: "f", as: Int64.self)
        }
        #expect(throws: TensorError.self) { try file.tensor(named: "l", as: Int32.self) }
        #expect(throws: TensorError.self) { try file.tensor(named: "m", as: Float.self) }
        #expect(throws: TensorError.self) { try file.tensor(named: "l", as: Double.self) }
    }

    @Test func recognisedButUnsupportedDtypeLoadsHeaderAndThrowsOnRead() throws {
        let url = directory.file("fp8.safetensors", bytes: safetensorsFileBytes(
            header: #"{"q":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}}"#, payload: [1, 2]))
        let file = try SafetensorsFile(contentsOf: url)
        #expect(file.dtype(of: "q") == .float8E4M3)
        #expect(throws: TensorError.dtypeMismatch(expected: .float32, found: "F8_E4M3", context: "tensor \"q\" in \(url.path)")) {
            try file.tensor(named: "q", as: Float.self)
        }
        #expect(throws: TensorError.self) { try file.entry(named: "q") }
    }

    @Test func boolBytesOtherThanZeroOrOneReadAsTrue() throws {
        let url = directory.file("bool.safetensors", bytes: safetensorsFileBytes(
            header: #"{"m":{"dtype":"BOOL","shape":[3],"data_offsets":[0,3]}}"#, payload: [0, 1, 2]))
        #expect(try SafetensorsFile(contentsOf: url).tensor(named: "m", as: Bool.self).scalars == [false, true, true])
    }

    @Test func missingTensorThrows() throws {
        let file = try roundTrip(["w": .float32(Tensor([1]))])
        #expect(throws: TensorError.missingTensor(name: "v")) { try file.tensor(named: "v", as: Float.self) }
        #expect(file.dtype(of: "v") == nil)
        #expect(file.shape(of: "v") == nil)
    }

    // MARK: Python interoperability

    // Tests/TensorTests/Fixtures/python_dtypes.safetensors was written with safetensors 0.8.0,
    // numpy 2.4.6 and ml_dtypes 0.6.0 by:
    //
    //     import numpy as np, ml_dtypes
    //     from safetensors.numpy import save_file
    //     f32 = np.array([[1.5, -2.25, 3e-8], [65504.0, -0.0, np.inf]], dtype=np.float32)
    //     f64 = np.array([0.1, -1e300, 5e-324], dtype=np.float64)
    //     f16 = np.array([1.0, -2.0, 1/3, 65504.0, 2**-14, 2**-24, -np.inf, np.nan], dtype=np.float16)
    //     bf16 = np.array([1.0, np.pi, -3e38, 1e-40, np.inf], dtype=ml_dtypes.bfloat16)
    //     save_file({
    //         "f32": f32, "f64": f64, "f16": f16, "bf16": bf16,
    //         "i64": np.array([[-2**63, 2**63 - 1], [0, -1]], dtype=np.int64),
    //         "i32": np.array([-2**31, 2**31 - 1, 7], dtype=np.int32),
    //         "bool": np.array([[True, False], [False, True]]),
    //         "u8": np.array([0, 255], dtype=np.uint8),
    //         "scalar": np.array(42.5, dtype=np.float32),
    //         "empty": np.zeros((0, 3), dtype=np.float32),
    //     }, "python_dtypes.safetensors", metadata={"format": "np", "note": "caf\u00e9 \u2713"})
    //
    // Expected bfloat16 values are the bit patterns numpy reports: bf16.view(np.uint16) is
    // [0x3f80, 0x4049, 0xff62, 0x0001, 0x7f80].

    func pythonFile() throws -> SafetensorsFile {
        let url = try #require(Bundle.module.url(forResource: "python_dtypes", withExtension: "safetensors",
                                                 subdirectory: "Fixtures"))
        return try SafetensorsFile(contentsOf: url)
    }

    @Test func pythonWrittenFileListsNamesDtypesShapesAndMetadata() throws {
        let file = try pythonFile()
        #expect(file.names == ["bf16", "bool", "empty", "f16", "f32", "f64", "i32", "i64", "scalar", "u8"])
        #expect(file.metadata == ["format": "np", "note": "café ✓"])
        #expect(file.dtype(of: "bf16") == .bfloat16)
        #expect(file.dtype(of: "f16") == .float16)
        #expect(file.shape(of: "f32") == [2, 3])
        #expect(file.shape(of: "scalar") == [])
        #expect(file.shape(of: "empty") == [0, 3])
    }

    @Test func pythonWrittenFloatingTensorsLoadExactly() throws {
        let file = try pythonFile()
        let f32 = try file.tensor(named: "f32", as: Float.self)
        #expect(f32.shape == [2, 3])
        #expect(f32.scalars.map(\.bitPattern) == ([1.5, -2.25, 3e-8, 65504, -0.0, .infinity] as [Float]).map(\.bitPattern))
        #expect(try file.tensor(named: "f64", as: Double.self).scalars == [0.1, -1e300, .leastNonzeroMagnitude])
        let f16 = try file.tensor(named: "f16", as: Float.self).scalars
        #expect(Array(f16.prefix(7)) == [1, -2, 0.333251953125, 65504, 0x1p-14, 0x1p-24, -.infinity])
        #expect(f16[7].isNaN)
        let bf16 = try file.tensor(named: "bf16", as: Float.self).scalars
        #expect(bf16.map(\.bitPattern) == [0x3F80_0000, 0x4049_0000, 0xFF62_0000, 0x0001_0000, 0x7F80_0000])
        #expect(try file.tensor(named: "scalar", as: Float.self).scalar == 42.5)
        #expect(try file.tensor(named: "empty", as: Float.self).shape == [0, 3])
    }

    @Test func pythonWrittenIntegerAndBoolTensorsLoadExactly() throws {
        let file = try pythonFile()
        #expect(try file.tensor(named: "i64", as: Int64.self) == Tensor(shape: [2, 2], scalars: [.min, .max, 0, -1]))
        #expect(try file.tensor(named: "i32", as: Int32.self).scalars == [.min, .max, 7])
        #expect(try file.tensor(named: "i32", as: Int64.self).scalars == [Int64(Int32.min), Int64(Int32.max), 7])
        #expect(try file.tensor(named: "bool", as: Bool.self).scalars == [true, false, false, true])
        #expect(try file.tensor(named: "u8", as: UInt8.self).scalars == [0, 255])
    }

    // MARK: File layout

    @Test func singleTensorFileMatchesTheReferenceSerialization() throws {
        // The reference implementation's own test serialises attn.0 = float32 [0, 1, 2, 3, 4, 5]
        // with shape [1, 2, 3] to a 64-byte header with no padding, followed by the data.
        let url = directory.file("attn.safetensors")
        try SafetensorsFile.write(["attn.0": Tensor<Float>(shape: [1, 2, 3], scalars: [0, 1, 2, 3, 4, 5])],
                                  metadata: [:], to: url)
        let header = #"{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}"#
        let data: [UInt8] = [0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64]
        #expect(try [UInt8](Data(contentsOf: url)) == safetensorsFileBytes(header: header, payload: data))
    }

    @Test func emptyFileMatchesTheReferenceSerialization() throws {
        let url = directory.file("empty.safetensors")
        try SafetensorsFile.write([String: Tensor<Float>](), metadata: [:], to: url)
        #expect(try [UInt8](Data(contentsOf: url)) == [8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32])
    }

    @Test func headerIsSortedSpacePaddedAndDataIsAlignedWidestFirst() throws {
        let url = directory.file("layout.safetensors")
        try SafetensorsFile.write([
            "b.mask": .bool(Tensor([true, false, true])), "a.half": .float16(Tensor([1, 2, 3])),
            "c.ids": .int64(Tensor([1, 2])), "d.weight": .float32(Tensor([1])),
        ], metadata: ["z": "1", "a": "2"], to: url)
        let bytes = try [UInt8](Data(contentsOf: url))
        let length = Int(bytes[0]) | Int(bytes[1]) << 8
        let header = String(decoding: bytes[8..<(8 + length)], as: UTF8.self)
        let json = #"{"__metadata__":{"a":"2","z":"1"},"#
            + #""a.half":{"dtype":"F16","shape":[3],"data_offsets":[20,26]},"#
            + #""b.mask":{"dtype":"BOOL","shape":[3],"data_offsets":[26,29]},"#
            + #""c.ids":{"dtype":"I64","shape":[2],"data_offsets":[0,16]},"#
            + #""d.weight":{"dtype":"F32","shape":[1],"data_offsets":[16,20]}}"#
        #expect(length % 8 == 0)
        #expect(header.hasPrefix(json))
        #expect(header.dropFirst(json.count).allSatisfy { $0 == " " })
        #expect(length - json.utf8.count < 8)
        #expect(bytes.count == 8 + length + 29)
    }

    // MARK: Atomic writing

    @Test func writingLeavesOnlyTheFinalFile() throws {
        let url = directory.file("model.safetensors")
        try SafetensorsFile.write(["w": Tensor<Float>([1, 2])], metadata: [:], to: url)
        try SafetensorsFile.write(["w": Tensor<Float>([3])], metadata: [:], to: url)
        #expect(directory.contents == ["model.safetensors"])
        #expect(try SafetensorsFile(contentsOf: url).tensor(named: "w", as: Float.self).scalars == [3])
    }

    @Test func failedWriteLeavesNoFileBehind() {
        let missing = directory.file("no-such-directory").appendingPathComponent("model.safetensors")
        #expect(throws: TensorError.self) {
            try SafetensorsFile.write(["w": Tensor<Float>([1])], metadata: [:], to: missing)
        }
        #expect(directory.contents.isEmpty)
    }

    @Test func tensorNamedLikeTheMetadataKeyIsRejected() {
        let url = directory.file("model.safetensors")
        #expect(throws: TensorError.self) {
            try SafetensorsFile.write(["__metadata__": Tensor<Float>([1])], metadata: [:], to: url)
        }
        #expect(directory.contents.isEmpty)
    }

    @Test func fileTruncatedAfterOpeningThrowsIOErrorOnRead() throws {
        let url = directory.file("model.safetensors")
        try SafetensorsFile.write(["w": Tensor<Float>.zeros([1000])], metadata: [:], to: url)
        let file = try SafetensorsFile(contentsOf: url, reading: .copied)
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 100)
        try handle.close()
        #expect {
            try file.tensor(named: "w", as: Float.self)
        } throws: { error in
            guard case .io(_, let reason) = error as? TensorError else { return false }
            return reason.contains("changed after it was opened")
        }
    }

    @Test func unreadableFileThrowsIOError() {
        let url = directory.file("absent.safetensors")
        #expect(throws: TensorError.io(path: url.path, reason: "No such file or directory")) {
            try SafetensorsFile(contentsOf: url)
        }
    }

    // MARK: Malformed files

    @Test func fileShorterThanTheLengthPrefixIsMalformed() {
        let url = directory.file("short.safetensors", bytes: [1, 2, 3])
        expectMalformedFile(offset: 0, reason: "too short") { () throws(TensorError) in _ = try SafetensorsFile(contentsOf: url) }
    }

    @Test func headerLengthOverTheLimitIsMalformed() {
        let length = UInt64(100_000_001)
        let bytes = (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) } + Array("{}".utf8)
        let url = directory.file("huge.safetensors", bytes: bytes)
        expectMalformedFile(offset: 0, reason: "exceeds the limit") { () throws(TensorError) in _ = try SafetensorsFile(contentsOf: url) }
    }

    @Test func headerLengthPastTheEndOfTheFileIsMalformed() {
        let url = directory.file("cut.safetensors", bytes: [100, 0, 0, 0, 0, 0, 0, 0] + Array("{}".utf8))
        expectMalformedFile(offset: 0, reason: "runs past the end") { () throws(TensorError) in _ = try SafetensorsFile(contentsOf: url) }
    }

    @Test func headerThatIsNotUTF8IsMalformed() {
        let header: [UInt8] = Array(#"{"a"#.utf8) + [0xFF] + Array(#"":null}"#.utf8)
        let bytes = [UInt8(header.count), 0, 0, 0, 0, 0, 0, 0] + header
        let url = directory.file("latin.safetensors", bytes: bytes)
        expectMalformedFile(offset: 11, reason: "not valid UTF-8") { () throws(TensorError) in _ = try SafetensorsFile(contentsOf: url) }
    }

    @Test func headerThatIsNotJSONIsMalformed() {
        expectMalformedHeader(#"{"a":"#, offset: 13, reason: "found the end of the header")
        expectMalformedHeader(#"{"a":{"dtype":"F32",}}"#, offset: 28, reason: "expected a quoted key")
        expectMalformedHeader(#"{}x"#, offset: 10, reason: "after the JSON value")
        expectMalformedHeader(#"{"a":tru}"#, offset: 13, reason: "invalid JSON literal")
        expectMalformedHeader(#"{"\ud800":1}"#, offset: 10, reason: "unpaired surrogate")
        expectMalformedHeader("{\"a\u{01}\":1}", offset: 11, reason: "control character")
    }

    @Test func headerThatIsNotAnObjectIsMalformed() {
        expectMalformedHeader("  []", offset: 10, reason: "must be a JSON object, found an array")
    }

    @Test func deeplyNestedHeaderIsMalformedNotAStackOverflow() {
        let header = #"{"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0],"x":"# + String(repeating: "[", count: 100_000)
        expectMalformedHeader(header, offset: 8 + 57 + 126, reason: "nested deeper than 128")
    }

    @Test func duplicateKeysAreMalformed() {
        let entry = #"{"dtype":"F32","shape":[0],"data_offsets":[0,0]}"#
        expectMalformedHeader(#"{"a":"# + entry + #","a":"# + entry + "}", offset: 62, reason: "duplicate key \"a\"")
    }

    @Test func entryMissingAFieldIsMalformed() {
        expectMalformedHeader(#"{"a":{"shape":[1],"data_offsets":[0,4]}}"#, payload: [0, 0, 0, 0],
                              offset: 13, reason: "tensor \"a\" has no \"dtype\"")
        expectMalformedHeader(#"{"a":{"dtype":"F32","data_offsets":[0,4]}}"#, payload: [0, 0, 0, 0],
                              offset: 13, reason: "has no \"shape\"")
        expectMalformedHeader(#"{"a":{"dtype":"F32","shape":[1]}}"#, payload: [0, 0, 0, 0],
                              offset: 13, reason: "has no \"data_offsets\"")
    }

    @Test func entryFieldsOfTheWrongTypeAreMalformed() {
        expectMalformedHeader(#"{"a":"F32"}"#, offset: 13, reason: "expected an object with dtype, shape and data_offsets")
        expectMalformedHeader(#"{"a":{"dtype":32,"shape":[1],"data_offsets":[0,4]}}"#, payload: [0, 0, 0, 0],
                              offset: 22, reason: "dtype must be a string, found the integer 32")
        expectMalformedHeader(#"{"a":{"dtype":"F32","shape":"1","data_offsets":[0,4]}}"#, payload: [0, 0, 0, 0],
                              offset: 36, reason: "shape must be an array")
        expectMalformedHeader(#"{"a":{"dtype":"F32","shape":[1.0],"data_offsets":[0,4]}}"#, payload: [0, 0, 0, 0],
                              offset: 37, reason: "found the number 1.0")
        expectMalformedHeader(#"{"a":{"dtype":"F32","shape":[true],"data_offsets":[0,4]}}"#, payload: [0, 0, 0, 0],
                              offset: 37, reason: "found true")
        expectMalformedHeader(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4,4]}}"#, payload: [0, 0, 0, 0],
                              offset: 55, reason: "data_offsets must be [begin, end], found 3 numbers")
        expectMalformedHeader(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":null}}"#, payload: [0, 0, 0, 0],
                              offset: 55, reason: "data_offsets must be an array")
    }

    @Test func unknownDtypeIsMalformed() {
        expectMalformedHeader(#"{"a":{"dtype":"F17","shape":[1],"data_offsets":[0,4]}}"#, payload: [0, 0, 0, 0],
                              offset: 22, reason: "unknown dtype \"F17\"")
        expectMalformedHeader(#"{"a":{"dtype":"f32","shape":[1],"data_offsets":[0,4]}}"#, payload: [0, 0, 0, 0],
                              offset: 22, reason: "unknown dtype \"f32\"")
    }

    @Test func negativeShapeIsMalformed() {
        expectMalformedHeader(#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, payload: [0, 0, 0, 0],
                              offset: 37, reason: "non-negative integers, found the integer -1")
    }

    @Test func negativeOrReversedOffsetsAreMalformed() {
        expectMalformedHeader(#"{"a":{"dtype":"F32","shape":[0],"data_offsets":[-4,0]}}"#,
                              offset: 56, reason: "found the integer -4")
        expectMalformedHeader(#"{"a":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}"#, payload: [0, 0, 0, 0],
                              offset: 55, reason: "end before they begin")
    }

    @Test func offsetsBeyondTheDataAreMalformed() {
        expectMalformedHeader(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, payload: [0, 0, 0, 0],
                              offset: 55, reason: "reach beyond the 4-byte data section")
    }

    @Test func offsetsNotMatchingShapeAndDtypeAreMalformed() {
        expectMalformedHeader(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, payload: [0, 0, 0, 0],
                              offset: 55, reason: "hold 4 bytes but shape [2] of F32 needs 8")
    }

    @Test func shapeWhoseSizeOverflowsIsMalformed() {
        expectMalformedHeader(#"{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}"#,
                              payload: [0, 0, 0, 0], offset: 36, reason: "too many elements")
        expectMalformedHeader(#"{"a":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,4]}}"#,
                              payload: [0, 0, 0, 0], offset: 36, reason: "too many elements")
        // Empty, yet a tensor of this shape would need strides past Int.max.
        expectMalformedHeader(#"{"a":{"dtype":"F32","shape":[0,4294967296,4294967296],"data_offsets":[0,0]}}"#,
                              offset: 36, reason: "too many elements")
    }

    @Test func subByteDtypeThatDoesNotFillWholeBytesIsMalformed() {
        expectMalformedHeader(#"{"a":{"dtype":"F4","shape":[3],"data_offsets":[0,2]}}"#, payload: [0, 0],
                              offset: 35, reason: "do not fill a whole number of bytes")
    }

    @Test func gapBetweenTensorsIsMalformed() {
        expectMalformedHeader(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, payload: Array(repeating: 0, count: 8),
                              offset: 55, reason: "leave bytes 0..<4 of the data section to no tensor")
    }

    @Test func overlappingTensorsAreMalformed() {
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"#
            + #""b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}"#
        expectMalformedHeader(header, payload: Array(repeating: 0, count: 6),
                              offset: 108, reason: "overlap tensor \"a\", which ends at 4")
    }

    @Test func trailingBytesOutsideEveryTensorAreMalformed() {
        expectMalformedHeader(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, payload: [0, 0, 0, 0, 9],
                              offset: 8 + 54 + 4, reason: "bytes 4..<5 of the data section belong to no tensor")
    }

    @Test func tensorsMayAppearInAnyOrderAndShareEmptyOffsets() throws {
        let header = #"{"b":{"dtype":"I32","shape":[1],"data_offsets":[4,8]},"z":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"#
            + #""a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"e":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}"#
        let payload: [UInt8] = [0, 0, 128, 63, 7, 0, 0, 0]
        let file = try SafetensorsFile(contentsOf: directory.file("order.safetensors",
                                                                  bytes: safetensorsFileBytes(header: header, payload: payload)))
        #expect(file.names == ["a", "b", "e", "z"])
        #expect(try file.tensor(named: "a", as: Float.self).scalars == [1])
        #expect(try file.tensor(named: "b", as: Int32.self).scalars == [7])
    }

    @Test func unknownEntryFieldsAndNullMetadataAreAccepted() throws {
        let header = #"{"__metadata__":null,"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"extra":[{"x":1}]}}   "#
        let file = try SafetensorsFile(contentsOf: directory.file("extra.safetensors",
                                                                  bytes: safetensorsFileBytes(header: header, payload: [0, 0, 0, 0])))
        #expect(file.metadata.isEmpty)
        #expect(file.names == ["a"])
    }

    @Test func metadataThatIsNotStringToStringIsMalformed() {
        expectMalformedHeader(#"{"__metadata__":{"a":1}}"#, offset: 29, reason: "__metadata__ \"a\" must be a string, found the integer 1")
        expectMalformedHeader(#"{"__metadata__":{"a":{"b":"c"}}}"#, offset: 29, reason: "must be a string, found an object")
        expectMalformedHeader(#"{"__metadata__":["a"]}"#, offset: 24, reason: "__metadata__ must be an object of strings")
    }

    @Test func escapedNamesAndMetadataDecode() throws {
        let header = #"{"__metadata__":{"k\u00e9y":"line\nnext \ud83d\ude00"},"\u0061\/b":{"dtype":"U8","shape":[],"data_offsets":[0,1]}}"#
        let file = try SafetensorsFile(contentsOf: directory.file("escaped.safetensors",
                                                                  bytes: safetensorsFileBytes(header: header, payload: [5])))
        #expect(file.names == ["a/b"])
        #expect(file.metadata == ["kéy": "line\nnext 😀"])
    }

    @Test func truncatedOrCorruptedFilesThrowInsteadOfTrapping() throws {
        let url = try #require(Bundle.module.url(forResource: "python_dtypes", withExtension: "safetensors",
                                                 subdirectory: "Fixtures"))
        let original = try [UInt8](Data(contentsOf: url))
        func readEverything(_ bytes: [UInt8]) {
            guard let header = try? SafetensorsHeader(validating: bytes, fileSize: bytes.count, path: "fuzz") else { return }
            let file = try? SafetensorsFile(contentsOf: directory.file("fuzz.safetensors", bytes: bytes))
            for name in header.tensors.keys {
                _ = try? file?.tensor(named: name, as: Float.self)
                _ = try? file?.tensor(named: name, as: Int64.self)
                _ = try? file?.tensor(named: name, as: Bool.self)
            }
        }
        for length in 0..<original.count { readEverything(Array(original.prefix(length))) }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<3000 {
            var bytes = original
            for _ in 0..<3 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let position = Int((state >> 33) % UInt64(bytes.count))
                bytes[position] = UInt8(truncatingIfNeeded: state >> 20)
            }
            readEverything(bytes)
        }
    }
}

// MARK: - Half precision

@Suite struct HalfPrecisionTests {
    @Test func everyHalfWidensAndNarrowsBackToItself() {
        for bits in UInt16.min...UInt16.max {
            let value = HalfPrecision.float(fromHalfBits: bits)
            let isNaN = (bits & 0x7C00) == 0x7C00 && (bits & 0x3FF) != 0
            #expect(value.isNaN == isNaN)
            if !isNaN && HalfPrecision.halfBits(from: value) != bits {
                Issue.record("half \(bits) → \(value) → \(HalfPrecision.halfBits(from: value))")
                return
            }
        }
    }

    #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
    @Test func halfConversionsAgreeWithSwiftFloat16() {
        for bits in UInt16.min...UInt16.max {
            let mine = HalfPrecision.float(fromHalfBits: bits)
            let swift = Float(Float16(bitPattern: bits))
            if !(mine.bitPattern == swift.bitPattern || (mine.isNaN && swift.isNaN)) {
                Issue.record("half \(bits): \(mine) != \(swift)")
                return
            }
        }
        // Every 997th Float bit pattern, which visits every exponent and many rounding cases.
        for bits in stride(from: UInt32(0), through: UInt32.max - 996, by: 997) {
            let value = Float(bitPattern: bits)
            let mine = HalfPrecision.halfBits(from: value), swift = Float16(value).bitPattern
            if !(mine == swift || (value.isNaN && (mine & 0x7C00) == 0x7C00 && (mine & 0x3FF) != 0)) {
                Issue.record("float \(value) (\(bits)): \(mine) != \(swift)")
                return
            }
        }
    }
    #endif

    @Test func everyBFloat16WidensAndNarrowsBackToItself() {
        for bits in UInt16.min...UInt16.max {
            let value = HalfPrecision.float(fromBFloat16Bits: bits)
            if value.isNaN { continue }
            if HalfPrecision.bfloat16Bits(from: value) != bits {
                Issue.record("bfloat16 \(bits) → \(value) → \(HalfPrecision.bfloat16Bits(from: value))")
                return
            }
        }
    }

    @Test func bfloat16NarrowingPicksTheNearestNeighbourTiesToEven() {
        // Reference: the two bfloat16 values around x (truncation and the next one up in
        // magnitude), compared in Double, where both distances are exact.
        for bits in stride(from: UInt32(0), through: UInt32.max - 996, by: 997) {
            let value = Float(bitPattern: bits)
            guard value.isFinite else { continue }
            let truncated = UInt16(bits >> 16)
            let below = Double(HalfPrecision.float(fromBFloat16Bits: truncated))
            // Past the largest finite bfloat16 the next value up would be 2¹²⁸, not infinity.
            let next = HalfPrecision.float(fromBFloat16Bits: truncated + 1)
            let above = next.isInfinite ? Double(signOf: Double(next), magnitudeOf: 0x1p128) : Double(next)
            let distanceBelow = abs(Double(value) - below), distanceAbove = abs(above - Double(value))
            let expected = distanceBelow < distanceAbove || (distanceBelow == distanceAbove && truncated & 1 == 0)
                ? truncated : truncated + 1
            if HalfPrecision.bfloat16Bits(from: value) != expected {
                Issue.record("float \(value) (\(bits)): \(HalfPrecision.bfloat16Bits(from: value)) != \(expected)")
                return
            }
        }
    }

    @Test func narrowingKeepsNaNsQuietAndSigned() {
        let payloadInLowBits = Float(bitPattern: 0xFF80_0001)
        #expect(HalfPrecision.halfBits(from: payloadInLowBits) == 0xFE00)
        #expect(HalfPrecision.bfloat16Bits(from: payloadInLowBits) == 0xFFC0)
        #expect(HalfPrecision.float(fromHalfBits: 0x7E00).isNaN)
    }
}
