/// Elementwise comparisons producing `Bool` tensors.
package enum ComparisonOperation: Sendable, Hashable {
    /// `lhs == rhs`.
    case equal
    /// `lhs != rhs` (true where either is NaN).
    case notEqual
    /// `lhs < rhs`.
    case less
    /// `lhs <= rhs`.
    case lessOrEqual
    /// `lhs > rhs`.
    case greater
    /// `lhs >= rhs`.
    case greaterOrEqual
}

extension Tensor where Scalar: NumericTensorScalar {
    /// `self ⋚ other` elementwise with broadcasting, as a `Bool` tensor.
    ///
    /// ```swift
    /// Tensor<Float>([1, 2, 3]).compared(.greater, Tensor([2])).scalars   // [false, false, true]
    /// ```
    package func compared(_ operation: ComparisonOperation, _ other: Tensor) -> Tensor<Bool> {
        let resultShape = Broadcasting.checkedShape(shape, other.shape, operation: "\(operation)")
        let lhs = expanded(to: resultShape).scalars, rhs = other.expanded(to: resultShape).scalars
        var result = [Bool](repeating: false, count: lhs.count)
        switch operation {
        case .equal: for i in result.indices { result[i] = lhs[i] == rhs[i] }
        case .notEqual: for i in result.indices { result[i] = lhs[i] != rhs[i] }
        case .less: for i in result.indices { result[i] = lhs[i] < rhs[i] }
        case .lessOrEqual: for i in result.indices { result[i] = lhs[i] <= rhs[i] }
        case .greater: for i in result.indices { result[i] = lhs[i] > rhs[i] }
        case .greaterOrEqual: for i in result.indices { result[i] = lhs[i] >= rhs[i] }
        }
        return Tensor<Bool>(shape: resultShape, scalars: result)
    }

    /// `self ⋚ scalar` elementwise.
    package func compared(_ operation: ComparisonOperation, scalar: Scalar) -> Tensor<Bool> {
        compared(operation, Tensor(scalar: scalar))
    }

    /// Elementwise `==` with broadcasting, as a `Bool` tensor: PyTorch's `torch.eq`.
    public static func .== (lhs: Tensor, rhs: Tensor) -> Tensor<Bool> { lhs.compared(.equal, rhs) }
    /// Elementwise `!=` with broadcasting, as a `Bool` tensor: PyTorch's `torch.ne`.
    public static func .!= (lhs: Tensor, rhs: Tensor) -> Tensor<Bool> { lhs.compared(.notEqual, rhs) }
    /// Elementwise `<` with broadcasting, as a `Bool` tensor: PyTorch's `torch.lt`.
    public static func .< (lhs: Tensor, rhs: Tensor) -> Tensor<Bool> { lhs.compared(.less, rhs) }
    /// Elementwise `<=` with broadcasting, as a `Bool` tensor: PyTorch's `torch.le`.
    public static func .<= (lhs: Tensor, rhs: Tensor) -> Tensor<Bool> { lhs.compared(.lessOrEqual, rhs) }
    /// Elementwise `>` with broadcasting, as a `Bool` tensor: PyTorch's `torch.gt`.
    public static func .> (lhs: Tensor, rhs: Tensor) -> Tensor<Bool> { lhs.compared(.greater, rhs) }
    /// Elementwise `>=` with broadcasting, as a `Bool` tensor: PyTorch's `torch.ge`.
    public static func .>= (lhs: Tensor, rhs: Tensor) -> Tensor<Bool> { lhs.compared(.greaterOrEqual, rhs) }

    // Against one value, on either side, as PyTorch's `x > 0`.

