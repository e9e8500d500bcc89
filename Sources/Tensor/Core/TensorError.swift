/// An error from input data: what went wrong and where.
///
/// Operations whose failure depends on *data* (an index read from a tensor, bytes read from a
/// file) throw these and leave every tensor unchanged. Mistakes visible in the code itself
/// (adding tensors whose shapes cannot broadcast, reshaping 6 elements into 4) trap with a
/// message instead, like an array subscript out of range.
public enum TensorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An index tensor holds `index` at `position` (its multi-dimensional place in the index
    /// tensor), outside `0..<bound`.
    case indexOutOfRange(index: Int64, position: [Int], bound: Int)
    /// A shape that does not fit: `expected` against `found`, in `context`.
    case shapeMismatch(expected: [Int], found: [Int], context: String)
    /// An argument outside what an operation accepts.
    case invalidArgument(String)
    /// A file that cannot be read as what it claims to be; `offset` is the byte where reading failed.
    case malformedFile(path: String, offset: Int, reason: String)
    /// A named tensor that a file or state dictionary does not hold.
    case missingTensor(name: String)
    /// An element type other than the one asked for.
    case dtypeMismatch(expected: DType, found: String, context: String)
    /// An input/output failure from the operating system.
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case let .indexOutOfRange(index, position, bound):
            return "index \(index) at position \(position) is out of range 0..<\(bound)"
        case let .shapeMismatch(expected, found, context):
            return "\(context): expected shape \(expected), found \(found)"
        case let .invalidArgument(message):
            return message
        case let .malformedFile(path, offset, reason):
            return "\(path): malformed at byte \(offset): \(reason)"
        case let .missingTensor(name):
            return "no tensor named '\(name)'"
        case let .dtypeMismatch(expected, found, context):
            return "\(context): expected \(expected.rawValue), found \(found)"
        case let .io(path, reason):
            return "\(path): \(reason)"
        }
    }
}
