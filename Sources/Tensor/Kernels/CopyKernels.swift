/// Copies elements between two layouts of the same shape, for any scalar type: the elements are
/// moved as unsigned integers of the same size (every scalar type is trivial), so the loop is
/// specialised even when the caller is generic.
///
/// Kernel precondition: `source` and `destination` address every element their layouts describe
/// (offsets included), and do not overlap.
func copyStridedElements<S: TensorScalar>(
    shape: [Int], from source: UnsafePointer<S>, _ sourceLayout: Layout,
    to destination: UnsafeMutablePointer<S>, _ destinationLayout: Layout
) {
    // Raw pointers leave the bit type as the only generic parameter, so each copy loop is fully
    // specialised even though `S` is not known here.
    let from = UnsafeRawPointer(source), to = UnsafeMutableRawPointer(destination)
    switch MemoryLayout<S>.stride {
    case 1: copyBits(UInt8.self, shape, from, sourceLayout, to, destinationLayout)
    case 2: copyBits(UInt16.self, shape, from, sourceLayout, to, destinationLayout)
    case 4: copyBits(UInt32.self, shape, from, sourceLayout, to, destinationLayout)
    case 8: copyBits(UInt64.self, shape, from, sourceLayout, to, destinationLayout)
    default: preconditionFailure("no copy kernel for \(MemoryLayout<S>.stride)-byte scalars")
    }
}

private func copyBits<Bits: FixedWidthInteger>(
    _ bits: Bits.Type, _ shape: [Int], _ source: UnsafeRawPointer, _ sourceLayout: Layout,
    _ destination: UnsafeMutableRawPointer, _ destinationLayout: Layout
) {
    let count = shape.reduce(1, *)
    if count == 0 { return }
    let from = source.assumingMemoryBound(to: Bits.self) + sourceLayout.offset
    let to = destination.assumingMemoryBound(to: Bits.self) + destinationLayout.offset
    let runs = StridedRuns(shape: shape, strides: destinationLayout.strides, sourceLayout.strides, sourceLayout.strides)
    let (destinationStride, sourceStride, _) = runs.innerStrides
    runs.forEachRun(outer: 0..<runs.outerCount, offsets: (0, 0, 0)) { destinationOffset, sourceOffset, _, length in
        if destinationStride == 1 && sourceStride == 1 {
            (to + destinationOffset).update(from: from + sourceOffset, count: length)
        } else {
            for index in 0..<length {
                to[destinationOffset + index * destinationStride] = from[sourceOffset + index * sourceStride]
            }
        }
    }
}
