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
/// When the vectors are rows of two embedding tables, the overload that takes the tables and ids
/// (``negativeSamplingLoss(input:inputIDs:output:outputIDs:groupOffsets:scoring:reduction:)``) gives the same
/// loss and gradients without copying the rows out first.
///
/// - Parameters:
///   - inputs: The input vectors, `[N, D]`.
///   - outputs: Each group's output vectors, `[G, 1 + K, D]`, the positive first.
///   - groupOffsets: `G + 1` non-decreasing offsets into the inputs, from 0 to N; nil for one input
///     per group (then N = G).
///   - scoring: `.eachInput` (skip-gram: every input scored against its group's outputs) or
///     `.meanOfInputs` (CBOW: the mean of the group's inputs scored once; each input then gets
///     `1/n` of the mean's gradient).
///   - reduction: `.sum` (the default, word2vec's: every scored input's loss at full weight, so a
///     learning rate means what it means in word2vec), `.mean` over the scored inputs (N, or G for
///     `.meanOfInputs`), or `.none` for each group's loss, `[G]`.
/// - Returns: The loss. Its backward is one node (`NegativeSamplingLossBackward`) whose gradients
///   are computed with the loss, in one pass over the vectors: for every input–output pair with
///   score `s = x·u` and `e = σ(s) − label`, the input gets `e·u` and the output `e·x`. Sums run in a
///   fixed order, so the gradient is the same for any thread count and instruction set.
///
/// Traps when the shapes or offsets do not fit together, or D is 0 (a mistake in the calling code).
@_specialize(exported: true, where Scalar == Float)
public func negativeSamplingLoss<Scalar: FloatingTensorScalar>(
    inputs: Variable<Scalar>, outputs: Variable<Scalar>, groupOffsets: [Int]? = nil,
    scoring: NegativeSamplingScoring = .eachInput, reduction: LossReduction = .sum
) -> Variable<Scalar> {
    precondition(inputs.value.rank == 2, "negativeSamplingLoss expects inputs of shape [N, D], got \(inputs.shape)")
    precondition(inputs.shape[1] >= 1 && outputs.value.rank == 3 && outputs.shape[1] >= 1 && outputs.shape[2] == inputs.shape[1],
                 "negativeSamplingLoss expects outputs of shape [G, 1 + K, \(inputs.shape[1])], got \(outputs.shape)")
    let groups = NegativeSamplingGroups(inputCount: inputs.shape[0], groupCount: outputs.shape[0],
                                        outputsPerGroup: outputs.shape[1], offsets: groupOffsets, scoring: scoring)
    let recordsGradient = GradientMode.isEnabled && (inputs.requiresGrad || outputs.requiresGrad)
    let result = groups.evaluate(inputs: inputs.value.contiguous(), inputRows: nil, outputs: outputs.value.contiguous(),
                                 outputRows: nil, width: inputs.shape[1], withGradient: recordsGradient)
    let value = groups.reduced(result.groupLosses, reduction)
    guard let gradients = result.gradients else { return Variable(value) }
    let outputShape = outputs.shape
    return Variable.recordDense(value, name: "NegativeSamplingLossBackward", inputs: [inputs, outputs]) { upstream in
        [groups.scaled(gradients.inputs, by: upstream, reduction, rowsPerGroup: .inputs),
         groups.scaled(gradients.outputs, by: upstream, reduction, rowsPerGroup: .outputs).reshaped(outputShape)]
    }
}

