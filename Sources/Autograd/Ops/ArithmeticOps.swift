// Each operation's backward sits beside its forward. Broadcasting in the forward pass means the
// backward sums the gradient back to each input's shape (`summed(toShape:)`).

extension Variable {
    public static func + (lhs: Variable, rhs: Variable) -> Variable {
        let lhsShape = lhs.shape, rhsShape = rhs.shape
        return recordDense(lhs.value + rhs.value, name: "AddBackward0", inputs: [lhs, rhs]) { gradient in
            [gradient.summed(toShape: lhsShape), gradient.summed(toShape: rhsShape)]
        }
    }

    public static func - (lhs: Variable, rhs: Variable) -> Variable {
        let lhsShape = lhs.shape, rhsShape = rhs.shape
        return recordDense(lhs.value - rhs.value, name: "SubBackward0", inputs: [lhs, rhs]) { gradient in
            [gradient.summed(toShape: lhsShape), (-gradient).summed(toShape: rhsShape)]
        }
    }

    public static func * (lhs: Variable, rhs: Variable) -> Variable {
        let left = lhs.value, right = rhs.value
        let needLeft = lhs.requiresGrad, needRight = rhs.requiresGrad
        return recordDense(left * right, name: "MulBackward0", inputs: [lhs, rhs]) { gradient in
            [needLeft ? (gradient * right).summed(toShape: left.shape) : nil,
             needRight ? (gradient * left).summed(toShape: right.shape) : nil]
        }
    }

    public static func / (lhs: Variable, rhs: Variable) -> Variable {
        let left = lhs.value, right = rhs.value
        let needLeft = lhs.requiresGrad, needRight = rhs.requiresGrad
        return recordDense(left / right, name: "DivBackward0", inputs: [lhs, rhs]) { gradient in
            [needLeft ? (gradient / right).summed(toShape: left.shape) : nil,
             needRight ? (-(gradient * left) / (right * right)).summed(toShape: right.shape) : nil]
        }
    }

    @_specialize(where Scalar == Float)
    public static func + (lhs: Variable, rhs: Scalar) -> Variable {
        recordDense(lhs.value + rhs, name: "AddBackward0", inputs: [lhs]) { [$0] }
    }

    public static func + (lhs: Scalar, rhs: Variable) -> Variable { rhs + lhs }

    public static func - (lhs: Variable, rhs: Scalar) -> Variable {
        recordDense(lhs.value - rhs, name: "SubBackward0", inputs: [lhs]) { [$0] }
    }

    public static func - (lhs: Scalar, rhs: Variable) -> Variable {
        recordDense(lhs - rhs.value, name: "RsubBackward1", inputs: [rhs]) { [-$0] }
    }

    @_specialize(where Scalar == Float)
    public static func * (lhs: Variable, rhs: Scalar) -> Variable {
        recordDense(lhs.value * rhs, name: "MulBackward0", inputs: [lhs]) { [$0 * rhs] }
    }

    public static func * (lhs: Scalar, rhs: Variable) -> Variable { rhs * lhs }

    public static func / (lhs: Variable, rhs: Scalar) -> Variable {
        recordDense(lhs.value / rhs, name: "DivBackward0", inputs: [lhs]) { [$0 / rhs] }
    }

    public static func / (lhs: Scalar, rhs: Variable) -> Variable {
        let right = rhs.value
        return recordDense(lhs / right, name: "DivBackward0", inputs: [rhs]) { gradient in
            [-(gradient * lhs) / (right * right)]
        }
    }

    // A constant tensor on either side (broadcasting), as PyTorch mixes tensors that do and do not
    // require gradients: `positions + tokens` and `tokens + positions` both work.

    /// `lhs + rhs` where `rhs` is a constant tensor (broadcasting).
    public static func + (lhs: Variable, rhs: Tensor<Scalar>) -> Variable { lhs + Variable(rhs) }
    /// `lhs + rhs` where `lhs` is a constant tensor (broadcasting).
    public static func + (lhs: Tensor<Scalar>, rhs: Variable) -> Variable { Variable(lhs) + rhs }
    /// `lhs - rhs` where `rhs` is a constant tensor (broadcasting).
    public static func - (lhs: Variable, rhs: Tensor<Scalar>) -> Variable { lhs - Variable(rhs) }
    /// `lhs - rhs` where `lhs` is a constant tensor (broadcasting).
    public static func - (lhs: Tensor<Scalar>, rhs: Variable) -> Variable { Variable(lhs) - rhs }
    /// `lhs * rhs` where `rhs` is a constant tensor (broadcasting).
    public static func * (lhs: Variable, rhs: Tensor<Scalar>) -> Variable { lhs * Variable(rhs) }
    /// `lhs * rhs` where `lhs` is a constant tensor (broadcasting).
    public static func * (lhs: Tensor<Scalar>, rhs: Variable) -> Variable { Variable(lhs) * rhs }
    /// `lhs / rhs` where `rhs` is a constant tensor (broadcasting).
    public static func / (lhs: Variable, rhs: Tensor<Scalar>) -> Variable { lhs / Variable(rhs) }
    /// `lhs / rhs` where `lhs` is a constant tensor (broadcasting).
    public static func / (lhs: Tensor<Scalar>, rhs: Variable) -> Variable { Variable(lhs) / rhs }

    public static prefix func - (operand: Variable) -> Variable {
        recordDense(-operand.value, name: "NegBackward0", inputs: [operand]) { [-$0] }
    }

    /// Elementwise maximum with broadcasting; ties send half the gradient to each side, as PyTorch.
    public func maximum(_ other: Variable) -> Variable {
        selectingExtremum(other, keepGreater: true, name: "MaximumBackward0")
    }

    /// Elementwise minimum with broadcasting; ties send half the gradient to each side, as PyTorch.
    public func minimum(_ other: Variable) -> Variable {
        selectingExtremum(other, keepGreater: false, name: "MinimumBackward0")
    }

    private func selectingExtremum(_ other: Variable, keepGreater: Bool, name: String) -> Variable {
        let left = value, right = other.value
        let result = keepGreater ? left.maximum(right) : left.minimum(right)
        return Variable.recordDense(result, name: name, inputs: [self, other]) { gradient in
            let leftWins = keepGreater ? left .> right : left .< right
            let tie = left .== right
            let half = Tensor<Scalar>(scalar: Scalar(0.5))
            let zero = Tensor<Scalar>(scalar: 0)
            let leftShare = Tensor.where(tie, half, Tensor.where(leftWins, Tensor(scalar: 1), zero))
            let rightShare = 1 - leftShare
            return [(gradient * leftShare).summed(toShape: left.shape),
                    (gradient * rightShare).summed(toShape: right.shape)]
        }
    }

    public static func += (lhs: inout Variable, rhs: Variable) { lhs = lhs + rhs }
    public static func -= (lhs: inout Variable, rhs: Variable) { lhs = lhs - rhs }
    public static func *= (lhs: inout Variable, rhs: Variable) { lhs = lhs * rhs }
    public static func /= (lhs: inout Variable, rhs: Variable) { lhs = lhs / rhs }
}
