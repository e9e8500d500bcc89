/// The outcome of ``gradCheck(inputs:eps:absoluteTolerance:relativeTolerance:_:)``: whether the
/// analytical Jacobian matches the numerical one, and the worst element.
public struct GradientCheckResult: Sendable, CustomStringConvertible {
    /// True when every element satisfies |analytical − numerical| ≤ atol + rtol·|numerical|.
    public let passed: Bool
    /// The input whose Jacobian holds the worst element.
    public let inputIndex: Int
    /// The input element (multi-dimensional index) of the worst element.
    public let inputElement: [Int]
    /// The output element (flat, row-major) of the worst element.
    public let outputElement: Int
    /// The analytical derivative there.
    public let analytical: Double
    /// The numerical derivative there.
    public let numerical: Double
    /// |analytical − numerical| − (atol + rtol·|numerical|): positive means failure.
    public let excess: Double

    public var description: String {
        let verdict = passed ? "passed" : "FAILED"
        return "gradCheck \(verdict): worst at input \(inputIndex) element \(inputElement), output element "
            + "\(outputElement): analytical \(analytical), numerical \(numerical) (excess over tolerance \(excess))"
    }
}

/// Compares the gradients that backward computes for `function` with central finite differences,
/// as `torch.autograd.gradcheck` does (slow mode, Double).
///
/// Every input is perturbed element by element by ±`eps`; each output element is back-propagated
/// with a one-hot seed. The check passes when every Jacobian entry satisfies
/// `|analytical − numerical| ≤ absoluteTolerance + relativeTolerance · |numerical|`.
///
/// ```swift
/// let result = gradCheck(inputs: [Tensor<Double>([1, 2, 3])]) { x in (x[0] * x[0]).sum() }
/// result.passed   // true
/// ```
public func gradCheck(
    inputs: [Tensor<Double>], eps: Double = 1e-6, absoluteTolerance: Double = 1e-5, relativeTolerance: Double = 1e-3,
    _ function: ([Variable<Double>]) -> Variable<Double>
) -> GradientCheckResult {
    precondition(!inputs.isEmpty, "gradCheck needs at least one input")
    let originals = inputs.map { $0.contiguousCopy() }
    func evaluate(_ values: [Tensor<Double>]) -> [Double] {
        noGrad { function(values.map { Variable($0) }).value.scalars }
    }
    let outputCount = evaluate(originals).count

    // Numerical Jacobian: numerical[input][element * outputCount + output].
    var numerical: [[Double]] = []
    for (inputIndex, original) in originals.enumerated() {
        var columns = [Double](repeating: 0, count: original.count * outputCount)
        var perturbed = originals
        let flatShape = [original.count]
        for element in 0..<original.count {
            let center = original.reshaped(flatShape)[element: [element]]
            var flat = original.reshaped(flatShape)
            flat[element: [element]] = center - eps
            perturbed[inputIndex] = flat.reshaped(original.shape)
            let below = evaluate(perturbed)
            flat[element: [element]] = center + eps
            perturbed[inputIndex] = flat.reshaped(original.shape)
            let above = evaluate(perturbed)
            for output in 0..<outputCount {
                columns[element * outputCount + output] = (above[output] - below[output]) / (2 * eps)
            }
        }
        numerical.append(columns)
    }

    // Analytical Jacobian, one backward per output element through a retained graph.
    var analytical = originals.map { [Double](repeating: 0, count: $0.count * outputCount) }
    let variables = originals.map { Variable($0, requiresGrad: true) }
    let output = enableGrad { function(variables) }
    if output.requiresGrad {
        for outputIndex in 0..<outputCount {
            for variable in variables { variable.zeroGrad() }
            var seedScalars = [Double](repeating: 0, count: outputCount)
            seedScalars[outputIndex] = 1
            output.backward(gradient: Tensor(shape: output.shape, scalars: seedScalars), retainGraph: true)
            for (inputIndex, variable) in variables.enumerated() {
                guard let gradient = variable.grad?.scalars else { continue }
                for element in gradient.indices {
                    analytical[inputIndex][element * outputCount + outputIndex] = gradient[element]
                }
            }
        }
    }

    guard analytical.contains(where: { !$0.isEmpty }) else {
        return GradientCheckResult(passed: true, inputIndex: 0, inputElement: [], outputElement: 0,
                                   analytical: 0, numerical: 0, excess: 0)
    }
    var worst = (excess: -Double.infinity, input: 0, entry: 0)
    for inputIndex in originals.indices {
        for entry in analytical[inputIndex].indices {
            let a = analytical[inputIndex][entry], n = numerical[inputIndex][entry]
            let excess = Swift.abs(a - n) - (absoluteTolerance + relativeTolerance * Swift.abs(n))
            let comparable = excess.isNaN ? Double.infinity : excess
            if comparable > worst.excess { worst = (comparable, inputIndex, entry) }
        }
    }
    let element = worst.entry / outputCount
    let shape = originals[worst.input].shape
    var index = [Int](repeating: 0, count: shape.count)
    var remainder = element
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
        index[axis] = remainder % shape[axis]
        remainder /= shape[axis]
    }
    return GradientCheckResult(
        passed: worst.excess <= 0, inputIndex: worst.input, inputElement: index,
        outputElement: worst.entry % outputCount,
        analytical: analytical[worst.input][worst.entry], numerical: numerical[worst.input][worst.entry],
        excess: worst.excess)
}