/// ``negativeSamplingLoss(inputs:outputs:groupOffsets:scoring:reduction:)`` with the vectors read straight
/// from two embedding tables: the input vectors are the rows of `input` at `inputIDs` (`[N]`), the
/// outputs the rows of `output` at `outputIDs` (`[G, 1 + K]`, each group's positive first).
///
/// The loss and the tables' gradients equal those of looking the rows up first (`input(inputIDs)`,
/// `output(outputIDs)`) and passing them to the other form, bit for bit, but the rows are read in
/// place instead of being copied out, and the whole forward and backward is one pass. Each table's
/// gradient is row-sparse, as an ``Embedding`` lookup's: its padding row, scaling by frequency and
/// max-norm renormalisation apply as they do to a lookup. A frozen table gets no gradient.
///
/// ```swift
/// let loss = try negativeSamplingLoss(input: input, inputIDs: Tensor<Int64>([3, 7, 2]), output: output,
///                                     outputIDs: Tensor<Int64>(shape: [2, 3], scalars: [5, 40, 12, 9, 1, 33]),
///                                     groupOffsets: [0, 2, 3])
/// loss.backward()   // input.weight and output.weight get row-sparse gradients
/// ```
///
/// Throws `TensorError.indexOutOfRange` naming the first id outside its table, before anything
/// changes.
@_specialize(exported: true, where Scalar == Float)
public func negativeSamplingLoss<Scalar: FloatingTensorScalar>(
    input: Embedding<Scalar>, inputIDs: Tensor<Int64>, output: Embedding<Scalar>, outputIDs: Tensor<Int64>,
    groupOffsets: [Int]? = nil, scoring: NegativeSamplingScoring = .eachInput, reduction: LossReduction = .sum
) throws(TensorError) -> Variable<Scalar> {
    precondition(inputIDs.rank == 1, "negativeSamplingLoss expects input ids of shape [N], got \(inputIDs.shape)")
    precondition(outputIDs.rank == 2 && outputIDs.shape[1] >= 1,
                 "negativeSamplingLoss expects output ids of shape [G, 1 + K], got \(outputIDs.shape)")
    // The tables as they are now: a layer's value may have been replaced by one of another shape.
    let inputShape = input.weight.shape, outputShape = output.weight.shape
    precondition(inputShape.count == 2 && outputShape.count == 2 && inputShape[1] == outputShape[1]
                    && inputShape[1] >= 1,
                 "negativeSamplingLoss: tables of shapes \(inputShape) and \(outputShape), not [V, D] with one D")
    // Both checked before either table is renormalised, so that a bad id changes nothing.
    let inputIndices = try CheckedIndices(inputIDs, rowCount: inputShape[0])
    let outputIndices = try CheckedIndices(outputIDs, rowCount: outputShape[0])
    input.renormalize(rowsOf: inputIndices)
    output.renormalize(rowsOf: outputIndices)
    let groups = NegativeSamplingGroups(inputCount: inputIDs.count, groupCount: outputIDs.shape[0],
                                        outputsPerGroup: outputIDs.shape[1], offsets: groupOffsets, scoring: scoring)
    let inputTable = input.weight, outputTable = output.weight
    let recordsGradient = GradientMode.isEnabled && (inputTable.requiresGrad || outputTable.requiresGrad)
    let result = groups.evaluate(inputs: inputTable.value.contiguous(), inputRows: inputIndices.flat,
                                 outputs: outputTable.value.contiguous(), outputRows: outputIndices.flat,
                                 width: inputShape[1], withGradient: recordsGradient)
    let value = groups.reduced(result.groupLosses, reduction)
    guard let gradients = result.gradients else { return Variable(value) }
    let inputOptions = input.gradientOptions, outputOptions = output.gradientOptions
    let inputRowCount = inputShape[0], outputRowCount = outputShape[0]
    return Variable.record(value, name: "NegativeSamplingLossBackward", inputs: [inputTable, outputTable]) { upstream in
        let inputUpstream = groups.scaled(gradients.inputs, by: upstream, reduction, rowsPerGroup: .inputs)
        let outputUpstream = groups.scaled(gradients.outputs, by: upstream, reduction, rowsPerGroup: .outputs)
        return [.rows(EmbeddingLookup.rowGradient(ids: inputIndices.flat, upstream: inputUpstream,
                                                  rowCount: inputRowCount, options: inputOptions)),
                .rows(EmbeddingLookup.rowGradient(ids: outputIndices.flat, upstream: outputUpstream,
                                                  rowCount: outputRowCount, options: outputOptions))]
    }
}

