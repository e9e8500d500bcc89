import Testing
import NN

@Suite struct DropoutTests {
    @Test func evaluationModeIsTheIdentity() {
        let dropout = Dropout(probability: 0.5, generator: Generator(seed: 0))
        dropout.eval()
        let input = Variable(Tensor<Float>.ones([4, 4]))
        #expect(dropout(input) === input)
    }

    @Test func maskKeepsDrawsBelowTheKeepProbabilityAndScalesThem() {
        let dropout = Dropout<Double>(probability: 0.25, generator: Generator(seed: 7))
        let input = Tensor<Double>.randn([50, 40], generator: Generator(seed: 8))
        let output = dropout(Variable(input)).value.scalars
        let draws = Tensor<Double>.rand([50, 40], generator: Generator(seed: 7)).scalars
        let scale = 1 / 0.75
        for (index, draw) in draws.enumerated() {
            #expect(output[index] == (draw < 0.75 ? input.scalars[index] * scale : 0))
        }
        let dropped = output.filter { $0 == 0 }.count
        #expect(dropped > 400 && dropped < 600)
    }

    @Test func sameSeedGivesSameMask() {
        let input = Variable(Tensor<Float>.ones([64]))
        let first = Dropout(probability: 0.5, generator: Generator(seed: 3))(input).value
        let second = Dropout(probability: 0.5, generator: Generator(seed: 3))(input).value
        #expect(first == second)
    }

    @Test func gradientIsTheMask() {
        let input = Variable(Tensor<Float>.ones([32]), requiresGrad: true)
        let output = Dropout(probability: 0.3, generator: Generator(seed: 4))(input)
        output.sum().backward()
        #expect(input.grad == output.value)
        #expect(output.gradFunctionName == "MulBackward0")
    }

    @Test func probabilityZeroKeepsEverythingAndOneDropsEverything() {
        let input = Variable(Tensor<Float>([1, -2, 3]))
        #expect(Dropout(probability: 0, generator: Generator(seed: 0))(input) === input)
        #expect(Dropout(probability: 1, generator: Generator(seed: 0))(input).value.scalars == [0, 0, 0])
    }

    @Test func trainAndEvalSwitchTheMode() {
        let dropout = Dropout(probability: 0.5, generator: Generator(seed: 0))
        #expect(dropout.isTraining)
        dropout.eval()
        #expect(!dropout.isTraining)
        dropout.train()
        #expect(dropout.isTraining)
    }

    @Test func probabilityAboveOneTraps() async {
        await #expect(processExitsWith: .failure) { _ = Dropout(probability: 1.5) }
    }
}
