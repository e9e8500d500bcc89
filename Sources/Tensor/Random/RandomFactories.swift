extension Tensor where Scalar: FloatingTensorScalar {
    /// A tensor of `shape` filled with standard normal values, as `torch.randn(shape)`.
    ///
    /// Bit-for-bit PyTorch's values on x86-64 (see ``fillNormal(mean:std:generator:)``); draws from
    /// `generator`, or from ``Generator/default`` when nil.
    ///
    /// ```swift
    /// manualSeed(123)
    /// Tensor<Float>.randn([6, 3])[element: [3, 0]]   // -0.40148801
    /// ```
    public static func randn(_ shape: [Int], generator: Generator? = nil) -> Tensor {
        var result = Tensor(uninitializedShape: shape)
        result.fillNormal(generator: generator)
        return result
    }

    /// A tensor of `shape` filled with uniform values in `[0, 1)`, as `torch.rand(shape)`.
    ///
    /// ```swift
    /// Tensor<Float>.rand([2], generator: Generator(seed: 0)).scalars   // [0.49625659, 0.7682218]
    /// ```
    public static func rand(_ shape: [Int], generator: Generator? = nil) -> Tensor {
        var result = Tensor(uninitializedShape: shape)
        result.fillUniform(generator: generator)
        return result
    }

    /// Overwrites every element with a normal value of mean `mean` and standard deviation `std`,
    /// exactly as PyTorch's `normal_` on an x86-64 CPU.
    ///
    /// A contiguous tensor of at least 16 elements takes PyTorch's vectorised path: all uniforms
    /// are drawn first, then each block of 16 becomes 16 normals (the AVX2 kernel's arithmetic for
    /// `Float`, reproduced on every platform; `log`/`sin`/`cos` for `Double`). Smaller or
    /// non-contiguous tensors draw one double Box–Muller value per element, in memory order,
    /// sharing the generator's cached second value across calls. The paths consume the stream
    /// differently (the float path takes `count` 32-bit draws, plus 16 when `count % 16 != 0`),
    /// so, as in PyTorch, the values depend on the tensor's size and layout, not only on the seed.
    ///
    /// ```swift
    /// var weight = Tensor<Float>.zeros([4, 8])
    /// weight.fillNormal(mean: 0, std: 0.02, generator: Generator(seed: 1))
    /// ```
    public mutating func fillNormal(mean: Double = 0, std: Double = 1, generator: Generator? = nil) {
        precondition(std >= 0, "normal needs a non-negative standard deviation, got \(std)")
        let generator = generator ?? .default
        let total = count
        if total >= NormalFill.blockSize && isContiguous {
            prepareForOverwrite()
            NormalFill.fill(storage.base, count: total, mean: mean, std: std, generator: generator)
            return
        }
        let order = layout.isContiguous ? nil : memoryOrder(of: layout)
        prepareForOverwrite()
        // PyTorch computes `value * std + mean` in double, contracted to one fused multiply-add.
        if Scalar.self == Float.self {
            drawEach(into: cast(storage.base, Float.self), count: total, order: order, generator: generator) {
                Float(mean.addingProduct($0.standardNormalDouble(), std))
            }
        } else if Scalar.self == Double.self {
            drawEach(into: cast(storage.base, Double.self), count: total, order: order, generator: generator) {
                mean.addingProduct($0.standardNormalDouble(), std)
            }
        } else {
            preconditionFailure("no normal fill for \(Scalar.self)")
        }
    }

    /// Overwrites every element with a uniform value in `[from, to)`, exactly as PyTorch's
    /// `uniform_` on an x86-64 CPU: one draw per element in memory order (32 bits for `Float`,
    /// 64 for `Double`), scaled as `x · (to - from) + from` in the element type with one rounding.
    ///
    /// ```swift
    /// var bias = Tensor<Float>.zeros([8])
    /// bias.fillUniform(from: -0.1, to: 0.1, generator: Generator(seed: 0))
    /// ```
    public mutating func fillUniform(from: Double = 0, to: Double = 1, generator: Generator? = nil) {
        precondition(from <= to, "uniform needs from <= to, got [\(from), \(to))")
        let generator = generator ?? .default
        let order = layout.isContiguous ? nil : memoryOrder(of: layout)
        prepareForOverwrite()
        // PyTorch converts the bounds to the element type first, then GCC fuses the multiply-add.
        if Scalar.self == Float.self {
            let lower = Float(from), width = Float(to) - Float(from)
            drawEach(into: cast(storage.base, Float.self), count: count, order: order, generator: generator) {
                lower.addingProduct($0.uniformFloat(), width)
            }
        } else if Scalar.self == Double.self {
            let lower = from, width = to - from
            drawEach(into: cast(storage.base, Double.self), count: count, order: order, generator: generator) {
                lower.addingProduct($0.uniformDouble(), width)
            }
        } else {
            preconditionFailure("no uniform fill for \(Scalar.self)")
        }
    }
}

