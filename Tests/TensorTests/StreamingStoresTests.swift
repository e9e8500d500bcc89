import Testing
@testable import Tensor
import TensorSIMD

/// The row kernels' streamed and ordinary stores, at every instruction-set level this CPU runs.
struct StreamingStoresTests {
    /// Every start offset within a 64-byte vector and lengths around each level's vector width.
    static let offsets = Array(0..<16), counts = [0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 67]

    @Test(arguments: InstructionSet.supported, [Int32(0), 1])
    func sumsEqualPlainLoopsAtEveryAlignment(level: InstructionSet, stream: Int32) {
        let kernels = level.kernels
        let source = (0..<128).map { Float($0) * 1.5 - 7 }, other = (0..<128).map { Float($0) * -0.25 + 3 }
        for offset in Self.offsets {
            for count in Self.counts {
                var summed = [Float](repeating: .nan, count: 128)
                source.withUnsafeBufferPointer { source in
                    other.withUnsafeBufferPointer { other in
                        summed.withUnsafeMutableBufferPointer { summed in
                            kernels.pointee.rows.add_f32(summed.baseAddress! + offset, source.baseAddress! + 1,
                                                    other.baseAddress! + 3, count, stream)
                        }
                    }
                }
                kernels.pointee.rows.store_fence()
                for i in 0..<128 {
                    let inside = i >= offset && i < offset + count
                    #expect(inside ? summed[i] == source[i - offset + 1] + other[i - offset + 3] : summed[i].isNaN,
                            "offset \(offset) count \(count)")
                }
            }
        }
    }

    @Test(arguments: InstructionSet.supported, [Int32(0), 1])
    func byteCopyMovesEveryByteAtEveryAlignment(level: InstructionSet, stream: Int32) {
        let kernels = level.kernels
        let source = (0..<400).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for offset in 0..<64 {
            for count in [0, 1, 15, 16, 17, 33, 63, 64, 65, 100, 150, 300] {
                var copied = [UInt8](repeating: 0xEE, count: 400)
                source.withUnsafeBytes { source in
                    copied.withUnsafeMutableBytes { copied in
                        kernels.pointee.rows.copy_bytes(copied.baseAddress! + offset, source.baseAddress! + 5, count, stream)
                    }
                }
                kernels.pointee.rows.store_fence()
                #expect(Array(copied[offset..<(offset + count)]) == Array(source[5..<(5 + count)]))
                #expect(copied[..<offset].allSatisfy { $0 == 0xEE } && copied[(offset + count)...].allSatisfy { $0 == 0xEE })
            }
        }
    }

    @Test(arguments: InstructionSet.supported)
    func gathersCopyAndAddTheNamedRows(level: InstructionSet) {
        let kernels = level.kernels
        let width = 13, table = (0..<(7 * width)).map { Float($0) * 0.5 - 3 }
        let positions = (0..<(3 * width)).map { Float($0) * -0.125 }
        let rows: [Int64] = [6, 0, 0, 3, 5, 1, 6]
        for stream in [Int32(0), 1] {
            var gathered = [Float](repeating: .nan, count: rows.count * width)
            var added = gathered
            // Rows 2..<7 of the output, whose positions start at row 2 % 3.
            kernels.pointee.rows.gather_rows(&gathered, table, rows, rows.count, width * 4, stream)
            added.withUnsafeMutableBufferPointer { added in
                kernels.pointee.rows.gather_rows_adding_f32(added.baseAddress! + 2 * width, table, Array(rows[2...]),
                                                       rows.count - 2, width, positions, 3, 2, stream)
            }
            kernels.pointee.rows.store_fence()
            for (r, id) in rows.enumerated() {
                for c in 0..<width {
                    #expect(gathered[r * width + c] == table[Int(id) * width + c])
                    if r >= 2 {
                        #expect(added[r * width + c] == table[Int(id) * width + c] + positions[(r % 3) * width + c])
                    }
                }
            }
            #expect(added[..<(2 * width)].allSatisfy { $0.isNaN })
        }
    }

    @Test func largeTensorCopiesAreStreamedAndExact() {
        // 5 Mi floats (20 MiB): above the streaming threshold, split across threads.
        let count = 5 << 20
        #expect(StreamingStores.pays(count: count, of: Float.self))
        let source = Tensor<Float>.randn([count], generator: Generator(seed: 3))
        var destination = Tensor<Float>.zeros([count])
        destination.copy(from: source)
        #expect(destination == source)
        let doubles = Tensor<Double>(source.scalars.map(Double.init))
        var copiedDoubles = Tensor<Double>.zeros([count])
        copiedDoubles.copy(from: doubles)
        #expect(copiedDoubles == doubles)
    }

    @Test func largeBroadcastSumsAreStreamedAndExact() {
        // [5, 1024, 1001] + [1024, 1001]: 20 MB out, rows of odd width so runs start off alignment.
        let batch = Tensor<Float>.randn([5, 1024, 1001], generator: Generator(seed: 4))
        let positions = Tensor<Float>.randn([1024, 1001], generator: Generator(seed: 5))
        #expect(StreamingStores.pays(count: batch.count, of: Float.self))
        let sum = (batch + positions).scalars
        let b = batch.scalars, p = positions.scalars
        var mismatches = 0
        for i in sum.indices where sum[i] != b[i] + p[i % p.count] { mismatches += 1 }
        #expect(mismatches == 0)
    }
}
