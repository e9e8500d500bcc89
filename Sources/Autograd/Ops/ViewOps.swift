extension Variable {
    /// The same elements in a new shape (one dimension may be `-1`).
    public func reshaped(_ newShape: [Int]) -> Variable {
        let inputShape = shape
        return Variable.recordDense(value.reshaped(newShape), name: "ViewBackward0", inputs: [self]) {
            [$0.reshaped(inputShape)]
        }
    }

    /// The elements flattened to one dimension.
    public func flattened() -> Variable { reshaped([-1]) }

    /// The axes in `order`.
    public func permuted(_ order: [Int]) -> Variable {
        let resolved = order.map { Layout.normalize(axis: $0, rank: value.rank) }
        var inverse = [Int](repeating: 0, count: resolved.count)
        for (position, axis) in resolved.enumerated() { inverse[axis] = position }
        return Variable.recordDense(value.permuted(resolved), name: "PermuteBackward0", inputs: [self]) {
            [$0.permuted(inverse)]
        }
    }

    /// Two axes swapped (by default the last two).
    public func transposed(_ first: Int = -2, _ second: Int = -1) -> Variable {
        Variable.recordDense(value.transposed(first, second), name: "TransposeBackward0", inputs: [self]) {
            [$0.transposed(first, second)]
        }
    }

    /// Size-1 axes removed (or the one at `axis`).
    public func squeezed(axis: Int? = nil) -> Variable {
        let inputShape = shape
        return Variable.recordDense(value.squeezed(axis: axis), name: "SqueezeBackward0", inputs: [self]) {
            [$0.reshaped(inputShape)]
        }
    }

    /// A size-1 axis inserted at `axis`.
    public func unsqueezed(axis: Int) -> Variable {
        let inputShape = shape
        return Variable.recordDense(value.unsqueezed(axis: axis), name: "UnsqueezeBackward0", inputs: [self]) {
            [$0.reshaped(inputShape)]
        }
    }

    /// Size-1 axes repeated to `shape` (broadcasting); the backward sums them back.
    public func expanded(to newShape: [Int]) -> Variable {
        let inputShape = shape
        return Variable.recordDense(value.expanded(to: newShape), name: "ExpandBackward0", inputs: [self]) {
            [$0.summed(toShape: inputShape)]
        }
    }

    /// Positions `range` every `step` along `axis`.
    public func sliced(axis: Int, range: Range<Int>, step: Int = 1) -> Variable {
        viewRecording(name: "SliceBackward0") { $0.sliced(axis: axis, range: range, step: step) }
    }

    /// `length` positions from `start` along `axis`.
    public func narrowed(axis: Int, start: Int, length: Int) -> Variable {
        viewRecording(name: "NarrowBackward0") { $0.narrowed(axis: axis, start: start, length: length) }
    }

    /// Position `index` along `axis`, the axis removed.
    public func selected(axis: Int, index: Int) -> Variable {
        viewRecording(name: "SelectBackward0") { $0.selected(axis: axis, index: index) }
    }

    /// A view chosen axis by axis, as PyTorch's `x[1:3, 0]`.
    public subscript(_ indices: TensorIndex...) -> Variable {
        viewRecording(name: "IndexBackward0") { $0.indexed(by: indices) }
    }

    /// A view chosen axis by axis with positions and Swift ranges, as PyTorch's `x[:, 1:]`:
    /// `x[.all, 1...]`.
    @_disfavoredOverload   // all-TensorIndex subscripts keep their own overload
    public subscript(
        _ first: any TensorIndexExpression, _ second: any TensorIndexExpression, _ rest: any TensorIndexExpression...
    ) -> Variable {
        let resolved = value.resolvedIndices([first, second] + rest)
        return viewRecording(name: "IndexBackward0") { $0.indexed(by: resolved) }
    }

    /// Position `index` along the first axis, PyTorch's `x[i]`.
    public subscript(index: Int) -> Variable { selected(axis: 0, index: index) }

    /// A contiguous copy of the value; the gradient passes unchanged.
    public func contiguous() -> Variable {
        Variable.recordDense(value.contiguous(), name: "CloneBackward0", inputs: [self]) { [$0] }
    }

    /// Records a view whose backward writes the gradient into the viewed region of zeros.
    private func viewRecording(name: String, _ view: @escaping (Tensor<Scalar>) -> Tensor<Scalar>) -> Variable {
        let inputShape = shape
        return Variable.recordDense(view(value), name: name, inputs: [self]) { gradient in
            var full = Tensor<Scalar>.zeros(inputShape)
            full.assign(gradient, toView: view)
            return [full]
        }
    }
}
