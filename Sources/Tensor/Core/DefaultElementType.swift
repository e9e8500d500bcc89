// PyTorch's default element types, for code that names none: `torch.randn(2, 3)` is float32 and
// `torch.arange(4)` int64, so `Tensor.randn([2, 3])` is a `Tensor<Float>` and `Tensor.arange(4)` a
// `Tensor<Int64>`. Each overload here is the generic factory with its scalar fixed; Swift prefers
// it when nothing else decides the type, and a typed context (`Tensor<Double>.randn`, `let t:
// Tensor<Double> = .zeros(…)`) still picks the generic one. The generic versions are reached through
// the generic helpers at the bottom, which is where Swift cannot choose these overloads again.

extension Tensor where Scalar == Float {
    /// `Tensor<Float>.randn(shape)` when no type is named.
    ///
    /// ```swift
    /// let x = Tensor.randn([2, 3])   // Tensor<Float>, as torch.randn(2, 3)
    /// ```
    public static func randn(_ shape: [Int], generator: Generator? = nil) -> Tensor {
        genericRandn(shape, generator)
    }

    /// `Tensor<Float>.rand(shape)` when no type is named.
    public static func rand(_ shape: [Int], generator: Generator? = nil) -> Tensor {
        genericRand(shape, generator)
    }

    /// `Tensor<Float>.zeros(shape)` when no type is named.
    ///
    /// ```swift
    /// let weight = Parameter(Tensor.zeros([3, 2]))   // Parameter<Float>
    /// ```
    public static func zeros(_ shape: [Int]) -> Tensor { genericFull(shape, 0) }

    /// `Tensor<Float>.ones(shape)` when no type is named.
    public static func ones(_ shape: [Int]) -> Tensor { genericFull(shape, 1) }

    /// `Tensor<Float>.full(shape, value:)` when no type is named.
    public static func full(_ shape: [Int], value: Float) -> Tensor { genericFull(shape, value) }
}

extension Tensor where Scalar == Int64 {
    /// `0, 1, …, end - 1` as `Tensor<Int64>`, as `torch.arange(end)`, from an `Int` (a count or a
    /// sequence length).
    ///
    /// ```swift
    /// let positions = Tensor.arange(ids.shape[1])   // Tensor<Int64>
    /// ```
    public static func arange(_ end: Int) -> Tensor { genericArange(0, Int64(end), 1) }

    /// `start, start + step, …` below `end` as `Tensor<Int64>`, from `Int`s.
    public static func arange(_ start: Int, _ end: Int, step: Int = 1) -> Tensor {
        genericArange(Int64(start), Int64(end), Int64(step))
    }

    /// `Tensor<Int64>.randint(low:high:shape:)` when no type is named, as `torch.randint`.
    ///
    /// ```swift
    /// let ids = Tensor.randint(high: 50257, shape: [8, 4])   // Tensor<Int64>
    /// ```
    public static func randint(low: Int = 0, high: Int, shape: [Int], generator: Generator? = nil) -> Tensor {
        genericRandint(low, high, shape, generator)
    }

    /// Token ids as a one-dimensional `Tensor<Int64>`: a tokenizer's `[Int]` as it comes.
    ///
    /// ```swift
    /// let ids = Tensor(tokenizer.encode("the cat sat"))   // Tensor<Int64>
    /// ```
    @_disfavoredOverload   // `Tensor<Int64>([.min, .max])` and `Tensor<Int64>([])` keep meaning [Int64]
    public init(_ ids: [Int]) {
        self.init(ids.map { Int64($0) })
    }
}

// Generic helpers: inside them the scalar is a type parameter, so the calls below resolve to the
// generic factories, never to the fixed-type overloads above.

private func genericRandn<S: FloatingTensorScalar>(_ shape: [Int], _ generator: Generator?) -> Tensor<S> {
    Tensor<S>.randn(shape, generator: generator)
}

private func genericRand<S: FloatingTensorScalar>(_ shape: [Int], _ generator: Generator?) -> Tensor<S> {
    Tensor<S>.rand(shape, generator: generator)
}

private func genericFull<S: TensorScalar>(_ shape: [Int], _ value: S) -> Tensor<S> {
    Tensor<S>.full(shape, value: value)
}

private func genericArange<S: NumericTensorScalar>(_ start: S, _ end: S, _ step: S) -> Tensor<S> {
    Tensor<S>.arange(start, end, step: step)
}

private func genericRandint<S: NumericTensorScalar & FixedWidthInteger>(
    _ low: Int, _ high: Int, _ shape: [Int], _ generator: Generator?
) -> Tensor<S> {
    Tensor<S>.randint(low: low, high: high, shape: shape, generator: generator)
}
