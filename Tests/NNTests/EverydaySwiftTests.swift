import Foundation
import NN
import NumericsStandIn
import Testing

// Code as a user porting a PyTorch notebook writes it, beside `import NN` (and beside a stand-in
// for swift-numerics). Each of these once failed to compile or changed what happened next.

@Suite struct EverydaySwiftTests {
    @Test func unappliedInitializersStayUnambiguous() {
        let doubles = [0.5, 1.5, -2.25]
        let floats = doubles.map(Float.init)
        let wide = floats.map(Double.init)
        let counts = [3.0, 4.0].map(Int64.init)
        #expect(floats == [0.5, 1.5, -2.25])
        #expect(wide == doubles)
        #expect(counts == [3, 4])
    }

    @Test func elementaryFunctionsOfANumericsLibraryResolve() {
        // swift-numerics' `Float.exp`, `Double.log`… are the only ones `Float` and `Double` carry.
        #expect(Float.exp(0) == 1)
        #expect(Double.log(1) == 0)
        #expect(Float.pow(2, 10) == 1024)
        #expect(Double.tanh(0) == 0)
        // And the library's own elementwise functions still work on tensors.
        #expect(Tensor<Float>([0]).exp().scalars == [1])
    }

    @Test func numberConveniencesOfAnotherLibraryResolve() {
        // The library adds no `one` or `doubleValue` to the number types, so another package's win.
        let x: Float = 2.5
        #expect(x.doubleValue == 2.5)
        #expect(Float.one + x == 3.5)
        #expect(Int64(3).doubleValue == 3)
        #expect(Int64.one == 1)
        #expect(Tensor<Float>([1, 2]).pow(2).scalars == [1, 4])
    }

    @Test func aTokenizerOfTheUsersOwnNeedsNoJSONDictionary() throws {
        // A tokenizer of the user's own: the protocol asks for ids, text and a way to save, no more.
        struct CharacterTokenizer: Tokenizer {
            let characters: [Character] = Array("abcdefghijklmnopqrstuvwxyz ")
            var vocabularySize: Int { characters.count }
            func encode(_ text: String) -> [Int] { text.compactMap { characters.firstIndex(of: $0) } }
            func decode(_ ids: [Int]) throws(TensorError) -> String {
                var text = ""
                for (position, id) in ids.enumerated() {
                    guard characters.indices.contains(id) else {
                        throw .indexOutOfRange(index: Int64(id), position: [position], bound: vocabularySize)
                    }
                    text.append(characters[id])
                }
                return text
            }
            func token(for id: Int) -> String? { characters.indices.contains(id) ? String(characters[id]) : nil }
            func id(for token: String) -> Int? { token.count == 1 ? characters.firstIndex(of: token.first!) : nil }
            func save(to url: URL) throws(TensorError) {
                do { try String(characters).write(to: url, atomically: true, encoding: .utf8) } catch {
                    throw .io(path: url.path, reason: error.localizedDescription)
                }
            }
        }
        let tokenizer = CharacterTokenizer()
        #expect(tokenizer.encodedTensor("cab").scalars == [2, 0, 1])
        let loader = DataLoader(text: "the cat sat on the mat", tokenizer: tokenizer, batchSize: 2, maxLength: 4,
                                stride: 4, shuffle: false, dropLast: true)
        var batches = loader.makeIterator()
        let first = batches.next()
        let (inputs, targets) = try #require(first)
        #expect(inputs.shape == [2, 4])
        #expect(try tokenizer.decode(inputs[0].scalars.map(Int.init)) == "the ")
        #expect(try tokenizer.decode(targets[0].scalars.map(Int.init)) == "he c")
    }

    @Test func aCheckpointTensorIsFloatWithoutAnnotation() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("everyday-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try SafetensorsFile.write(["w": Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])], to: url)

        let file = try SafetensorsFile(contentsOf: url)
        let w = try file.tensor(named: "w")
        #expect(w.scalars == [1, 2, 3, 4, 5, 6])
        let embedding = Embedding(pretrained: try file.tensor(named: "w"))
        #expect(embedding.weight.value.shape == [2, 3])
        #expect(embedding.weight.requiresGrad == false)
        // A typed context still picks the other element types.
        let wide: Tensor<Double> = try file.tensor(named: "w")
        #expect(wide.scalars == [1, 2, 3, 4, 5, 6])
    }

