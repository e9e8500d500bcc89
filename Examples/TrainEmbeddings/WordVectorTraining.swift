import Foundation
import NN

extension WordVectorExperiment {
    /// What training left: the training loss along the way and the speed.
    struct Outcome {
        /// The mean loss per input (a context word, or a window's mean for CBOW) over each
        /// hundredth of training, with the progress (0…1) at its end.
        let curve: [(progress: Double, loss: Double)]
        let seconds: Double
        let rawWordCount: Int
    }

    /// Trains every epoch: the windows of each batch of sentences (every sentence's random choices
    /// from its own stream, numbered by its place in the text and the epoch), then SGD steps of
    /// ``batchSize`` windows with the learning rate of their place in the run. Stops with an error
    /// when the loss stops being a number (too large a learning rate or batch).
    func train() throws -> Outcome {
        do {
            return try trainEpochs()
        } catch where group.size > 1 {
            // The other ranks wait in an exchange this rank will never reach: end them all.
            group.abort(Experiment.reason(error))
        }
    }

    private func trainEpochs() throws -> Outcome {
        let sgd = SGD(parameters: tables.parameters, learningRate: options.learningRate)
        let exchange = group.size > 1 ? try DeltaExchange(parameters: tables.parameters, group: group) : nil
        let schedule = LinearDecay(initial: options.learningRate, final: Self.finalLearningRate)
        // The schedule follows this rank's own progress through its piece.
        let totalWords = piece.wordCount * options.epochs
        let corpus = piece.byteRange.map {
            WordCorpus(contentsOf: textURL, vocabulary: vocabulary, byteRange: $0, wordsPerBatch: Self.wordsPerCorpusBatch)
        } ?? WordCorpus(contentsOf: textURL, vocabulary: vocabulary, wordsPerBatch: Self.wordsPerCorpusBatch)
        let progress = EpochProgress(epochs: options.epochs, wordsPerEpoch: counts.totalWordCount,
                                     redrawsInPlace: group.size == 1 && isatty(STDOUT_FILENO) != 0)
        var windows = ContextWindows(negativesPerWindow: sampler.negatives)
        var curve: [(progress: Double, loss: Double)] = []
        var curveLoss = 0.0, curveInputs = 0
        var wordsDone = 0
        // The whole job's words, as of the last exchange (this rank's own without one).
        var jobWordsDone = 0
        var waitingNanoseconds: UInt64 = 0
        func exchangeRows(upTo due: Int) throws {
            guard let exchange else { return }
            while exchange.statistics.exchanges < due {
                // The barrier separates waiting for a slower rank from the exchange itself.
                let arrival = DispatchTime.now().uptimeNanoseconds
                try group.barrier()
                let start = DispatchTime.now().uptimeNanoseconds
                try exchange.exchange()
                waitingNanoseconds += start - arrival
                jobWordsDone = try group.allgather(Tensor<Int64>([Int64(wordsDone)])).scalars.reduce(0) { $0 + Int($1) }
            }
        }
        for epoch in 0..<options.epochs {
            var sentence = piece.firstSentence
            var epochLoss = 0.0, epochInputs = 0, keptWords = 0
            try corpus.forEachBatch { batch in
                windows.removeAll()
                for index in 0..<batch.sentenceCount {
                    var random = StreamRandom(seed: options.seed, stream: UInt64(epoch) << 40 | UInt64(sentence))
                    keptWords += sampler.appendWindows(of: batch.sentence(index), to: &windows, using: &random)
                    sentence += 1
                }
                for start in stride(from: 0, to: windows.count, by: batchSize) {
                    let end = min(start + batchSize, windows.count)
                    let position = wordsDone + batch.rawWordCount * start / max(windows.count, 1)
                    sgd.learningRate = schedule.rate(atProgress: Double(position) / Double(totalWords))
                    let (loss, inputs) = try step(windows.windows(start..<end), sgd: sgd, exchange: exchange)
                    guard loss.isFinite else {
                        progress.abandon()
                        throw TrainingDiverged(epoch: epoch + 1, share: Double(position - epoch * piece.wordCount)
                                                   / Double(piece.wordCount), learningRate: options.learningRate,
                                               batchSize: batchSize)
                    }
                    epochLoss += loss
                    epochInputs += inputs
                    curveLoss += loss
                    curveInputs += inputs
                    let reached = Double(wordsDone + batch.rawWordCount * end / max(windows.count, 1)) / Double(totalWords)
                    if curveInputs > 0 && reached >= Double(curve.count + 1) / 100 {
                        curve.append((reached, curveLoss / Double(curveInputs)))
                        curveLoss = 0
                        curveInputs = 0
                    }
                }
                wordsDone += batch.rawWordCount
                let inEpoch = wordsDone - epoch * piece.wordCount
                // Capped at the epoch's share: should the text have changed since it was counted,
                // no rank may run ahead into the next epoch's exchanges.
                try exchangeRows(upTo: epoch * exchangesPerEpoch
                                     + min(exchangesPerEpoch, exchangesPerEpoch * inEpoch / max(piece.wordCount, 1)))
                if exchange == nil { jobWordsDone = wordsDone }
                progress.advance(epoch: epoch, wordsDone: jobWordsDone, learningRate: sgd.learningRate,
                                 loss: epochInputs > 0 ? epochLoss / Double(epochInputs) : nil)
            }
            try exchangeRows(upTo: (epoch + 1) * exchangesPerEpoch)
            if group.size > 1 {
                // The epoch's summary covers every rank's words.
                let totals = try group.allreduce(Tensor<Double>([epochLoss, Double(epochInputs), Double(keptWords)]))
                    .scalars
                (epochLoss, epochInputs, keptWords) = (totals[0], Int(totals[1]), Int(totals[2]))
            }
            progress.finishEpoch(epoch, keptWords: keptWords, loss: epochInputs > 0 ? epochLoss / Double(epochInputs) : nil)
        }
        if curveInputs > 0 { curve.append((1, curveLoss / Double(curveInputs))) }
        let seconds = progress.elapsedSeconds
        let jobWords = counts.totalWordCount * options.epochs
        print("trained \(options.epochs) epoch\(options.epochs == 1 ? "" : "s") in \(format(seconds, decimals: 1)) s "
              + "(\(EpochProgress.rate(Double(jobWords) / seconds)) words/s"
              + (group.size > 1 ? " over \(group.size) ranks)" : ")"))
        if let statistics = exchange?.statistics, statistics.exchanges > 0 {
            print("exchanged changed rows \(statistics.exchanges) times: \(EpochProgress.rate(Double(statistics.rows))) rows "
                  + "of all ranks (\(format(Double(statistics.bytes) / 1e9, decimals: 2)) GB) in "
                  + "\(format(statistics.seconds, decimals: 2)) s, \(format(statistics.transferSeconds, decimals: 2)) s of it "
                  + "moving them between ranks; rank 0 waited \(format(Double(waitingNanoseconds) / 1e9, decimals: 2)) s "
                  + "for the others to arrive")
        }
        print("")
        return Outcome(curve: curve, seconds: seconds, rawWordCount: jobWords)
    }

