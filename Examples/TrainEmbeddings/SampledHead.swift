import Foundation
import NN

/// Next-token training with `--negatives K`: the head learns from the true next token and K noise
/// tokens per position (``NextTokenModel/sampledLoss(input:target:negatives:)``) instead of a
/// softmax over the whole vocabulary, so a step costs the same for 40 000 words as for 60.
///
/// The token table and the head become `sparse`, so that Adam moves only the rows of a step. The
/// head's bias is fixed at `log(K·q(w))` for the noise distribution `q`: negative sampling learns
/// `h·w ≈ log(p(w | context) / (K·q(w)))`, so with that bias the ordinary logits estimate the next
/// token's log-probability, and the held-out loss (a full softmax) stays comparable with the
/// counting baselines.
struct SampledHead {
    let negatives: Int
    let noise: NegativeSampler
    let seed: UInt64

    /// Nil unless `--negatives` asks for a sampled head; otherwise prepares `model` for it.
    init?(options: Options, model: NextTokenModel<Float>, trainTokens: [Int], vocabularySize: Int) {
        guard let negatives = options.negatives, negatives > 0 else { return nil }
        var counts = [Int](repeating: 0, count: vocabularySize)
        for token in trainTokens { counts[token] += 1 }
        // Rows that never occur in training (the unseen row) still get a little noise mass.
        noise = NegativeSampler(counts: counts.map { Swift.max($0, 1) })
        self.negatives = negatives
        seed = options.seed
        model.token.weight.isSparse = true
        model.head.weight.isSparse = true
        if let bias = model.head.bias {
            bias.value = Tensor((0..<vocabularySize).map { Float(log(Double(negatives) * noise.probability(of: $0))) })
            bias.requiresGrad = false
        }
    }

    /// The sampled loss of `batch` at `step`, its noise drawn from the step's own stream.
    func loss(of model: NextTokenModel<Float>, batch: SlidingWindowDataset.Batch, step: Int) throws -> Variable<Float> {
        var random = StreamRandom(seed: seed, stream: UInt64(step))
        var draws = [Int64]()
        draws.reserveCapacity(batch.target.count * negatives)
        for target in batch.target.scalars {
            for _ in 0..<negatives {
                // As in the word2vec windows: the true token is not its own noise.
                draws.append(Int64(noise.sample(avoiding: Int(target), redrawLimit: ContextWindowSampler.redrawLimit,
                                                using: &random)))
            }
        }
        let noiseTokens = Tensor<Int64>(shape: batch.target.shape + [negatives], scalars: draws)
        return try model.sampledLoss(input: batch.input, target: batch.target, negatives: noiseTokens)
    }
}
