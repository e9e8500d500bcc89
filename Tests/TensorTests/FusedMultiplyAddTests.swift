import Testing
@testable import Tensor

struct FusedMultiplyAddTests {
    @Test func unflaggedResultsEqualTheLibraryFusedMultiplyAdd() {
        let generator = Generator(seed: 7)
        let values = Tensor<Float>.randn([3, 4096], generator: generator).scalars
        var flagged = 0
        for i in 0..<4096 {
            let a = values[i], b = values[4096 + i], c = values[8192 + i]
            var ambiguous: UInt32 = 0
            let result = FloatFusedMultiplyAdd.multiplyAdd(a, b, c, ambiguous: &ambiguous)
            if !FloatFusedMultiplyAdd.isAmbiguous(ambiguous) {
                #expect(result.bitPattern == c.addingProduct(a, b).bitPattern)
            } else {
                flagged += 1
            }
        }
        #expect(flagged < 4)
    }

    @Test func doubleSumRoundedOntoAFloatMidpointIsFlagged() {
        var ambiguous: UInt32 = 0
        // (1 + 2⁻²³) + (2⁻²⁴ − 2⁻⁶⁰) rounds in double to the midpoint 1 + 2⁻²³ + 2⁻²⁴, which rounds
        // to even upwards, while the exact value rounds down.
        let result = FloatFusedMultiplyAdd.multiplyAdd(1 + 0x1p-18, 0x1p-24 * (1 - 0x1p-18), 1 + 0x1p-23,
                                                       ambiguous: &ambiguous)
        #expect(FloatFusedMultiplyAdd.isAmbiguous(ambiguous))
        #expect(result != FloatFusedMultiplyAdd.exactMultiplyAdd(1 + 0x1p-18, 0x1p-24 * (1 - 0x1p-18), 1 + 0x1p-23))
    }

    @Test func exactDoubleSumOnAMidpointIsNotFlagged() {
        var ambiguous: UInt32 = 0
        // 1 + 2⁻²⁴ is a midpoint, but exact in double, so rounding it to float is the fused result.
        _ = FloatFusedMultiplyAdd.multiplyAdd(0x1p-12, 0x1p-12, 1, ambiguous: &ambiguous)
        #expect(!FloatFusedMultiplyAdd.isAmbiguous(ambiguous))
    }

    @Test func roundedSubnormalResultIsFlagged() {
        var ambiguous: UInt32 = 0
        _ = FloatFusedMultiplyAdd.multiplyAdd(1e-30, 1e-30, Float(bitPattern: 0x000A_3C8F), ambiguous: &ambiguous)
        #expect(FloatFusedMultiplyAdd.isAmbiguous(ambiguous))
    }

    @Test func zeroAndOrdinaryResultsAreNotFlagged() {
        var ambiguous: UInt32 = 0
        _ = FloatFusedMultiplyAdd.multiplyAdd(0, 3, 0, ambiguous: &ambiguous)
        _ = FloatFusedMultiplyAdd.multiplyAdd(1.5, 2.25, -0.125, ambiguous: &ambiguous)
        #expect(!FloatFusedMultiplyAdd.isAmbiguous(ambiguous))
    }

    @Test func tieFlaggingCheckAgreesWithTheLibraryWhereverItDoesNotFlag() {
        let generator = Generator(seed: 8)
        let values = Tensor<Float>.randn([3, 4096], generator: generator).scalars
        var flagged = 0
        for i in 0..<4096 {
            // An SGD-like update: parameter − 0.1·gradient.
            let a = values[i], b: Float = -0.1, c = values[8192 + i]
            var ambiguous: UInt32 = 0
            let result = TieFlaggingFusedMultiplyAdd.multiplyAdd(a, b, c, ambiguous: &ambiguous)
            if FloatFusedMultiplyAdd.isAmbiguous(ambiguous) {
                flagged += 1
            } else {
                #expect(result.bitPattern == c.addingProduct(a, b).bitPattern)
            }
        }
        #expect(flagged < 4)
    }

