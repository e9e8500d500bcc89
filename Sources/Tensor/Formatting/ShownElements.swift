/// The part of a tensor that its description shows, as PyTorch's `get_summarized_data` selects
/// it: every element, or, past `PrintOptions.threshold` elements, only the first and last
/// `PrintOptions.edgeItems` positions of each longer axis.
///
/// The selection also decides the number format: values that are hidden behind `...` never
/// influence widths or the choice of scientific notation, exactly as in PyTorch.
struct ShownElements<Scalar: TensorScalar> {
    /// The shown positions along each axis, in increasing order.
    let positions: [[Int]]
    /// Whether each axis hides positions, printed as `...` after its first `edgeItems`.
    let isElided: [Bool]
    /// The shown elements in row-major order over `positions`.
    let scalars: [Scalar]

    /// Selects the shown elements of a non-empty `tensor`, reading only those.
    init(of tensor: Tensor<Scalar>) {
        let summarizes = tensor.count > PrintOptions.threshold
        let edge = PrintOptions.edgeItems
        var positions: [[Int]] = []
        var isElided: [Bool] = []
        for size in tensor.shape {
            let elides = summarizes && size > 2 * edge
            positions.append(elides ? Array(0..<edge) + Array(size - edge ..< size) : Array(0..<size))
            isElided.append(elides)
        }
        self.positions = positions
        self.isElided = isElided
        scalars = ShownElements.gather(from: tensor, positions: positions)
    }

    private static func gather(from tensor: Tensor<Scalar>, positions: [[Int]]) -> [Scalar] {
        let total = positions.reduce(1) { $0 * $1.count }
        let strides = tensor.strides
        let base = tensor.storage.base
        var result: [Scalar] = []
        result.reserveCapacity(total)
        var counters = [Int](repeating: 0, count: positions.count)
        for _ in 0..<total {
            var storagePosition = tensor.offset
            for axis in 0..<positions.count {
                storagePosition += positions[axis][counters[axis]] * strides[axis]
            }
            result.append(base[storagePosition])
            var axis = positions.count - 1
            while axis >= 0 {
                counters[axis] += 1
                if counters[axis] < positions[axis].count { break }
                counters[axis] = 0
                axis -= 1
            }
        }
        return result
    }
}
