import Testing
import NN

/// Checks the gradients backward leaves in every parameter of `module` against central differences
/// of `loss` (eps 1e-6, |a − n| ≤ 1e-5 + 1e-3·|n|, as `gradCheck`). `loss` must not cache anything.
func expectParameterGradientsMatchFiniteDifferences<M: Module>(
    _ module: M, sourceLocation: SourceLocation = #_sourceLocation, loss: () -> Variable<Double>
) where M.Scalar == Double {
    for parameter in module.parameters { parameter.zeroGrad() }
    loss().backward()
    for (name, parameter) in module.namedParameters {
        let analytical = parameter.grad?.scalars ?? []
        #expect(analytical.count == parameter.value.count, "\(name) has no gradient", sourceLocation: sourceLocation)
        let original = parameter.value
        var flat = original.reshaped([-1])
        for index in 0..<flat.count where index < analytical.count {
            let center = flat[element: [index]]
            flat[element: [index]] = center + 1e-6
            parameter.value = flat.reshaped(original.shape)
            let above = noGrad { loss().value.scalar }
            flat[element: [index]] = center - 1e-6
            parameter.value = flat.reshaped(original.shape)
            let below = noGrad { loss().value.scalar }
            flat[element: [index]] = center
            let numerical = (above - below) / 2e-6
            #expect(Swift.abs(analytical[index] - numerical) <= 1e-5 + 1e-3 * Swift.abs(numerical),
                    "\(name)[\(index)]: analytical \(analytical[index]), numerical \(numerical)",
                    sourceLocation: sourceLocation)
        }
        parameter.value = original
    }
}

@Suite struct LinearTests {
    @Test func initialisationEqualsPyTorchsAfterManualSeed() {
        // torch.manual_seed(0); nn.Linear(3, 2) prints weight [[-0.0043, 0.3097, -0.4752],
        // [-0.4249, -0.2224, 0.1548]] and bias [-0.0114, 0.4578]; the exact floats come from the
        // mt19937 emulator (reference/emulators/mt.py) with uniform_'s rule (pytorch-parity.md §A.2).
        // Generator(seed: 0) is the stream torch.manual_seed(0) starts (the global generator is left
        // alone so that tests running in parallel cannot disturb each other).
        let layer = Linear(inputSize: 3, outputSize: 2, generator: Generator(seed: 0))
        let weight: [Float] = [-0.0043225177, 0.30971584, -0.47518533, -0.4248946, -0.22236897, 0.15482073]
        let bias: [Float] = [-0.011439145, 0.45777494]
        #expect(layer.weight.shape == [2, 3])
        #expect(layer.weight.value.scalars.map(\.bitPattern) == weight.map(\.bitPattern))
        #expect(layer.bias?.value.scalars.map(\.bitPattern) == bias.map(\.bitPattern))
    }

    @Test func initialisationDrawsFromTheGivenGenerator() {
        // torch.manual_seed(42); nn.Linear(5, 3): weight row 0 prints [0.3419, 0.3712, -0.1048, 0.4108, -0.0980],
        // bias [-0.0631, 0.3448, 0.0661]; exact floats from the same emulator.
        let layer = Linear(inputSize: 5, outputSize: 3, generator: Generator(seed: 42))
        let firstRow: [Float] = [0.34191203, 0.37119082, -0.10476983, 0.41081545, -0.097986095]
        let bias: [Float] = [-0.06314254, 0.3447506, 0.066102155]
        #expect(layer.weight.value[0].scalars.map(\.bitPattern) == firstRow.map(\.bitPattern))
        #expect(layer.bias?.value.scalars.map(\.bitPattern) == bias.map(\.bitPattern))
    }

    @Test func forwardIsInputTimesTransposedWeightPlusBias() {
        let layer = Linear<Double>(inputSize: 2, outputSize: 3, generator: Generator(seed: 0))
        layer.weight.value = Tensor(nested: [[1, 2], [3, 4], [5, 6]])
        layer.bias!.value = Tensor([0.5, -0.5, 1])
        let output = layer(Variable(Tensor<Double>(nested: [[[1, 1], [2, -1]], [[0, 1], [1, 0]]])))
        #expect(output.shape == [2, 2, 3])
        #expect(output.value.scalars == [3.5, 6.5, 12, 0.5, 1.5, 5, 2.5, 3.5, 7, 1.5, 2.5, 6])
        #expect(output.gradFunctionName == "AddmmBackward0")
    }

    @Test func oneDimensionalInputGivesOneDimensionalOutput() {
        let layer = Linear(inputSize: 4, outputSize: 2, generator: Generator(seed: 0))
        #expect(layer(Variable(Tensor<Float>.ones([4]))).shape == [2])
    }

    @Test func inputGradientPassesGradientCheck() {
        let layer = Linear<Double>(inputSize: 3, outputSize: 2, generator: Generator(seed: 1))
        let input = Tensor<Double>.randn([2, 4, 3], generator: Generator(seed: 2))
        let result = gradCheck(inputs: [input]) { inputs in (layer(inputs[0]) * layer(inputs[0])).sum() }
        #expect(result.passed, "\(result)")
    }

    @Test func parameterGradientsMatchFiniteDifferences() {
        let layer = Linear<Double>(inputSize: 3, outputSize: 2, generator: Generator(seed: 3))
        let input = Variable(Tensor<Double>.randn([5, 3], generator: Generator(seed: 4)))
        expectParameterGradientsMatchFiniteDifferences(layer) { (layer(input) * layer(input)).sum() }
    }

    @Test func layerWithoutBiasHasOnlyAWeight() {
        let layer = Linear(inputSize: 3, outputSize: 2, bias: false, generator: Generator(seed: 0))
        #expect(layer.bias == nil)
        #expect(layer.namedParameters.map(\.name) == ["weight"])
        #expect(Linear(inputSize: 3, outputSize: 2, generator: Generator(seed: 0)).namedParameters.map(\.name) == ["weight", "bias"])
    }

    @Test func frozenLayerGetsNoGradientsButInputDoes() {
        let layer = Linear<Double>(inputSize: 2, outputSize: 2, generator: Generator(seed: 0))
        layer.freeze()
        let input = Variable(Tensor<Double>([1, 2]), requiresGrad: true)
        layer(input).sum().backward()
        #expect(layer.weight.grad == nil && layer.bias?.grad == nil)
        #expect(input.grad != nil)
    }

    @Test func wrongInputWidthTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Linear(inputSize: 3, outputSize: 2, generator: Generator(seed: 0))(Variable(Tensor<Float>.ones([2, 4])))
        }
    }
}
