import Foundation
import NN

extension Experiment {
    /// The most held-out windows one evaluation reads (enough for a steady estimate, cheap to run).
    static let heldOutWindowLimit = 1024
    /// Evaluations spread evenly over the steps, besides the early ones at 1, 2, 5, 10, 20, ….
    static let evenEvaluationCount = 40
    /// Progress lines printed when the output is not a terminal.
    static let loggedLineCount = 10

    /// The steps whose progress is logged (when the output is not a terminal).
    static func loggedSteps(total steps: Int) -> Set<Int> {
        let interval = max(1, steps / loggedLineCount)
        return Set(stride(from: interval, through: steps, by: interval)).union([steps])
    }

    /// The steps after which the held-out loss is measured: 1, 2, 5, 10, 20, … (the logarithmic
    /// loss curve needs early points), every `steps / 40`, and the logged steps.
    static func evaluationSteps(total steps: Int) -> Set<Int> {
        var result: Set<Int> = [steps]
        var decade = 1
        while decade <= steps {
            for multiple in [1, 2, 5] where multiple * decade <= steps { result.insert(multiple * decade) }
            decade *= 10
        }
        let interval = max(1, steps / evenEvaluationCount)
        result.formUnion(stride(from: interval, through: steps, by: interval))
        return result.union(loggedSteps(total: steps))
    }

    /// Trains, evaluates and writes every output file.
    func run() throws {
        let context = model.contextLength
        let trainSet = SlidingWindowDataset(tokens: trainTokens, maxLength: context, stride: context)
        let heldOutSet = SlidingWindowDataset(tokens: heldOutTokens, maxLength: context, stride: context)
        let loader = DataLoader(trainSet, batchSize: options.batchSize, shuffle: true, dropLast: true, generator: generator)
        let optimizer: any Optimizer<Float> = switch options.optimizer {
        case .adam: Adam(parameters: model.parameters, learningRate: options.learningRate)
        case .sgd: SGD(parameters: model.parameters, learningRate: options.learningRate, momentum: 0.9)
        }

        let initialLoss = try heldOutLoss(heldOutSet)
        printHeader(trainWindows: trainSet.count, initialLoss: initialLoss)
        let steps = options.steps
        let evaluationSteps = Self.evaluationSteps(total: steps)
        let loggedSteps = Self.loggedSteps(total: steps)
        var curve: [LossChart.Point] = []
        let progress = ProgressReporter(totalSteps: steps, tokensPerStep: options.batchSize * context)
        var step = 0
        var intervalLoss = 0.0, intervalSteps = 0
        var displayedLoss = Double.nan
        training: while true {
            for batch in loader {
                step += 1
                optimizer.zeroGrad()
                let loss = try model.loss(input: batch.input, target: batch.target)
                loss.backward()
                optimizer.step()
                let value = Double(loss.value.scalar)
                intervalLoss += value
                intervalSteps += 1
                displayedLoss = displayedLoss.isNaN ? value : 0.9 * displayedLoss + 0.1 * value
                if evaluationSteps.contains(step) {
                    curve.append(LossChart.Point(step: step, trainLoss: intervalLoss / Double(intervalSteps),
                                                 heldOutLoss: try heldOutLoss(heldOutSet)))
                    intervalLoss = 0
                    intervalSteps = 0
                }
                if loggedSteps.contains(step), let point = curve.last {
                    progress.log(step, loss: point.trainLoss, heldOutLoss: point.heldOutLoss)
                }
                progress.stepFinished(step, loss: displayedLoss, heldOutLoss: curve.last?.heldOutLoss)
                if step == steps { break training }
            }
        }
        progress.finish()
        let seconds = progress.elapsedSeconds
        print("trained \(steps) steps in \(format(seconds, decimals: 1)) s "
              + "(\(format(Double(steps * options.batchSize * context) / seconds / 1000, decimals: 1))k tokens/s, "
              + "including \(curve.count) held-out evaluations)")
        print("")
        try report(curve: curve)
    }

    /// The mean cross-entropy per token over (up to ``heldOutWindowLimit``) held-out windows.
    private func heldOutLoss(_ dataset: SlidingWindowDataset) throws -> Double {
        let windows = min(dataset.count, Self.heldOutWindowLimit)
        let chunk = 256
        var total = 0.0
        for start in stride(from: 0, to: windows, by: chunk) {
            let indices = Array(start..<min(start + chunk, windows))
            let batch = dataset.batch(at: indices)
            let loss = try noGrad { try model.loss(input: batch.input, target: batch.target) }
            total += Double(loss.value.scalar) * Double(indices.count)
        }
        return total / Double(windows)
    }

    private func printHeader(trainWindows: Int, initialLoss: Double) {
        let parameterCount = model.parameters.reduce(0) { $0 + $1.value.count }
        print("train-embeddings: \(corpusDescription)")
        print("  tokens: \(trainTokens.count) training, \(heldOutTokens.count) held out; vocabulary \(tokenizer.vocabularySize)")
        print("  model: token + \(model.positionalEncoding.rawValue) positions (dim \(model.token.embeddingSize), "
              + "context \(model.contextLength)) → linear head → cross-entropy; \(parameterCount) parameters")
        let optimizerName = options.optimizer == .adam ? "Adam" : "SGD (momentum 0.9)"
        print("  training: \(options.steps) steps of \(options.batchSize) windows (\(trainWindows) windows per epoch), "
              + "\(optimizerName) lr \(options.learningRate), seed \(options.seed), "
              + "\(ParallelConfiguration.maximumThreadCount) thread(s), \(InstructionSet.current.rawValue) kernels"
              + (resumedSteps > 0 ? ", resumed after \(resumedSteps) steps" : ""))
        if options.freezePositions { print("  position table frozen") }
        print("  held-out loss before training: \(format(initialLoss, decimals: 4))")
        print("")
    }
}
