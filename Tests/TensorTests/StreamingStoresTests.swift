import Testing
@testable import Tensor

struct StreamingStoresTests {
    /// Every start offset modulo 16 bytes and lengths around the 4-float step.
    static let offsets = Array(0..<4), counts = [0, 1, 3, 4, 5, 7, 8, 9, 31, 64, 67]

    @Test func copyAndSumsEqualPlainLoopsAtEveryAlignment() {
        let source = (0..<96).map { Float($0) * 1.5 - 7 }, other = (0..<96).map { Float($0) * -0.25 + 3 }
        for offset in Self.offsets {
            for count in Self.counts {
                var copied = [Float](repeating: .nan, count: 96), summed = [Float](repeating: .nan, count: 96)
                source.withUnsafeBufferPointer { source in
                    other.withUnsafeBufferPointer { other in
                        copied.withUnsafeMutableBufferPointer { copied in
                            StreamingStores.copy(source.baseAddress! + 2, into: copied.baseAddress! + offset, count: count)
                        }
                        summed.withUnsafeMutableBufferPointer { summed in
                            StreamingStores.storeSums(source.baseAddress! + 1, other.baseAddress! + 3,
                                                      into: summed.baseAddress! + offset, count: count)
                        }
                    }
                }
                StreamingStores.fence()
                for i in 0..<96 {
                    let inside = i >= offset && i < offset + count
                    #expect(inside ? copied[i] == source[i - offset + 2] : copied[i].isNaN, "offset \(offset) count \(count)")
                    #expect(inside ? summed[i] == source[i - offset + 1] + other[i - offset + 3] : summed[i].isNaN,
                            "offset \(offset) count \(count)")
                }
            }
        }
    }

    @Test func byteCopyMovesEveryByteAtEveryAlignment() {
        let source = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for offset in 0..<16 {
            for count in [0, 1, 15, 16, 17, 33, 100, 150] {
                var copied = [UInt8](repeating: 0xEE, count: 200)
                source.withUnsafeBytes { source in
                    copied.withUnsafeMutableBytes { copied in
                        StreamingStores.copyBytes(source.baseAddress! + 5, into: copied.baseAddress! + offset, byteCount: count)
                    }
                }
                StreamingStores.fence()
                #expect(Array(copied[offset..<(offset + count)]) == Array(source[5..<(5 + count)]))
                #expect(copied[..<offset].allSatisfy { $0 == 0xEE } && copied[(offset + count)...].allSatisfy { $0 == 0xEE })
            }
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
