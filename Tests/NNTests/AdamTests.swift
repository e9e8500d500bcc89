import Foundation
import Testing
import NN

// The expected values come from a float32 emulation of PyTorch 2.x's `_single_tensor_adam` and
// `SparseAdam` (numpy scalars, fused multiply-adds rounded exactly with fractions): lerp for the
// first moment, `fma((1 − β2)·g, g, β2·v)` for the second, `√v / √(1 − β2ᵗ) + ε` and
// `p + ((−lr / (1 − β1ᵗ))·m) / denom`; SparseAdam as in torch/optim/_functional.py. Each test
// cites the emulated call. The parameter starts at [0.5, −1.25, 2, 0] unless stated.

private let start: [Float] = [0.5, -1.25, 2, 0]
private let gradients: [[Float]] = [[0.1, -0.2, 0.3, 1.5], [-0.4, 0.05, 0.3, -2]]

/// Runs `optimizer` over `gradients`, returning the parameter after each step.
private func trajectory<O: Optimizer>(_ optimizer: O, _ parameter: Parameter<Float>, _ gradients: [[Float]]) -> [[Float]]
where O.Scalar == Float {
    gradients.map { gradient in
        parameter.grad = Tensor(gradient)
        optimizer.step()
        return parameter.value.scalars
    }
}

@Suite struct AdamTests {
    @Test func followsPyTorchsUpdateForTwoSteps() {
        // adam(start, gradients, lr=0.1)
        let parameter = Parameter(Tensor(start))
        let adam = Adam(parameters: [parameter], learningRate: 0.1)
        let steps = trajectory(adam, parameter, gradients)
        #expect(bitPatterns(steps[0]) == bitPatterns([0.4, -1.15, 1.9, -0.1]))
        #expect(bitPatterns(steps[1]) == bitPatterns([0.45595035, -1.1030532, 1.8, -0.08064896]))
        let moments = adam.moments(for: parameter)
        #expect(moments?.step == 2)
        #expect(bitPatterns(moments?.firstMoment.scalars ?? []) == bitPatterns([-0.031, -0.013000001, 0.057000004, -0.065000005]))
        #expect(bitPatterns(moments?.secondMoment.scalars ?? []) == bitPatterns([0.00016999002, 4.2460004e-05, 0.00017991001, 0.00624775]))
    }

    @Test func weightDecayIsAddedToTheGradient() {
        // adam(start, gradients, lr=0.1, wd=0.1)
        let parameter = Parameter(Tensor(start))
        let steps = trajectory(Adam(parameters: [parameter], learningRate: 0.1, weightDecay: 0.1), parameter, gradients)
        #expect(bitPatterns(steps[0]) == bitPatterns([0.40000004, -1.15, 1.9, -0.1]))
        #expect(bitPatterns(steps[1]) == bitPatterns([0.4429342, -1.069696, 1.8000578, -0.080414005]))
    }

