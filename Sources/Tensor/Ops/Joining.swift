extension Tensor {
    /// The tensors joined end to end along `axis` (negative counts from the end), as `torch.cat`.
    /// All must have the same rank and the same size on every other axis; traps otherwise.
    ///
    /// ```swift
    /// let a = Tensor<Float>(shape: [1, 2], scalars: [1, 2])
    /// let b = Tensor<Float>(shape: [2, 2], scalars: [3, 4, 5, 6])
    /// Tensor.concatenated([a, b]).shape            // [3, 2]
    /// Tensor.concatenated([b, b], axis: 1).shape   // [2, 4]
    /// ```
    public static func concatenated(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "concatenated needs at least one tensor")
        let first = tensors[0]
        precondition(first.rank >= 1, "concatenated needs tensors of rank 1 or more, got a 0-d tensor")
        let resolved = Layout.normalize(axis: axis, rank: first.rank)
        var resultShape = first.shape
        resultShape[resolved] = 0
        for (position, tensor) in tensors.enumerated() {
            var matches = tensor.rank == first.rank
            if matches {
                for other in 0..<first.rank where other != resolved && tensor.shape[other] != first.shape[other] {
                    matches = false
                }
            }
            precondition(matches, "concatenated along axis \(axis): tensor \(position) has shape \(tensor.shape), "
                         + "which differs from the first tensor's \(first.shape) outside that axis")
            resultShape[resolved] += tensor.shape[resolved]
        }
        let result = Tensor(uninitializedShape: resultShape)
        var destination = result.layout
        var start = 0
        for tensor in tensors {
            destination.shape[resolved] = tensor.shape[resolved]
            destination.offset = start * result.layout.strides[resolved]
            withExtendedLifetime(tensor) {
                copyStridedElements(shape: tensor.shape, from: tensor.storage.base, tensor.layout,
                             to: result.storage.base, destination)
            }
            start += tensor.shape[resolved]
        }
        return result
    }

    /// The tensors, all of one shape, stacked along a new axis at `axis` (`0...rank`; negative
    /// counts from the end), as `torch.stack`. Traps when the shapes differ.
    ///
    /// ```swift
    /// let a = Tensor<Float>([1, 2]), b = Tensor<Float>([3, 4])
    /// Tensor.stacked([a, b]).scalars            // [1, 2, 3, 4], shape [2, 2]
    /// Tensor.stacked([a, b], axis: 1).scalars   // [1, 3, 2, 4], shape [2, 2]
    /// ```
    public static func stacked(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "stacked needs at least one tensor")
        let shape = tensors[0].shape
        for (position, tensor) in tensors.enumerated() {
            precondition(tensor.shape == shape,
                         "stacked: tensor \(position) has shape \(tensor.shape), expected \(shape) like the first")
        }
        let resolved = Layout.normalize(axis: axis, rank: shape.count + 1)
        return concatenated(tensors.map { $0.unsqueezed(axis: resolved) }, axis: resolved)
    }
}
