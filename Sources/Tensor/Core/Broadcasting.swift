/// NumPy broadcasting of shapes.
public enum Broadcasting {
    /// The shape two operands broadcast to: dimensions aligned from the right must be equal or 1.
    ///
    /// ```swift
    /// try Broadcasting.shape([8, 4, 256], [4, 256])   // [8, 4, 256]
    /// try Broadcasting.shape([2, 3], [4])             // throws shapeMismatch
    /// ```
    public static func shape(_ lhs: [Int], _ rhs: [Int]) throws(TensorError) -> [Int] {
        let rank = Swift.max(lhs.count, rhs.count)
        var result = [Int](repeating: 1, count: rank)
        for axis in 0..<rank {
            let left = axis < rank - lhs.count ? 1 : lhs[axis - (rank - lhs.count)]
            let right = axis < rank - rhs.count ? 1 : rhs[axis - (rank - rhs.count)]
            if left == right || right == 1 {
                result[axis] = left
            } else if left == 1 {
                result[axis] = right
            } else {
                throw .shapeMismatch(expected: lhs, found: rhs,
                                     context: "shapes cannot broadcast at dimension \(axis) (\(left) vs \(right))")
            }
        }
        return result
    }

    /// Like ``shape(_:_:)`` for code whose shapes are fixed by the program: traps with the message.
    public static func checkedShape(_ lhs: [Int], _ rhs: [Int], operation: @autoclosure () -> String) -> [Int] {
        do {
            return try shape(lhs, rhs)
        } catch {
            preconditionFailure("\(operation()): shapes \(lhs) and \(rhs) cannot be broadcast together")
        }
    }
}

extension Layout {
    /// This layout seen with `shape` (which it broadcasts to): new leading axes and expanded size-1
    /// axes get stride 0.
    func broadcast(to shape: [Int]) -> Layout {
        if self.shape == shape { return self }
        let lead = shape.count - rank
        var newStrides = [Int](repeating: 0, count: shape.count)
        let strides = self.strides   // computed for a contiguous layout: once, not per axis
        for axis in 0..<rank where self.shape[axis] == shape[axis + lead] {
            newStrides[axis + lead] = strides[axis]
        }
        return Layout(shape: shape, strides: newStrides, offset: offset)
    }
}
