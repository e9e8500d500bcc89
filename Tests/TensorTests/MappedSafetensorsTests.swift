import Foundation
import Synchronization
import Testing
@testable import Tensor

/// Safetensors files opened by mapping (the default): tensors in their stored type borrow the
/// mapped pages, with copy-on-write; others convert from the mapping.
@Suite struct MappedSafetensorsTests {
    let directory = IOTestDirectory()

    private func table(_ rows: Int, _ columns: Int) -> Tensor<Float> {
        Tensor(shape: [rows, columns], scalars: (0..<(rows * columns)).map { Float($0) * 0.25 - 3 })
    }

    @Test func aTensorInItsStoredTypeBorrowsTheMapping() throws {
        let url = directory.file("table.safetensors")
        let original = table(300, 40)
        try SafetensorsFile.write(["w": original], to: url)
        let file = try SafetensorsFile(contentsOf: url)
        let w = try file.tensor(named: "w")
        #expect(w.storage.isWritable == false)
        #expect(w == original)
        // Asked for in another type, the elements are converted into storage of their own.
        let wide = try file.tensor(named: "w", as: Double.self)
        #expect(wide.storage.isWritable)
        #expect(wide.scalars == original.scalars.map(Double.init))
        // Read by copying, nothing is borrowed.
        let copied = try SafetensorsFile(contentsOf: url, reading: .copied).tensor(named: "w")
        #expect(copied.storage.isWritable)
        #expect(copied == original)
    }

    @Test func writingABorrowedTensorCopiesAndLeavesTheFileAlone() throws {
        let url = directory.file("table.safetensors")
        let original = table(64, 16)
        try SafetensorsFile.write(["w": original], to: url)
        let before = try Data(contentsOf: url)
        let file = try SafetensorsFile(contentsOf: url)
        var first = try file.tensor(named: "w")
        let second = try file.tensor(named: "w")
        first[element: [0, 0]] = 100
        first.formApplying(.multiply, scalar: 2)
        #expect(first.storage.isWritable)
        #expect(first[element: [0, 0]] == 200)
        #expect(second == original)
        #expect(try file.tensor(named: "w") == original)
        #expect(try Data(contentsOf: url) == before)
    }

    @Test func theMappingOutlivesTheFileValue() throws {
        let url = directory.file("table.safetensors")
        let original = table(128, 8)
        try SafetensorsFile.write(["w": original], to: url)
        let w = try SafetensorsFile(contentsOf: url).tensor(named: "w")
        // The file value is gone, and so is the file's name; the tensor still reads its pages.
        try FileManager.default.removeItem(at: url)
        #expect(w == original)
        #expect(w.transposed().contiguous().transposed() == original)
    }

    @Test func misalignedTensorsAreConvertedInsteadOfBorrowed() throws {
        // One byte of U8 first puts the F32 and F16 data at odd offsets.
        let floats: [Float] = [1.5, -2, 3.25]
        let halves: [UInt16] = [0x3C00, 0xC000, 0x7E01]   // 1, -2, a NaN with a payload
        var payload: [UInt8] = [7]
        for value in floats { payload += withUnsafeBytes(of: value.bitPattern.littleEndian, Array.init) }
        for bits in halves { payload += withUnsafeBytes(of: bits.littleEndian, Array.init) }
        let header = #"{"b":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"#
            + #""f":{"dtype":"F32","shape":[3],"data_offsets":[1,13]},"#
            + #""h":{"dtype":"F16","shape":[3],"data_offsets":[13,19]}}"#
        let url = directory.file("odd.safetensors", bytes: safetensorsFileBytes(header: header, payload: payload))
        let file = try SafetensorsFile(contentsOf: url)
        let f = try file.tensor(named: "f")
        #expect(f.storage.isWritable)
        #expect(f.scalars == floats)
        let h = try file.tensor(named: "h").scalars.map(\.bitPattern)
        #expect(h == halves.map { HalfPrecision.float(fromHalfBits: $0).bitPattern })
        #expect(try file.tensor(named: "b", as: UInt8.self).scalars == [7])
    }

