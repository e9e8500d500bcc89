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

    var runs: Int { vocabularySize * embeddingSize > 100_000_000 ? 7 : 15 }
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

        // The generic path: two layers through the tape.
        let token = Embedding(vocabularySize: vocabularySize, embeddingSize: embeddingSize)
        let position = PositionalEmbedding(maxLength: length, embeddingSize: embeddingSize)
        let parameters = token.parameters + position.parameters
        if filter(prefix + "forward") {
            let timing = Timing.measure(runs: runs) {
                _ = noGrad { try! token(ids) + position(length: length) }
            }
            var result = BenchmarkResult(suite: "embedding", caseName: name, operation: "forward",
                                         implementation: "swift-autograd", timing: timing)
            result.bytesMoved = forwardBytes
            record(result)
        }
        for (operation, momentum) in [("step", 0.0), ("step_momentum", 0.9)] where filter(prefix + operation) {
            let optimizer = SGD(parameters: parameters, learningRate: 0.1, momentum: momentum)
            let timing = Timing.measure(runs: runs) {
                optimizer.zeroGrad()
                let output = try! token(ids) + position(length: length)
                output.backward(gradient: upstream)
                optimizer.step()
            }
            var result = BenchmarkResult(suite: "embedding", caseName: name, operation: operation,
                                         implementation: "swift-autograd", timing: timing)
            if momentum == 0 { result.bytesMoved = sparseStepBytes }
            record(result)
        }

        // The fused layer: lookup and position add in one pass each way.
        let fused = TokenAndPositionEmbedding(vocabularySize: vocabularySize, embeddingSize: embeddingSize, maxLength: length)
        if filter(prefix + "forward") {
            let timing = Timing.measure(runs: runs) { _ = noGrad { try! fused(ids) } }
            var result = BenchmarkResult(suite: "embedding", caseName: name, operation: "forward",
                                         implementation: "swift-autograd-fused", timing: timing)
            result.bytesMoved = forwardBytes
            record(result)
        }
        for (operation, momentum) in [("step", 0.0), ("step_momentum", 0.9)] where filter(prefix + operation) {
            let optimizer = SGD(parameters: fused.parameters, learningRate: 0.1, momentum: momentum)
            let timing = Timing.measure(runs: runs) {
                optimizer.zeroGrad()
                try! fused(ids).backward(gradient: upstream)
                optimizer.step()
            }
            var result = BenchmarkResult(suite: "embedding", caseName: name, operation: operation,
                                         implementation: "swift-autograd-fused", timing: timing)
            if momentum == 0 { result.bytesMoved = sparseStepBytes }
            record(result)
        }
    }
}