    /// One SGD step on `windows`: the loss summed over its inputs, and the number of inputs.
    private func step(_ windows: ContextWindows, sgd: SGD<Float>, exchange: DeltaExchange<Float>?) throws
        -> (loss: Double, inputs: Int) {
        let outputIDs = Tensor<Int64>(shape: [windows.count, 1 + windows.negativesPerWindow], scalars: windows.outputIDs)
        let cbow = objective == .cbow
        let loss = try negativeSamplingLoss(input: tables.input, inputIDs: Tensor<Int64>(windows.contextIDs),
                                            output: tables.output, outputIDs: outputIDs,
                                            groupOffsets: windows.contextOffsets,
                                            scoring: cbow ? .meanOfInputs : .eachInput)
        let inputs = cbow ? windows.count : windows.contextCount
        loss.backward()
        exchange?.recordGradientRows()
        sgd.step()
        sgd.zeroGrad()
        return (Double(loss.value.scalar), inputs)
    }
}

/// Training whose loss stopped being a finite number: the summed updates overshot.
struct TrainingDiverged: Error, CustomStringConvertible {
    let epoch: Int
    let share: Double
    let learningRate: Double
    let batchSize: Int

    var description: String {
        "training diverged in epoch \(epoch) at \(format(100 * share, decimals: 0))%: the loss is no longer a finite number; "
            + "try a smaller --lr (now \(learningRate)) or --batch (now \(batchSize)); nothing was written"
    }
}

