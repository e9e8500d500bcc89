import Foundation
import NN
import Testing

// A notebook's lines as a porter writes them, with the types PyTorch would not name left unnamed:
// each of these once failed to compile (found by trying the API as a new user would).

@Suite struct PortingTests {
    @Test func tokenIdsBecomeTensorsAsTheyCome() throws {
        let tokenizer = WordTokenizer(training: "the cat sat on the mat")
        let ids = Tensor(tokenizer.encode("the cat sat"))            // [Int] → Tensor<Int64>
        #expect(ids.scalars == tokenizer.encode("the cat sat").map(Int64.init))
        let positions = Tensor.arange(ids.shape[0])                   // Tensor<Int64>
        #expect(positions.scalars == [0, 1, 2])
        let stepped = Tensor.arange(1, 7, step: 2)
        #expect(stepped.scalars == [1, 3, 5])
        let random = Tensor.randint(high: 10, shape: [4], generator: Generator(seed: 0))
        #expect(random.scalars.allSatisfy { (0..<10).contains($0) })
        let embedding = Embedding(vocabularySize: tokenizer.vocabularySize, embeddingSize: 4)
        #expect(try embedding(ids).shape == [3, 4])
        #expect(try embedding([0, 1, 1]).shape == [3, 4])             // an array literal of ids
    }

    @Test func factoriesAreFloatWhenNothingSaysOtherwise() {
        let x = Tensor.randn([2, 3])
        let weight = Parameter(Tensor.zeros([3, 2]))
        let ones = Tensor.ones([2]), sevens = Tensor.full([2], value: 7), uniform = Tensor.rand([3])
        #expect(type(of: x) == Tensor<Float>.self)
        #expect(type(of: weight) == Parameter<Float>.self)
        #expect(ones.scalars == [1, 1] && sevens.scalars == [7, 7] && uniform.count == 3)
        // A typed context still chooses.
        let wide: Tensor<Double> = .randn([2])
        #expect(wide.count == 2)
        let literal: Tensor<Float> = [0.5, -0.5]
        #expect(literal.scalars == [0.5, -0.5])
    }

    @Test func aLossReadsAsANumberAndLogitsAsPredictions() throws {
        let model = NextTokenModel(vocabularySize: 10, embeddingSize: 4, contextLength: 3)
        let input: Tensor<Int64> = [1, 2, 3]
        let logits = try model(input.reshaped([1, 3]))
        let loss = try crossEntropy(logits: logits.reshaped([3, 10]), targets: [2, 3, 4])
        #expect(loss.item().isFinite)
        #expect(loss.scalar == loss.item() && loss.rank == 0 && loss.count == 1)
        let predictions = logits.argmax(axis: -1)
        #expect(predictions.shape == [1, 3])
        let accuracy = (predictions.reshaped([3]) .== Tensor([2, 3, 4])).converted(to: Float.self).mean()
        #expect((0...1).contains(accuracy.scalar))
        model.zeroGrad()
        #expect(model.parameters.allSatisfy { $0.grad == nil })
    }

    @Test func masksCompareWithNumbersAndCount() {
        let x: Tensor<Float> = [-1, 0, 2, 3]
        let positive = x .> 0
        #expect(positive.scalars == [false, false, true, true])
        #expect(positive.trueCount == 2)
        #expect((!positive).scalars == [true, true, false, false])
        #expect((0 .< x).scalars == positive.scalars)
        #expect(Tensor.where(positive, x, 0).scalars == [0, 0, 2, 3])
        #expect(positive.converted(to: Int64.self).sum().scalar == 2)
    }

    @Test func layersAndProductsTakePlainTensors() {
        let layer = Linear(inputSize: 3, outputSize: 4)
        #expect(layer(Tensor.randn([2, 3])).shape == [2, 4])
        #expect(LayerNorm(normalizedShape: [3])(Tensor.randn([2, 3])).shape == [2, 3])
        let w = Parameter(Tensor.ones([3, 2]))
        let h = Variable(Tensor.ones([4, 3]))
        #expect(h.matmul(Tensor.ones([3, 2])).shape == [4, 2])
        let product = Tensor.ones([4, 3]).matmul(w)
        product.sum().backward()
        #expect(w.grad?.scalars == [4, 4, 4, 4, 4, 4])
    }

