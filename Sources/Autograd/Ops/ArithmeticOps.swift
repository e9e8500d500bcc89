// Each operation's backward sits beside its forward. Broadcasting in the forward pass means the
// backward sums the gradient back to each input's shape (`summed(toShape:)`).

extension Variable {
    /// Elementwise sum with broadcasting, PyTorch's `torch.add`. Backward: `upstream` to each input,
    /// summed over the axes it was broadcast along (`AddBackward0`).
    @_specialize(exported: true, where Scalar == Float)
    public static func + (lhs: Variable, rhs: Variable) -> Variable {
        // A lookup's rows not yet copied out are gathered and added in one pass; addition is
        // commutative bit for bit, so either side may be the lookup.
        let sum = lhs.summingPendingRows(with: rhs) ?? rhs.summingPendingRows(with: lhs) ?? lhs.value + rhs.value
        // Nothing to record: no backward closure or input list to build (the common inference case).
        guard (lhs.storedRequiresGrad || rhs.storedRequiresGrad) && GradientMode.isEnabled else { return Variable(sum) }
        let lhsShape = lhs.shape, rhsShape = rhs.shape
        return recordDense(sum, name: "AddBackward0", inputs: [lhs, rhs]) { gradient in
            [gradient.summed(toShape: lhsShape), gradient.summed(toShape: rhsShape)]
        }
    }

    /// Elementwise difference with broadcasting, PyTorch's `torch.sub`. Backward: `upstream` to `lhs`
    /// and `-upstream` to `rhs`, each summed over the axes it was broadcast along (`SubBackward0`).
    @_specialize(exported: true, where Scalar == Float)
    public static func - (lhs: Variable, rhs: Variable) -> Variable {
        let lhsShape = lhs.shape, rhsShape = rhs.shape
        return recordDense(lhs.value - rhs.value, name: "SubBackward0", inputs: [lhs, rhs]) { gradient in
            [gradient.summed(toShape: lhsShape), (-gradient).summed(toShape: rhsShape)]
        }
    }

    /// Elementwise product with broadcasting, PyTorch's `torch.mul`. Backward: `upstream * rhs` to
    /// `lhs` and `upstream * lhs` to `rhs`, each summed over its broadcast axes (`MulBackward0`).
    @_specialize(exported: true, where Scalar == Float)
    public static func * (lhs: Variable, rhs: Variable) -> Variable {
        let left = lhs.value, right = rhs.value
        let needLeft = lhs.requiresGrad, needRight = rhs.requiresGrad
        return recordDense(left * right, name: "MulBackward0", inputs: [lhs, rhs]) { gradient in
            [needLeft ? (gradient * right).summed(toShape: left.shape) : nil,
             needRight ? (gradient * left).summed(toShape: right.shape) : nil]
        }
    }

    /// Elementwise quotient with broadcasting, PyTorch's `torch.div`. Backward: `upstream / rhs` to
    /// `lhs` and `-upstream * lhs / rhs²` to `rhs`, each summed over its broadcast axes (`DivBackward0`).
    @_specialize(exported: true, where Scalar == Float)
    public static func / (lhs: Variable, rhs: Variable) -> Variable {
        let left = lhs.value, right = rhs.value
        let needLeft = lhs.requiresGrad, needRight = rhs.requiresGrad
        return recordDense(left / right, name: "DivBackward0", inputs: [lhs, rhs]) { gradient in
            [needLeft ? (gradient / right).summed(toShape: left.shape) : nil,
             needRight ? (-(gradient * left) / (right * right)).summed(toShape: right.shape) : nil]
        }
    }

    /// Adds the constant `rhs` to every element. Backward: `upstream` (`AddBackward0`).
    @_specialize(where Scalar == Float)
    public static func + (lhs: Variable, rhs: Scalar) -> Variable {
        recordDense(lhs.value + rhs, name: "AddBackward0", inputs: [lhs]) { [$0] }
    }

    /// Adds the constant `lhs` to every element of `rhs`; the same as `rhs + lhs`.
    public static func + (lhs: Scalar, rhs: Variable) -> Variable { rhs + lhs }

