/// Next-token training pairs cut from a token stream by a sliding window, as the seed
/// documents' `GPTDatasetV1`.
///
/// Window `i` starts at token `i * stride`: its input is the `maxLength` tokens from there and
/// its target the same span shifted one token on, so `target[t]` is the token that follows
/// `input[t]`. Only windows whose target fits in the stream are made (`for i in range(0,
/// len(tokens) - max_length, stride)`), so a stream of `n` tokens gives
/// `ceil((n - maxLength) / stride)` windows. A stride equal to `maxLength` tiles the stream
/// without overlap; a smaller stride overlaps windows.
///
/// ```swift
/// let dataset = SlidingWindowDataset(tokens: [10, 11, 12, 13, 14, 15], maxLength: 2, stride: 2)
/// dataset.count             // 2
/// dataset[1].input.scalars  // [12, 13]
/// dataset[1].target.scalars // [13, 14]
/// ```
public struct SlidingWindowDataset: Dataset, RandomAccessCollection, Sendable {
    /// A window's input ids and the ids that follow them, each `[maxLength]` (or `[B, maxLength]`
    /// for a batch).
    public typealias Sample = (input: Tensor<Int64>, target: Tensor<Int64>)
    public typealias Batch = Sample

    /// The whole token stream, one-dimensional.
    public let tokens: Tensor<Int64>
    /// The number of tokens in each input and target.
    public let maxLength: Int
    /// The distance in tokens between the starts of neighbouring windows.
    public let stride: Int

    /// Windows of `maxLength` tokens every `stride` tokens over `tokens`.
    public init<Tokens: Sequence>(tokens: Tokens, maxLength: Int, stride: Int) where Tokens.Element: BinaryInteger {
        precondition(maxLength >= 1, "maxLength must be at least 1, got \(maxLength)")
        precondition(stride >= 1, "stride must be at least 1, got \(stride)")
        self.tokens = Tensor(tokens.map { Int64($0) })
        self.maxLength = maxLength
        self.stride = stride
    }

    public var startIndex: Int { 0 }

    public var endIndex: Int {
        let span = tokens.count - maxLength
        return span > 0 ? (span + stride - 1) / stride : 0
    }

    /// The window at `index`; both tensors are views of ``tokens`` (nothing is copied).
    public subscript(index: Int) -> Sample {
        precondition(indices.contains(index), "window \(index) is out of range 0..<\(count)")
        let start = index * stride
        return (tokens.narrowed(axis: 0, start: start, length: maxLength),
                tokens.narrowed(axis: 0, start: start + 1, length: maxLength))
    }

    /// The windows at `indices` as `[indices.count, maxLength]` inputs and targets.
    public func batch(at indices: [Int]) -> Sample {
        var inputs: [Int64] = []
        var targets: [Int64] = []
        inputs.reserveCapacity(indices.count * maxLength)
        targets.reserveCapacity(indices.count * maxLength)
        tokens.withContiguousBuffer { stream in
            for index in indices {
                precondition(self.indices.contains(index), "window \(index) is out of range 0..<\(count)")
                let start = index * stride
                inputs += stream[start..<(start + maxLength)]
                targets += stream[(start + 1)...(start + maxLength)]
            }
        }
        let shape = [indices.count, maxLength]
        return (Tensor(shape: shape, scalars: inputs), Tensor(shape: shape, scalars: targets))
    }
}
