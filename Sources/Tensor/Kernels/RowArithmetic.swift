internal import TensorSIMD

// The row operations other modules' kernels are built from, so that they reach the C kernels
// through Tensor rather than importing them. Kernel precondition for this file: every pointer
// addresses `count` elements (or the rows and groups its arguments describe) of live storage,
// and outputs do not overlap inputs. `level` is read on the calling thread
// (`InstructionSet.current`) and passed in: worker threads do not see the task's instruction-set
// scope.

/// `output[i] = exp(input[i] − shift) · scale` for `i` in `0..<count`: `Float` by the C kernel
/// (the same bits at every instruction-set level, vectorised), `Double` by the platform's `exp`.
package func shiftedExponentials<S: FloatingTensorScalar>(
    _ input: UnsafePointer<S>, shift: S, scale: S, into output: UnsafeMutablePointer<S>, count: Int,
    at level: InstructionSet
) {
    if S.self == Float.self {
        level.kernels.pointee.exponentials.exp_shifted_f32(
            cast(output, Float.self), cast(input, Float.self), unsafeBitCast(shift, to: Float.self),
            unsafeBitCast(scale, to: Float.self), count)
    } else {
        for i in 0..<count { output[i] = S.exp(input[i] - shift) * scale }
    }
}

/// word2vec's negative-sampling loss and gradients for `groupCount` groups (the C kernels'
/// `negative_sampling`; see `NegativeSamplingKernels` in NN for the arguments). `scratch` holds
/// the kernel's working elements, `rowScratch` its row pointers.
package func negativeSamplingGroups<S: FloatingTensorScalar>(
    inputs: UnsafePointer<S>, inputRows: UnsafePointer<Int64>?, outputs: UnsafePointer<S>,
    outputRows: UnsafePointer<Int64>?, groupOffsets: UnsafePointer<Int64>, groupCount: Int, outputsPerGroup: Int,
    width: Int, scoresMeanOfInputs: Bool, groupLosses: UnsafeMutablePointer<S>, inputGradient: UnsafeMutablePointer<S>?,
    outputGradient: UnsafeMutablePointer<S>?, scratch: UnsafeMutablePointer<S>,
    rowScratch: UnsafeMutableRawPointer, at level: InstructionSet
) {
    if S.self == Float.self {
        level.kernels.pointee.word2vec.negative_sampling_f32(
            cast(inputs, Float.self), inputRows, cast(outputs, Float.self), outputRows, groupOffsets, groupCount,
            outputsPerGroup, width, scoresMeanOfInputs ? 1 : 0, cast(groupLosses, Float.self),
            inputGradient.map { cast($0, Float.self) }, outputGradient.map { cast($0, Float.self) },
            cast(scratch, Float.self), rowScratch.assumingMemoryBound(to: UnsafePointer<Float>?.self))
    } else {
        precondition(S.self == Double.self, "no negative-sampling kernel for \(S.self)")
        level.kernels.pointee.word2vec.negative_sampling_f64(
            cast(inputs, Double.self), inputRows, cast(outputs, Double.self), outputRows, groupOffsets, groupCount,
            outputsPerGroup, width, scoresMeanOfInputs ? 1 : 0, cast(groupLosses, Double.self),
            inputGradient.map { cast($0, Double.self) }, outputGradient.map { cast($0, Double.self) },
            cast(scratch, Double.self), rowScratch.assumingMemoryBound(to: UnsafePointer<Double>?.self))
    }
}
