/// A new contiguous tensor of `shape` whose every element `fill` writes through the pointer it is
/// given.
///
/// `Tensor.zeros` fills element by element through generic code, which costs several nanoseconds
/// per element when the element type is not known where it runs; kernels that overwrite every
/// element anyway use this instead. Precondition: `fill` writes all `shape` elements.
func makeTensor<Scalar: FloatingTensorScalar>(
    shape: [Int], _ fill: (UnsafeMutablePointer<Scalar>) -> Void
) -> Tensor<Scalar> {
    let count = shape.reduce(1, *)
    let scalars = [Scalar](unsafeUninitializedCapacity: Swift.max(count, 1)) { buffer, initialized in
        if count > 0 { fill(buffer.baseAddress!) }
        initialized = count
    }
    return Tensor(shape: shape, scalars: scalars)
}
