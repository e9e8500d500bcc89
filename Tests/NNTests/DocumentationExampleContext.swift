import Foundation
import NN

// The names the documentation examples use without declaring them, as a reader would have them
// at hand: a file path, a model, a batch of ids… (see DocumentationExamplesTests). Only compiled.
// Each is a computed global that would trap if read, and only gives its name a type: an example
// that uses one is only compiled, and in the examples that run (ExecutedDocumentationExamples)
// these names are unavailable. The generator reads the names from this file (`var name: … { neverRun() }`).

private func neverRun<T>() -> T { fatalError("the context of the documentation examples is never read") }

/// Takes the value an example shows, so that compiling the example does not warn that the value
/// is unused (`Void` results included).
func show<T>(_ value: T) {}

var url: URL { neverRun() }
var copyURL: URL { neverRun() }
var directory: URL { neverRun() }
var runDirectory: URL { neverRun() }
var file: SafetensorsFile { neverRun() }
var ids: Tensor<Int64> { neverRun() }
var model: NextTokenModel<Float> { neverRun() }
var embedding: Embedding<Float> { neverRun() }
var tok: Embedding<Float> { neverRun() }
var pos: PositionalEmbedding<Float> { neverRun() }
var weight: Parameter<Float> { neverRun() }
var embeddings: Tensor<Float> { neverRun() }
var w: Tensor<Float> { neverRun() }
var a: Tensor<Float> { neverRun() }
var b: Tensor<Float> { neverRun() }
var x: Variable<Float> { neverRun() }
var loss: Variable<Float> { neverRun() }
var catID: Int { neverRun() }
var dogID: Int { neverRun() }
var breadID: Int { neverRun() }
var rawText: String { neverRun() }
var gpt2: BytePairTokenizer { neverRun() }
var tokenizer: WordTokenizer { neverRun() }
var dataset: SlidingWindowDataset { neverRun() }
var logits: Variable<Float> { neverRun() }
var predictions: Tensor<Int64> { neverRun() }
var targets: Tensor<Int64> { neverRun() }
var pretrained: [String: Tensor<Float>] { neverRun() }
var sgd: SGD<Float> { neverRun() }
var wordsDone: Int { neverRun() }
var wordsInAllEpochs: Int { neverRun() }
var vectors: WordVectors { neverRun() }
var wordVectors: WordVectors { neverRun() }
var batch: SentenceBatch { neverRun() }
var vocabulary: WordVocabulary { neverRun() }
var counts: WordCounts { neverRun() }
var input: Embedding<Float> { neverRun() }
var output: Embedding<Float> { neverRun() }
var group: ProcessGroup { neverRun() }
var loader: DataLoader<SlidingWindowDataset> { neverRun() }
var lossFunction: (Variable<Float>, Tensor<Int64>) throws -> Variable<Float> { neverRun() }
var fileSize: Int { neverRun() }
var myShareOfTheText: [SentenceBatch] { neverRun() }
var batchLoss: (SentenceBatch) throws -> Variable<Float> { neverRun() }
var timeToExchange: Bool { neverRun() }
