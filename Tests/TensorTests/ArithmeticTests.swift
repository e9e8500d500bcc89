import Testing
@testable import Tensor

@Suite struct ArithmeticTests {
    @Test func broadcastShapes() throws {
        #expect(try Broadcasting.shape([8, 4, 256], [4, 256]) == [8, 4, 256])
        #expect(try Broadcasting.shape([3, 1], [1, 4]) == [3, 4])
        #expect(try Broadcasting.shape([], [2, 3]) == [2, 3])
        #expect(try Broadcasting.shape([0, 1], [1, 5]) == [0, 5])
        #expect(throws: TensorError.self) { try Broadcasting.shape([2, 3], [4]) }
        #expect(throws: TensorError.self) { try Broadcasting.shape([2, 3], [3, 3]) }
    }

    @Test func broadcastAddMatchesHandComputed() {
        let a = Tensor<Float>(shape: [2, 1], scalars: [10, 20])
        let b = Tensor<Float>([1, 2, 3])
        #expect((a + b).scalars == [11, 12, 13, 21, 22, 23])
        #expect((b - a).scalars == [-9, -8, -7, -19, -18, -17])
        #expect((a * b).shape == [2, 3])
    }

    @Test func stridedAndContiguousPathsAgree() {
        let base = Tensor<Double>.arange(60).reshaped([3, 4, 5]) / 7
        let strided = base.permuted([2, 0, 1])
        let copy = strided.contiguous()
        let other = Tensor<Double>.arange(12).reshaped([3, 4]) + 1
        #expect((strided * other).scalars == (copy * other).scalars)
        #expect(strided.exp().scalars == copy.exp().scalars)
        #expect((strided / 3).scalars == (copy / 3).scalars)
    }

    @Test func scalarOperandsOnBothSides() {
        let t = Tensor<Float>([1, 2, 4])
        #expect((t + 1).scalars == [2, 3, 5])
        #expect((1 - t).scalars == [0, -1, -3])
        #expect((8 / t).scalars == [8, 4, 2])
        #expect((t * 0.5).scalars == [0.5, 1, 2])
    }

    @Test func inPlaceBroadcastsTheRightOperand() {
        var t = Tensor<Float>.zeros([2, 3])
        t += Tensor<Float>([1, 2, 3])
        t *= 2
        #expect(t.scalars == [2, 4, 6, 2, 4, 6])
    }

    @Test func inPlaceCannotGrowTheLeftOperand() async {
        await #expect(processExitsWith: .failure) {
            var t = Tensor<Float>.zeros([3])
            t += Tensor<Float>.zeros([2, 3])
        }
    }

    @Test func mismatchedShapesTrap() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor<Float>.zeros([2, 3]) + Tensor<Float>.zeros([4])
        }
    }

    @Test func integerArithmeticWraps() {
        let t = Tensor<Int64>([Int64.max, 7])
        #expect((t + 1).scalars == [Int64.min, 8])
        #expect((Tensor<Int32>([7, -7]) / 2).scalars == [3, -3])
        #expect(Tensor<Int64>([2, 3]).pow(Tensor<Int64>([10, 3])).scalars == [1024, 27])
    }

    @Test func unaryMath() {
        let t = Tensor<Double>([-1, 0, 2])
        #expect(t.relu().scalars == [0, 0, 2])
        #expect(t.abs().scalars == [1, 0, 2])
        #expect((-t).scalars == [1, 0, -2])
        #expect(t.clamped(min: -0.5, max: 1).scalars == [-0.5, 0, 1])
        #expect(t.pow(2).scalars == [1, 0, 4])
        #expect(t.exp().log().scalars.map { ($0 * 1e12).rounded() / 1e12 } == [-1, 0, 2])
        #expect(Tensor<Double>([4]).sqrt().scalar == 2)
        #expect(Tensor<Double>([0]).sigmoid().scalar == 0.5)
        #expect(abs(Tensor<Double>([1]).gelu().scalar - 0.8413447460685429) < 1e-15)
        #expect(abs(Tensor<Double>([0.5]).tanh().scalar - 0.46211715726000974) < 1e-15)
    }

    @Test func nanPropagatesThroughMaximumAndClamp() {
        let t = Tensor<Float>([.nan, 1])
        #expect(t.maximum(Tensor([0])).scalars[0].isNaN)
        #expect(t.clamped(min: 0).scalars[0].isNaN)
    }

    @Test func comparisonsAndWhere() {
        let a = Tensor<Float>([1, 2, 3])
        let mask = a .> Tensor<Float>([2])
        #expect(mask.scalars == [false, false, true])
        #expect((a .== Tensor([1, 0, 3])).scalars == [true, false, true])
        let chosen = Tensor<Float>.where(mask, a, Tensor<Float>([0]))
        #expect(chosen.scalars == [0, 0, 3])
        #expect(mask.logicalNot().scalars == [true, true, false])
    }

    @Test func creation() {
        #expect(Tensor<Float>.ones([2]).scalars == [1, 1])
        #expect(Tensor<Int64>.arange(2, 9, step: 3).scalars == [2, 5, 8])
        #expect(Tensor<Double>.linspace(0, 1, count: 5).scalars == [0, 0.25, 0.5, 0.75, 1])
        #expect(Tensor<Float>.eye(2).scalars == [1, 0, 0, 1])
        #expect(Tensor<Float>(nested: [[1, 2], [3, 4]]).shape == [2, 2])
        #expect(Tensor<Float>(nested: [[[1], [2]]]).shape == [1, 2, 1])
        #expect(Tensor<Float>.full([0, 3], value: 1).count == 0)
        #expect(Tensor<Int64>([1, 2]).converted(to: Float.self).scalars == [1, 2])
    }

    @Test func largeElementwiseIsIndependentOfThreadCount() {
        let n = 1 << 18
        let a = Tensor<Float>.arange(Float(n)) / 1000
        let b = Tensor<Float>.arange(Float(n)).reshaped([512, 512]).transposed() / 3
        let single = withMaximumThreadCount(1) { (a.reshaped([512, 512]) * b).exp().scalars }
        let multi = withMaximumThreadCount(4) { (a.reshaped([512, 512]) * b).exp().scalars }
        #expect(single == multi)
    }
}
