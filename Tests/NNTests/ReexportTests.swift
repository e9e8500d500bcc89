import Testing
import NN

@Test func importingNNBringsTensor() {
    #expect(Tensor<Float>.ones([3]).scalars == [1, 1, 1])
}