    /// Trains a sparse embedding with Adam for two steps on disjoint rows, reading `weight.grad`
    /// after each backward when asked, as a notebook prints it.
    private func trainedTable(readingGrad: Bool) throws -> (table: [UInt32], gradientStaysRowSparse: Bool) {
        let embedding = withManualSeed(123) { Embedding(vocabularySize: 8, embeddingSize: 4, sparse: true) }
        let optimizer = Adam(parameters: embedding.parameters, learningRate: 0.1)
        var staysRowSparse = true
        for ids in [Tensor<Int64>([1, 2]), Tensor<Int64>([5, 6])] {
            optimizer.zeroGrad()
            let loss = try embedding(ids).sum()
            loss.backward()
            if readingGrad {
                #expect(embedding.weight.grad?.shape == [8, 4])
                if case .dense = embedding.weight.gradient { staysRowSparse = false }
            }
            optimizer.step()
        }
        return (embedding.weight.value.scalars.map(\.bitPattern), staysRowSparse)
    }

    @Test func readingAGradientChangesNothing() throws {
        let read = try trainedTable(readingGrad: true)
        let unread = try trainedTable(readingGrad: false)
        #expect(read.gradientStaysRowSparse)
        // Sparse Adam: rows 1 and 2 stay where step one left them during step two.
        #expect(read.table == unread.table)
    }

    @Test func scopesKeepTheBodysErrorType() throws(TensorError) {
        let embedding = withManualSeed(123) { Embedding(vocabularySize: 6, embeddingSize: 3) }
        let ids = Tensor<Int64>([0, 5])
        // Inside a `throws(TensorError)` function, as the library's own layers are.
        let evaluation = try noGrad { () throws(TensorError) in try embedding(ids) }
        #expect(evaluation.requiresGrad == false)
        let recorded = noGrad { enableGrad { embedding.weight * 2 } }
        #expect(recorded.requiresGrad)
        let seeded = try withManualSeed(7) { () throws(TensorError) in
            try Embedding(vocabularySize: 2, embeddingSize: 2)(Tensor<Int64>([1, 0]))
        }
        #expect(seeded.shape == [2, 2])
        // A bad id still comes out as the TensorError it is.
        do {
            _ = try noGrad { () throws(TensorError) in try embedding(Tensor<Int64>([6])) }
            Issue.record("an out-of-range id was accepted")
        } catch {
            #expect(error.description.contains("6"))
        }
    }

    @Test func scopesWorkInUntypedThrowingCode() throws {
        let embedding = withManualSeed(123) { Embedding(vocabularySize: 6, embeddingSize: 3) }
        let evaluation = try noGrad { try embedding(Tensor<Int64>([1, 2])) }
        #expect(evaluation.shape == [2, 3])
    }

    @Test func constantTensorsCombineWithVariablesOnEitherSide() {
        let weight = Parameter(Tensor<Float>([1, 2, 3]))
        let constant = Tensor<Float>([4, 5, 6])
        #expect((constant + weight).value.scalars == [5, 7, 9])
        #expect((constant - weight).value.scalars == [3, 3, 3])
        #expect((constant * weight).value.scalars == [4, 10, 18])
        #expect((constant / weight).value.scalars == [4, 2.5, 2])
        #expect((weight - constant).value.scalars == [-3, -3, -3])
        #expect((weight / constant).value.scalars == [0.25, 0.4, 0.5])

        let loss = (constant * weight + constant / weight - constant).sum()
        loss.backward()
        // d/dw (c·w + c/w − c) = c − c/w²
        let expected: [Float] = [4 - 4 / 1, 5 - 5 / 4, 6 - 6 / 9]
        let gradient = weight.grad?.scalars ?? []
        #expect(gradient.count == 3)
        #expect(zip(gradient, expected).allSatisfy { abs($0 - $1) <= 1e-6 })
    }
}