extension Tensor where Scalar: NumericTensorScalar & FixedWidthInteger {
    /// A tensor of `shape` with integers drawn uniformly from `low ..< high`, as
    /// `torch.randint(low, high, shape)`.
    ///
    /// Each element is `draw % (high - low) + low`, the draw being 32 bits wide, or 64 once the
    /// range reaches 2^28, exactly as PyTorch.
    ///
    /// ```swift
    /// Tensor<Int64>.randint(low: 0, high: 10, shape: [5], generator: Generator(seed: 0)).scalars
    /// // [4, 9, 3, 0, 3]
    /// ```
    public static func randint(low: Int = 0, high: Int, shape: [Int], generator: Generator? = nil) -> Tensor {
        precondition(low < high, "randint needs low < high, got [\(low), \(high))")
        precondition(Int64(low) >= Int64(Scalar.min) && Int64(high) - 1 <= Int64(Scalar.max),
                     "randint range [\(low), \(high)) does not fit \(Scalar.self)")
        let range = UInt64(bitPattern: Int64(high) &- Int64(low))
        let base = Int64(low)
        let result = Tensor(uninitializedShape: shape)
        let elements = result.storage.base
        (generator ?? .default).withState { state in
            for index in 0..<result.count {
                elements[index] = Scalar(truncatingIfNeeded: base &+ Int64(bitPattern: state.integer(below: range)))
            }
        }
        return result
    }
}

extension Tensor where Scalar == Int64 {
    /// A random permutation of `0 ..< n`, as `torch.randperm(n)` on the CPU.
    ///
    /// ```swift
    /// Tensor<Int64>.randperm(10, generator: Generator(seed: 0)).scalars   // [4, 1, 7, 5, 3, 9, 0, 8, 6, 2]
    /// ```
    public static func randperm(_ n: Int, generator: Generator? = nil) -> Tensor {
        precondition(n >= 0, "randperm needs a non-negative size, got \(n)")
        let result = Tensor(uninitializedShape: [n])
        let values = result.storage.base
        (generator ?? .default).withState { state in
            // PyTorch keeps the 32-bit swap loop below 2^32 / 20 elements and switches to the
            // inside-out shuffle with 64-bit draws above, where `% (n - i)` would be visibly biased.
            if n < Int(UInt32.max / 20) {
                for index in 0..<n { values[index] = Int64(index) }
                for index in 0..<Swift.max(n - 1, 0) {
                    let offset = Int(UInt64(state.engine.random()) % UInt64(n - index))
                    let swapped = values[index + offset]
                    values[index + offset] = values[index]
                    values[index] = swapped
                }
            } else {
                for index in 0..<n {
                    let other = Int(state.engine.random64() % UInt64(index + 1))
                    values[index] = values[other]
                    values[other] = Int64(index)
                }
            }
        }
        return result
    }
}

/// Writes `draw(&state)` for each element, holding the generator's lock once for the whole loop.
/// Element `k` of the drawing order lands at row-major position `order[k]` (or `k` when nil).
@inline(__always)
private func drawEach<T>(
    into elements: UnsafeMutablePointer<T>, count: Int, order: [Int]?, generator: Generator,
    _ draw: (inout GeneratorState) -> T
) {
    generator.withState { state in
        if let order {
            for index in 0..<count { elements[order[index]] = draw(&state) }
        } else {
            for index in 0..<count { elements[index] = draw(&state) }
        }
    }
}

/// The row-major positions of `layout`'s elements in the order PyTorch's TensorIterator visits
/// them: by increasing storage address, that is, dimensions sorted by decreasing stride. Filling
/// a transposed view therefore draws the values in the order of the underlying storage.
/// Expanded views, which PyTorch refuses to fill, get one draw per element all the same.
func memoryOrder(of layout: Layout) -> [Int] {
    let shape = layout.shape
    let logicalStrides = Layout.contiguousStrides(for: shape), strides = layout.strides
    let axes = shape.indices
        .filter { shape[$0] > 1 }
        .sorted { strides[$0] != strides[$1] ? strides[$0] > strides[$1] : $0 < $1 }
    var order = [Int]()
    order.reserveCapacity(layout.count)
    if layout.count == 0 { return order }
    var counters = [Int](repeating: 0, count: axes.count)
    var position = 0
    while true {
        order.append(position)
        var level = axes.count - 1
        while level >= 0 {
            let axis = axes[level]
            counters[level] += 1
            position += logicalStrides[axis]
            if counters[level] < shape[axis] { break }
            position -= logicalStrides[axis] * shape[axis]
            counters[level] = 0
            level -= 1
        }
        if level < 0 { return order }
    }
}
