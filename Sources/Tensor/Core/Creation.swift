extension Tensor {
    /// A tensor of `shape` with every element `value`.
    ///
    /// ```swift
    /// Tensor<Float>.full([2, 2], value: 7).scalars   // [7, 7, 7, 7]
    /// ```
    public static func full(_ shape: [Int], value: Scalar) -> Tensor {
        let layout = Layout(contiguous: shape)
        return Tensor(storage: TensorStorage(repeating: value, count: layout.count), layout: layout)
    }

    /// A tensor of `shape` filled with `Scalar.zero`.
    public static func zeros(_ shape: [Int]) -> Tensor { full(shape, value: .zero) }

    /// A tensor shaped like `other` filled with zeros.
    public static func zeros(like other: Tensor) -> Tensor { zeros(other.shape) }

    /// Builds a tensor from a nested array such as `[[1, 2], [3, 4]]`; rows must be equally long.
    ///
    /// ```swift
    /// let m = Tensor<Float>(nested: [[1, 2], [3, 4]])   // shape [2, 2]
    /// ```
    public init(nested rows: [[Scalar]]) {
        let width = rows.first?.count ?? 0
        for row in rows { precondition(row.count == width, "nested rows differ in length: \(rows.map(\.count))") }
        self.init(shape: [rows.count, width], scalars: rows.flatMap { $0 })
    }

    /// Builds a rank-3 tensor from a doubly nested array.
    public init(nested planes: [[[Scalar]]]) {
        let rows = planes.first?.count ?? 0
        let width = planes.first?.first?.count ?? 0
        for plane in planes {
            precondition(plane.count == rows && plane.allSatisfy { $0.count == width },
                         "nested planes are not all \(rows)×\(width)")
        }
        self.init(shape: [planes.count, rows, width], scalars: planes.flatMap { $0.flatMap { $0 } })
    }
}

extension Tensor where Scalar: NumericTensorScalar {
    /// A tensor of `shape` filled with ones.
    public static func ones(_ shape: [Int]) -> Tensor { full(shape, value: .one) }

    /// `start, start + step, …` below `end`, as `torch.arange`.
    ///
    /// ```swift
    /// Tensor<Int64>.arange(4).scalars   // [0, 1, 2, 3]
    /// ```
    @_specialize(exported: true, where Scalar == Int64)
    @_specialize(exported: true, where Scalar == Float)
    public static func arange(_ start: Scalar, _ end: Scalar, step: Scalar = 1) -> Tensor {
        let first = start.doubleValue, last = end.doubleValue, delta = step.doubleValue
        precondition(delta != 0, "arange step must not be zero")
        let count = Swift.max(0, Int((((last - first) / delta)).rounded(.up)))
        // Written in place: layers call this on every forward (the positions of a sequence).
        return Tensor(unsafeUninitializedShape: [count]) { elements in
            for i in 0..<count { elements[i] = Scalar.converting(first + Double(i) * delta) }
        }
    }

    /// `0, 1, …, end - 1`.
    public static func arange(_ end: Scalar) -> Tensor { arange(.zero, end) }

    /// The identity matrix of size `size`.
    public static func eye(_ size: Int) -> Tensor {
        var scalars = [Scalar](repeating: .zero, count: size * size)
        for i in 0..<size { scalars[i * size + i] = .one }
        return Tensor(shape: [size, size], scalars: scalars)
    }

    /// The elements converted to another numeric type (`Float(x)`, `Int64(x)` rounding rules).
    public func converted<Target: NumericTensorScalar>(to type: Target.Type = Target.self) -> Tensor<Target> {
        if let same = self as? Tensor<Target> { return same }
        return Tensor<Target>(shape: shape, scalars: scalars.map { Target.converting($0.doubleValue) })
    }
}

extension Tensor where Scalar: FloatingTensorScalar {
    /// `count` evenly spaced values from `start` to `end` inclusive, as `torch.linspace`.
    public static func linspace(_ start: Scalar, _ end: Scalar, count: Int) -> Tensor {
        precondition(count >= 0, "linspace count must be non-negative")
        if count == 1 { return Tensor(shape: [1], scalars: [start]) }
        let step = (end - start) / Scalar(count - 1)
        // Like PyTorch, the second half is computed from the end so both endpoints are exact.
        let half = count / 2
        let scalars = (0..<count).map { i -> Scalar in
            i < half ? start + step * Scalar(i) : end - step * Scalar(count - 1 - i)
        }
        return Tensor(shape: [count], scalars: scalars)
    }
}

extension Tensor: ExpressibleByArrayLiteral {
    /// A one-dimensional tensor from an array literal, where a tensor is expected.
    ///
    /// ```swift
    /// let bias: Tensor<Float> = [0.5, -0.5]
    /// let rows = try embedding([1, 2, 3])   // ids as Tensor<Int64>
    /// ```
    public init(arrayLiteral elements: Scalar...) { self.init(elements) }
}
