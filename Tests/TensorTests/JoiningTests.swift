import Testing
@testable import Tensor

@Suite struct JoiningTests {
    let top = Tensor<Float>(shape: [1, 2], scalars: [1, 2])
    let bottom = Tensor<Float>(shape: [2, 2], scalars: [3, 4, 5, 6])

    @Test func concatenatedAlongTheFirstAxis() {
        let joined = Tensor.concatenated([top, bottom])
        #expect(joined.shape == [3, 2])
        #expect(joined.scalars == [1, 2, 3, 4, 5, 6])
    }

    @Test func concatenatedAlongTheLastAxis() {
        let joined = Tensor.concatenated([bottom, bottom * 10], axis: -1)
        #expect(joined.shape == [2, 4])
        #expect(joined.scalars == [3, 4, 30, 40, 5, 6, 50, 60])
        #expect(Tensor.concatenated([bottom, bottom], axis: 1).scalars == [3, 4, 3, 4, 5, 6, 5, 6])
    }

    @Test func concatenatedAlongAMiddleAxis() {
        let a = Tensor<Int64>.arange(12).reshaped([2, 3, 2])
        let b = Tensor<Int64>.arange(4).reshaped([2, 1, 2]) + 100
        let joined = Tensor.concatenated([a, b], axis: 1)
        #expect(joined.shape == [2, 4, 2])
        #expect(joined.scalars == [0, 1, 2, 3, 4, 5, 100, 101, 6, 7, 8, 9, 10, 11, 102, 103])
    }

    @Test func nonContiguousInputsMatchTheirContiguousCopies() {
        let base = Tensor<Float>.arange(24).reshaped([4, 6])
        let parts = [base.transposed()[0..<3], Tensor<Float>.arange(4).reshaped([1, 4]).expanded(to: [2, 4]),
                     base[.all, .range(0..<6, step: 2)].transposed()]
        #expect(Tensor.concatenated(parts) == Tensor.concatenated(parts.map { $0.contiguous() }))
        #expect(Tensor.concatenated(parts).shape == [8, 4])
    }

    @Test func emptyPartsContributeNothing() {
        let joined = Tensor.concatenated([Tensor<Float>.zeros([0, 2]), top, Tensor<Float>.zeros([0, 2])])
        #expect(joined == top)
    }

    @Test func boolTensorsConcatenate() {
        let joined = Tensor.concatenated([Tensor<Bool>([true]), Tensor<Bool>([false, true])])
        #expect(joined.scalars == [true, false, true])
    }

    @Test func stackedInsertsANewAxis() {
        let a = Tensor<Float>([1, 2]), b = Tensor<Float>([3, 4])
        #expect(Tensor.stacked([a, b]) == Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
        #expect(Tensor.stacked([a, b], axis: 1) == Tensor(shape: [2, 2], scalars: [1, 3, 2, 4]))
        #expect(Tensor.stacked([a, b], axis: -1) == Tensor.stacked([a, b], axis: 1))
        #expect(Tensor.stacked([Tensor<Float>(scalar: 7), Tensor(scalar: 8)]) == Tensor([7, 8]))
        #expect(Tensor.stacked([bottom, bottom], axis: 2).shape == [2, 2, 2])
    }

    @Test func mismatchedShapesTrapWhenConcatenating() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor.concatenated([Tensor<Float>.zeros([2, 3]), Tensor<Float>.zeros([2, 4])])
        }
    }

    @Test func mismatchedRanksTrapWhenConcatenating() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor.concatenated([Tensor<Float>.zeros([2, 3]), Tensor<Float>.zeros([3])])
        }
    }

    @Test func mismatchedShapesTrapWhenStacking() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor.stacked([Tensor<Float>.zeros([2]), Tensor<Float>.zeros([3])])
        }
    }

    @Test func emptyListTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor<Float>.concatenated([])
        }
    }
}