    /// Where the element equals `rhs`.
    ///
    /// ```swift
    /// let correct = (predictions .== targets).converted(to: Float.self).mean()   // accuracy
    /// let positive = Tensor<Float>([-1, 0, 2]) .> 0                           // [false, false, true]
    /// ```
    public static func .== (lhs: Tensor, rhs: Scalar) -> Tensor<Bool> { lhs.compared(.equal, scalar: rhs) }
    /// Where the element differs from `rhs`.
    public static func .!= (lhs: Tensor, rhs: Scalar) -> Tensor<Bool> { lhs.compared(.notEqual, scalar: rhs) }
    /// Where the element is less than `rhs`.
    public static func .< (lhs: Tensor, rhs: Scalar) -> Tensor<Bool> { lhs.compared(.less, scalar: rhs) }
    /// Where the element is at most `rhs`.
    public static func .<= (lhs: Tensor, rhs: Scalar) -> Tensor<Bool> { lhs.compared(.lessOrEqual, scalar: rhs) }
    /// Where the element is greater than `rhs`.
    public static func .> (lhs: Tensor, rhs: Scalar) -> Tensor<Bool> { lhs.compared(.greater, scalar: rhs) }
    /// Where the element is at least `rhs`.
    public static func .>= (lhs: Tensor, rhs: Scalar) -> Tensor<Bool> { lhs.compared(.greaterOrEqual, scalar: rhs) }
    /// Where `lhs` equals the element.
    public static func .== (lhs: Scalar, rhs: Tensor) -> Tensor<Bool> { rhs .== lhs }
    /// Where `lhs` differs from the element.
    public static func .!= (lhs: Scalar, rhs: Tensor) -> Tensor<Bool> { rhs .!= lhs }
    /// Where `lhs` is less than the element.
    public static func .< (lhs: Scalar, rhs: Tensor) -> Tensor<Bool> { rhs .> lhs }
    /// Where `lhs` is at most the element.
    public static func .<= (lhs: Scalar, rhs: Tensor) -> Tensor<Bool> { rhs .>= lhs }
    /// Where `lhs` is greater than the element.
    public static func .> (lhs: Scalar, rhs: Tensor) -> Tensor<Bool> { rhs .< lhs }
    /// Where `lhs` is at least the element.
    public static func .>= (lhs: Scalar, rhs: Tensor) -> Tensor<Bool> { rhs .<= lhs }
}

extension Tensor where Scalar == Bool {
    /// The mask as numbers, `true` as 1 and `false` as 0: PyTorch's `mask.float()`, `mask.long()`.
    ///
    /// ```swift
    /// let hits = (Tensor<Int64>([1, 2, 3]) .== Tensor([1, 0, 3])).converted(to: Float.self)   // [1, 0, 1]
    /// hits.sum().scalar   // 2
    /// ```
    public func converted<Target: NumericTensorScalar>(to type: Target.Type = Target.self) -> Tensor<Target> {
        Tensor<Target>(shape: shape, scalars: scalars.map { $0 ? Target.one : Target.zero })
    }

    /// The number of `true` elements.
    public var trueCount: Int { scalars.reduce(0) { $0 + ($1 ? 1 : 0) } }

    /// Elementwise negation of the mask: PyTorch's `~mask`.
    public static prefix func ! (mask: Tensor) -> Tensor { Tensor(shape: mask.shape, scalars: mask.scalars.map { !$0 }) }
}

infix operator .== : ComparisonPrecedence
infix operator .!= : ComparisonPrecedence
infix operator .< : ComparisonPrecedence
infix operator .<= : ComparisonPrecedence
infix operator .> : ComparisonPrecedence
infix operator .>= : ComparisonPrecedence

extension Tensor {
    /// Picks `whenTrue` where `condition` holds and `whenFalse` elsewhere; all three broadcast.
    ///
    /// ```swift
    /// Tensor.where(Tensor<Bool>([true, false]), Tensor<Float>([1, 2]), Tensor<Float>([9]))   // [1, 9]
    /// ```
    public static func `where`(_ condition: Tensor<Bool>, _ whenTrue: Tensor, _ whenFalse: Tensor) -> Tensor {
        let valuesShape = Broadcasting.checkedShape(whenTrue.shape, whenFalse.shape, operation: "where")
        let resultShape = Broadcasting.checkedShape(condition.shape, valuesShape, operation: "where")
        let mask = condition.expanded(to: resultShape).scalars
        let first = whenTrue.expanded(to: resultShape).scalars
        let second = whenFalse.expanded(to: resultShape).scalars
        var result = second
        for i in result.indices where mask[i] { result[i] = first[i] }
        return Tensor(shape: resultShape, scalars: result)
    }

    /// ``where(_:_:_:)`` with one value where `condition` is false, as `torch.where(mask, x, 0)`.
    ///
    /// ```swift
    /// let kept = Tensor.where(Tensor<Bool>([true, false]), Tensor<Float>([1, 2]), 0)   // [1, 0]
    /// ```
    public static func `where`(_ condition: Tensor<Bool>, _ whenTrue: Tensor, _ whenFalse: Scalar) -> Tensor {
        Tensor.where(condition, whenTrue, Tensor(scalar: whenFalse))
    }

    /// ``where(_:_:_:)`` with one value where `condition` holds.
    public static func `where`(_ condition: Tensor<Bool>, _ whenTrue: Scalar, _ whenFalse: Tensor) -> Tensor {
        Tensor.where(condition, Tensor(scalar: whenTrue), whenFalse)
    }
}

extension Tensor where Scalar == Bool {
    /// Elementwise logical not.
    public func logicalNot() -> Tensor { Tensor(shape: shape, scalars: scalars.map { !$0 }) }
}
