extension Variable {
    /// Elementwise exponential, PyTorch's `torch.exp`. Backward: `upstream * exp(x)`.
    public func exp() -> Variable {
        let result = value.exp()
        return Variable.recordDense(result, name: "ExpBackward0", inputs: [self]) { [$0 * result] }
    }

    /// Elementwise natural logarithm, PyTorch's `torch.log`. Backward: `upstream / x`.
    public func log() -> Variable {
        let input = value
        return Variable.recordDense(input.log(), name: "LogBackward0", inputs: [self]) { [$0 / input] }
    }

    /// Elementwise `log(1 + x)`, accurate near 0, PyTorch's `torch.log1p`. Backward: `upstream / (x + 1)`.
    public func log1p() -> Variable {
        let input = value
        return Variable.recordDense(input.log1p(), name: "Log1PBackward0", inputs: [self]) { [$0 / (input + 1)] }
    }

    /// Elementwise square root, PyTorch's `torch.sqrt`. Backward: `upstream / (2 * sqrt(x))`.
    public func sqrt() -> Variable {
        let result = value.sqrt()
        return Variable.recordDense(result, name: "SqrtBackward0", inputs: [self]) { [$0 / (result * 2)] }
    }

    /// Absolute value; the gradient at 0 is 0 (sign(0) = 0), as PyTorch.
    public func abs() -> Variable {
        let input = value
        return Variable.recordDense(input.abs(), name: "AbsBackward0", inputs: [self]) { gradient in
            let positive = (input .> Tensor(scalar: 0)).asScalars(Scalar.self)
            let negative = (input .< Tensor(scalar: 0)).asScalars(Scalar.self)
            return [gradient * (positive - negative)]
        }
    }

    /// Elementwise hyperbolic tangent, PyTorch's `torch.tanh`. Backward: `upstream * (1 - tanh(x)²)`.
    public func tanh() -> Variable {
        let result = value.tanh()
        return Variable.recordDense(result, name: "TanhBackward0", inputs: [self]) { [$0 * (1 - result * result)] }
    }

    /// Elementwise logistic sigmoid `1 / (1 + exp(-x))`, PyTorch's `torch.sigmoid`. Backward:
    /// `upstream * s * (1 - s)` with `s = sigmoid(x)`.
    public func sigmoid() -> Variable {
        let result = value.sigmoid()
        return Variable.recordDense(result, name: "SigmoidBackward0", inputs: [self]) { [$0 * result * (1 - result)] }
    }

    /// Rectified linear unit; the gradient at 0 is 0, as PyTorch.
    public func relu() -> Variable {
        let result = value.relu()
        return Variable.recordDense(result, name: "ReluBackward0", inputs: [self]) { gradient in
            [gradient * (result .> Tensor(scalar: 0)).asScalars(Scalar.self)]
        }
    }

    /// Exact (erf) GELU; d/dx = Φ(x) + x·φ(x).
    public func gelu() -> Variable {
        let input = value
        return Variable.recordDense(input.gelu(), name: "GeluBackward0", inputs: [self]) { gradient in
            let cdf = ((input * Scalar(0.70710678118654752440)).erf() + 1) * Scalar(0.5)
            let pdf = (input * input * Scalar(-0.5)).exp() * Scalar(0.39894228040143267794)
            return [gradient * (cdf + input * pdf)]
        }
    }

    /// Elementwise sine (radians), PyTorch's `torch.sin`. Backward: `upstream * cos(x)`.
    public func sin() -> Variable {
        let input = value
        return Variable.recordDense(input.sin(), name: "SinBackward0", inputs: [self]) { [$0 * input.cos()] }
    }

    /// Elementwise cosine (radians), PyTorch's `torch.cos`. Backward: `-upstream * sin(x)`.
    public func cos() -> Variable {
        let input = value
        return Variable.recordDense(input.cos(), name: "CosBackward0", inputs: [self]) { [-($0 * input.sin())] }
    }

    /// Every element squared, PyTorch's `x ** 2`. Backward: `upstream * 2x` (`PowBackward0`).
    public func squared() -> Variable {
        let input = value
        return Variable.recordDense(input.squared(), name: "PowBackward0", inputs: [self]) { [$0 * input * 2] }
    }

    /// Every element raised to a constant `exponent`.
    public func pow(_ exponent: Scalar) -> Variable {
        let input = value
        return Variable.recordDense(input.pow(exponent), name: "PowBackward0", inputs: [self]) { gradient in
            exponent == 0 ? [Tensor.zeros(input.shape)] : [gradient * input.pow(exponent - 1) * exponent]
        }
    }

    /// Elements limited to `lower...upper`; the gradient passes where the input is inside the bounds
    /// (bounds included), as PyTorch.
    public func clamped(min lower: Scalar? = nil, max upper: Scalar? = nil) -> Variable {
        let input = value
        return Variable.recordDense(input.clamped(min: lower, max: upper), name: "ClampBackward1", inputs: [self]) { gradient in
            var inside = Tensor<Scalar>.ones(input.shape)
            if let lower { inside = inside * (input .>= Tensor(scalar: lower)).asScalars(Scalar.self) }
            if let upper { inside = inside * (input .<= Tensor(scalar: upper)).asScalars(Scalar.self) }
            return [gradient * inside]
        }
    }
}

extension Tensor where Scalar == Bool {
    /// 1 where true, 0 where false.
    func asScalars<Target: NumericTensorScalar>(_ type: Target.Type) -> Tensor<Target> {
        Tensor<Target>(shape: shape, scalars: scalars.map { $0 ? .one : .zero })
    }
}
