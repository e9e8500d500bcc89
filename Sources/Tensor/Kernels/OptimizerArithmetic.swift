internal import TensorSIMD

// The optimizers' element-wise updates, so that NN's optimizers reach the C kernels through Tensor
// rather than importing them. Kernel precondition for this file: every pointer addresses `count`
// elements (or the rows and entries its arguments describe) of live storage, of `Float` when
// `isFloat` and of `Double` otherwise; outputs overlap no input. `level` is read on the calling
// thread (`InstructionSet.current`) and passed in: worker threads do not see the task's
// instruction-set scope.

/// The settings of one SGD update (PyTorch's `torch.optim.SGD`) as Python holds them, in Double;
/// the kernels round each to the element type once. `addsZero`: add +0 to every gradient element
/// first, because the dense gradient holds `0 + v` for an entry read in place.
package struct SGDKernelSettings: Sendable {
    fileprivate let raw: sa_sgd_settings

    package init(negativeLearningRate: Double, momentum: Double, dampeningComplement: Double, weightDecay: Double,
                 nesterov: Bool, maximize: Bool, isFirstStep: Bool, addsZero: Bool) {
        raw = sa_sgd_settings(negative_learning_rate: negativeLearningRate, momentum: momentum,
                              dampening_complement: dampeningComplement, weight_decay: weightDecay,
                              uses_momentum: momentum != 0 ? 1 : 0, uses_weight_decay: weightDecay != 0 ? 1 : 0,
                              nesterov: nesterov ? 1 : 0, maximize: maximize ? 1 : 0, first_step: isFirstStep ? 1 : 0,
                              adds_zero: addsZero ? 1 : 0)
    }
}

/// The settings of one Adam/AdamW step at a given step number (PyTorch's `_single_tensor_adam`),
/// computed in Double; the kernels round each to the element type once.
package struct AdamKernelSettings: Sendable {
    fileprivate let raw: sa_adam_settings

    package init(weightDecay: Double, decayFactor: Double, oneMinusBeta1: Double, beta2: Double, oneMinusBeta2: Double,
                 biasCorrection2Root: Double, epsilon: Double, negativeStepSize: Double,
                 decouplesWeightDecay: Bool, amsgrad: Bool, maximize: Bool) {
        raw = sa_adam_settings(weight_decay: weightDecay, decay_factor: decayFactor, one_minus_beta1: oneMinusBeta1,
                               beta2: beta2, one_minus_beta2: oneMinusBeta2, bias_correction2_root: biasCorrection2Root,
                               epsilon: epsilon, negative_step_size: negativeStepSize,
                               uses_weight_decay: weightDecay != 0 ? 1 : 0,
                               decouples_weight_decay: decouplesWeightDecay ? 1 : 0, amsgrad: amsgrad ? 1 : 0,
                               maximize: maximize ? 1 : 0)
    }
}

/// The settings of one `SparseAdam` step, in Double.
package struct SparseAdamKernelSettings: Sendable {
    fileprivate let raw: sa_sparse_adam_settings

    package init(oneMinusBeta1: Double, oneMinusBeta2: Double, epsilon: Double, negativeStepSize: Double, maximize: Bool) {
        raw = sa_sparse_adam_settings(one_minus_beta1: oneMinusBeta1, one_minus_beta2: oneMinusBeta2, epsilon: epsilon,
                                      negative_step_size: negativeStepSize, maximize: maximize ? 1 : 0)
    }
}

/// One SGD update of `count` elements, fused (the C kernels' `sgd`); `momentumBuffer` is needed
/// when the settings use momentum.
package func sgdUpdate(isFloat: Bool, parameter: UnsafeMutableRawPointer, momentumBuffer: UnsafeMutableRawPointer?,
                       gradient: UnsafeRawPointer, count: Int, settings: UnsafePointer<SGDKernelSettings>,
                       at level: InstructionSet) {
    let raw = UnsafeRawPointer(settings).assumingMemoryBound(to: sa_sgd_settings.self)
    if isFloat {
        level.kernels.pointee.optimizers.sgd_f32(parameter.assumingMemoryBound(to: Float.self),
                                                 momentumBuffer?.assumingMemoryBound(to: Float.self),
                                                 gradient.assumingMemoryBound(to: Float.self), count, raw)
    } else {
        level.kernels.pointee.optimizers.sgd_f64(parameter.assumingMemoryBound(to: Double.self),
                                                 momentumBuffer?.assumingMemoryBound(to: Double.self),
                                                 gradient.assumingMemoryBound(to: Double.self), count, raw)
    }
}

