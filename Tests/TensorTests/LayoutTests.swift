import Testing
@testable import Tensor

/// A contiguous layout keeps its strides implied by the shape; these check that it answers every
/// question as the layout with the same strides written out does, and that views edited from it
/// start from the strides it implied.
@Suite("Layout")
struct LayoutTests {
    @Test func impliedStridesAreTheRowMajorOnes() {
        let implied = Layout(contiguous: [2, 3, 4], offset: 5)
        let explicit = Layout(shape: [2, 3, 4], strides: [12, 4, 1], offset: 5)
        #expect(implied.strides == [12, 4, 1])
        #expect(implied == explicit)
        #expect(implied.hashValue == explicit.hashValue)
        #expect(implied.isContiguous && explicit.isContiguous)
        for index in [[0, 0, 0], [1, 2, 3], [1, 0, 2]] {
            #expect(implied.position(of: index) == explicit.position(of: index))
        }
        #expect(Layout(contiguous: [2, 3]) != Layout(shape: [2, 3], strides: [1, 2], offset: 0))
        #expect(Layout(contiguous: [2, 3]) != Layout(contiguous: [2, 3], offset: 1))
    }

    @Test func editingTheShapeKeepsTheStridesItImplied() {
        var layout = Layout(contiguous: [2, 3, 4])
        layout.shape.remove(at: 1)
        // The strides the [2, 3, 4] shape implied, for the view to edit next; not [4, 1].
        #expect(layout.strides == [12, 4, 1])
        layout.strides.remove(at: 1)
        #expect(layout.strides == [12, 1])
        #expect(!layout.isContiguous)
        #expect(layout.position(of: [1, 3]) == 15)
    }

    @Test func editingTheStridesOfAnImpliedLayoutStartsFromTheImpliedOnes() {
        var layout = Layout(contiguous: [4, 3])
        layout.strides[0] *= 2
        #expect(layout.strides == [6, 1])
        #expect(layout.position(of: [1, 2]) == 8)
    }

    @Test func viewsOfAContiguousTensorReadTheRightElements() {
        let t = Tensor<Float>.arange(24).reshaped([2, 3, 4])
        #expect(t.selected(axis: 1, index: 2).scalars == [8, 9, 10, 11, 20, 21, 22, 23])
        #expect(t.sliced(axis: 2, range: 0..<4, step: 2).scalars == [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22])
        #expect(t.unsqueezed(axis: 1).strides == [12, 12, 4, 1])
        #expect(t.reshaped([6, 4]).narrowed(axis: 0, start: 1, length: 2).reshaped([8]).scalars
                    == (4..<12).map(Float.init))
        #expect(t.reshaped([4, 6]).strides == [6, 1])
    }
}
