import Foundation
import Testing
import NN

/// The README's tour is this code: the test fails if the README's block is not found here verbatim
/// or if the code stops compiling or behaving as the comments say.
@Suite struct ReadmeTourTests {
    @Test func tourRunsAsWritten() throws {
        try withManualSeed(123) {
            var printed: [String] = []
            func print(_ item: Any) { printed.append("\(item)") }
            // tour begins
            manualSeed(123)                                          // PyTorch's CPU generator, bit for bit
            let table = Embedding(vocabularySize: 6, embeddingSize: 3)
            print(table.weight)                                      // tensor([[ 0.3374, -0.1778, -0.1690], ...

            let gpt2 = try BytePairTokenizer.gpt2()                  // GPT-2's tokenizer, built in: tiktoken's ids
            let ids = gpt2.encodedTensor("Hello, do you like tea").reshaped([2, 3])   // [[15496, 11, 466], [345, 588, 8887]]
            let token = Embedding(vocabularySize: 50257, embeddingSize: 3)
            let position = PositionalEmbedding(maxLength: 3, embeddingSize: 3)
            let x = try token(ids) + position(length: 3)             // [2, 3, 3]: positions broadcast over the batch

            let sgd = SGD(parameters: token.parameters + position.parameters, learningRate: 0.1, momentum: 0.9)
            let loss = x.squared().mean()
            loss.backward()                                          // token.weight's gradient is row-sparse
            sgd.step(); sgd.zeroGrad()
            position.freeze()                                        // frozen: no gradient, no update, no graph

            let check = gradCheck(inputs: [Tensor<Double>([1, 2, 3])]) { v in (v[0] * v[0]).sum() }
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("token.safetensors")
            try token.save(to: url)                                  // atomic; loads in Python's safetensors
            let file = try SafetensorsFile(contentsOf: url)          // file.names == ["weight"]
            // tour ends
            #expect(printed[0].hasPrefix("tensor([[ 0.3374, -0.1778, -0.1690],"))
            #expect(x.shape == [2, 3, 3])
            #expect(ids.scalars == [15496, 11, 466, 345, 588, 8887])
            #expect(check.passed)
            #expect(file.names == ["weight"])
            #expect(!position.weight.requiresGrad)
            try? FileManager.default.removeItem(at: url)
        }
    }

    @Test func readmeShowsThisTour() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        func lines(_ text: String) -> [String] {
            text.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let tourStart = try #require(readme.range(of: "```swift\nimport Foundation\nimport NN\n"))
        let tourEnd = try #require(readme.range(of: "```", range: tourStart.upperBound..<readme.endIndex))
        let tour = lines(String(readme[tourStart.upperBound..<tourEnd.lowerBound]))
        let body = source.components(separatedBy: "// tour begins")[1].components(separatedBy: "// tour ends")[0]
        #expect(tour == lines(body))
    }
}
