import Tensor
internal import TensorSIMD

// Kernel precondition for this file: `inputs` holds `groupOffsets.last` rows and `outputs`
// `groupCount · outputsPerGroup` rows of `width` elements, contiguous; `groupOffsets` rises from 0;
// the gradient buffers, when given, have the inputs' and the outputs' sizes and overlap nothing.

/// The negative-sampling loss and its gradient, threads splitting the groups.
enum NegativeSamplingKernels {
    /// Writes each group's loss into `groupLosses` (`groupCount` elements) and, when both gradient
    /// buffers are given, the gradient of the summed loss with respect to every input and output row.
    ///
    /// Each group writes only its own losses and rows, so the result is the same for any thread count.
    static func lossAndGradient<S: FloatingTensorScalar>(
        inputs: UnsafePointer<S>, outputs: UnsafePointer<S>, groupOffsets: UnsafePointer<Int64>, groupCount: Int,
        outputsPerGroup: Int, width: Int, groupLosses: UnsafeMutablePointer<S>,
        inputGradient: UnsafeMutablePointer<S>?, outputGradient: UnsafeMutablePointer<S>?
    ) {
        let kernels = InstructionSet.currentKernels
        // A group costs about (inputs × outputs) dot products and as many pairs of row updates.
        let pairs = Int(groupOffsets[groupCount]) * outputsPerGroup
        let pairsPerGroup = Swift.max(1, pairs / Swift.max(groupCount, 1))
        let grain = Swift.max(1, ParallelConfiguration.elementwiseGrain / Swift.max(pairsPerGroup * width, 1))
        parallelForBalanced(groupCount, grain: grain) { range in
            let first = range.lowerBound
            var largestGroup = 0
            for group in range { largestGroup = Swift.max(largestGroup, Int(groupOffsets[group + 1] - groupOffsets[group])) }
            withUnsafeTemporaryAllocation(of: S.self, capacity: Swift.max(1, 3 * largestGroup * outputsPerGroup)) { scratch in
                if S.self == Float.self {
                    kernels.pointee.negative_sampling_f32(
                        cast(inputs, Float.self), cast(outputs + first * outputsPerGroup * width, Float.self),
                        groupOffsets + first, range.count, outputsPerGroup, width, cast(groupLosses + first, Float.self),
                        inputGradient.map { cast($0, Float.self) },
                        outputGradient.map { cast($0 + first * outputsPerGroup * width, Float.self) },
                        cast(scratch.baseAddress!, Float.self))
                } else {
                    kernels.pointee.negative_sampling_f64(
                        cast(inputs, Double.self), cast(outputs + first * outputsPerGroup * width, Double.self),
                        groupOffsets + first, range.count, outputsPerGroup, width, cast(groupLosses + first, Double.self),
                        inputGradient.map { cast($0, Double.self) },
                        outputGradient.map { cast($0 + first * outputsPerGroup * width, Double.self) },
                        cast(scratch.baseAddress!, Double.self))
                }
            }
        }
    }
}
