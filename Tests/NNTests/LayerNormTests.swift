import Testing
import NN

@Suite struct LayerNormTests {
    @Test func normalisesEachRowToZeroMeanAndUnitBiasedVariance() {
        let norm = LayerNorm<Double>(normalizedShape: [4])
        let output = norm(Variable(Tensor<Double>(nested: [[1, 2, 3, 4], [2, 2, 2, 2]])))
        // Row 0: mean 2.5, biased variance 1.25, so (x − 2.5)/√(1.25 + 1e-5).
        let scale = 1 / (1.25 + 1e-5).squareRoot()
        let expected = [-1.5 * scale, -0.5 * scale, 0.5 * scale, 1.5 * scale, 0, 0, 0, 0]
        for (value, reference) in zip(output.value.scalars, expected) { #expect(Swift.abs(value - reference) < 1e-12) }
        #expect(output.gradFunctionName == "NativeLayerNormBackward0")
    }

    @Test func startsAsTheIdentityAffineTransform() throws {
        let norm = LayerNorm(normalizedShape: [2, 3])
        #expect(bitPatterns(try #require(norm.weight).value) == bitPatterns(Tensor<Float>.ones([2, 3])))
        #expect(bitPatterns(try #require(norm.bias).value) == bitPatterns(Tensor<Float>.zeros([2, 3])))
        #expect(norm.namedParameters.map(\.name) == ["weight", "bias"])
        #expect(norm.epsilon == 1e-5)
    }

    @Test func normalisesOverSeveralTrailingAxes() {
        let norm = LayerNorm<Double>(normalizedShape: [2, 2], elementwiseAffine: false)
        let output = norm(Variable(Tensor<Double>(shape: [2, 2, 2], scalars: [1, 2, 3, 4, 10, 10, 10, 10])))
        let values = output.value.scalars
        let sum = values[0..<4].reduce(0, +)
        let meanSquare: Double = values[0..<4].map { $0 * $0 }.reduce(0, +) / 4
        #expect(Swift.abs(sum) < 1e-12)
        #expect(Swift.abs(meanSquare - 1.25 / (1.25 + 1e-5)) < 1e-9)
        #expect(Array(values[4...]) == [0, 0, 0, 0])
        #expect(norm.parameters.isEmpty)
    }

    @Test func inputGradientPassesGradientCheck() {
        let norm = LayerNorm<Double>(normalizedShape: [5])
        norm.weight!.value = Tensor.randn([5], generator: Generator(seed: 1))
        norm.bias!.value = Tensor.randn([5], generator: Generator(seed: 2))
        let input = Tensor<Double>.randn([3, 2, 5], generator: Generator(seed: 3))
        let probe = Tensor<Double>.randn([3, 2, 5], generator: Generator(seed: 4))
        let result = gradCheck(inputs: [input]) { inputs in (norm(inputs[0]) * probe).sum() }
        #expect(result.passed, "\(result)")
    }

    @Test func nonContiguousInputPassesGradientCheck() {
        let norm = LayerNorm<Double>(normalizedShape: [3], elementwiseAffine: false)
        let input = Tensor<Double>.randn([3, 4], generator: Generator(seed: 5))
        let probe = Tensor<Double>.randn([4, 3], generator: Generator(seed: 6))
        let result = gradCheck(inputs: [input]) { inputs in (norm(inputs[0].transposed()) * probe).sum() }
        #expect(result.passed, "\(result)")
    }

    @Test func parameterGradientsMatchFiniteDifferences() {
        let norm = LayerNorm<Double>(normalizedShape: [4])
        norm.weight!.value = Tensor.randn([4], generator: Generator(seed: 7))
        let input = Variable(Tensor<Double>.randn([6, 4], generator: Generator(seed: 8)))
        let probe = Tensor<Double>.randn([6, 4], generator: Generator(seed: 9))
        expectParameterGradientsMatchFiniteDifferences(norm) { (norm(input) * probe).sum() }
    }

    @Test func wrongTrailingShapeTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = LayerNorm(normalizedShape: [4])(Variable(Tensor<Float>.ones([4, 3])))
        }
    }
}
