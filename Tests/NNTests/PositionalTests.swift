import Foundation
import Testing
@testable import NN

@Suite("PositionalEmbedding")
struct PositionalEmbeddingTests {
    @Test func lengthGivesTheFirstRowsOfTheTable() throws {
        let position = PositionalEmbedding(maxLength: 6, embeddingSize: 3, generator: Generator(seed: 0))
        let rows = try position(length: 4)
        #expect(rows.shape == [4, 3])
        #expect(rows.value.scalars == position.weight.value[0..<4].scalars)
    }

    @Test func tableIsDrawnLikeAnEmbedding() {
        let position = PositionalEmbedding(maxLength: 4, embeddingSize: 3, generator: Generator(seed: 5))
        let embedding = Embedding(vocabularySize: 4, embeddingSize: 3, generator: Generator(seed: 5))
        #expect(position.weight.value == embedding.weight.value)
        #expect(position.namedParameters.map(\.name) == ["weight"])
    }

    @Test func lengthPastTheTableThrows() {
        let position = PositionalEmbedding(maxLength: 4, embeddingSize: 3, generator: Generator(seed: 0))
        #expect(throws: TensorError.invalidArgument("sequence length 5 exceeds the positional embedding's maxLength 4")) {
            try position(length: 5)
        }
    }

    @Test func aTableReplacedByAnotherShapeIsReadAsItIsNow() throws {
        let position = PositionalEmbedding(maxLength: 4, embeddingSize: 3, generator: Generator(seed: 0))
        _ = try position(length: 4)   // the whole-table lookup made at creation, used once
        position.weight.value = Tensor<Float>(shape: [2, 5], scalars: (0..<10).map(Float.init))
        #expect(throws: TensorError.invalidArgument("sequence length 4 exceeds the 2 rows of the positional "
            + "embedding's table (its value was replaced by a shorter one)")) {
            try position(length: 4)
        }
        let rows = try position(length: 2)
        #expect(rows.shape == [2, 5])
        #expect(rows.value.scalars == (0..<10).map(Float.init))
        #expect(throws: TensorError.indexOutOfRange(index: 3, position: [0], bound: 2)) {
            try position(positions: Tensor<Int64>([3]))
        }
        // A table of the original shape again: the lookup of the whole table reads the new values.
        position.weight.value = Tensor<Float>.ones([4, 3])
        #expect(try (Variable(Tensor<Float>.zeros([2, 4, 3])) + position(length: 4)).value == Tensor<Float>.ones([2, 4, 3]))
    }

    @Test func aWiderTableOfAsManyRowsIsNotReadThroughTheKeptLookup() throws {
        let position = PositionalEmbedding(maxLength: 4, embeddingSize: 3, generator: Generator(seed: 0))
        let wider = Tensor<Float>(shape: [4, 5], scalars: (0..<20).map(Float.init))
        position.weight.value = wider
        let rows = try position(length: 4)
        #expect(rows.shape == [4, 5])
        #expect(rows.value == wider)
        let sum = Variable(Tensor<Float>.zeros([2, 4, 5])) + (try position(length: 4))
        #expect(sum.value == Tensor<Float>.zeros([2, 4, 5]) + wider)
    }

    @Test func negativeLengthTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = try PositionalEmbedding(maxLength: 4, embeddingSize: 3, generator: Generator(seed: 0))(length: -1)
        }
    }

    @Test func positionsPickTheirRows() throws {
        let position = PositionalEmbedding(maxLength: 4, embeddingSize: 2, generator: Generator(seed: 0))
        let rows = try position(positions: Tensor<Int64>(nested: [[3, 0]]))
        #expect(rows.shape == [1, 2, 2])
        #expect(rows.value.scalars == position.weight.value[3].scalars + position.weight.value[0].scalars)
    }

    @Test func positionPastTheTableThrows() {
        let position = PositionalEmbedding(maxLength: 4, embeddingSize: 2, generator: Generator(seed: 0))
        #expect(throws: TensorError.indexOutOfRange(index: 4, position: [1], bound: 4)) {
            try position(positions: Tensor<Int64>([0, 4]))
        }
    }

    @Test func addingToABatchBroadcastsOverTheBatch() throws {
        let position = PositionalEmbedding(maxLength: 4, embeddingSize: 2, generator: Generator(seed: 0))
        let tokens = Variable(Tensor<Float>.ones([3, 4, 2]))
        let sum = tokens + (try position(length: 4))
        sum.backward(gradient: Tensor<Float>.ones([3, 4, 2]))
        #expect(sum.shape == [3, 4, 2])
        #expect(position.weight.grad == Tensor<Float>.full([4, 2], value: 3))
    }

    @Test func backwardIsRowSparseOverTheUsedPositions() throws {
        let position = PositionalEmbedding(maxLength: 100, embeddingSize: 2, generator: Generator(seed: 0))
        try position(length: 3).sum().backward()
        guard case .rows(let rows)? = position.weight.gradient else {
            Issue.record("expected a row-sparse gradient")
            return
        }
        #expect(rows.rowIndices.scalars == [0, 1, 2])
        #expect(rows.rowCount == 100)
    }

    @Test func encodedAddsTheTable() throws {
        let position = PositionalEmbedding(maxLength: 4, embeddingSize: 2, generator: Generator(seed: 0))
        let input = Tensor<Float>.randn([2, 3, 2], generator: Generator(seed: 1))
        let encoded = try position.encoded(Variable(input))
        #expect(encoded.value == input + position.weight.value[0..<3])
    }

    @Test func frozenTableGetsNoGradient() throws {
        let position = PositionalEmbedding(maxLength: 4, embeddingSize: 2, generator: Generator(seed: 0))
        position.freeze()
        let tokens = Variable(Tensor<Float>.ones([4, 2]), requiresGrad: true)
        (tokens + (try position(length: 4))).sum().backward()
        #expect(position.weight.grad == nil)
        position.unfreeze()
        #expect(position.weight.requiresGrad)
    }

    @Test func lookupOfPositionsPassesGradientCheck() {
        let table = Tensor<Double>.randn([5, 2], generator: Generator(seed: 2))
        let positions = CheckedIndices(trusted: Tensor<Int64>.arange(4), shape: [4])
        let result = gradCheck(inputs: [table]) { variables in
            let rows = EmbeddingLookup.rows(of: variables[0], at: positions, options: .plain)
            return (rows * rows).sum(alongAxes: [1])
        }
        #expect(result.passed, "\(result)")
    }
}

