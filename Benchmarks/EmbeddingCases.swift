import NN

/// The embedding suite: the cases of the PyTorch reference script, same names and shapes.
///
/// `forward` = token lookup + learned positions added, no gradient; `step` = zero grads, forward,
/// backward with a fixed upstream gradient, SGD (lr 0.1) on both tables; `step_momentum` = the same
/// with momentum 0.9 (dense semantics). Ids and upstream gradient are drawn once with seed 0, as
/// the reference script draws them.
struct EmbeddingCase {
    let name: String
    let vocabularySize: Int, embeddingSize: Int, batchSize: Int, length: Int

    static let all = [
        EmbeddingCase(name: "book", vocabularySize: 50257, embeddingSize: 256, batchSize: 8, length: 4),
        EmbeddingCase(name: "gpt2", vocabularySize: 50257, embeddingSize: 768, batchSize: 8, length: 1024),
        EmbeddingCase(name: "llama", vocabularySize: 32000, embeddingSize: 4096, batchSize: 4, length: 512),
    ]

    /// The reference script's 7 or 15 runs for the large tables; a case of a few microseconds per
    /// call (the book's 32 tokens) takes 301, because 15 samples of a 3 µs call move by half
    /// their value with whatever else the machine does, and its ratios with them.
    var runs: Int {
        if tokenCount * embeddingSize < 1 << 16 { return 301 }
        return vocabularySize * embeddingSize > 100_000_000 ? 7 : 15
    }
    var tokenCount: Int { batchSize * length }

    /// Forward: read B·T ids and B·T·D table floats, write B·T·D floats (the reference's byte model).
    var forwardBytes: Double { Double(2 * tokenCount * embeddingSize * 4 + tokenCount * 8) }

    /// A sparse step: read the upstream gradient, read and write each touched table row, plus ids.
    var sparseStepBytes: Double {
        Double(tokenCount * embeddingSize * 4 + 2 * tokenCount * embeddingSize * 4 + tokenCount * 8)
    }

    func run(_ record: (BenchmarkResult) -> Void, filter: (String) -> Bool) throws {
        let prefix = "embedding/\(name)/"
        // Building the tables takes longer than the cases; skip it when no case is selected.
        guard ["forward", "step", "step_momentum"].contains(where: { filter(prefix + $0) }) else { return }
        let generator = Generator(seed: 0)
        let ids = Tensor<Int64>.randint(low: 0, high: vocabularySize, shape: [batchSize, length], generator: generator)
        let upstream = Tensor<Float>.randn([batchSize, length, embeddingSize], generator: generator)

        // The generic path, two layers through the tape, and the fused layer, timed call by call
        // in alternation: both then see the same state of a shared machine, so their ratio holds
        // still where timing one after the other moved it by half (the book's calls last a few µs).
        let token = Embedding(vocabularySize: vocabularySize, embeddingSize: embeddingSize)
        let position = PositionalEmbedding(maxLength: length, embeddingSize: embeddingSize)
        let fused = TokenAndPositionEmbedding(vocabularySize: vocabularySize, embeddingSize: embeddingSize, maxLength: length)
        if filter(prefix + "forward") {
            let (generic, fusedTiming) = Timing.measureAlternately(runs: runs, {
                _ = noGrad { try! token(ids) + position(length: length) }
            }, {
                _ = noGrad { try! fused(ids) }
            })
            record(result("forward", "swift-autograd", generic, bytes: forwardBytes))
            record(result("forward", "swift-autograd-fused", fusedTiming, bytes: forwardBytes))
        }
        for (operation, momentum) in [("step", 0.0), ("step_momentum", 0.9)] where filter(prefix + operation) {
            let genericOptimizer = SGD(parameters: token.parameters + position.parameters, learningRate: 0.1,
                                       momentum: momentum)
            let fusedOptimizer = SGD(parameters: fused.parameters, learningRate: 0.1, momentum: momentum)
            let (generic, fusedTiming) = Timing.measureAlternately(runs: runs, {
                genericOptimizer.zeroGrad()
                let output = try! token(ids) + position(length: length)
                output.backward(gradient: upstream)
                genericOptimizer.step()
            }, {
                fusedOptimizer.zeroGrad()
                try! fused(ids).backward(gradient: upstream)
                fusedOptimizer.step()
            })
            let bytes = momentum == 0 ? sparseStepBytes : nil
            record(result(operation, "swift-autograd", generic, bytes: bytes))
            record(result(operation, "swift-autograd-fused", fusedTiming, bytes: bytes))
        }
    }

    private func result(_ operation: String, _ implementation: String, _ timing: Timing, bytes: Double?) -> BenchmarkResult {
        var result = BenchmarkResult(suite: "embedding", caseName: name, operation: operation,
                                     implementation: implementation, timing: timing)
        result.bytesMoved = bytes
        return result
    }
}
