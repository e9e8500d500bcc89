import Testing
@testable import Autograd

@Suite struct TapeTests {
    @Test func gradientOfAProductIsTheOtherFactor() {
        let p = Parameter(Tensor<Float>([1, 2, 3]))
        let v = Variable(Tensor<Float>([4, 5, 6]))
        let loss = (p * v).sum()
        loss.backward()
        #expect(p.grad?.scalars == [4, 5, 6])
        #expect(v.grad == nil)
    }

    @Test func leafGradientsAccumulateUntilZeroed() {
        let p = Parameter(Tensor<Double>([1, 2]))
        (p * 3).sum().backward()
        (p * 3).sum().backward()
        #expect(p.grad?.scalars == [6, 6])
        p.zeroGrad()
        #expect(p.grad == nil)
        (p * 3).sum().backward()
        #expect(p.grad?.scalars == [3, 3])
    }

    @Test func gradientsThatMeetAreSummed() {
        let x = Parameter(Tensor<Double>([2]))
        let y = x * x + x * 3     // dy/dx = 2x + 3
        y.sum().backward()
        #expect(x.grad?.scalars == [7])
    }

    @Test func diamondGraphVisitsSharedNodeOnce() {
        let x = Parameter(Tensor<Double>([1.5]))
        let shared = x.exp()
        let y = shared * shared + shared   // d/dx = (2e^{2x} + e^{x})
        y.sum().backward()
        let expected = 2 * Foundation.exp(3.0) + Foundation.exp(1.5)
        #expect(abs(x.grad!.scalar - expected) < 1e-12)
    }

    @Test func opsOnInputsThatNeedNoGradientRecordNothing() {
        let frozen = Parameter(Tensor<Float>([1, 2]), requiresGrad: false)
        let y = frozen * 2 + 1
        #expect(!y.requiresGrad)
        #expect(y.isLeaf)
        #expect(y.gradFunctionName == nil)
    }

    @Test func noGradRecordsNothing() {
        let p = Parameter(Tensor<Float>([1]))
        let y = noGrad { p * 2 }
        #expect(!y.requiresGrad)
        #expect(y.gradFunctionName == nil)
        let z = noGrad { enableGrad { p * 2 } }
        #expect(z.requiresGrad)
        #expect(GradientMode.isEnabled)
    }

    @Test func gradFunctionNamesFollowPyTorch() throws {
        let p = Parameter(Tensor<Float>([1, 2]))
        #expect((p + p).gradFunctionName == "AddBackward0")
        #expect((p * p).gradFunctionName == "MulBackward0")
        #expect(p.sum().gradFunctionName == "SumBackward0")
        #expect(try p.unsqueezed(axis: 1).indexSelect(rows: Tensor<Int64>([1])).gradFunctionName == "IndexSelectBackward0")
        #expect(p.isLeaf)
        #expect(!(p * 2).isLeaf)
    }

    @Test func backwardWithAnExplicitGradient() {
        let p = Parameter(Tensor<Float>([1, 2, 3]))
        let y = p * 2
        y.backward(gradient: Tensor([1, 0, -1]))
        #expect(p.grad?.scalars == [2, 0, -2])
    }

    @Test func retainGraphAllowsASecondBackward() {
        let p = Parameter(Tensor<Double>([1, 2]))
        let loss = (p * p).sum()
        loss.backward(retainGraph: true)
        loss.backward()
        #expect(p.grad?.scalars == [4, 8])
    }

    @Test func secondBackwardWithoutRetainingTheGraphTraps() async {
        await #expect(processExitsWith: .failure) {
            let p = Parameter(Tensor<Double>([1, 2]))
            let loss = (p * p).sum()
            loss.backward()
            loss.backward()
        }
    }

    @Test func backwardOnANonScalarWithoutGradientTraps() async {
        await #expect(processExitsWith: .failure) {
            let p = Parameter(Tensor<Double>([1, 2]))
            (p * 2).backward()
        }
    }

    @Test func retainGradKeepsANonLeafGradient() {
        let p = Parameter(Tensor<Double>([1, 2]))
        let hidden = p * 3
        hidden.retainGrad()
        (hidden * hidden).sum().backward()
        #expect(hidden.grad?.scalars == [6, 12])
        #expect(p.grad?.scalars == [18, 36])
    }

    @Test func detachedStopsTheGradient() {
        let p = Parameter(Tensor<Double>([2]))
        let y = p * p.detached()
        y.sum().backward()
        #expect(p.grad?.scalars == [2])
    }

    @Test func settingValueLoadsWeights() {
        let p = Parameter(Tensor<Float>([1]))
        p.value = Tensor([5])
        (p * p).sum().backward()
        #expect(p.grad?.scalars == [10])
    }

    @Test func chainOfOneHundredThousandOpsNeedsNoRecursion() {
        let x = Parameter(Tensor<Double>([1]))
        var y: Variable<Double> = x
        for _ in 0..<100_000 { y = y + 0 }
        y.sum().backward()
        #expect(x.grad?.scalars == [1])
    }

    @Test func graphIsReleasedAfterBackward() {
        let p = Parameter(Tensor<Float>.ones([4, 4]))
        weak var weakIntermediate: Variable<Float>?
        for _ in 0..<10_000 {
            let hidden = (p * 1.0001 + 0.001).tanh()
            weakIntermediate = hidden
            let loss = hidden.sum()
            loss.backward()
            p.zeroGrad()
        }
        #expect(weakIntermediate == nil)
    }

    @Test func graphIsFreedWhenTheOutputIsDroppedWithoutBackward() {
        let p = Parameter(Tensor<Float>.ones([2]))
        weak var weakIntermediate: Variable<Float>?
        do {
            let hidden = p * 2
            weakIntermediate = hidden
            _ = (hidden + 1).sum()
        }
        #expect(weakIntermediate == nil)
    }

    @Test func twoModelsTrainingConcurrentlyMatchSequentialTraining() async {
        func train(_ start: Float, useNoGradEvaluation: Bool) -> [Float] {
            let w = Parameter(Tensor<Float>([start, -start]))
            for _ in 0..<200 {
                if useNoGradEvaluation { _ = noGrad { (w * w).sum() } }
                let loss = ((w - 1) * (w - 1)).sum()
                loss.backward()
                w.value = w.value - w.grad! * 0.05
                w.zeroGrad()
            }
            return w.value.scalars
        }
        let sequential = [train(3, useNoGradEvaluation: true), train(-2, useNoGradEvaluation: false)]
        async let first = Task.detached { train(3, useNoGradEvaluation: true) }.value
        async let second = Task.detached { train(-2, useNoGradEvaluation: false) }.value
        let concurrent = await [first, second]
        #expect(concurrent == sequential)
    }

    @Test func printingShowsPyTorchNumbersAndSwiftSuffix() {
        let p = Parameter(Tensor<Float>([0.5, -0.2, 0.1]))
        #expect(p.description == "tensor([ 0.5000, -0.2000,  0.1000], requiresGrad: true)")
        let y = p * 2
        #expect(y.description == "tensor([ 1.0000, -0.4000,  0.2000], gradFunction: MulBackward0)")
        #expect(Variable(Tensor<Float>([1])).description == "tensor([1.])")
    }
}

import Foundation
