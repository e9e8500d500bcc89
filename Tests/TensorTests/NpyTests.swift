import Foundation
import Testing
@testable import Tensor

// The Fixtures/npy_*.npy files were written with numpy 2.4.6 by:
//
//     import numpy as np
//     np.save("npy_f4.npy", (np.arange(6, dtype=np.float32) * 0.5 - 1).reshape(2, 3))
//     np.save("npy_f8.npy", np.array([0.1, -1e300, 5e-324]))
//     np.save("npy_i8.npy", np.array([[-2**63, 2**63 - 1], [0, -1]], dtype=np.int64))
//     np.save("npy_i4_scalar.npy", np.array(-7, dtype=np.int32))
//     np.save("npy_b1.npy", np.array([True, False, True]))
//     np.save("npy_f4_empty.npy", np.zeros((0, 2), dtype=np.float32))
//     with open("npy_f4_v2.npy", "wb") as f:
//         np.lib.format.write_array(f, np.array([1, 2, 3, 4], dtype=np.float32), version=(2, 0))
//     np.save("npy_f4_fortran.npy", np.asfortranarray(np.array([[1, 2], [3, 4]], dtype=np.float32)))

@Suite struct NpyTests {
    let directory = IOTestDirectory()

    func fixture(_ name: String) throws -> URL {
        try #require(Bundle.module.url(forResource: name, withExtension: "npy", subdirectory: "Fixtures"))
    }

    func roundTrip<Scalar: TensorScalar>(_ tensor: Tensor<Scalar>) throws -> Tensor<Scalar> {
        let url = directory.file("array.npy")
        try tensor.writeNumpy(to: url)
        return try Tensor<Scalar>(contentsOfNumpyFile: url)
    }

    /// A `.npy` file of version 1.0 with `header` (unpadded) followed by `data`.
    func npyFile(header: String, data: [UInt8] = [], version: UInt8 = 1) -> URL {
        let text = Array(header.utf8)
        let length = version == 1
            ? [UInt8(text.count & 0xFF), UInt8(text.count >> 8)]
            : [UInt8(text.count & 0xFF), UInt8(text.count >> 8), 0, 0]
        return directory.file("crafted.npy", bytes: NumpyHeader.magic + [version, 0] + length + text + data)
    }

    func expectMalformedNumpy(
        header: String, data: [UInt8] = [], offset: Int, reason: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let url = npyFile(header: header, data: data)
        expectMalformedFile(offset: offset, reason: reason, sourceLocation: sourceLocation) { () throws(TensorError) in
            _ = try Tensor<Float>(contentsOfNumpyFile: url)
        }
    }

    // MARK: Files written by NumPy

    @Test func numpyFloat32MatrixLoads() throws {
        let tensor = try Tensor<Float>(contentsOfNumpyFile: fixture("npy_f4"))
        #expect(tensor == Tensor(shape: [2, 3], scalars: [-1, -0.5, 0, 0.5, 1, 1.5]))
    }

    @Test func numpyFloat64Loads() throws {
        let tensor = try Tensor<Double>(contentsOfNumpyFile: fixture("npy_f8"))
        #expect(tensor.scalars == [0.1, -1e300, .leastNonzeroMagnitude])
    }

    @Test func numpyInt64Loads() throws {
        let tensor = try Tensor<Int64>(contentsOfNumpyFile: fixture("npy_i8"))
        #expect(tensor == Tensor(shape: [2, 2], scalars: [.min, .max, 0, -1]))
    }

    @Test func numpyZeroDimensionalInt32LoadsAndWidens() throws {
        let scalar = try Tensor<Int32>(contentsOfNumpyFile: fixture("npy_i4_scalar"))
        #expect(scalar.shape == [])
        #expect(scalar.scalar == -7)
        #expect(try Tensor<Int64>(contentsOfNumpyFile: fixture("npy_i4_scalar")).scalar == -7)
    }

    @Test func numpyBoolLoads() throws {
        #expect(try Tensor<Bool>(contentsOfNumpyFile: fixture("npy_b1")).scalars == [true, false, true])
    }

    @Test func numpyEmptyArrayLoads() throws {
        #expect(try Tensor<Float>(contentsOfNumpyFile: fixture("npy_f4_empty")).shape == [0, 2])
    }

    @Test func numpyVersion2Loads() throws {
        #expect(try Tensor<Float>(contentsOfNumpyFile: fixture("npy_f4_v2")).scalars == [1, 2, 3, 4])
    }

    @Test func fortranOrderIsRejectedWithAClearError() throws {
        let url = try fixture("npy_f4_fortran")
        expectMalformedFile(offset: 44, reason: "fortran_order is True") { () throws(TensorError) in
            _ = try Tensor<Float>(contentsOfNumpyFile: url)
        }
    }

