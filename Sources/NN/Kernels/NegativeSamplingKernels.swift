import Tensor

// Kernel precondition for this file: `inputs` and `outputs` are contiguous row-major tables of
// `width`-element rows holding every row the ids name (with no ids, `groupOffsets.last` input rows
// and `groupCount · outputsPerGroup` output rows); ids are already checked against their tables;
// `groupOffsets` rises from 0; the gradient buffers, when given, hold one row per input and per
// output and overlap nothing.

/// The negative-sampling loss and its gradient, threads splitting the groups.
enum NegativeSamplingKernels {
    /// Writes each group's loss into `groupLosses` (`groupCount` elements) and, when both gradient
    /// buffers are given, the gradient of the summed loss with respect to every input and output
    /// row (one gradient row per input and per output, in order).
    ///
    /// Inputs are rows `inputRows` of `inputs` (its rows in order when nil), outputs rows
    /// `outputRows` of `outputs` (likewise). With `scoresMeanOfInputs` each group's mean input is
    /// scored instead of each input. Each group writes only its own losses and rows, so the
    /// result is the same for any thread count.
    static func lossAndGradient<S: FloatingTensorScalar>(
        inputs: UnsafePointer<S>, inputRows: UnsafePointer<Int64>?, outputs: UnsafePointer<S>,
        outputRows: UnsafePointer<Int64>?, groupOffsets: UnsafePointer<Int64>, groupCount: Int, outputsPerGroup: Int,
        width: Int, scoresMeanOfInputs: Bool, groupLosses: UnsafeMutablePointer<S>, inputGradient: UnsafeMutablePointer<S>?,
        outputGradient: UnsafeMutablePointer<S>?
    ) {
        // Read on the calling thread: worker threads do not see the task's instruction-set scope.
        let level = InstructionSet.current
        // A group costs about (inputs × outputs) dot products and as many pairs of row updates.
        let pairs = Int(groupOffsets[groupCount]) * outputsPerGroup
        let pairsPerGroup = Swift.max(1, pairs / Swift.max(groupCount, 1))
        let grain = Swift.max(1, ParallelConfiguration.elementwiseGrain / Swift.max(pairsPerGroup * width, 1))
        let outputStride = outputsPerGroup * width
        parallelForBalanced(groupCount, grain: grain) { range in
            let first = range.lowerBound
            var largestGroup = 0
            for group in range { largestGroup = Swift.max(largestGroup, Int(groupOffsets[group + 1] - groupOffsets[group])) }
            let scratchCount = Swift.max(1, scoresMeanOfInputs ? 2 * width + 3 * outputsPerGroup
                                                               : 3 * largestGroup * outputsPerGroup)
            withUnsafeTemporaryAllocation(of: S.self, capacity: scratchCount) { scratch in
                withUnsafeTemporaryAllocation(of: UnsafePointer<S>?.self, capacity: largestGroup + outputsPerGroup) { rows in
                    // Without output ids, the range's outputs start at its first group's rows.
                    let outputBase = outputRows == nil ? outputs + first * outputStride : outputs
                    let outputIDs = outputRows.map { $0 + first * outputsPerGroup }
                    negativeSamplingGroups(
                        inputs: inputs, inputRows: inputRows, outputs: outputBase, outputRows: outputIDs,
                        groupOffsets: groupOffsets + first, groupCount: range.count, outputsPerGroup: outputsPerGroup,
                        width: width, scoresMeanOfInputs: scoresMeanOfInputs, groupLosses: groupLosses + first,
                        inputGradient: inputGradient, outputGradient: outputGradient.map { $0 + first * outputStride },
                        scratch: scratch.baseAddress!, rowScratch: UnsafeMutableRawPointer(rows.baseAddress!), at: level)
                }
            }
        }
    }
}
