/// How long and how a run trains. On the generated corpus: the options as given. On a user's
/// text the defaults come from the text's size, because one setting cannot suit both 30 KB (a few
/// hundred batches, overfitted within a few epochs) and 10 MB (thousands of batches per epoch):
/// the step budget is a number of epochs, capped by the work of a step (which grows with the
/// vocabulary); the held-out loss is measured twice an epoch (within bounds) and training stops
/// after `patience` measurements without a new best, keeping the best parameters. Small texts get
/// a smaller embedding, stronger weight decay and dropout (the word tokenizer also keeps fewer
/// rare words, see `Experiment.wordsPerRow`).
struct TrainingPlan: Equatable {
    let maximumSteps: Int
    /// The steps after which the held-out loss is measured.
    let evaluationSteps: Set<Int>
    let patience: Int
    let embeddingSize: Int
    /// AdamW's decoupled weight decay (0: Adam).
    let weightDecay: Double
    let learningRate: Double
    /// Dropout on the embedding before the head.
    let dropout: Double

    /// Epochs a text run may take at most.
    static let maximumEpochs = 40
    /// Steps × vocabulary rows a text run may take at most: about two minutes of head products on
    /// a 2-core machine.
    static let workBudget = 60_000_000
    /// Texts with fewer training tokens get the smaller embedding, the stronger weight decay and dropout.
    static let smallTextTokens = 200_000

    init(options: Options, trainTokenCount: Int, vocabularySize: Int, contextLength: Int) {
        patience = options.patience
        learningRate = options.learningRate
        guard options.textFile != nil else {
            maximumSteps = options.steps
            evaluationSteps = Self.curveSteps(total: options.steps)
            embeddingSize = options.embeddingSize
            weightDecay = 0
            dropout = 0
            return
        }
        let stepsPerEpoch = Swift.max(1, trainTokenCount / (contextLength * options.batchSize))
        let samplesHead = (options.negatives ?? 0) > 0
        if options.explicit.contains("--steps") {
            maximumSteps = options.steps
        } else {
            // A sampled head costs the same whatever the vocabulary; the full softmax grows with it.
            let byWork = samplesHead ? Int.max : Swift.max(200, Self.workBudget / Swift.max(vocabularySize, 1))
            maximumSteps = Swift.min(Swift.max(200, stepsPerEpoch * Self.maximumEpochs), byWork, 20_000)
        }
        // Twice an epoch, at most every 200 steps; with a sampled head, no more than 20 evaluations
        // in all: its steps are cheap whatever the vocabulary, while an evaluation (a softmax over
        // every word) costs as much as hundreds of them.
        let usual = Swift.min(Swift.max(stepsPerEpoch / 2, 10), 200)
        let interval = Swift.min(samplesHead ? Swift.max(usual, (maximumSteps + 19) / 20) : usual, maximumSteps)
        evaluationSteps = Set(stride(from: interval, through: maximumSteps, by: interval)).union([maximumSteps])
        let small = trainTokenCount < Self.smallTextTokens
        embeddingSize = options.explicit.contains("--dim") ? options.embeddingSize : (small ? 32 : 64)
        // Sampled heads update their tables lazily (only the rows of a step), where weight decay,
        // which moves every row, has no meaning (PyTorch's sparse tables refuse it too).
        weightDecay = samplesHead ? 0 : (small ? 0.1 : 0.01)
        dropout = small ? 0.5 : 0
    }

    /// The generated corpus's schedule: 1, 2, 5, 10, 20, … (the logarithmic loss curve needs early
    /// points) and every `total / 40` steps.
    static func curveSteps(total steps: Int) -> Set<Int> {
        var result: Set<Int> = [steps]
        var decade = 1
        while decade <= steps {
            for multiple in [1, 2, 5] where multiple * decade <= steps { result.insert(multiple * decade) }
            decade *= 10
        }
        let interval = Swift.max(1, steps / 40)
        result.formUnion(stride(from: interval, through: steps, by: interval))
        return result
    }
}
