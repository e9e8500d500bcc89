import Testing
@testable import Tensor

@Suite struct ViewTests {
    let matrix = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])

    @Test func transposeIsAViewWithSwappedStrides() {
        let t = matrix.transposed()
        #expect(t.shape == [3, 2])
        #expect(t.strides == [1, 3])
        #expect(t.sharesStorage(with: matrix))
        #expect(!t.isContiguous)
        #expect(t.scalars == [1, 4, 2, 5, 3, 6])
    }

    @Test func reshapeInfersOneDimensionAndSharesStorage() {
        let r = matrix.reshaped([-1, 2])
        #expect(r.shape == [3, 2])
        #expect(r.sharesStorage(with: matrix))
        #expect(r.scalars == matrix.scalars)
    }

    @Test func reshapeOfTransposeCopiesWhenNoViewExists() {
        let r = matrix.transposed().reshaped([6])
        #expect(!r.sharesStorage(with: matrix))
        #expect(r.scalars == [1, 4, 2, 5, 3, 6])
    }

    @Test func reshapeOfSlicedRowsStaysAView() {
        let big = Tensor<Float>.arange(24).reshaped([4, 6])
        let rows = big[1..<3]
        let r = rows.reshaped([3, 4])
        #expect(r.sharesStorage(with: big))
        #expect(r.scalars == Array(6..<18).map(Float.init))
        let columns = big[.all, .range(0..<4)]
        let split = columns.reshaped([4, 2, 2])
        #expect(split.sharesStorage(with: big))
        #expect(split.scalars == columns.scalars)
    }

    @Test func permuteSqueezeUnsqueeze() {
        let t = Tensor<Float>.arange(24).reshaped([2, 1, 3, 4])
        #expect(t.permuted([3, 0, 2, 1]).shape == [4, 2, 3, 1])
        #expect(t.squeezed().shape == [2, 3, 4])
        #expect(t.squeezed(axis: 0).shape == [2, 1, 3, 4])
        #expect(t.unsqueezed(axis: -1).shape == [2, 1, 3, 4, 1])
        #expect(t.permuted([3, 0, 2, 1]).contiguous().permuted([1, 3, 2, 0]).scalars == t.scalars)
    }

    @Test func stepSlicingSelectAndNarrow() {
        let m = Tensor<Float>.arange(12).reshaped([3, 4])
        #expect(m[.all, .range(0..<4, step: 2)].scalars == [0, 2, 4, 6, 8, 10])
        #expect(m[1].scalars == [4, 5, 6, 7])
        #expect(m.selected(axis: 1, index: -1).scalars == [3, 7, 11])
        #expect(m.narrowed(axis: 1, start: 1, length: 2).scalars == [1, 2, 5, 6, 9, 10])
        #expect(m[.index(2), .range(1..<3)].scalars == [9, 10])
        #expect(m[.newAxis].shape == [1, 3, 4])
    }

    @Test func expandUsesZeroStrides() {
        let column = Tensor<Float>(shape: [3, 1], scalars: [1, 2, 3])
        let e = column.expanded(to: [2, 3, 4])
        #expect(e.strides == [0, 1, 0])
        #expect(e.sharesStorage(with: column))
        #expect(e.scalars == [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3])
    }

    @Test func contiguousCopiesOnlyWhenNeeded() {
        #expect(matrix.contiguous().sharesStorage(with: matrix))
        let t = matrix.transposed().contiguous()
        #expect(!t.sharesStorage(with: matrix))
        #expect(t.isContiguous)
    }

    @Test func writingThroughAViewNeverChangesTheBase() {
        var view = matrix.transposed()
        view[element: [0, 1]] = 40
        #expect(matrix.scalars == [1, 2, 3, 4, 5, 6])
        #expect(view.scalars == [1, 40, 2, 5, 3, 6])
    }

    @Test func mutatingTheBaseNeverChangesAView() {
        var base = matrix
        let row = base[1]
        base += 100
        #expect(row.scalars == [4, 5, 6])
        #expect(base.scalars == [101, 102, 103, 104, 105, 106])
        #expect(matrix.scalars == [1, 2, 3, 4, 5, 6])
    }

    @Test func uniqueContiguousStorageIsMutatedInPlace() {
        var t = Tensor<Float>.zeros([1024])
        let before = t.withContiguousBuffer { $0.baseAddress }
        t += 1
        let after = t.withContiguousBuffer { $0.baseAddress }
        #expect(before == after)
    }

    @Test func emptyTensorsAreContiguousWhateverTheirShape() {
        let empty = Tensor<Float>.zeros([3, 0])
        #expect(empty.isContiguous)
        #expect(empty.transposed().scalars == [])
        #expect(Tensor<Float>.zeros([2, 0, 4]).permuted([2, 1, 0]).contiguous().shape == [4, 0, 2])
    }

    @Test func zeroDimensionalScalar() {
        let s = Tensor<Double>(scalar: 2.5)
        #expect(s.shape == [])
        #expect(s.scalar == 2.5)
        #expect(s.item() == 2.5)
        #expect(s.count == 1)
    }

    @Test func badReshapeTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor<Float>.zeros([2, 3]).reshaped([4])
        }
    }
}
