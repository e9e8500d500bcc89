import Testing
import Autograd

@Test func importingAutogradBringsTensor() {
    #expect(Tensor<Float>.zeros([2]).shape == [2])
}