@Suite("SinusoidalPositionalEncoding")
struct SinusoidalPositionalEncodingTests {
    @Test func tableEqualsTheReferenceSignal() {
        // golden.json: sinusoidal_8x6, compared exactly.
        let encoding = SinusoidalPositionalEncoding(maxLength: 8, embeddingSize: 6)
        #expect(encoding.table == floatTensor(EmbeddingGolden.vectors.sinusoidal8x6))
    }

    @Test func columnsInterleaveSineAndCosine() {
        let encoding = SinusoidalPositionalEncoding<Double>(maxLength: 3, embeddingSize: 4)
        let row = encoding.table[2].scalars
        let angle = 2 / Foundation.pow(10000, 2.0 / 4)
        #expect(row == [Foundation.sin(2), Foundation.cos(2), Foundation.sin(angle), Foundation.cos(angle)])
    }

    @Test func oddEmbeddingSizeEndsWithASineColumn() {
        let encoding = SinusoidalPositionalEncoding<Double>(maxLength: 2, embeddingSize: 3)
        let frequency = 1 / Foundation.pow(10000, 2.0 / 3)
        #expect(encoding.table[1].scalars == [Foundation.sin(1), Foundation.cos(1), Foundation.sin(frequency)])
    }

    @Test func lengthGivesAConstantPrefix() throws {
        let encoding = SinusoidalPositionalEncoding(maxLength: 8, embeddingSize: 6)
        let prefix = try encoding(length: 3)
        #expect(prefix.value == encoding.table[0..<3])
        #expect(prefix.requiresGrad == false)
        #expect(encoding.parameters.isEmpty)
    }

    @Test func lengthPastTheTableThrows() {
        let encoding = SinusoidalPositionalEncoding(maxLength: 8, embeddingSize: 6)
        #expect(throws: TensorError.invalidArgument("sequence length 9 exceeds the sinusoidal encoding's maxLength 8")) {
            try encoding(length: 9)
        }
    }

    @Test func encodedAddsTheSignalAndPassesGradientCheck() throws {
        let encoding = SinusoidalPositionalEncoding<Double>(maxLength: 5, embeddingSize: 4)
        let input = Tensor<Double>.randn([2, 3, 4], generator: Generator(seed: 3))
        #expect(try encoding.encoded(Variable(input)).value == input + encoding.table[0..<3])
        let result = gradCheck(inputs: [input]) { variables in
            let encoded = try! encoding.encoded(variables[0])
            return encoded * encoded
        }
        #expect(result.passed, "\(result)")
    }

    @Test func inputOfTheWrongWidthTraps() async {
        await #expect(processExitsWith: .failure) {
            let encoding = SinusoidalPositionalEncoding(maxLength: 5, embeddingSize: 4)
            _ = try encoding.encoded(Variable(Tensor<Float>.zeros([3, 5])))
        }
    }
}