    @Test(arguments: InstructionSet.supported)
    func everyHalfAndBFloat16BitPatternWidensAsTheReference(level: InstructionSet) throws {
        let patterns = (0...UInt16.max).map { $0 }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(patterns.count * 2)
        for bits in patterns { bytes += [UInt8(truncatingIfNeeded: bits), UInt8(bits >> 8)] }
        let shape = "[\(patterns.count)]", end = patterns.count * 2
        let header = #"{"h":{"dtype":"F16","shape":"# + shape + #","data_offsets":[0,"# + "\(end)" + #"]},"#
            + #""b":{"dtype":"BF16","shape":"# + shape + #","data_offsets":["# + "\(end),\(2 * end)" + #"]}}"#
        let url = directory.file("patterns.safetensors", bytes: safetensorsFileBytes(header: header, payload: bytes + bytes))
        for reading in [SafetensorsFile.Reading.mapped, .copied] {
            let file = try SafetensorsFile(contentsOf: url, reading: reading)
            let (halves, bfloats) = try withInstructionSet(level) { () throws(TensorError) in
                (try file.tensor(named: "h").scalars, try file.tensor(named: "b").scalars)
            }
            #expect(halves.map(\.bitPattern) == patterns.map { HalfPrecision.float(fromHalfBits: $0).bitPattern })
            #expect(bfloats.map(\.bitPattern) == patterns.map { HalfPrecision.float(fromBFloat16Bits: $0).bitPattern })
        }
    }

    @Test func conversionFromTheMappingDoesNotDependOnTheThreadCount() throws {
        let url = directory.file("table.safetensors")
        let values = Tensor<Float>.randn([700, 300], generator: Generator(seed: 5))
        try SafetensorsFile.write(["h": SafetensorsEntry.bfloat16(values)], to: url)
        let file = try SafetensorsFile(contentsOf: url)
        // The conversion runs on first use, so each reads its elements inside its thread limit.
        let one = try withMaximumThreadCount(1) { () throws(TensorError) in try file.tensor(named: "h").scalars }
        let four = try withMaximumThreadCount(4) { () throws(TensorError) in try file.tensor(named: "h").scalars }
        #expect(one.map(\.bitPattern) == four.map(\.bitPattern))
    }

    @Test func aConvertedTensorIsConvertedOnFirstUseNotWhenAskedFor() throws {
        let url = directory.file("table.safetensors")
        let values = Tensor<Float>.randn([500, 64], generator: Generator(seed: 9))
        try SafetensorsFile.write(["h": SafetensorsEntry.bfloat16(values)], to: url)
        let expected = try SafetensorsFile(contentsOf: url, reading: .copied).tensor(named: "h")
        let file = try SafetensorsFile(contentsOf: url)
        let h = try file.tensor(named: "h")
        #expect(h.storage.elementsAreDeferred)
        #expect(h.shape == [500, 64])   // the shape needs no elements
        #expect(h.storage.elementsAreDeferred)
        // A view reads through the same storage, and the first read converts all of it, once.
        let column = h.transposed()[3]
        #expect(column.scalars == (0..<500).map { expected[element: [$0, 3]] })
        #expect(h.storage.elementsAreDeferred == false)
        #expect(h.scalars.map(\.bitPattern) == expected.scalars.map(\.bitPattern))
        // Dropping a tensor that was never read converts nothing and leaves the file alone.
        _ = try file.tensor(named: "h")
        #expect(try file.tensor(named: "h").scalars.map(\.bitPattern) == expected.scalars.map(\.bitPattern))
    }

    @Test func aWriteBeforeAnyReadKeepsTheOtherConvertedElements() throws {
        let url = directory.file("table.safetensors")
        let values = table(64, 32)
        try SafetensorsFile.write(["h": SafetensorsEntry.float16(values)], to: url)
        let file = try SafetensorsFile(contentsOf: url)
        var h = try file.tensor(named: "h")
        let untouched = try file.tensor(named: "h")
        h[element: [0, 0]] = 100
        #expect(h[element: [0, 0]] == 100)
        #expect(Array(h.scalars.dropFirst()) == Array(values.scalars.dropFirst()))
        #expect(untouched == values)
    }