    @Test func adamWDecaysTheParameterDirectly() {
        // adam(start, gradients, lr=0.1, wd=0.1, decoupled=True)
        let parameter = Parameter(Tensor(start))
        let adamW = AdamW(parameters: [parameter], learningRate: 0.1, weightDecay: 0.1)
        let steps = trajectory(adamW, parameter, gradients)
        #expect(bitPatterns(steps[0]) == bitPatterns([0.395, -1.1374999, 1.88, -0.1]))
        #expect(bitPatterns(steps[1]) == bitPatterns([0.44700035, -1.0791782, 1.7612, -0.07964896]))
        // Decoupled decay leaves the moments those of plain Adam.
        #expect(bitPatterns(adamW.moments(for: parameter)?.firstMoment.scalars ?? [])
                    == bitPatterns([-0.031, -0.013000001, 0.057000004, -0.065000005]))
    }

    @Test func amsgradNormalisesByTheLargestSecondMoment() {
        // adam([0.5, -1.25], [[1, -2], [0.01, 0.5], [0.02, -0.01]], lr=0.1, amsgrad=True) and without
        let shrinking: [[Float]] = [[1, -2], [0.01, 0.5], [0.02, -0.01]]
        let parameter = Parameter(Tensor<Float>([0.5, -1.25]))
        let steps = trajectory(Adam(parameters: [parameter], learningRate: 0.1, amsgrad: true), parameter, shrinking)
        #expect(bitPatterns(steps[1]) == bitPatterns([0.33228356, -1.1030532]))
        #expect(bitPatterns(steps[2]) == bitPatterns([0.2786871, -1.0664713]))
        let plain = Parameter(Tensor<Float>([0.5, -1.25]))
        let plainSteps = trajectory(Adam(parameters: [plain], learningRate: 0.1), plain, shrinking)
        #expect(bitPatterns(plainSteps[2]) == bitPatterns([0.2786164, -1.0664535]))
    }

    @Test func maximizeClimbsTheGradient() {
        // adam(start, gradients, lr=0.1, maximize=True)
        let parameter = Parameter(Tensor(start))
        let steps = trajectory(Adam(parameters: [parameter], learningRate: 0.1, maximize: true), parameter, gradients)
        #expect(bitPatterns(steps[1]) == bitPatterns([0.5440497, -1.3969468, 2.1999998, 0.08064896]))
    }

    @Test func largeFirstMomentWeightUsesTheOtherLerpForm() {
        // adam(start, gradients, lr=0.1, b1=0.3, b2=0.5): 1 − β1 = 0.7 ≥ 0.5
        let parameter = Parameter(Tensor(start))
        let adam = Adam(parameters: [parameter], learningRate: 0.1, betas: (0.3, 0.5))
        let steps = trajectory(adam, parameter, gradients)
        #expect(bitPatterns(steps[1]) == bitPatterns([0.48581478, -1.1437192, 1.8, -0.035495944]))
        #expect(bitPatterns(adam.moments(for: parameter)?.firstMoment.scalars ?? []) == bitPatterns([-0.259, -0.0070000007, 0.273, -1.0849999]))
    }

    @Test func sparseParameterFollowsSparseAdam() {
        // sparse_adam([[0.5, -1], [0.25, 2], [1.5, -0.5], [0, 3]],
        //             [([1, 3, 1], [[0.1, -0.2], [0.3, 0.4], [0.5, 0.25]]), ([3, 0], [[-0.6, 0.1], [0.2, 0.2]])], lr=0.1)
        let parameter = Parameter(Tensor<Float>(nested: [[0.5, -1], [0.25, 2], [1.5, -0.5], [0, 3]]))
        parameter.isSparse = true
        let adam = Adam(parameters: [parameter], learningRate: 0.1)
        let steps: [([Int64], [[Float]])] = [([1, 3, 1], [[0.1, -0.2], [0.3, 0.4], [0.5, 0.25]]), ([3, 0], [[-0.6, 0.1], [0.2, 0.2]])]
        var results: [[Float]] = []
        for (rows, values) in steps {
            parameter.gradient = .rows(RowSparseGradient(rowIndices: Tensor(rows), values: Tensor(nested: values), rowCount: 4))
            adam.step()
            results.append(parameter.value.scalars)
        }
        #expect(bitPatterns(results[0]) == bitPatterns([0.5, -1, 0.15000007, 1.9000007, 1.5, -0.5, -0.09999988, 2.9]))
        #expect(bitPatterns(results[1]) == bitPatterns([0.42558643, -1.0744135, 0.15000007, 1.9000007, 1.5, -0.5, -0.06338955, 2.8169403]))
        #expect(bitPatterns(adam.moments(for: parameter)?.firstMoment.scalars ?? [])
                    == bitPatterns([0.020000001, 0.020000001, 0.060000002, 0.005, 0, 0, -0.033, 0.046000004]))
    }

    @Test func rowGradientOfOrdinaryParameterMatchesDenseAdamBitForBit() {
        let table = Tensor<Float>.randn([9, 4], generator: Generator(seed: 70))
        let sparse = Parameter(table), dense = Parameter(table)
        let sparseAdam = AdamW(parameters: [sparse], learningRate: 0.05, amsgrad: true)
        let denseAdam = AdamW(parameters: [dense], learningRate: 0.05, amsgrad: true)
        for (step, rows) in [[2, 7, 2], [0], [7, 7, 8]].enumerated() {
            let gradient = RowSparseGradient(rowIndices: Tensor(rows.map(Int64.init)),
                                             values: Tensor<Float>.randn([rows.count, 4], generator: Generator(seed: UInt64(71 + step))),
                                             rowCount: 9)
            sparse.gradient = .rows(gradient)
            dense.grad = gradient.densified()
            sparseAdam.step()
            denseAdam.step()
            #expect(sparse.value.scalars.map(\.bitPattern) == dense.value.scalars.map(\.bitPattern), "step \(step + 1)")
        }
    }

    @Test(arguments: [
        AdamCase(name: "Adam", decoupled: false, weightDecay: 0, epsilon: 1e-8, amsgrad: false, maximize: false),
        AdamCase(name: "Adam, AMSGrad, maximize", decoupled: false, weightDecay: 0, epsilon: 1e-8, amsgrad: true, maximize: true),
        AdamCase(name: "AdamW without decay", decoupled: true, weightDecay: 0, epsilon: 1e-8, amsgrad: false, maximize: false),
        AdamCase(name: "Adam, L2 decay", decoupled: false, weightDecay: 0.01, epsilon: 1e-8, amsgrad: false, maximize: false),
        AdamCase(name: "Adam, epsilon 0", decoupled: false, weightDecay: 0, epsilon: 0, amsgrad: false, maximize: false),
    ])
    func rowsWithoutGradientsMatchDenseAdamIncludingNegativeZeros(_ options: AdamCase) {
        // With ε = 0 the dense update turns never-updated rows into NaN (0/0), which the row-sparse
        // update must reproduce; with weight decay every row moves.
        expectRowSparseStepsMatchDense(seed: 80, make: options.make) { adam, parameter in
            adam.moments(for: parameter)?.secondMoment
        }
    }

    @Test(arguments: [
        AdamCase(name: "Adam", decoupled: false, weightDecay: 0, epsilon: 1e-8, amsgrad: false, maximize: false),
        AdamCase(name: "Adam, L2 decay, AMSGrad", decoupled: false, weightDecay: 0.01, epsilon: 1e-8, amsgrad: true, maximize: false),
        AdamCase(name: "AdamW, maximize", decoupled: true, weightDecay: 0.1, epsilon: 1e-6, amsgrad: false, maximize: true),
    ])
    func floatStepsEqualExactFusedMultiplyAdds(_ options: AdamCase) {
        // 3 000 elements over several vector blocks: random values, and small dyadic ones whose sums
        // land exactly on float midpoints (where a multiply-add rounded twice would differ from a
        // fused one). The reference applies PyTorch's formula with exact `addingProduct`.
        let random = Tensor<Float>.randn([3000], generator: Generator(seed: 90)).scalars
        let start: [Float] = random.enumerated().map { index, value in
            index < 1500 ? value : Float(index % 7 - 3) * 0.25
        }
        let gradients: [[Float]] = (0..<3).map { step in
            let values = Tensor<Float>.randn([3000], generator: Generator(seed: 91 + UInt64(step))).scalars
            return values.enumerated().map { index, value in
                index < 1500 ? value : Float((index + step) % 5 - 2) * 0.5
            }
        }
        let parameter = Parameter(Tensor(start))
        let adam = options.make([parameter])
        var p = start, m = [Float](repeating: 0, count: 3000), v = m, vMax = m
        let beta1 = 0.9, beta2 = 0.999, learningRate = 0.05
        for (index, gradient) in gradients.enumerated() {
            parameter.grad = Tensor(gradient)
            adam.step()
            let step = Double(index + 1)
            let bias1: Double = 1 - Foundation.pow(beta1, step), bias2: Double = 1 - Foundation.pow(beta2, step)
            let weight = Float(1 - beta1), stepSize = Float(-(learningRate / bias1))
            let root = Float(bias2.squareRoot()), epsilon = Float(options.epsilon)
            for i in 0..<3000 {
                var g = options.maximize ? -gradient[i] : gradient[i]
                if options.weightDecay != 0 {
                    if options.decoupled {
                        p[i] = p[i] * Float(1 - learningRate * options.weightDecay)
                    } else {
                        g = g.addingProduct(p[i], Float(options.weightDecay))
                    }
                }
                m[i] = m[i].addingProduct(weight, g - m[i])
                v[i] = (v[i] * Float(beta2)).addingProduct(Float(1 - beta2) * g, g)
                var denominatorSource = v[i]
                if options.amsgrad {
                    vMax[i] = Swift.max(vMax[i], v[i])
                    denominatorSource = vMax[i]
                }
                let denominator: Float = denominatorSource.squareRoot() / root + epsilon
                let change: Float = (stepSize * m[i]) / denominator
                p[i] = p[i] + change
            }
            #expect(parameter.value.scalars.map(\.bitPattern) == p.map(\.bitPattern), "step \(index + 1)")
        }
        #expect(adam.moments(for: parameter)?.secondMoment.scalars.map(\.bitPattern) == v.map(\.bitPattern))
    }

    @Test func frozenParameterGetsNoMoments() {
        let trained = Parameter(Tensor<Float>([1, 2])), frozen = Parameter(Tensor<Float>([3, 4]), requiresGrad: false)
        let adam = Adam(parameters: [trained, frozen])
        (trained * frozen).sum().backward()
        adam.step()
        #expect(bitPatterns(frozen.value) == bitPatterns([3, 4]))
        #expect(adam.moments(for: frozen) == nil)
        #expect(adam.moments(for: trained)?.step == 1)
    }

    @Test func defaultsArePyTorchs() {
        let parameter = Parameter(Tensor<Float>([1]))
        let adam = Adam(parameters: [parameter]), adamW = AdamW(parameters: [parameter])
        #expect(adam.learningRate == 1e-3 && adam.betas == (0.9, 0.999) && adam.epsilon == 1e-8 && adam.weightDecay == 0)
        #expect(!adam.amsgrad && !adam.maximize)
        #expect(adamW.learningRate == 1e-3 && adamW.weightDecay == 1e-2)
    }

    @Test func worksInDouble() {
        let parameter = Parameter(Tensor<Double>([3]))
        let adam = Adam(parameters: [parameter], learningRate: 0.5)
        parameter.grad = Tensor([2])
        adam.step()
        // First step: m̂ = g, v̂ = g², so the update is lr·g/(|g| + ε).
        #expect(Swift.abs(parameter.value.scalars[0] - (3 - 0.5 * 2 / (2 + 1e-8))) < 1e-12)
    }

    @Test func betaOfOneTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Adam(parameters: [Parameter(Tensor<Float>([1]))], betas: (0.9, 1))
        }
    }

    @Test func adamWWithDefaultWeightDecayTrapsOnSparseParameter() async {
        await #expect(processExitsWith: .failure) {
            let parameter = Parameter(Tensor<Float>.zeros([4, 2]))
            parameter.isSparse = true
            parameter.gradient = .rows(RowSparseGradient(rowIndices: Tensor([1]), values: .ones([1, 2]), rowCount: 4))
            AdamW(parameters: [parameter]).step()
        }
    }
}

struct AdamCase: Sendable, CustomTestStringConvertible {
    let name: String
    let decoupled: Bool
    let weightDecay: Double
    let epsilon: Double
    let amsgrad: Bool
    let maximize: Bool

    var testDescription: String { name }

    func make(_ parameters: [Parameter<Float>]) -> Adam<Float> {
        decoupled
            ? AdamW(parameters: parameters, learningRate: 0.05, epsilon: epsilon, weightDecay: weightDecay,
                    amsgrad: amsgrad, maximize: maximize)
            : Adam(parameters: parameters, learningRate: 0.05, epsilon: epsilon, weightDecay: weightDecay,
                   amsgrad: amsgrad, maximize: maximize)
    }
}