@Suite("RelativePositionalEmbedding")
struct RelativePositionalEmbeddingTests {
    static func goldenLayer() -> RelativePositionalEmbedding<Float> {
        let golden = EmbeddingGolden.vectors.relativePositions
        let relative = RelativePositionalEmbedding(maxDistance: golden.maxDistance, embeddingSize: 3,
                                                   generator: Generator(seed: 0))
        relative.weight.value = floatTensor(golden.table)
        return relative
    }

    @Test func outputEqualsTheReference() {
        // golden.json: relative_positions (table, output), compared exactly.
        let golden = EmbeddingGolden.vectors.relativePositions
        let output = Self.goldenLayer()(length: golden.length)
        #expect(output.shape == [5, 5, 3])
        #expect(output.value == floatTensor(golden.output))
    }

    @Test func tableGradientEqualsTheReference() {
        // golden.json: relative_positions (upstream_grad, table_grad), compared exactly.
        let golden = EmbeddingGolden.vectors.relativePositions
        let relative = Self.goldenLayer()
        relative(length: golden.length).backward(gradient: floatTensor(golden.upstreamGrad))
        #expect(relative.weight.grad == floatTensor(golden.tableGrad))
    }

    @Test func rowOfAPairIsItsClippedDistanceFromTheQuery() {
        let rows = RelativePositionalEmbedding<Float>.pairRows(length: 4, maxDistance: 1)
        #expect(rows.flat.scalars == [1, 2, 2, 2,
                                      0, 1, 2, 2,
                                      0, 0, 1, 2,
                                      0, 0, 0, 1])
    }

    @Test func backwardIsRowSparse() {
        let relative = RelativePositionalEmbedding(maxDistance: 2, embeddingSize: 3, generator: Generator(seed: 0))
        relative(length: 2).sum().backward()
        guard case .rows(let rows)? = relative.weight.gradient else {
            Issue.record("expected a row-sparse gradient")
            return
        }
        #expect(rows.rowIndices.scalars == [2, 3, 1, 2])
    }

    @Test func tableHoldsTwiceTheDistancePlusOneRows() {
        let relative = RelativePositionalEmbedding(maxDistance: 3, embeddingSize: 2, generator: Generator(seed: 0))
        #expect(relative.weight.value.shape == [7, 2])
        #expect(relative.namedParameters.map(\.name) == ["weight"])
    }

    @Test func encodedAddsThePairVectorsToEveryKey() throws {
        let relative = RelativePositionalEmbedding(maxDistance: 1, embeddingSize: 2, generator: Generator(seed: 0))
        let keys = Tensor<Float>.randn([2, 3, 2], generator: Generator(seed: 4))
        let encoded = try relative.encoded(Variable(keys))
        #expect(encoded.shape == [2, 3, 3, 2])
        let pairs = relative(length: 3).value
        #expect(encoded.value[.index(1), .index(2), .index(0)].scalars
                == (keys[.index(1), .index(0)] + pairs[.index(2), .index(0)]).scalars)
    }

    @Test func pairLookupPassesGradientCheck() {
        let table = Tensor<Double>.randn([5, 2], generator: Generator(seed: 5))
        let rows = RelativePositionalEmbedding<Double>.pairRows(length: 4, maxDistance: 2)
        let result = gradCheck(inputs: [table]) { variables in
            let pairs = EmbeddingLookup.rows(of: variables[0], at: rows, options: .plain)
            return (pairs * pairs).sum(alongAxes: [2])
        }
        #expect(result.passed, "\(result)")
    }

    @Test func negativeMaxDistanceTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = RelativePositionalEmbedding(maxDistance: -1, embeddingSize: 2, generator: Generator(seed: 0))
        }
    }
}