    @Test func overwritingEveryElementSkipsTheConversion() throws {
        let url = directory.file("table.safetensors")
        try SafetensorsFile.write(["h": SafetensorsEntry.bfloat16(table(40, 8))], to: url)
        let file = try SafetensorsFile(contentsOf: url)
        let replacement = Tensor<Float>.ones([40, 8])
        var copied = try file.tensor(named: "h")
        copied.copy(from: replacement)
        #expect(copied == replacement)
        var filled = try file.tensor(named: "h")
        filled.fillUniform(from: 0, to: 1, generator: Generator(seed: 3))
        #expect(filled == Tensor<Float>.rand([40, 8], generator: Generator(seed: 3)))
        // A write to some elements still converts the others first.
        var partly = try file.tensor(named: "h")
        partly[element: [0, 0]] = 7
        #expect(Array(partly.scalars.dropFirst()) == Array(try file.tensor(named: "h").scalars.dropFirst()))

        // And the skipped conversion never runs: storage whose deferred write records that it ran.
        let ran = Atomic<Int>(0)
        func deferred() -> Tensor<Float> {
            let storage = TensorStorage<Float>(uninitializedCount: 6) { address in
                ran.wrappingAdd(1, ordering: .relaxed)
                address.initializeMemory(as: Float.self, repeating: 2, count: 6)
            }
            return Tensor(storage: storage, layout: Layout(contiguous: [2, 3]))
        }
        var overwritten = deferred()
        overwritten.copy(from: Tensor<Float>.zeros([2, 3]))
        overwritten.fillNormal(mean: 0, std: 1, generator: Generator(seed: 1))
        #expect(ran.load(ordering: .relaxed) == 0)
        var read = deferred()
        #expect(read.scalars == [2, 2, 2, 2, 2, 2])
        read[element: [1, 2]] = 5
        #expect(read.scalars == [2, 2, 2, 2, 2, 5])
        #expect(ran.load(ordering: .relaxed) == 1)
    }

    @Test func threadsThatFirstUseAConvertedTensorTogetherAllSeeItConverted() throws {
        let url = directory.file("table.safetensors")
        let values = Tensor<Float>.randn([2000, 100], generator: Generator(seed: 11))
        try SafetensorsFile.write(["h": SafetensorsEntry.bfloat16(values)], to: url)
        let expected = try SafetensorsFile(contentsOf: url, reading: .copied).tensor(named: "h").scalars
        for _ in 0..<5 {
            let shared = try SafetensorsFile(contentsOf: url).tensor(named: "h")
            let sums = Mutex([Float?](repeating: nil, count: 8))
            DispatchQueue.concurrentPerform(iterations: 8) { thread in
                // Half the threads read elements directly, half through a kernel on a view.
                let sum = thread.isMultiple(of: 2) ? shared.scalars.reduce(0, +)
                                                   : shared.reshaped([200_000]).scalars.reduce(0, +)
                sums.withLock { $0[thread] = sum }
            }
            let reference = expected.reduce(0, +)
            #expect(sums.withLock { $0 }.allSatisfy { $0 == reference })
        }
    }

    @Test func aMappedFileThatShrinksFaultsWhenItsLostPagesAreRead() async {
        // What the documentation promises: a mapped file must not shrink under live tensors. The
        // lost pages fault on reading, in this program as in any other that maps files.
        await #expect(processExitsWith: .failure) {
            let directory = IOTestDirectory()
            let url = directory.file("shrinking.safetensors")
            try SafetensorsFile.write(["w": Tensor<Float>.zeros([1 << 20])], to: url)
            let w = try SafetensorsFile(contentsOf: url).tensor(named: "w")
            let handle = try FileHandle(forWritingTo: url)
            try handle.truncate(atOffset: 100)
            try handle.close()
            _ = w.scalars
        }
    }
}