/// What a negative-sampling loss scores against a group's outputs.
///
/// ```swift
/// let contexts = Variable(Tensor<Float>.randn([3, 50]), requiresGrad: true)    // two windows: 2 and 1 contexts
/// let centres = Variable(Tensor<Float>.randn([2, 6, 50]), requiresGrad: true)  // centre word + 5 noise words each
/// let cbow = negativeSamplingLoss(inputs: contexts, outputs: centres, groupOffsets: [0, 2, 3], scoring: .meanOfInputs)
/// ```
public enum NegativeSamplingScoring: Sendable, Hashable {
    /// Every input of the group (skip-gram: each context word predicts the centre word).
    case eachInput
    /// The mean of the group's inputs, once (CBOW: the context's mean predicts the centre word);
    /// each input then receives `1/n` of the mean's gradient, its true share. A group without
    /// inputs has no mean: it adds nothing, and `.mean` leaves it out of its count.
    case meanOfInputs
}

/// How a negative-sampling loss groups its inputs and outputs, and the arithmetic both forms of
/// the loss share: the kernel call, the reduction and the scaling of the gradients by the upstream.
struct NegativeSamplingGroups {
    let inputCount: Int
    let groupCount: Int
    let outputsPerGroup: Int
    /// `groupCount + 1` offsets into the inputs.
    let offsets: [Int]
    let scoring: NegativeSamplingScoring

    init(inputCount: Int, groupCount: Int, outputsPerGroup: Int, offsets: [Int]?, scoring: NegativeSamplingScoring) {
        let offsets = offsets ?? Array(0...inputCount)
        precondition(offsets.count == groupCount + 1 && offsets.first == 0 && offsets.last == inputCount,
                     "negativeSamplingLoss: \(offsets.count) group offsets from \(offsets.first.map(String.init) ?? "-") to "
                     + "\(offsets.last.map(String.init) ?? "-") for \(groupCount) groups of \(inputCount) inputs "
                     + "(it needs \(groupCount + 1), from 0 to \(inputCount))")
        precondition(zip(offsets, offsets.dropFirst()).allSatisfy { $0 <= $1 },
                     "negativeSamplingLoss: group offsets must not decrease")
        self.inputCount = inputCount
        self.groupCount = groupCount
        self.outputsPerGroup = outputsPerGroup
        self.offsets = offsets
        self.scoring = scoring
    }

    /// The inputs whose losses are summed: every input, or one mean per group that has inputs.
    var scoredCount: Int {
        scoring == .eachInput ? inputCount : zip(offsets, offsets.dropFirst()).filter { $0 < $1 }.count
    }

