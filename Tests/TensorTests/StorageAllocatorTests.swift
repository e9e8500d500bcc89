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

    @Test func fullWritesNonByteRepeatingValues() {
        #expect(Tensor<Double>.full([5], value: -1.5).scalars == [-1.5, -1.5, -1.5, -1.5, -1.5])
        #expect(Tensor<Int64>.full([3], value: 258).scalars == [258, 258, 258])
        #expect(Tensor<Bool>.full([2], value: true).scalars == [true, true])
    }
}
