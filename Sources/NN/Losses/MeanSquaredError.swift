/// The squared error between `input` and `target` (same shape), as PyTorch's `F.mse_loss`:
/// `(input − target)²`, averaged (`.mean`, the default), summed, or per element (`.none`).
///
/// Both sides may require gradients; the backward is one node, `2·(input − target)·upstream`
/// (divided by the element count for `.mean`) and its negation for `target`.
///
/// ```swift
/// let prediction = Variable(Tensor<Float>([1, 2, 3]), requiresGrad: true)
/// let loss = mseLoss(prediction, Variable(Tensor<Float>([1, 2, 5])))
/// loss.value.scalar   // 1.3333334
/// ```
public func mseLoss<Scalar: FloatingTensorScalar>(
    _ input: Variable<Scalar>, _ target: Variable<Scalar>, reduction: LossReduction = .mean
) -> Variable<Scalar> {
    precondition(input.shape == target.shape,
                 "mseLoss expects input and target of one shape, got \(input.shape) and \(target.shape)")
    let difference = input.value - target.value
    let squares = difference * difference
    let result: Tensor<Scalar>
    switch reduction {
    case .none: result = squares
    case .sum: result = squares.sum()
    case .mean: result = squares.mean()
    }
    let needInput = input.requiresGrad, needTarget = target.requiresGrad
    let factor = reduction == .mean ? Scalar(2 / Double(Swift.max(difference.count, 1))) : Scalar(2)
    return Variable.recordDense(result, name: "MseLossBackward0", inputs: [input, target]) { upstream in
        let gradient = difference * factor * upstream
        return [needInput ? gradient : nil, needTarget ? -gradient : nil]
    }
}

/// ``mseLoss(_:_:reduction:)`` against a constant target.
public func mseLoss<Scalar: FloatingTensorScalar>(
    _ input: Variable<Scalar>, _ target: Tensor<Scalar>, reduction: LossReduction = .mean
) -> Variable<Scalar> {
    mseLoss(input, Variable(target), reduction: reduction)
}
