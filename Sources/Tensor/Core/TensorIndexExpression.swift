/// What can stand at one axis of a multi-axis subscript, beside ``TensorIndex``: a position (`2`)
/// and Swift's ranges (`1..<3`, `1...2`, `1...`, `..<2`, `...2`), so that PyTorch's `x[:, 1:3]`
/// reads `x[.all, 1..<3]` and `x[1:, 0]` reads `x[1..., 0]`.
///
/// ```swift
/// let m = Tensor<Float>.arange(12).reshaped([3, 4])
/// m[.all, 1..<3].shape   // [3, 2]
/// m[1..., 0].scalars     // [4, 8]
/// ```
public protocol TensorIndexExpression: Sendable {
    /// The index this expression names along an axis of `axisSize` positions.
    func tensorIndex(axisSize: Int) -> TensorIndex
}

extension TensorIndex: TensorIndexExpression {
    /// Itself.
    public func tensorIndex(axisSize: Int) -> TensorIndex { self }
}

/// A ``TensorIndex`` written as `.all`, `.newAxis`, `.index(_:)` or `.range(_:step:)` among Swift
/// ranges in a mixed subscript (`x[.all, 1...]`), where Swift looks such names up on the
/// ``TensorIndexExpression`` protocol rather than on ``TensorIndex`` itself.
public struct AxisSelection: TensorIndexExpression, Hashable {
    /// The index it stands for.
    public let index: TensorIndex

    /// The index it stands for.
    public func tensorIndex(axisSize: Int) -> TensorIndex { index }
}

extension TensorIndexExpression where Self == AxisSelection {
    /// The whole axis, PyTorch's `:`.
    public static var all: AxisSelection { AxisSelection(index: .all) }
    /// A new axis of size 1, PyTorch's `None`.
    public static var newAxis: AxisSelection { AxisSelection(index: .newAxis) }
    /// One position; the axis is removed.
    public static func index(_ position: Int) -> AxisSelection { AxisSelection(index: .index(position)) }
    /// `lower ..< upper` every `step`.
    public static func range(_ range: Range<Int>, step: Int = 1) -> AxisSelection {
        AxisSelection(index: .range(range, step: step))
    }
}

extension Int: TensorIndexExpression {
    /// One position (negative counts from the end).
    public func tensorIndex(axisSize: Int) -> TensorIndex { .index(self) }
}

extension Range: TensorIndexExpression where Bound == Int {
    /// The positions `lowerBound ..< upperBound`.
    public func tensorIndex(axisSize: Int) -> TensorIndex { .range(self) }
}

extension ClosedRange: TensorIndexExpression where Bound == Int {
    /// The positions `lowerBound ... upperBound`.
    public func tensorIndex(axisSize: Int) -> TensorIndex { .range(relative(to: 0..<axisSize)) }
}

extension PartialRangeFrom: TensorIndexExpression where Bound == Int {
    /// From `lowerBound` to the end of the axis, PyTorch's `a:`.
    public func tensorIndex(axisSize: Int) -> TensorIndex { .range(relative(to: 0..<axisSize)) }
}

extension PartialRangeUpTo: TensorIndexExpression where Bound == Int {
    /// From the start of the axis to before `upperBound`, PyTorch's `:b`.
    public func tensorIndex(axisSize: Int) -> TensorIndex { .range(relative(to: 0..<axisSize)) }
}

extension PartialRangeThrough: TensorIndexExpression where Bound == Int {
    /// From the start of the axis through `upperBound`.
    public func tensorIndex(axisSize: Int) -> TensorIndex { .range(relative(to: 0..<axisSize)) }
}

extension Tensor {
    /// The indices of a subscript resolved against this tensor's axes, left to right: a position,
    /// a range and `.all` each take the next axis of this tensor, a new axis takes none.
    package func resolvedIndices(_ expressions: [any TensorIndexExpression]) -> [TensorIndex] {
        var axis = 0
        return expressions.map { expression in
            let index = expression.tensorIndex(axisSize: axis < rank ? shape[axis] : 0)
            if index != .newAxis { axis += 1 }
            return index
        }
    }

    /// A view chosen axis by axis with positions and Swift ranges mixed, as PyTorch's
    /// `x[1:, :2, 0]`: `x[1..., ..<2, 0]`.
    ///
    /// ```swift
    /// var m = Tensor<Float>.zeros([2, 4])
    /// m[.all, 1...2] = Tensor([7])   // [[0, 7, 7, 0], [0, 7, 7, 0]]
    /// ```
    ///
    /// Two expressions at least: one alone is `t[i]` or `t[a..<b]` (the single-axis subscripts)
    /// (and, with one argument fewer to try, an expression such as `t[3].scalars.map { $0 * $0 }`
    /// stays quick to type-check).
    @_disfavoredOverload   // all-TensorIndex subscripts (`t[.all, .range(0..<2)]`) keep their own overload
    public subscript(
        _ first: any TensorIndexExpression, _ second: any TensorIndexExpression, _ rest: any TensorIndexExpression...
    ) -> Tensor {
        get { indexed(by: resolvedIndices([first, second] + rest)) }
        set {
            let resolved = resolvedIndices([first, second] + rest)
            assign(newValue, toView: { $0.indexed(by: resolved) })
        }
    }
}
