/// A new contiguous tensor of `shape` whose every element `fill` writes through the pointer it is
/// given.
///
/// Kernels that overwrite every element skip the zero fill of `Tensor.zeros`. Precondition: `fill`
/// writes all `shape` elements.
func makeTensor<Scalar: FloatingTensorScalar>(
    shape: [Int], _ fill: (UnsafeMutablePointer<Scalar>) -> Void
) -> Tensor<Scalar> {
    Tensor(unsafeUninitializedShape: shape) { buffer in
        if let base = buffer.baseAddress, buffer.count > 0 { fill(base) }
    }
}
