
/// The cross-entropy between `logits` [N, C] and class indices `targets` [N], as PyTorch's
/// `F.cross_entropy`: a numerically stable log-softmax over each row followed by the negative
/// log-likelihood of the target class.
///
/// Rows whose target equals `ignoreIndex` contribute nothing, and `.mean` divides by the number of
/// rows that are not ignored (so it is NaN when every row is ignored, as in PyTorch). `.none`
/// returns the N per-row losses, 0 for ignored rows. Sequences are flattened first:
/// `crossEntropy(logits: output.reshaped([-1, vocabularySize]), targets: next.reshaped([-1]))`.
///
/// The backward is one fused node, `(softmax(logits) − one-hot(target)) · scale`, computed in a
/// single pass over the logits from the saved per-row log-sum-exp.
///
/// Throws `TensorError.indexOutOfRange(index:position:bound:)` for a target outside `0..<C` that
/// is not `ignoreIndex`, and computes nothing.
///
/// ```swift
/// let logits = Variable(Tensor<Float>(nested: [[2, 0, 0], [0, 0, 2]]), requiresGrad: true)
/// let loss = try crossEntropy(logits: logits, targets: Tensor<Int64>([0, 2]))
/// loss.value.scalar   // 0.2395447
/// ```
@_specialize(exported: true, where Scalar == Float)
public func crossEntropy<Scalar: FloatingTensorScalar>(
    logits: Variable<Scalar>, targets: Tensor<Int64>, ignoreIndex: Int64 = -100, reduction: LossReduction = .mean
) throws(TensorError) -> Variable<Scalar> {
    precondition(logits.value.rank == 2, "crossEntropy expects logits of shape [N, C], got \(logits.shape)")
    let rowCount = logits.shape[0], classCount = logits.shape[1]
    precondition(targets.rank == 1 && targets.count == rowCount,
                 "crossEntropy expects targets of shape [\(rowCount)] for logits \(logits.shape), got \(targets.shape)")
    let targetValues = targets.scalars
    for (row, target) in targetValues.enumerated() where target != ignoreIndex && (target < 0 || target >= classCount) {
        throw .indexOutOfRange(index: target, position: [row], bound: classCount)
    }

    let input = logits.value.contiguous()
    let logSumExp = input.logSumExp(axis: 1)
    let rowLogSumExp = logSumExp.scalars
    var losses = [Scalar](repeating: 0, count: rowCount)
    var countedRows = 0
    input.withContiguousBuffer { values in
        for row in 0..<rowCount where targetValues[row] != ignoreIndex {
            losses[row] = rowLogSumExp[row] - values[row * classCount + Int(targetValues[row])]
            countedRows += 1
        }
    }
    let result: Tensor<Scalar>
    switch reduction {
    case .none:
        result = Tensor(shape: [rowCount], scalars: losses)
    case .sum:
        result = Tensor(scalar: Scalar(losses.reduce(0.0) { $0 + $1.doubleValue }))
    case .mean:
        result = Tensor(scalar: Scalar(losses.reduce(0.0) { $0 + $1.doubleValue }) / Scalar(countedRows))
    }

    let count = countedRows
    return Variable.recordDense(result, name: "NllLossBackward0", inputs: [logits]) { upstream in
        let scales: [Scalar]
        switch reduction {
        case .none: scales = upstream.scalars
        case .sum: scales = [Scalar](repeating: upstream.scalar, count: rowCount)
        case .mean: scales = [Scalar](repeating: upstream.scalar / Scalar(count), count: rowCount)
        }
        let gradient = makeTensor(shape: [rowCount, classCount]) { (gradient: UnsafeMutablePointer<Scalar>) in
            input.withContiguousBuffer { logits in
                logSumExp.withContiguousBuffer { logSumExp in
                    crossEntropyBackward(logits: logits.baseAddress!, logSumExp: logSumExp.baseAddress!,
                                         targets: targetValues, ignoreIndex: ignoreIndex, scales: scales,
                                         classCount: classCount, gradient: gradient)
                }
            }
        }
        return [gradient]
    }
}
/// `crossEntropy(logits:targets:ignoreIndex:reduction:)` with 32-bit targets.
@_disfavoredOverload   // an array literal of targets means Int64, as in PyTorch
public func crossEntropy<Scalar: FloatingTensorScalar>(
    logits: Variable<Scalar>, targets: Tensor<Int32>, ignoreIndex: Int64 = -100, reduction: LossReduction = .mean
) throws(TensorError) -> Variable<Scalar> {
    try crossEntropy(logits: logits, targets: targets.converted(to: Int64.self), ignoreIndex: ignoreIndex,
                     reduction: reduction)
}

// Kernel precondition: `logits` and `gradient` address rows × classCount elements (rows =
// targets.count), `logSumExp` one per row.

/// `gradient[r, c] = scales[r] · (exp(logits[r, c] − logSumExp[r]) − [c == target[r]])`, and zeros
/// for ignored rows. Threads own whole rows. Float exponentials are the C kernel's (the same bits
/// at every instruction-set level, vectorised); Double ones the platform's.
private func crossEntropyBackward<Scalar: FloatingTensorScalar>(
    logits: UnsafePointer<Scalar>, logSumExp: UnsafePointer<Scalar>, targets: [Int64], ignoreIndex: Int64,
    scales: [Scalar], classCount: Int, gradient: UnsafeMutablePointer<Scalar>
) {
    // Read on the calling thread: worker threads do not see the task's instruction-set scope.
    let level = InstructionSet.current
    let grain = Swift.max(1, ParallelConfiguration.elementwiseGrain / Swift.max(classCount, 1))
    targets.withUnsafeBufferPointer { targets in
        scales.withUnsafeBufferPointer { scales in
            parallelFor(targets.count, grain: grain) { rows in
                for row in rows {
                    let input = logits + row * classCount, output = gradient + row * classCount
                    guard targets[row] != ignoreIndex else {
                        output.update(repeating: 0, count: classCount)
                        continue
                    }
                    let shift = logSumExp[row], scale = scales[row]
                    shiftedExponentials(input, shift: shift, scale: scale, into: output, count: classCount, at: level)
                    let target = Int(targets[row])
                    var probability = Scalar.zero
                    shiftedExponentials(input + target, shift: shift, scale: 1, into: &probability, count: 1, at: level)
                    output[target] = (probability - 1) * scale
                }
            }
        }
    }
}
