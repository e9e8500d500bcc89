/// PyTorch's default print options (`torch._tensor_str.PRINT_OPTS`), which every tensor
/// description follows.
enum PrintOptions {
    /// Digits after the decimal point in fixed and scientific notation.
    static let precision = 4
    /// Tensors with more elements than this are summarised with `...`.
    static let threshold = 1000
    /// Positions kept at each end of a summarised axis.
    static let edgeItems = 3
    /// The column limit for wrapping long rows and placing suffixes.
    static let lineWidth = 80
}
