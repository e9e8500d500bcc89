/// Applies entries to their targets (table rows, or the slots of rows being summed) so that every
/// target receives its entries in entry order, on any number of threads: threads own contiguous
/// ranges of targets and each scans every entry, applying only those whose target it owns. A
/// target's entries are thus applied by one thread, in order, and the result is the same bits
/// whatever the thread count — the order PyTorch's dense scatter-add accumulates duplicates in.
///
/// This is the one ordered scatter of the library: `indexAdd`'s scatter-add, the optimizers' row
/// sums of a row-sparse gradient and the frequency-scaled embedding gradient all run through it.
///
/// - `target(entry)`: the entry's target in `0..<targetCount`, or nil to skip the entry.
/// - `workPerEntry`: the elements one entry touches; a second thread joins only when each gets
///   ``ParallelConfiguration/elementwiseGrain`` elements of work.
/// - `apply(entry, target)` must write only `target`'s own elements.
package func applyInEntryOrder(
    entryCount: Int, targetCount: Int, workPerEntry: Int,
    target: (_ entry: Int) -> Int?, _ apply: (_ entry: Int, _ target: Int) -> Void
) {
    let threads = Swift.min(ParallelConfiguration.maximumThreadCount,
                            entryCount * workPerEntry / ParallelConfiguration.elementwiseGrain)
    parallelFor(targetCount, grain: Swift.max(1, targetCount / Swift.max(threads, 1))) { owned in
        for entry in 0..<entryCount {
            guard let target = target(entry), owned.contains(target) else { continue }
            apply(entry, target)
        }
    }
}