    @Test func float32WrittenFileIsByteIdenticalToNumpySave() throws {
        let url = directory.file("f4.npy")
        try Tensor<Float>(shape: [2, 3], scalars: [-1, -0.5, 0, 0.5, 1, 1.5]).writeNumpy(to: url)
        #expect(try Data(contentsOf: url) == Data(contentsOf: fixture("npy_f4")))
    }

    @Test func writtenFilesAreByteIdenticalToNumpySaveForEveryDtype() throws {
        let cases: [(String, (URL) throws -> Void)] = [
            ("npy_f8", { try Tensor<Double>([0.1, -1e300, .leastNonzeroMagnitude]).writeNumpy(to: $0) }),
            ("npy_i8", { try Tensor<Int64>(shape: [2, 2], scalars: [.min, .max, 0, -1]).writeNumpy(to: $0) }),
            ("npy_i4_scalar", { try Tensor<Int32>(scalar: -7).writeNumpy(to: $0) }),
            ("npy_b1", { try Tensor<Bool>([true, false, true]).writeNumpy(to: $0) }),
            ("npy_f4_empty", { try Tensor<Float>.zeros([0, 2]).writeNumpy(to: $0) }),
        ]
        for (name, write) in cases {
            let url = directory.file(name + ".npy")
            try write(url)
            #expect(try Data(contentsOf: url) == Data(contentsOf: fixture(name)), "\(name)")
        }
    }

    // MARK: Round trips

    @Test func everyDtypeRoundTrips() throws {
        let floats = Tensor<Float>(shape: [2, 2], scalars: [1.5, -0.0, .infinity, .leastNonzeroMagnitude])
        #expect(try roundTrip(floats).scalars.map(\.bitPattern) == floats.scalars.map(\.bitPattern))
        let doubles = Tensor<Double>([0.1, -1e300])
        #expect(try roundTrip(doubles) == doubles)
        let longs = Tensor<Int64>([.min, .max])
        #expect(try roundTrip(longs) == longs)
        let ints = Tensor<Int32>(shape: [1, 3], scalars: [.min, 0, .max])
        #expect(try roundTrip(ints) == ints)
        let bytes = Tensor<UInt8>([0, 128, 255])
        #expect(try roundTrip(bytes) == bytes)
        let mask = Tensor<Bool>(shape: [3, 1], scalars: [true, false, true])
        #expect(try roundTrip(mask) == mask)
    }

    @Test func emptyAndZeroDimensionalTensorsRoundTrip() throws {
        #expect(try roundTrip(Tensor<Float>.zeros([3, 0, 2])).shape == [3, 0, 2])
        let scalar = try roundTrip(Tensor<Double>(scalar: 2.5))
        #expect(scalar.shape == [])
        #expect(scalar.scalar == 2.5)
    }

    @Test func nonContiguousTensorIsWrittenInLogicalOrder() throws {
        let matrix = Tensor<Int64>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(try roundTrip(matrix.transposed()) == Tensor(shape: [3, 2], scalars: [1, 4, 2, 5, 3, 6]))
    }

    @Test func writingLeavesOnlyTheFinalFile() throws {
        let url = directory.file("array.npy")
        try Tensor<Float>([1]).writeNumpy(to: url)
        try Tensor<Float>([2, 3]).writeNumpy(to: url)
        #expect(directory.contents == ["array.npy"])
        #expect(try Tensor<Float>(contentsOfNumpyFile: url).scalars == [2, 3])
    }

    @Test func headerTooLongForVersion1IsWrittenAsVersion2AlignedTo64() {
        let header = NumpyHeader.encoded(descr: "<f4", shape: Array(repeating: 1, count: 30_000))
        #expect(header[6] == 2)
        #expect(header.count % 64 == 0)
        #expect(header.last == UInt8(ascii: "\n"))
        let length = Int(header[8]) | Int(header[9]) << 8 | Int(header[10]) << 16 | Int(header[11]) << 24
        #expect(length == header.count - 12)
    }

    // MARK: Header parsing

    @Test func headerParsingToleratesSpacingQuotesAndKeyOrder() throws {
        let url = npyFile(header: "{ \"shape\" :( 2 ,1, ) ,'fortran_order':False,\"descr\":  '<i4'   }\n\t \n",
                          data: [1, 0, 0, 0, 254, 255, 255, 255])
        #expect(try Tensor<Int32>(contentsOfNumpyFile: url) == Tensor(shape: [2, 1], scalars: [1, -2]))
    }

    @Test func pythonTwoLongIntegersAndOneElementTuplesParse() throws {
        let url = npyFile(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (1L,), }\n", data: [0, 0, 0, 0, 0, 0, 240, 63])
        #expect(try Tensor<Double>(contentsOfNumpyFile: url).scalars == [1])
    }

    @Test func version3HeaderIsReadAsUTF8() throws {
        let url = npyFile(header: "{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }\n", data: [7, 9], version: 3)
        #expect(try Tensor<UInt8>(contentsOfNumpyFile: url).scalars == [7, 9])
    }

