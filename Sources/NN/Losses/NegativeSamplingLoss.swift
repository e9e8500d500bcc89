/// word2vec's negative-sampling loss (Mikolov et al. 2013): each input vector is scored against a
/// positive output vector (the word it should predict) and a few sampled negative ones, and the
/// loss is the logistic loss of telling them apart,
///
///     −log σ(x·u₀) − Σₖ log σ(−x·uₖ)        (σ the logistic function)
///
/// for an input `x` with outputs `u₀` (positive) and `u₁ … u_K` (negatives).
///
/// Inputs come in groups that share their outputs: group `g` holds inputs
/// `groupOffsets[g] ..< groupOffsets[g + 1]` and outputs `outputs[g]` (`[1 + K, D]`, the positive
/// first). Skip-gram with one group per window (its context words scored against the centre word
/// and negatives drawn once for the window, as Ji et al. 2016 batch it) passes the window's context
/// rows as one group; one input per group (`groupOffsets` nil) is the pairwise form, as in CBOW or
/// next-token prediction. The outputs usually come from an output ``Embedding`` looked up at the
/// positive and negative ids, so the tables get row-sparse gradients:
///
/// ```swift
/// let input = Embedding(vocabularySize: 1000, embeddingSize: 50, sparse: true)
/// let output = Embedding(vocabularySize: 1000, embeddingSize: 50, sparse: true)
/// // Two windows: contexts [3, 7] predict 5 and context [2] predicts 9, each with 2 negatives.
/// let contexts = try input(Tensor<Int64>([3, 7, 2]))                       // [3, 50]
/// let targets = try output(Tensor<Int64>(shape: [2, 3], scalars: [5, 40, 12, 9, 1, 33]))   // [2, 3, 50]
/// let loss = negativeSamplingLoss(inputs: contexts, outputs: targets, groupOffsets: [0, 2, 3])
/// loss.backward()
/// ```
///
/// - Parameters:
///   - inputs: The input vectors, `[N, D]`.
///   - outputs: Each group's output vectors, `[G, 1 + K, D]`, the positive first.
///   - groupOffsets: `G + 1` non-decreasing offsets into the inputs, from 0 to N; nil for one input
///     per group (then N = G).
///   - reduction: `.sum` (the default, word2vec's: every input's loss at full weight, so a learning
///     rate means what it means in word2vec), `.mean` over the N inputs, or `.none` for each
///     group's loss, `[G]`.
/// - Returns: The loss. Its backward is one node (`NegativeSamplingLossBackward`) whose gradients
///   are computed with the loss, in one pass over the vectors: for every input–output pair with
///   score `s = x·u` and `e = σ(s) − label`, the input gets `e·u` and the output `e·x`. Sums run in a
///   fixed order, so the gradient is the same for any thread count and instruction set.
///
/// Traps when the shapes or offsets do not fit together, or D is 0 (a mistake in the calling code).
@_specialize(exported: true, where Scalar == Float)
public func negativeSamplingLoss<Scalar: FloatingTensorScalar>(
    inputs: Variable<Scalar>, outputs: Variable<Scalar>, groupOffsets: [Int]? = nil, reduction: LossReduction = .sum
) -> Variable<Scalar> {
    precondition(inputs.value.rank == 2, "negativeSamplingLoss expects inputs of shape [N, D], got \(inputs.shape)")
    precondition(inputs.shape[1] >= 1 && outputs.value.rank == 3 && outputs.shape[1] >= 1 && outputs.shape[2] == inputs.shape[1],
                 "negativeSamplingLoss expects outputs of shape [G, 1 + K, \(inputs.shape[1])], got \(outputs.shape)")
    let inputCount = inputs.shape[0], width = inputs.shape[1]
    let groupCount = outputs.shape[0], outputsPerGroup = outputs.shape[1]
    let offsets = groupOffsets ?? Array(0...inputCount)
    precondition(offsets.count == groupCount + 1 && offsets.first == 0 && offsets.last == inputCount,
                 "negativeSamplingLoss: \(offsets.count) group offsets from \(offsets.first.map(String.init) ?? "-") to "
                 + "\(offsets.last.map(String.init) ?? "-") for \(groupCount) groups of \(inputCount) inputs "
                 + "(it needs \(groupCount + 1), from 0 to \(inputCount))")
    precondition(zip(offsets, offsets.dropFirst()).allSatisfy { $0 <= $1 }, "negativeSamplingLoss: group offsets must not decrease")

    let recordsGradient = GradientMode.isEnabled && (inputs.requiresGrad || outputs.requiresGrad)
    let inputValues = inputs.value.contiguous(), outputValues = outputs.value.contiguous()
    var groupLosses = [Scalar](repeating: 0, count: groupCount)
    var inputGradient: Tensor<Scalar>?, outputGradient: Tensor<Scalar>?
    if recordsGradient {
        inputGradient = Tensor(unsafeUninitializedShape: inputs.shape) { _ in }
        outputGradient = Tensor(unsafeUninitializedShape: outputs.shape) { _ in }
    }
    if groupCount > 0 {
        inputValues.withContiguousBuffer { inputBuffer in
            outputValues.withContiguousBuffer { outputBuffer in
                offsets.withUnsafeBufferPointer { offsetBuffer in
                    offsetBuffer.withMemoryRebound(to: Int64.self) { offsetBuffer in
                        groupLosses.withUnsafeMutableBufferPointer { lossBuffer in
                            inputGradient.withOptionalMutableBuffer { inputGradientBuffer in
                                outputGradient.withOptionalMutableBuffer { outputGradientBuffer in
                                    NegativeSamplingKernels.lossAndGradient(
                                        inputs: inputBuffer.baseAddress!, outputs: outputBuffer.baseAddress!,
                                        groupOffsets: offsetBuffer.baseAddress!, groupCount: groupCount,
                                        outputsPerGroup: outputsPerGroup, width: width,
                                        groupLosses: lossBuffer.baseAddress!,
                                        inputGradient: inputGradientBuffer?.baseAddress,
                                        outputGradient: outputGradientBuffer?.baseAddress)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    let value: Tensor<Scalar>
    switch reduction {
    case .none: value = Tensor(shape: [groupCount], scalars: groupLosses)
    case .sum: value = Tensor(scalar: Scalar(groupLosses.reduce(0.0) { $0 + $1.doubleValue }))
    case .mean: value = Tensor(scalar: Scalar(groupLosses.reduce(0.0) { $0 + $1.doubleValue } / Double(inputCount)))
    }
    guard let inputGradient, let outputGradient else { return Variable(value) }
    return Variable.recordDense(value, name: "NegativeSamplingLossBackward", inputs: [inputs, outputs]) { upstream in
        switch reduction {
        case .sum:
            let scale = upstream.scalar
            if scale == 1 { return [inputGradient, outputGradient] }
            return [inputGradient * scale, outputGradient * scale]
        case .mean:
            let scale = upstream.scalar / Scalar(inputCount)
            return [inputGradient * scale, outputGradient * scale]
        case .none:
            // Each group's rows scaled by its own upstream value.
            let scales = upstream.contiguous().scalars
            var inputScales = [Scalar](repeating: 0, count: inputCount)
            for group in 0..<groupCount {
                for input in offsets[group]..<offsets[group + 1] { inputScales[input] = scales[group] }
            }
            return [inputGradient * Tensor(shape: [inputCount, 1], scalars: inputScales),
                    outputGradient * Tensor(shape: [groupCount, 1, 1], scalars: scales)]
        }
    }
}

extension Optional {
    /// Calls `body` with the wrapped tensor's mutable contiguous buffer, or nil.
    fileprivate mutating func withOptionalMutableBuffer<Scalar, Result>(
        _ body: (UnsafeMutableBufferPointer<Scalar>?) -> Result
    ) -> Result where Wrapped == Tensor<Scalar> {
        guard var tensor = self else { return body(nil) }
        self = nil
        defer { self = tensor }
        return tensor.withMutableContiguousBuffer { body($0) }
    }
}
