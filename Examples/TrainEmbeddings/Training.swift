import Foundation
import NN

extension Experiment {
    /// The most held-out windows one evaluation reads (enough for a steady estimate, cheap to run).
    static let heldOutWindowLimit = 512
    /// Progress lines printed when the output is not a terminal.
    static let loggedLineCount = 10

    /// What training left: the held-out curve and the step whose parameters the model now holds.
    struct Outcome {
        let curve: [LossChart.Point]
        /// The step with the lowest held-out loss, whose parameters were kept.
        let bestStep: Int
        let bestLoss: Double
        /// The last step trained (before the parameters went back to the best step's).
        let lastStep: Int
        let stoppedEarly: Bool
    }

    /// Trains, evaluates and writes every output file.
    func run() throws {
        let context = model.contextLength
        let trainSet = SlidingWindowDataset(tokens: trainTokens, maxLength: context, stride: context)
        let heldOutSet = SlidingWindowDataset(tokens: heldOutTokens, maxLength: context, stride: context)
        let initialLoss = try heldOutLoss(heldOutSet)
        printHeader(trainWindows: trainSet.count, initialLoss: initialLoss)
        let outcome = try train(trainSet, heldOutSet, initialLoss: initialLoss)
        try report(outcome)
    }

    private func train(_ trainSet: SlidingWindowDataset, _ heldOutSet: SlidingWindowDataset,
                       initialLoss: Double) throws -> Outcome {
        let context = model.contextLength
        let loader = DataLoader(trainSet, batchSize: options.batchSize, shuffle: true, dropLast: true, generator: generator)
        let head = SampledHead(options: options, model: model, trainTokens: trainTokens, vocabularySize: vocabulary.count)
        let optimizer: any Optimizer<Float> = switch options.optimizer {
        case .adam where plan.weightDecay > 0:
            AdamW(parameters: model.parameters, learningRate: plan.learningRate, weightDecay: plan.weightDecay)
        case .adam: Adam(parameters: model.parameters, learningRate: plan.learningRate)
        case .sgd: SGD(parameters: model.parameters, learningRate: plan.learningRate, momentum: 0.9)
        }
        let steps = plan.maximumSteps
        let interval = max(1, steps / Self.loggedLineCount)
        let loggedSteps = Set(stride(from: interval, through: steps, by: interval)).union([steps])
        var curve: [LossChart.Point] = []
        let progress = ProgressReporter(totalSteps: steps, tokensPerStep: options.batchSize * context)
        var best = (loss: initialLoss, step: 0, values: model.parameters.map(\.value))
        var evaluationsSinceBest = 0
        var step = 0, stoppedEarly = false
        var intervalLoss = 0.0, intervalSteps = 0
        var displayedLoss = Double.nan
        var evaluationSeconds = 0.0
        training: while true {
            for batch in loader {
                step += 1
                optimizer.zeroGrad()
                let loss = try head.map { try $0.loss(of: model, batch: batch, step: step) }
                    ?? model.loss(input: batch.input, target: batch.target)
                loss.backward()
                optimizer.step()
                let value = Double(loss.value.scalar)
                intervalLoss += value
                intervalSteps += 1
                displayedLoss = displayedLoss.isNaN ? value : 0.9 * displayedLoss + 0.1 * value
                if plan.evaluationSteps.contains(step) {
                    let evaluationStart = DispatchTime.now().uptimeNanoseconds
                    let heldOut = try heldOutLoss(heldOutSet)
                    evaluationSeconds += Double(DispatchTime.now().uptimeNanoseconds - evaluationStart) / 1e9
                    curve.append(LossChart.Point(step: step, trainLoss: intervalLoss / Double(intervalSteps),
                                                 heldOutLoss: heldOut))
                    intervalLoss = 0
                    intervalSteps = 0
                    if heldOut < best.loss {
                        // Values are copy-on-write: the snapshot costs a copy of each table only
                        // when the next step writes it.
                        best = (heldOut, step, model.parameters.map(\.value))
                        evaluationsSinceBest = 0
                    } else {
                        evaluationsSinceBest += 1
                    }
                }
                if loggedSteps.contains(step), let point = curve.last {
                    progress.log(step, loss: point.trainLoss, heldOutLoss: point.heldOutLoss)
                }
                progress.stepFinished(step, loss: displayedLoss, heldOutLoss: curve.last?.heldOutLoss)
                if plan.patience > 0 && evaluationsSinceBest >= plan.patience {
                    stoppedEarly = true
                    break training
                }
                if step == steps { break training }
            }
        }
        progress.finish()
        for (parameter, value) in zip(model.parameters, best.values) { parameter.value = value }
        let seconds = progress.elapsedSeconds
        let tokens = Double(step * options.batchSize * context)
        print("trained \(step) steps in \(format(seconds, decimals: 1)) s: "
              + "\(format(tokens / seconds / 1000, decimals: 1))k tokens/s including \(curve.count) held-out evaluations "
              + "(\(format(evaluationSeconds, decimals: 1)) s), \(format(tokens / max(seconds - evaluationSeconds, 1e-9) / 1000, decimals: 1))k "
              + "tokens/s training alone")
        if stoppedEarly {
            print("stopped early: no better held-out loss in the last \(plan.patience) evaluations; "
                  + "kept the parameters of step \(best.step)")
        } else if best.step < step {
            print("kept the parameters of step \(best.step), which had the lowest held-out loss")
        }
        print("")
        return Outcome(curve: curve, bestStep: best.step, bestLoss: best.loss, lastStep: step, stoppedEarly: stoppedEarly)
    }