/// word2vec's progress: in a terminal one line redrawn in place, otherwise a line every tenth of an
/// epoch; and a summary line per epoch, as gensim logs them.
final class EpochProgress {
    private let epochs: Int
    private let wordsPerEpoch: Int
    /// Whether the line is redrawn in place. Not in a job of several ranks: `mpirun` hands
    /// rank 0 a terminal of its own even when its own output goes to a file.
    private let isTerminal: Bool
    private let startTime = DispatchTime.now().uptimeNanoseconds
    private var epochStart: UInt64
    private var lastRedraw: UInt64 = 0
    private var lastWidth = 0
    private var nextLoggedTenth = 1

    init(epochs: Int, wordsPerEpoch: Int, redrawsInPlace: Bool) {
        self.epochs = epochs
        isTerminal = redrawsInPlace
        self.wordsPerEpoch = wordsPerEpoch
        epochStart = startTime
    }

    var elapsedSeconds: Double { Double(DispatchTime.now().uptimeNanoseconds - startTime) / 1e9 }

    /// After each batch of the text.
    func advance(epoch: Int, wordsDone: Int, learningRate: Double, loss: Double?) {
        let now = DispatchTime.now().uptimeNanoseconds
        let inEpoch = wordsDone - epoch * wordsPerEpoch
        let share = Double(inEpoch) / Double(max(wordsPerEpoch, 1))
        if isTerminal {
            guard now - lastRedraw >= 100_000_000 else { return }
            lastRedraw = now
            let line = status(epoch: epoch, share: share, wordsDone: wordsDone, learningRate: learningRate, loss: loss, now: now)
            print("\r" + line + String(repeating: " ", count: max(0, lastWidth - line.count)), terminator: "")
            lastWidth = line.count
            fflush(nil)
        } else if share * 10 >= Double(nextLoggedTenth) && share < 1 {
            nextLoggedTenth = Int(share * 10) + 1
            print(status(epoch: epoch, share: share, wordsDone: wordsDone, learningRate: learningRate, loss: loss, now: now))
            fflush(nil)
        }
    }

    /// Ends a redrawn line early, so that an error starts on a line of its own.
    func abandon() {
        if isTerminal && lastWidth > 0 { print("") }
        lastWidth = 0
    }

    /// The summary of an epoch, on a line of its own.
    func finishEpoch(_ epoch: Int, keptWords: Int, loss: Double?) {
        let now = DispatchTime.now().uptimeNanoseconds
        let seconds = Double(now - epochStart) / 1e9
        if isTerminal && lastWidth > 0 { print("\r" + String(repeating: " ", count: lastWidth) + "\r", terminator: "") }
        lastWidth = 0
        print("epoch \(epoch + 1)/\(epochs): \(wordsPerEpoch) words (\(keptWords) kept by subsampling) in "
              + "\(format(seconds, decimals: 1)) s, \(Self.rate(Double(wordsPerEpoch) / seconds)) words/s"
              + (loss.map { ", loss \(format($0, decimals: 4)) per input" } ?? ""))
        fflush(nil)
        epochStart = now
        nextLoggedTenth = 1
    }

    private func status(epoch: Int, share: Double, wordsDone: Int, learningRate: Double, loss: Double?, now: UInt64) -> String {
        let seconds = max(Double(now - startTime) / 1e9, 1e-9)
        let speed = Double(wordsDone) / seconds
        let remaining = speed > 0 ? Double(epochs * wordsPerEpoch - wordsDone) / speed : 0
        let whole = Int(remaining.rounded())
        return "epoch \(epoch + 1)/\(epochs) \(format(100 * share, decimals: 1).leftPadded(to: 5))%  "
            + "lr \(format(learningRate, decimals: 5))  \(Self.rate(speed)) words/s"
            + (loss.map { "  loss \(format($0, decimals: 4))" } ?? "")
            + "  ETA \(whole / 60):" + String(whole % 60).leftPadded(to: 2, with: "0")
    }

    static func rate(_ value: Double) -> String {
        if value >= 1e6 { return format(value / 1e6, decimals: 2) + "M" }
        if value >= 1e3 { return format(value / 1e3, decimals: 1) + "k" }
        return format(value, decimals: 0)
    }
}