    /// Each group's loss and, when asked, the gradient of their sum: one row per input `[N, D]`
    /// and one per output `[G·(1 + K), D]`. Rows come from `inputs` at `inputRows` (in order when
    /// nil) and from `outputs` at `outputRows` (likewise); ids are already checked.
    func evaluate<S: FloatingTensorScalar>(
        inputs: Tensor<S>, inputRows: Tensor<Int64>?, outputs: Tensor<S>, outputRows: Tensor<Int64>?, width: Int,
        withGradient: Bool
    ) -> (groupLosses: [S], gradients: (inputs: Tensor<S>, outputs: Tensor<S>)?) {
        var groupLosses = [S](repeating: 0, count: groupCount)
        var inputGradient = withGradient ? Tensor<S>(unsafeUninitializedShape: [inputCount, width]) { _ in } : nil
        var outputGradient = withGradient
            ? Tensor<S>(unsafeUninitializedShape: [groupCount * outputsPerGroup, width]) { _ in } : nil
        if groupCount == 0 {
            // Nothing to score, but a recorded loss still needs (empty) gradients for its backward.
            guard let inputGradient, let outputGradient else { return (groupLosses, nil) }
            return (groupLosses, (inputGradient, outputGradient))
        }
        inputs.withContiguousBuffer { inputBuffer in
            outputs.withContiguousBuffer { outputBuffer in
                inputRows.withOptionalBuffer { inputIDs in
                    outputRows.withOptionalBuffer { outputIDs in
                        offsets.withUnsafeBufferPointer { offsetBuffer in
                            offsetBuffer.withMemoryRebound(to: Int64.self) { offsetBuffer in
                                groupLosses.withUnsafeMutableBufferPointer { lossBuffer in
                                    inputGradient.withOptionalMutableBuffer { inputGradientBuffer in
                                        outputGradient.withOptionalMutableBuffer { outputGradientBuffer in
                                            NegativeSamplingKernels.lossAndGradient(
                                                inputs: inputBuffer.baseAddress!, inputRows: inputIDs?.baseAddress,
                                                outputs: outputBuffer.baseAddress!, outputRows: outputIDs?.baseAddress,
                                                groupOffsets: offsetBuffer.baseAddress!, groupCount: groupCount,
                                                outputsPerGroup: outputsPerGroup, width: width,
                                                scoresMeanOfInputs: scoring == .meanOfInputs,
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
        }
        guard let inputGradient, let outputGradient else { return (groupLosses, nil) }
        return (groupLosses, (inputGradient, outputGradient))
    }

    /// The loss `reduction` makes of the groups' losses (sums in Double, in group order).
    func reduced<S: FloatingTensorScalar>(_ groupLosses: [S], _ reduction: LossReduction) -> Tensor<S> {
        switch reduction {
        case .none: return Tensor(shape: [groupCount], scalars: groupLosses)
        case .sum: return Tensor(scalar: S(groupLosses.reduce(0.0) { $0 + $1.doubleValue }))
        case .mean: return Tensor(scalar: S(groupLosses.reduce(0.0) { $0 + $1.doubleValue } / Double(scoredCount)))
        }
    }

    /// Whose rows a gradient holds: one per input, or one per output.
    enum Rows { case inputs, outputs }

    /// The gradient of the summed loss, `gradient` (`[rows, D]`), turned into that of the reduced
    /// loss given its `upstream` gradient: scaled by the upstream scalar (`.sum`, `.mean` divided by
    /// the scored inputs), or each group's rows by its own upstream value (`.none`). An upstream of 1 with `.sum`
    /// returns `gradient` itself.
    func scaled<S: FloatingTensorScalar>(_ gradient: Tensor<S>, by upstream: Tensor<S>, _ reduction: LossReduction,
                                         rowsPerGroup rows: Rows) -> Tensor<S> {
        switch reduction {
        case .sum:
            let scale = upstream.scalar
            return scale == 1 ? gradient : gradient * scale
        case .mean:
            return gradient * (upstream.scalar / S(scoredCount))
        case .none:
            let scales = upstream.contiguous().scalars
            var rowScales = [S]()
            rowScales.reserveCapacity(gradient.shape[0])
            for group in 0..<groupCount {
                let count = rows == .inputs ? offsets[group + 1] - offsets[group] : outputsPerGroup
                rowScales.append(contentsOf: repeatElement(scales[group], count: count))
            }
            return gradient * Tensor(shape: [gradient.shape[0], 1], scalars: rowScales)
        }
    }
}

extension Optional {
    /// Calls `body` with the wrapped tensor's contiguous buffer, or nil.
    fileprivate func withOptionalBuffer<Scalar, Result>(
        _ body: (UnsafeBufferPointer<Scalar>?) -> Result
    ) -> Result where Wrapped == Tensor<Scalar> {
        guard let tensor = self else { return body(nil) }
        let contiguous = tensor.contiguous()
        return contiguous.withContiguousBuffer { body($0) }
    }

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