/// Plain SGD applied entry by entry, in order, to the rows this caller owns
/// (`(row / ownerBlock) % ownerCount == owner`): `table[row] += ±value · rate` per element.
package func sgdEntries(isFloat: Bool, table: UnsafeMutableRawPointer, rowLength: Int, rows: UnsafePointer<Int64>,
                        values: UnsafeRawPointer, entryCount: Int, ownerBlock: Int64, ownerCount: Int64, owner: Int64,
                        settings: UnsafePointer<SGDKernelSettings>, at level: InstructionSet) {
    let raw = UnsafeRawPointer(settings).assumingMemoryBound(to: sa_sgd_settings.self)
    if isFloat {
        level.kernels.pointee.optimizers.sgd_entries_f32(table.assumingMemoryBound(to: Float.self), rowLength, rows,
                                                         values.assumingMemoryBound(to: Float.self), entryCount,
                                                         ownerBlock, ownerCount, owner, raw)
    } else {
        level.kernels.pointee.optimizers.sgd_entries_f64(table.assumingMemoryBound(to: Double.self), rowLength, rows,
                                                         values.assumingMemoryBound(to: Double.self), entryCount,
                                                         ownerBlock, ownerCount, owner, raw)
    }
}

/// One Adam/AdamW update of `count` elements, fused (the C kernels' `adam`);
/// `maximumSecondMoment` is needed for AMSGrad.
package func adamUpdate(isFloat: Bool, parameter: UnsafeMutableRawPointer, firstMoment: UnsafeMutableRawPointer,
                        secondMoment: UnsafeMutableRawPointer, maximumSecondMoment: UnsafeMutableRawPointer?,
                        gradient: UnsafeRawPointer, count: Int, settings: UnsafePointer<AdamKernelSettings>,
                        at level: InstructionSet) {
    let raw = UnsafeRawPointer(settings).assumingMemoryBound(to: sa_adam_settings.self)
    if isFloat {
        level.kernels.pointee.optimizers.adam_f32(parameter.assumingMemoryBound(to: Float.self),
                                                  firstMoment.assumingMemoryBound(to: Float.self),
                                                  secondMoment.assumingMemoryBound(to: Float.self),
                                                  maximumSecondMoment?.assumingMemoryBound(to: Float.self),
                                                  gradient.assumingMemoryBound(to: Float.self), count, raw)
    } else {
        level.kernels.pointee.optimizers.adam_f64(parameter.assumingMemoryBound(to: Double.self),
                                                  firstMoment.assumingMemoryBound(to: Double.self),
                                                  secondMoment.assumingMemoryBound(to: Double.self),
                                                  maximumSecondMoment?.assumingMemoryBound(to: Double.self),
                                                  gradient.assumingMemoryBound(to: Double.self), count, raw)
    }
}

/// One `SparseAdam` update of `count` elements (the C kernels' `sparse_adam`).
package func sparseAdamUpdate(isFloat: Bool, parameter: UnsafeMutableRawPointer, firstMoment: UnsafeMutableRawPointer,
                              secondMoment: UnsafeMutableRawPointer, gradient: UnsafeRawPointer, count: Int,
                              settings: UnsafePointer<SparseAdamKernelSettings>, at level: InstructionSet) {
    let raw = UnsafeRawPointer(settings).assumingMemoryBound(to: sa_sparse_adam_settings.self)
    if isFloat {
        level.kernels.pointee.optimizers.sparse_adam_f32(parameter.assumingMemoryBound(to: Float.self),
                                                         firstMoment.assumingMemoryBound(to: Float.self),
                                                         secondMoment.assumingMemoryBound(to: Float.self),
                                                         gradient.assumingMemoryBound(to: Float.self), count, raw)
    } else {
        level.kernels.pointee.optimizers.sparse_adam_f64(parameter.assumingMemoryBound(to: Double.self),
                                                         firstMoment.assumingMemoryBound(to: Double.self),
                                                         secondMoment.assumingMemoryBound(to: Double.self),
                                                         gradient.assumingMemoryBound(to: Double.self), count, raw)
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
