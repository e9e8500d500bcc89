import Testing
@testable import Tensor

struct StorageAllocatorTests {
    @Test func zerosInAReusedLargeBufferAreZero() {
        let shape = [1024, 1024]   // 4 MiB: cached when freed
        do {
            let filled = Tensor<Float>.full(shape, value: 3)
            #expect(filled.scalars.allSatisfy { $0 == 3 })
        }
        let zeros = Tensor<Float>.zeros(shape)
        #expect(zeros.scalars.allSatisfy { $0 == 0 })
    }

    @Test func midSizedBuffersAreAlignedWrittenAndCachedWithinTheLimit() {
        // 16 KiB to 1 MiB: rounded to a size class, 64-byte aligned, kept when freed, at most
        // `cachedBufferLimit` at a time however many are freed.
        var buffers: [(UnsafeMutableRawPointer, Int)] = []
        for index in 0..<(StorageAllocator.cachedBufferLimit + 20) {
            let byteCount = StorageAllocator.cachedByteCount + index * 1000
            let buffer = StorageAllocator.allocate(byteCount: byteCount)
            #expect(Int(bitPattern: buffer) % 64 == 0)
            buffer.initializeMemory(as: UInt8.self, repeating: UInt8(index % 251), count: byteCount)
            buffers.append((buffer, byteCount))
        }
        for (index, (buffer, byteCount)) in buffers.enumerated() {
            let bytes = buffer.assumingMemoryBound(to: UInt8.self)
            #expect(bytes[0] == UInt8(index % 251) && bytes[byteCount - 1] == UInt8(index % 251))
        }
        for (buffer, byteCount) in buffers { StorageAllocator.deallocate(buffer, byteCount: byteCount) }
        #expect(StorageAllocator.cachedBufferCount <= StorageAllocator.cachedBufferLimit)
    }

    @Test func midSizedRequestsShareFewSizeClasses() {
        #expect(StorageAllocator.roundedByteCount(16 << 10) == 16 << 10)
        #expect(StorageAllocator.roundedByteCount((16 << 10) + 1) == 20 << 10)
        #expect(StorageAllocator.roundedByteCount(600_000) == 640 << 10)
        #expect(StorageAllocator.roundedByteCount(700_000) == 768 << 10)
        #expect(StorageAllocator.roundedByteCount(1 << 20) == 2 << 20)
        for byteCount in stride(from: 16 << 10, to: 1 << 20, by: 777) {
            let rounded = StorageAllocator.roundedByteCount(byteCount)
            #expect(rounded >= byteCount && rounded * 4 <= byteCount * 5 + 4 * 4096 && rounded % 4096 == 0, "\(byteCount)")
        }
    }

    @Test func tensorsInReusedMidSizedBuffersHoldTheirOwnValues() {
        for round in 0..<4 {
            let filled = Tensor<Float>.full([64, 100], value: Float(round))   // 25.6 KB
            #expect(filled.scalars.allSatisfy { $0 == Float(round) })
        }
        #expect(Tensor<Float>.zeros([64, 100]).scalars.allSatisfy { $0 == 0 })
    }

    @Test func fullWritesNonByteRepeatingValues() {
        #expect(Tensor<Double>.full([5], value: -1.5).scalars == [-1.5, -1.5, -1.5, -1.5, -1.5])
        #expect(Tensor<Int64>.full([3], value: 258).scalars == [258, 258, 258])
        #expect(Tensor<Bool>.full([2], value: true).scalars == [true, true])
    }
}
