import Foundation
import NN

/// 100 small elementwise operations recorded and differentiated: the per-operation overhead of the tape.
func chainCase(_ record: (BenchmarkResult) -> Void) {
    let x = Parameter(Tensor<Float>.randn([4, 4], generator: Generator(seed: 0)))
    let timing = Timing.measure(runs: 30) {
        var y: Variable<Float> = x
        for _ in 0..<50 { y = y * 1.0001 + 0.001 }
        y.sum().backward()
    }
    record(BenchmarkResult(suite: "autograd", caseName: "chain100_4x4", operation: "forward_backward",
                           implementation: "swift-autograd", timing: timing))
}

/// Token + positional embedding → Linear head → cross-entropy; one SGD step.
func languageModelCase(quick: Bool, _ record: (BenchmarkResult) -> Void) throws {
    let (vocabulary, dimension, batch, length) = quick ? (1024, 64, 8, 32) : (8192, 128, 16, 64)
    let generator = Generator(seed: 0)
    let ids = Tensor<Int64>.randint(low: 0, high: vocabulary, shape: [batch, length], generator: generator)
    let targets = Tensor<Int64>.randint(low: 0, high: vocabulary, shape: [batch * length], generator: generator)
    let embedding = TokenAndPositionEmbedding(vocabularySize: vocabulary, embeddingSize: dimension, maxLength: length)
    let head = Linear(inputSize: dimension, outputSize: vocabulary)
    let optimizer = SGD(parameters: embedding.parameters + head.parameters, learningRate: 0.1)
    let timing = Timing.measure(runs: 10) {
        optimizer.zeroGrad()
        let logits = head(try! embedding(ids)).reshaped([batch * length, vocabulary])
        let loss = try! crossEntropy(logits: logits, targets: targets)
        loss.backward()
        optimizer.step()
    }
    record(BenchmarkResult(suite: "model", caseName: "lm_V\(vocabulary)_D\(dimension)_B\(batch)_T\(length)",
                           operation: "step", implementation: "swift-autograd-fused", timing: timing))
}

/// An n×n by n×n Float matrix product.
func matmulCase(quick: Bool, _ record: (BenchmarkResult) -> Void) {
    let size = quick ? 256 : 512
    let generator = Generator(seed: 0)
    let a = Tensor<Float>.randn([size, size], generator: generator)
    let b = Tensor<Float>.randn([size, size], generator: generator)
    let timing = Timing.measure(runs: 20) { _ = a.matmul(b) }
    var result = BenchmarkResult(suite: "tensor", caseName: "matmul_\(size)", operation: "forward",
                                 implementation: "swift-autograd", timing: timing)
    result.floatingPointOperations = 2 * Double(size * size * size)
    record(result)
}

/// GPT-2 byte-pair encoding of a whole text, as the book's `create_dataloader_v1` encodes it
/// (`<|endoftext|>` allowed), with the built-in tokenizer; `mb_per_s` counts UTF-8 input bytes.
func textCase(path: String, _ record: (BenchmarkResult) -> Void) throws {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let gpt2 = try BytePairTokenizer.gpt2()
    // tiktoken encodes on one thread; ours splits a long text across the cores, so both rows.
    for (implementation, threads) in [("swift-autograd", ParallelConfiguration.maximumThreadCount),
                                      ("swift-autograd-1-thread", 1)] {
        let timing = withMaximumThreadCount(threads) {
            Timing.measure(runs: 7, warmUp: 1) { _ = gpt2.encode(text) }
        }
        var result = BenchmarkResult(suite: "text", caseName: "gpt2_encode", operation: "encode",
                                     implementation: implementation, timing: timing)
        result.inputBytes = text.utf8.count
        record(result)
    }
}