    /// The held-out windows every evaluation reads: up to ``heldOutWindowLimit``, spread evenly
    /// over the held-out text (its end may differ from its start: another chapter, another script).
    var heldOutEvaluationWindows: [Int] {
        let windows = SlidingWindowDataset(tokens: heldOutTokens, maxLength: model.contextLength,
                                           stride: model.contextLength).count
        let used = min(windows, Self.heldOutWindowLimit)
        return (0..<used).map { $0 * windows / used }
    }

    /// The mean cross-entropy per token over the held-out evaluation windows.
    func heldOutLoss(_ dataset: SlidingWindowDataset) throws -> Double {
        model.eval()
        defer { model.train() }
        let windows = heldOutEvaluationWindows
        // Chunks of windows whose logits stay near 16 M numbers (64 MB), whatever the vocabulary.
        let chunk = max(1, min(256, (16 << 20) / max(model.contextLength * vocabulary.count, 1)))
        var total = 0.0
        for start in stride(from: 0, to: windows.count, by: chunk) {
            let indices = Array(windows[start..<min(start + chunk, windows.count)])
            let batch = dataset.batch(at: indices)
            let loss = try noGrad { try model.loss(input: batch.input, target: batch.target) }
            total += Double(loss.value.scalar) * Double(indices.count)
        }
        return total / Double(windows.count)
    }

    private func printHeader(trainWindows: Int, initialLoss: Double) {
        let parameterCount = model.parameters.reduce(0) { $0 + $1.value.count }
        print("train-embeddings: \(corpusDescription)")
        let rows = vocabulary.isIdentity ? "vocabulary \(vocabulary.count)"
            : "\(vocabulary.count - 1) of the tokenizer's \(tokenizer.vocabularySize) entries seen in training, + 1 row for unseen ones"
        print("  tokens (\(options.tokenizerKind.rawValue)): \(trainTokens.count) training, \(heldOutTokens.count) held out; \(rows)")
        let head = (options.negatives ?? 0) > 0
            ? "linear head trained on \(options.negatives!) sampled noise tokens per position (negative sampling), "
              + "its bias fixed at log(K·noise); held-out loss by the full softmax"
            : "linear head → cross-entropy"
        print("  model: token + \(model.positionalEncoding.rawValue) positions (dim \(model.token.embeddingSize), "
              + "context \(model.contextLength)) → \(head); \(parameterCount) parameters")
        let optimizerName = options.optimizer == .sgd ? "SGD (momentum 0.9)"
            : plan.weightDecay > 0 ? "AdamW (weight decay \(plan.weightDecay))" : "Adam"
        let stopping = plan.patience > 0 ? ", stopping after \(plan.patience) held-out evaluations without improvement" : ""
        print("  training: up to \(plan.maximumSteps) steps of \(options.batchSize) windows (\(trainWindows) windows per epoch)\(stopping), "
              + "\(optimizerName) lr \(plan.learningRate), seed \(options.seed), "
              + "\(ParallelConfiguration.maximumThreadCount) thread(s), \(InstructionSet.current.rawValue) kernels"
              + (resumedSteps > 0 ? ", resumed after \(resumedSteps) steps" : ""))
        if options.freezePositions { print("  position table frozen") }
        print("  held-out loss before training: \(format(initialLoss, decimals: 4))")
        print("")
    }
}
