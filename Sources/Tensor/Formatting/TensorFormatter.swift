/// Writes a tensor as PyTorch's `str(tensor)` does (`torch/_tensor_str.py`), character for
/// character in the numbers, with suffixes in Swift spelling.
///
/// The body is nested brackets, one level per axis: rows are separated by `,` and a newline,
/// blocks of rank k ≥ 2 by k - 1 newlines (so 3-D blocks have a blank line between them), and
/// every line is indented to sit under its opening bracket. A row longer than the line width is
/// wrapped after as many cells as fit. Summarised axes show `...` in place of the hidden positions.
enum TensorFormatter {
    /// What every description starts with; its length is the indent of continuation lines.
    static let prefix = "tensor("

    /// The full description: `prefix`, the body, the tensor's own suffixes (shape of an empty
    /// tensor, a dtype PyTorch would name) and then `extraSuffixes`, and the closing parenthesis.
    static func description<Scalar: TensorScalar>(of tensor: Tensor<Scalar>, extraSuffixes: [String]) -> String {
        let indent = prefix.utf8.count
        var suffixes: [String] = []
        let dtypeSuffix = "dtype: \(Scalar.self)"
        if tensor.count == 0 {
            // With no elements to show, PyTorch names any shape but (0,) and any dtype but the default float.
            if tensor.rank != 1 { suffixes.append("shape: \(tensor.shape)") }
            if Scalar.dtype != .float32 { suffixes.append(dtypeSuffix) }
        } else if ![.float32, .int64, .bool].contains(Scalar.dtype) {
            suffixes.append(dtypeSuffix)
        }
        return appending(suffixes + extraSuffixes, to: prefix + body(of: tensor, indent: indent), indent: indent)
    }

    /// The numbers in nested brackets (`[]` when empty, a bare number for rank 0), for a tensor
    /// whose opening bracket sits in column `indent`.
    static func body<Scalar: TensorScalar>(of tensor: Tensor<Scalar>, indent: Int) -> String {
        if tensor.count == 0 { return "[]" }
        let shown = ShownElements(of: tensor)
        let formatter = ElementFormatter(PrintedValues(shown.scalars))
        if tensor.rank == 0 { return formatter.cells[0] }
        let writer = NestedWriter(cells: formatter.cells, cellWidth: formatter.width,
                                  shownCounts: shown.positions.map(\.count), isElided: shown.isElided)
        return writer.block(axis: 0, start: 0, indent: indent)
    }

    /// Adds `suffixes` after `text` with `, `, moving a suffix onto its own line (indented by
    /// `indent`) when it would pass the line width, then closes the parenthesis.
    static func appending(_ suffixes: [String], to text: String, indent: Int) -> String {
        let lastLine = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).last!
        // PyTorch counts the last line two characters longer than it is; kept for identical wrapping.
        var lastLineLength = lastLine.count + 2
        var result = text
        for suffix in suffixes {
            let length = suffix.utf8.count
            if lastLineLength + length + 2 > PrintOptions.lineWidth {
                result += ",\n" + String(repeating: " ", count: indent) + suffix
                lastLineLength = indent + length
            } else {
                result += ", " + suffix
                lastLineLength += length + 2
            }
        }
        return result + ")"
    }
}

/// Lays formatted cells out in nested brackets; `cells` holds the shown elements row-major.
private struct NestedWriter {
    let cells: [String]
    let cellWidth: Int
    let shownCounts: [Int]
    let isElided: [Bool]

    /// The block of `axis` whose first cell is `cells[start]`, opening bracket in column `indent`.
    func block(axis: Int, start: Int, indent: Int) -> String {
        let rank = shownCounts.count
        if axis == rank - 1 { return row(start: start, indent: indent) }
        let cellsPerSlice = shownCounts[(axis + 1)...].reduce(1, *)
        var slices = (0..<shownCounts[axis]).map {
            block(axis: axis + 1, start: start + $0 * cellsPerSlice, indent: indent + 1)
        }
        if isElided[axis] { slices.insert("...", at: PrintOptions.edgeItems) }
        let separator = "," + String(repeating: "\n", count: rank - axis - 1)
            + String(repeating: " ", count: indent + 1)
        return "[" + slices.joined(separator: separator) + "]"
    }

    private func row(start: Int, indent: Int) -> String {
        var items = Array(cells[start ..< start + shownCounts[shownCounts.count - 1]])
        if isElided[isElided.count - 1] { items.insert(" ...", at: PrintOptions.edgeItems) }
        // Each cell takes its width plus ", "; the brackets are not counted, as in PyTorch.
        let cellsPerLine = Swift.max(1, (PrintOptions.lineWidth - indent) / (cellWidth + 2))
        let lines = stride(from: 0, to: items.count, by: cellsPerLine).map {
            items[$0 ..< Swift.min($0 + cellsPerLine, items.count)].joined(separator: ", ")
        }
        return "[" + lines.joined(separator: ",\n" + String(repeating: " ", count: indent + 1)) + "]"
    }
}
