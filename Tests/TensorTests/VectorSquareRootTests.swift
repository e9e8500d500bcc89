import Testing
@testable import Tensor

struct VectorSquareRootTests {
    @Test func equalsScalarSquareRootsBitForBitAtEveryLength() {
        let special: [Float] = [0, -0.0, 1, 2, 0.25, -1, .infinity, -.infinity, .nan, .leastNonzeroMagnitude,
                                .leastNormalMagnitude, .greatestFiniteMagnitude, 1e-30, 3.0000002]
        let random = Tensor<Float>.rand([50], generator: Generator(seed: 9)).scalars.map { $0 * 100 }
        let inputs = special + random
        for count in [0, 1, 3, 4, 5, 13, inputs.count] {
            var values = Array(inputs.prefix(count))
            values.withUnsafeMutableBufferPointer { buffer in
                if let base = buffer.baseAddress { VectorSquareRoot.formSquareRoots(base, count: count) }
            }
            let expected = inputs.prefix(count).map { $0.squareRoot() }
            for (value, reference) in zip(values, expected) {
                #expect(value.bitPattern == reference.bitPattern || (value.isNaN && reference.isNaN), "count \(count)")
            }
        }
    }
}