    /// Subtracts the constant `rhs` from every element. Backward: `upstream` (`SubBackward0`).
    public static func - (lhs: Variable, rhs: Scalar) -> Variable {
        recordDense(lhs.value - rhs, name: "SubBackward0", inputs: [lhs]) { [$0] }
    }

    /// The constant `lhs` minus every element of `rhs`. Backward: `-upstream` (`RsubBackward1`).
    public static func - (lhs: Scalar, rhs: Variable) -> Variable {
        recordDense(lhs - rhs.value, name: "RsubBackward1", inputs: [rhs]) { [-$0] }
    }

    /// Multiplies every element by the constant `rhs`. Backward: `upstream * rhs` (`MulBackward0`).
    @_specialize(where Scalar == Float)
    public static func * (lhs: Variable, rhs: Scalar) -> Variable {
        recordDense(lhs.value * rhs, name: "MulBackward0", inputs: [lhs]) { [$0 * rhs] }
    }

    /// Multiplies every element of `rhs` by the constant `lhs`; the same as `rhs * lhs`.
    public static func * (lhs: Scalar, rhs: Variable) -> Variable { rhs * lhs }

    /// Divides every element by the constant `rhs`. Backward: `upstream / rhs` (`DivBackward0`).
    public static func / (lhs: Variable, rhs: Scalar) -> Variable {
        recordDense(lhs.value / rhs, name: "DivBackward0", inputs: [lhs]) { [$0 / rhs] }
    }

    /// The constant `lhs` divided by every element of `rhs`. Backward: `-upstream * lhs / rhs²`
    /// (`DivBackward0`).
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

    /// Elementwise negation, PyTorch's `torch.neg`. Backward: `-upstream` (`NegBackward0`).
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

    /// `lhs = lhs + rhs`: records a new node and rebinds `lhs` to it; the variable `lhs` referred to
    /// before is not modified (unlike PyTorch's in-place `+=`, which writes into the tensor).
    public static func += (lhs: inout Variable, rhs: Variable) { lhs = lhs + rhs }
    /// `lhs = lhs - rhs`, rebinding `lhs` to the new node as `+=` does.
    public static func -= (lhs: inout Variable, rhs: Variable) { lhs = lhs - rhs }
    /// `lhs = lhs * rhs`, rebinding `lhs` to the new node as `+=` does.
    public static func *= (lhs: inout Variable, rhs: Variable) { lhs = lhs * rhs }
    /// `lhs = lhs / rhs`, rebinding `lhs` to the new node as `+=` does.
    public static func /= (lhs: inout Variable, rhs: Variable) { lhs = lhs / rhs }
    /// `lhs = lhs + rhs` for a constant; like the other compound forms, records a new node.
    public static func += (lhs: inout Variable, rhs: Scalar) { lhs = lhs + rhs }
    /// `lhs = lhs - rhs` for a constant.
    public static func -= (lhs: inout Variable, rhs: Scalar) { lhs = lhs - rhs }
    /// `lhs = lhs * rhs` for a constant.
    public static func *= (lhs: inout Variable, rhs: Scalar) { lhs = lhs * rhs }
    /// `lhs = lhs / rhs` for a constant.
    public static func /= (lhs: inout Variable, rhs: Scalar) { lhs = lhs / rhs }
    /// `lhs = lhs + rhs` for a constant tensor (broadcasting).
    public static func += (lhs: inout Variable, rhs: Tensor<Scalar>) { lhs = lhs + rhs }
    /// `lhs = lhs - rhs` for a constant tensor (broadcasting).
    public static func -= (lhs: inout Variable, rhs: Tensor<Scalar>) { lhs = lhs - rhs }
    /// `lhs = lhs * rhs` for a constant tensor (broadcasting).
    public static func *= (lhs: inout Variable, rhs: Tensor<Scalar>) { lhs = lhs * rhs }
    /// `lhs = lhs / rhs` for a constant tensor (broadcasting).
    public static func /= (lhs: inout Variable, rhs: Tensor<Scalar>) { lhs = lhs / rhs }
}
