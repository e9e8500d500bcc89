/// Elementwise comparisons producing `Bool` tensors.
public enum ComparisonOperation: Sendable, Hashable {
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
    public func compared(_ operation: ComparisonOperation, _ other: Tensor) -> Tensor<Bool> {
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
    public func compared(_ operation: ComparisonOperation, scalar: Scalar) -> Tensor<Bool> {
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
}

extension Tensor where Scalar == Bool {
    /// Elementwise logical not.
    public func logicalNot() -> Tensor { Tensor(shape: shape, scalars: scalars.map { !$0 }) }
}