    @Test func tieFlaggingCheckFlagsExactTiesRoundedSumsAndTinyResults() {
        var exactTie: UInt32 = 0, roundedTie: UInt32 = 0, subnormal: UInt32 = 0, ordinary: UInt32 = 0
        // 1 + 2⁻²⁴ is an exact midpoint: flagged, though rounding it is correct.
        _ = TieFlaggingFusedMultiplyAdd.multiplyAdd(0x1p-12, 0x1p-12, 1, ambiguous: &exactTie)
        _ = TieFlaggingFusedMultiplyAdd.multiplyAdd(1 + 0x1p-18, 0x1p-24 * (1 - 0x1p-18), 1 + 0x1p-23,
                                                    ambiguous: &roundedTie)
        _ = TieFlaggingFusedMultiplyAdd.multiplyAdd(1e-30, 1e-30, Float(bitPattern: 0x000A_3C8F), ambiguous: &subnormal)
        _ = TieFlaggingFusedMultiplyAdd.multiplyAdd(0, 3, 0, ambiguous: &ordinary)
        _ = TieFlaggingFusedMultiplyAdd.multiplyAdd(1.5, 2.25, -0.125, ambiguous: &ordinary)
        _ = TieFlaggingFusedMultiplyAdd.multiplyAdd(-0.0, 0.1, -0.0, ambiguous: &ordinary)
        #expect(FloatFusedMultiplyAdd.isAmbiguous(exactTie))
        #expect(FloatFusedMultiplyAdd.isAmbiguous(roundedTie))
        #expect(FloatFusedMultiplyAdd.isAmbiguous(subnormal))
        #expect(!FloatFusedMultiplyAdd.isAmbiguous(ordinary))
    }

    /// y = a·x + y over a few floats, recording which strategies ran.
    private final class StrategyLog { var names: [String] = [] }
    private struct LoggedAxpy: FusedRoundingBlock {
        let a: Float, x: [Float], y: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
        let log: StrategyLog
        func compute<F: MultiplyAddStrategy>(with strategy: F.Type, inPlace: Bool) -> UInt32 {
            log.names.append("\(F.self)\(inPlace ? " in place" : "")")
            var ambiguous: UInt32 = 0
            let output = inPlace ? y : scratch
            for i in x.indices { output[i] = F.multiplyAdd(a, x[i], y[i], ambiguous: &ambiguous) }
            return ambiguous
        }
        func commit() {
            log.names.append("commit")
            y.update(from: scratch, count: x.count)
        }
    }

    @Test(arguments: [
        // Ordinary values: the first strategy is certain.
        (Float(0.1), [Float(1.5), -2.25], [Float(0.75), 3], ["TieFlaggingFusedMultiplyAdd", "commit"]),
        // An exact tie (1 + 2⁻²⁴): flagged first, cleared by the two-sum check.
        (Float(0x1p-12), [Float(0x1p-12)], [Float(1)],
         ["TieFlaggingFusedMultiplyAdd", "DoubleRoundedFusedMultiplyAdd", "commit"]),
        // A double sum rounded onto a midpoint: only the library fma is certain.
        (Float(1 + 0x1p-18), [Float(0x1p-24 * (1 - 0x1p-18))], [Float(1 + 0x1p-23)],
         ["TieFlaggingFusedMultiplyAdd", "DoubleRoundedFusedMultiplyAdd", "LibraryFusedMultiplyAdd in place"]),
    ])
    func roundingBlocksUseTheCheapestCertainStrategy(a: Float, x: [Float], y: [Float], expected: [String]) {
        var values = y, scratch = [Float](repeating: .nan, count: y.count)
        let log = StrategyLog()
        values.withUnsafeMutableBufferPointer { values in
            scratch.withUnsafeMutableBufferPointer { scratch in
                LoggedAxpy(a: a, x: x, y: values.baseAddress!, scratch: scratch.baseAddress!, log: log).evaluate()
            }
        }
        #expect(log.names == expected)
        #expect(values.map(\.bitPattern) == zip(x, y).map { $1.addingProduct(a, $0).bitPattern })
    }

    @Test func uninitialisedConstructorKeepsWhatTheClosureWrites() {
        let tensor = Tensor<Float>(unsafeUninitializedShape: [2, 2]) { buffer in
            for i in buffer.indices { buffer[i] = Float(i) }
        }
        #expect(tensor.shape == [2, 2])
        #expect(tensor.scalars == [0, 1, 2, 3])
    }
}
