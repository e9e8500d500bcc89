import Foundation
internal import TensorSIMD

// PyTorch's `normal_fill` (aten/src/ATen/native/cpu/DistributionTemplates.h), used by
// `normal_` for contiguous tensors of at least 16 elements: draw every uniform first, then turn
// each block of 16 into normals pairing slot j with slot j + 8.
//
// Kernel precondition for everything below: each pointer addresses the stated number of
// initialised elements, in storage private to the caller.

enum NormalFill {
    static let blockSize = 16
    /// Blocks per thread below which a thread hand-off costs more than it saves.
    static let parallelGrain = 4096

    /// Fills `data[0..<count]` (`count ≥ 16`) with normal values as `normal_fill` does.
    ///
    /// Draws `count` uniforms, plus 16 more when `count % 16 != 0`: those replace the last 16
    /// slots, which are transformed again after the full blocks (PyTorch's tail handling). The
    /// lock is held while drawing only; blocks are independent, so the transform may run on
    /// several threads with identical results.
    static func fill<S: FloatingTensorScalar>(
        _ data: UnsafeMutablePointer<S>, count: Int, mean: Double, std: Double, generator: Generator
    ) {
        precondition(count >= blockSize, "normal_fill needs at least \(blockSize) elements")
        if S.self == Float.self {
            // PyTorch's AVX2 kernel, which every x86-64 build runs (AVX-512 builds deliberately fall
            // back to it): a C kernel (Kernels/SIMD/NormalFill.h), the same bits at every level.
            let kernels = InstructionSet.currentKernels
            fill(cast(data, Float.self), count: count, generator: generator,
                 uniforms: { state, output, count in state.uniformFloats(count, into: output) },
                 transform: { kernels.pointee.random.normal_fill_f32($0, $1, Float(mean), Float(std)) })
        } else if S.self == Double.self {
            fill(cast(data, Double.self), count: count, generator: generator,
                 uniforms: { state, output, count in for index in 0..<count { output[index] = state.uniformDouble() } },
                 transform: { transformDoubleBlocks($0, blockCount: $1, mean: mean, std: std) })
        } else {
            preconditionFailure("no normal fill for \(S.self)")
        }
    }

    @inline(__always)
    private static func fill<T>(
        _ data: UnsafeMutablePointer<T>, count: Int, generator: Generator,
        uniforms: (inout GeneratorState, UnsafeMutablePointer<T>, Int) -> Void,
        transform: (UnsafeMutablePointer<T>, Int) -> Void
    ) {
        let tailCount = count % blockSize == 0 ? 0 : blockSize
        let tail = UnsafeMutablePointer<T>.allocate(capacity: blockSize)
        defer { tail.deallocate() }
        generator.withState { state in
            uniforms(&state, data, count)
            uniforms(&state, tail, tailCount)
        }
        let blockCount = count / blockSize
        let pointer = UnsafeSendablePair(source: data, destination: data)
        parallelFor(blockCount, grain: parallelGrain) { blocks in
            transform(pointer.destination + blocks.lowerBound * blockSize, blocks.count)
        }
        if tailCount > 0 {
            let lastBlock = data + (count - blockSize)
            lastBlock.update(from: tail, count: blockSize)
            transform(lastBlock, 1)
        }
    }

    /// The double kernel: PyTorch's scalar `normal_fill_16` on every CPU, with the platform's
    /// `log`, `cos` and `sin`.
    static func transformDoubleBlocks(_ data: UnsafeMutablePointer<Double>, blockCount: Int, mean: Double, std: Double) {
        for block in 0..<blockCount {
            let values = data + block * blockSize
            for lane in 0..<8 {
                let radius = (-2 * Foundation.log(1 - values[lane])).squareRoot()
                // `2.0f * c10::pi<double> * u2`: the angle is always formed in double.
                let theta = 2.0 * Double.pi * values[lane + 8]
                values[lane] = mean.addingProduct(radius * Foundation.cos(theta), std)
                values[lane + 8] = mean.addingProduct(radius * Foundation.sin(theta), std)
            }
        }
    }
}