    @Test func float16DataWidensToFloat() throws {
        let url = npyFile(header: "{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }\n", data: [0x00, 0x3C, 0x00, 0xC0])
        #expect(try Tensor<Float>(contentsOfNumpyFile: url).scalars == [1, -2])
    }

    // MARK: Malformed and unsupported files

    @Test func missingMagicIsMalformed() {
        let url = directory.file("text.npy", bytes: Array("not numpy at all".utf8))
        expectMalformedFile(offset: 0, reason: "not a .npy file") { () throws(TensorError) in
            _ = try Tensor<Float>(contentsOfNumpyFile: url)
        }
    }

    @Test func unknownVersionIsMalformed() {
        let url = directory.file("v4.npy", bytes: NumpyHeader.magic + [4, 0, 0, 0])
        expectMalformedFile(offset: 6, reason: "unsupported .npy format version 4.0") { () throws(TensorError) in
            _ = try Tensor<Float>(contentsOfNumpyFile: url)
        }
    }

    @Test func headerLengthPastTheEndIsMalformed() {
        let url = directory.file("cut.npy", bytes: NumpyHeader.magic + [1, 0, 200, 0] + Array("{}".utf8))
        expectMalformedFile(offset: 8, reason: "runs past the end") { () throws(TensorError) in
            _ = try Tensor<Float>(contentsOfNumpyFile: url)
        }
    }

    @Test func headerThatIsNotADictionaryIsMalformed() {
        expectMalformedNumpy(header: "('<f4', False, (1,))", offset: 10, reason: "must be a Python dictionary, found a tuple")
        expectMalformedNumpy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), ", offset: 66,
                             reason: "found the end of the header")
        expectMalformedNumpy(header: "{'descr': '<f4} ", offset: 20, reason: "unterminated string")
        expectMalformedNumpy(header: "{'descr': '<f4'} x", offset: 27, reason: "after the header dictionary")
    }

    @Test func missingOrUnexpectedKeysAreMalformed() {
        expectMalformedNumpy(header: "{'descr': '<f4', 'fortran_order': False}", offset: 10, reason: "the header has no 'shape'")
        expectMalformedNumpy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (), 'x': 1}", offset: 64,
                             reason: "unexpected header key 'x'")
        expectMalformedNumpy(header: "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': ()}", offset: 27,
                             reason: "duplicate header key 'descr'")
    }

    @Test func badShapesAreMalformed() {
        expectMalformedNumpy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}", offset: 61,
                             reason: "non-negative integers, found the integer -1")
        expectMalformedNumpy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': [1]}", offset: 60,
                             reason: "shape must be a tuple")
        expectMalformedNumpy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}", offset: 61,
                             reason: "integer too large")
        expectMalformedNumpy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4294967296, 4294967296)}",
                             offset: 60, reason: "too many elements")
        expectMalformedNumpy(header: "{'descr': '<f4', 'fortran_order': 0, 'shape': ()}", offset: 44,
                             reason: "fortran_order must be True or False")
    }

    @Test func dataOfTheWrongLengthIsMalformed() {
        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n"
        expectMalformedNumpy(header: header, data: [0, 0, 0, 0], offset: 10 + 58,
                             reason: "holds 4 bytes but shape [2] of <f4 needs 8")
        expectMalformedNumpy(header: header, data: Array(repeating: 0, count: 9), offset: 10 + 58,
                             reason: "holds 9 bytes but shape [2] of <f4 needs 8")
    }

    @Test func unsupportedOrUnconvertibleDtypesThrowDtypeMismatch() throws {
        let bigEndian = npyFile(header: "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }\n", data: [63, 128, 0, 0])
        #expect(throws: TensorError.dtypeMismatch(expected: .float32, found: ">f4", context: bigEndian.path)) {
            try Tensor<Float>(contentsOfNumpyFile: bigEndian)
        }
        let structured = npyFile(header: "{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (1,), }\n",
                                 data: [0, 0, 0, 0])
        #expect(throws: TensorError.dtypeMismatch(expected: .float32, found: "a structured dtype", context: structured.path)) {
            try Tensor<Float>(contentsOfNumpyFile: structured)
        }
        let floats = try fixture("npy_f4")
        #expect(throws: TensorError.dtypeMismatch(expected: .int64, found: "<f4", context: floats.path)) {
            try Tensor<Int64>(contentsOfNumpyFile: floats)
        }
        #expect(throws: TensorError.self) { try Tensor<Int32>(contentsOfNumpyFile: fixture("npy_i8")) }
    }

    @Test func truncatedFilesThrowInsteadOfTrapping() throws {
        let original = try [UInt8](Data(contentsOf: fixture("npy_i8")))
        for length in 0..<original.count {
            let url = directory.file("cut.npy", bytes: Array(original.prefix(length)))
            #expect(throws: TensorError.self) { try Tensor<Int64>(contentsOfNumpyFile: url) }
        }
    }
}