    @Test func subscriptsReadAsPyTorchIndexing() {
        let x = Tensor<Float>.arange(6).reshaped([2, 3])
        #expect(x[1, 2].scalar == 5)                      // x[1, 2]
        #expect(x[element: [-1, -1]] == 5)                // x[-1, -1].item()
        #expect(x[.all, 0].scalars == [0, 3])             // x[:, 0]
        #expect(x[1...].shape == [1, 3])                  // x[1:]
        #expect(x[..<1].scalars == [0, 1, 2])             // x[:1]
        let v = Variable(x)
        #expect(v[0].shape == [3])                        // a variable's row
        #expect(x.indexed(by: [.all, .index(1)]).scalars == [1, 4])
        // Ranges at any axis, as PyTorch's slices.
        #expect(x[.all, 1..<3].scalars == [1, 2, 4, 5])   // x[:, 1:3]
        #expect(x[1..., 0].scalars == [3])                // x[1:, 0]
        #expect(x[.all, ...1].shape == [2, 2])            // x[:, :2]
        #expect(x[0, 1...].scalars == [1, 2])             // x[0, 1:]
        #expect(x[.newAxis, .all, 2..<3].shape == [1, 2, 1])
        var m = Tensor<Float>.zeros([2, 4])
        m[.all, 1...2] = Tensor([7])
        #expect(m.scalars == [0, 7, 7, 0, 0, 7, 7, 0])
        let w = Parameter(x)
        w[.all, 1...].sum().backward()                    // the gradient reaches only the slice
        #expect(w.grad?.scalars == [0, 1, 1, 0, 1, 1])
    }

    @Test func compoundAssignmentTakesNumbersAndTensors() {
        let weight = Parameter(Tensor<Float>([1, 2]))
        var h: Variable<Float> = weight * 1
        h += 1
        h *= 0.5
        h -= Tensor<Float>([1, 1])
        h /= 2
        #expect(h.scalars == [0, 0.25])
        h.sum().backward()
        #expect(weight.grad?.scalars == [0.25, 0.25])
    }

    @Test func bufferAccessKeepsTheBodysErrorType() throws(TensorError) {
        func firstPositive(_ values: Tensor<Float>) throws(TensorError) -> Float {
            try values.withContiguousBuffer { (buffer) throws(TensorError) -> Float in
                guard let first = buffer.first(where: { $0 > 0 }) else { throw .invalidArgument("no positive value") }
                return first
            }
        }
        #expect(try firstPositive([-1, 3, 4]) == 3)
        #expect(throws: TensorError.self) { try firstPositive([-1]) }
    }
}

@Suite struct PartialLoadingTests {
    @Test func aNonStrictLoadTakesWhatMatchesAndSaysWhatItSkipped() throws {
        let model = NextTokenModel(vocabularySize: 10, embeddingSize: 4, contextLength: 3)
        let headBias = model.head.bias!.value
        let token = Tensor<Float>.ones([10, 4])
        let state = ["token.weight": token, "transformer.h.0.attn.c_attn.weight": Tensor<Float>.zeros([2])]
        #expect(throws: TensorError.self) { try model.load(stateDict: state) }   // strict by default
        #expect(model.token.weight.value != token)

        let skipped = try model.load(stateDict: state, strict: false)
        #expect(model.token.weight.value == token)
        #expect(model.head.bias!.value == headBias)
        #expect(skipped.unexpected == ["transformer.h.0.attn.c_attn.weight"])
        #expect(skipped.missing.contains("head.weight") && !skipped.missing.contains("token.weight"))
        // A wrong shape is refused even when not strict, and nothing changes.
        #expect(throws: TensorError.self) {
            try model.load(stateDict: ["token.weight": Tensor<Float>.zeros([3, 4])], strict: false)
        }
        #expect(model.token.weight.value == token)
    }

    @Test func aNonStrictCheckpointLoadReadsPartOfAFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("partial-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try SafetensorsFile.write(["token.weight": Tensor<Float>.full([10, 4], value: 2),
                                   "lm_head.extra": Tensor<Float>.zeros([1])], to: url)
        let model = NextTokenModel(vocabularySize: 10, embeddingSize: 4, contextLength: 3)
        #expect(throws: TensorError.self) { try model.load(from: url) }
        let skipped = try model.load(from: url, strict: false)
        #expect(model.token.weight.value.scalars.allSatisfy { $0 == 2 })
        #expect(skipped.unexpected == ["lm_head.extra"])
    }
}

/// A model as a porter writes one: children only, no training flag of its own.
private final class TinyModel: Module {
    let token = Embedding(vocabularySize: 8, embeddingSize: 4)
    let dropout = Dropout(probability: 0.5)
    var namedChildren: [(name: String, module: any Module<Float>)] { [("token", token), ("dropout", dropout)] }
}

@Suite struct CustomModuleTests {
    @Test func aModuleOfChildrenNeedsNoTrainingFlag() {
        let model = TinyModel()
        #expect(model.isTraining && model.dropout.isTraining)
        model.eval()
        #expect(!model.isTraining && !model.dropout.isTraining && !model.token.isTraining)
        model.isTraining = true
        #expect(model.dropout.isTraining)
        #expect(model.namedParameters.map(\.name) == ["token.weight"])
    }
}

@Suite struct ElementIndexTests {
    @Test func anElementIndexOutsideItsAxisTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor<Float>.zeros([2, 3])[element: [-3, 0]]
        }
        await #expect(processExitsWith: .failure) {
            _ = Tensor<Float>.zeros([2, 3])[element: [0, 3]]
        }
    }
}
