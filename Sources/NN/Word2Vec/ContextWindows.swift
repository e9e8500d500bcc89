/// Training examples of skip-gram and CBOW, one window per centre word: the centre word, the
/// context words around it, and the noise words drawn against it.
///
/// The arrays are laid out for the lookups of a training step: ``contextIDs`` for the input table
/// (grouped by ``contextOffsets``), ``outputIDs`` `[count, 1 + negativesPerWindow]` for the output
/// table, the centre first.
///
/// ```swift
/// var windows = ContextWindows(negativesPerWindow: 2)
/// windows.append(center: 5, contexts: [3, 7], negatives: [40, 12])
/// windows.outputIDs        // [5, 40, 12]
/// windows.contextOffsets   // [0, 2]
/// ```
public struct ContextWindows: Sendable {
    /// The noise words of each window.
    public let negativesPerWindow: Int
    /// Window after window: the centre word, then its `negativesPerWindow` noise words.
    public private(set) var outputIDs: [Int64] = []
    /// The context words of every window, window after window.
    public private(set) var contextIDs: [Int64] = []
    /// `count + 1` offsets into ``contextIDs``: window `w` has the contexts
    /// `contextOffsets[w] ..< contextOffsets[w + 1]`.
    public private(set) var contextOffsets: [Int] = [0]

    /// No windows yet.
    public init(negativesPerWindow: Int) {
        precondition(negativesPerWindow >= 0, "negativesPerWindow must not be negative, got \(negativesPerWindow)")
        self.negativesPerWindow = negativesPerWindow
    }

    /// The number of windows.
    public var count: Int { contextOffsets.count - 1 }

    /// The number of context words over all windows.
    public var contextCount: Int { contextIDs.count }

    /// Adds a window; `negatives` must hold ``negativesPerWindow`` words.
    public mutating func append(center: Int, contexts: some Sequence<Int>, negatives: some Collection<Int>) {
        precondition(negatives.count == negativesPerWindow,
                     "a window needs \(negativesPerWindow) negatives, got \(negatives.count)")
        outputIDs.append(Int64(center))
        outputIDs.append(contentsOf: negatives.lazy.map(Int64.init))
        contextIDs.append(contentsOf: contexts.lazy.map(Int64.init))
        contextOffsets.append(contextIDs.count)
    }

    /// Removes every window, keeping the arrays' storage for the next batch.
    public mutating func removeAll() {
        outputIDs.removeAll(keepingCapacity: true)
        contextIDs.removeAll(keepingCapacity: true)
        contextOffsets.removeAll(keepingCapacity: true)
        contextOffsets.append(0)
    }

    /// Windows `range` of these, as a batch of their own (offsets starting from 0).
    public func windows(_ range: Range<Int>) -> ContextWindows {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "windows \(range) of \(count)")
        var batch = ContextWindows(negativesPerWindow: negativesPerWindow)
        let outputs = 1 + negativesPerWindow
        batch.outputIDs = Array(outputIDs[(range.lowerBound * outputs)..<(range.upperBound * outputs)])
        let first = contextOffsets[range.lowerBound]
        batch.contextIDs = Array(contextIDs[first..<contextOffsets[range.upperBound]])
        batch.contextOffsets = contextOffsets[range.lowerBound...range.upperBound].map { $0 - first }
        return batch
    }

    /// Appends one window with its arrays' storage already reserved (the sampler's inner loop).
    @usableFromInline
    mutating func appendWindow(center: Int32, sentence: UnsafeBufferPointer<Int32>, contexts: Range<Int>,
                               skipping position: Int, negatives: UnsafeBufferPointer<Int32>) {
        outputIDs.append(Int64(center))
        for negative in negatives { outputIDs.append(Int64(negative)) }
        for index in contexts where index != position { contextIDs.append(Int64(sentence[index])) }
        contextOffsets.append(contextIDs.count)
    }
}