@Suite("RotaryPositionalEmbedding")
struct RotaryPositionalEmbeddingTests {
    @Test func pairsFeatureIWithFeatureIPlusHalf() {
        let rope = RotaryPositionalEmbedding<Double>(embeddingSize: 4)
        let input = Tensor<Double>(shape: [2, 4], scalars: [1, 2, 3, 4, 1, 0, 0, 1])
        let rotated = rope(Variable(input)).value
        #expect(rotated[0].scalars == [1, 2, 3, 4])
        let slow = Foundation.pow(10000, -2.0 / 4)
        #expect(rotated[1].scalars == [Foundation.cos(1), -Foundation.sin(slow),
                                       Foundation.sin(1), Foundation.cos(slow)])
    }

    @Test func rotationKeepsTheNormOfEveryPair() {
        let rope = RotaryPositionalEmbedding<Double>(embeddingSize: 6)
        let input = Tensor<Double>.randn([2, 5, 6], generator: Generator(seed: 6))
        let rotated = rope(Variable(input)).value
        let half = 3
        for row in 0..<10 {
            let before = input.reshaped([10, 6])[row].scalars, after = rotated.reshaped([10, 6])[row].scalars
            for i in 0..<half {
                let normBefore = before[i] * before[i] + before[i + half] * before[i + half]
                let normAfter = after[i] * after[i] + after[i + half] * after[i + half]
                #expect(Swift.abs(normBefore - normAfter) < 1e-12)
            }
        }
    }

    @Test func scoresDependOnlyOnTheRelativePosition() {
        let rope = RotaryPositionalEmbedding<Double>(embeddingSize: 4)
        let query = [0.3, -1.2, 0.8, 0.5], key = [1.1, 0.4, -0.7, 0.2]
        func score(queryPosition: Int, keyPosition: Int) -> Double {
            let length = Swift.max(queryPosition, keyPosition) + 1
            var scalars = [Double](repeating: 0, count: length * 8)
            scalars.replaceSubrange(queryPosition * 8 ..< queryPosition * 8 + 4, with: query)
            scalars.replaceSubrange(keyPosition * 8 + 4 ..< keyPosition * 8 + 8, with: key)
            let rotated = rope(Variable(Tensor(shape: [length, 2, 4], scalars: scalars).transposed(0, 1))).value
            let q = rotated[0][queryPosition].scalars, k = rotated[1][keyPosition].scalars
            return zip(q, k).map { $0 * $1 }.reduce(0, +)
        }
        #expect(Swift.abs(score(queryPosition: 3, keyPosition: 1) - score(queryPosition: 7, keyPosition: 5)) < 1e-12)
    }

    @Test func rotationPassesGradientCheck() {
        let rope = RotaryPositionalEmbedding<Double>(embeddingSize: 4, base: 100)
        let input = Tensor<Double>.randn([2, 3, 4], generator: Generator(seed: 7))
        let result = gradCheck(inputs: [input]) { variables in
            let rotated = rope(variables[0])
            return rotated * rotated
        }
        #expect(result.passed, "\(result)")
    }

    @Test func nonContiguousInputIsRotatedLikeItsCopy() {
        let rope = RotaryPositionalEmbedding(embeddingSize: 4)
        let input = Tensor<Float>.randn([3, 2, 4], generator: Generator(seed: 8)).transposed(0, 1)
        #expect(rope(Variable(input)).value == rope(Variable(input.contiguousCopy())).value)
    }

    @Test func encodedIsTheRotation() {
        let rope = RotaryPositionalEmbedding(embeddingSize: 2)
        let input = Variable(Tensor<Float>.randn([3, 2], generator: Generator(seed: 9)))
        #expect(rope.encoded(input).value == rope(input).value)
        #expect(rope.parameters.isEmpty)
    }

    @Test func resultsDoNotDependOnTheThreadCount() {
        let rope = RotaryPositionalEmbedding(embeddingSize: 64)
        let input = Variable(Tensor<Float>.randn([16, 128, 64], generator: Generator(seed: 10)))
        let single = withMaximumThreadCount(1) { rope(input).value }
        let parallel = withMaximumThreadCount(4) { rope(input).value }
        #expect(single == parallel)
    }

    @Test func oddEmbeddingSizeTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = RotaryPositionalEmbedding(embeddingSize: 3)
        }
    }
}

@Suite("PositionalEncoding")
struct PositionalEncodingTests {
    @Test func everyEncodingKeepsOrExtendsTheInputShape() throws {
        let encodings: [any PositionalEncoding<Float>] = [
            PositionalEmbedding(maxLength: 5, embeddingSize: 4, generator: Generator(seed: 0)),
            SinusoidalPositionalEncoding(maxLength: 5, embeddingSize: 4),
            RotaryPositionalEmbedding(embeddingSize: 4),
            RelativePositionalEmbedding(maxDistance: 2, embeddingSize: 4, generator: Generator(seed: 0)),
        ]
        let input = Variable(Tensor<Float>.zeros([2, 5, 4]))
        let shapes = try encodings.map { try $0.encoded(input).shape }
        #expect(shapes == [[2, 5, 4], [2, 5, 4], [2, 5, 4], [2, 5, 5, 4]])
        #expect(encodings.map(\.embeddingSize) == [4, 4, 4, 4])
    }
}
