import Foundation

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
    /// Blocks transformed per scratch chunk; a chunk is redone exactly when any lane is ambiguous.
    static let chunkBlocks = 16

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
            fill(cast(data, Float.self), count: count, generator: generator,
                 uniforms: { state, output, count in state.uniformFloats(count, into: output) },
                 transform: { transformFloatBlocks($0, blockCount: $1, mean: Float(mean), std: Float(std)) })
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

    /// The float kernel: PyTorch's AVX2 `normal_fill_16_AVX2`, which every x86-64 build runs
    /// (AVX512 builds deliberately fall back to it), emulated exactly.
    ///
    /// A chunk of blocks is split into its radius uniforms (slots 0–7 of each block) and angle
    /// uniforms (slots 8–15), so that each stage below is one flat loop the compiler vectorises.
    /// The chunk is computed with the cheapest multiply-add strategy that leaves no doubt
    /// (`FusedRoundingBlock`), so the result is exact either way.
    static func transformFloatBlocks(_ data: UnsafeMutablePointer<Float>, blockCount: Int, mean: Float, std: Float) {
        let pairCapacity = chunkBlocks * 8
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 4 * pairCapacity)
        defer { scratch.deallocate() }
        let radiusUniforms = scratch, angleUniforms = scratch + pairCapacity
        let cosines = scratch + 2 * pairCapacity, sines = scratch + 3 * pairCapacity
        var start = 0
        while start < blockCount {
            let blocks = Swift.min(chunkBlocks, blockCount - start)
            let values = data + start * blockSize
            for block in 0..<blocks {
                (radiusUniforms + block * 8).update(from: values + block * blockSize, count: 8)
                (angleUniforms + block * 8).update(from: values + block * blockSize + 8, count: 8)
            }
            BoxMullerChunk(radiusUniforms: radiusUniforms, angleUniforms: angleUniforms, cosines: cosines, sines: sines,
                           count: blocks * 8, mean: mean, std: std).evaluate()
            for block in 0..<blocks {
                (values + block * blockSize).update(from: cosines + block * 8, count: 8)
                (values + block * blockSize + 8).update(from: sines + block * 8, count: 8)
            }
            start += blocks
        }
    }

    /// One chunk of Box–Muller for `FusedRoundingBlock`: every strategy writes the same scratch
    /// rows (`cosines`, `sines`), which the caller then interleaves into place.
    struct BoxMullerChunk: FusedRoundingBlock {
        let radiusUniforms: UnsafeMutablePointer<Float>, angleUniforms: UnsafeMutablePointer<Float>
        let cosines: UnsafeMutablePointer<Float>, sines: UnsafeMutablePointer<Float>
        let count: Int, mean: Float, std: Float

        func compute<F: MultiplyAddStrategy>(with strategy: F.Type, inPlace: Bool) -> UInt32 {
            var ambiguous: UInt32 = 0
            boxMuller(radiusUniforms, angleUniforms, cosines: cosines, sines: sines, count: count,
                      mean: mean, std: std, ambiguous: &ambiguous, fused: F.self)
            return ambiguous
        }

        func commit() {}
    }

    /// Box–Muller on `count` pairs: `radiusUniforms[i]` gives the radius and `angleUniforms[i]`
    /// the angle of the normals written to `cosines[i]` and `sines[i]`.
    @inline(__always)
    static func boxMuller<Fused: MultiplyAddStrategy>(
        _ radiusUniforms: UnsafeMutablePointer<Float>, _ angleUniforms: UnsafeMutablePointer<Float>,
        cosines: UnsafeMutablePointer<Float>, sines: UnsafeMutablePointer<Float>, count: Int,
        mean: Float, std: Float, ambiguous: inout UInt32, fused: Fused.Type
    ) {
        for pair in 0..<count {
            cosines[pair] = -2 * logarithm(1 - radiusUniforms[pair], ambiguous: &ambiguous, fused)
        }
        // Apart, because Linux's square root keeps a branch to set errno, which stops the
        // compiler from vectorising any loop that contains it.
        for pair in 0..<count { cosines[pair] = cosines[pair].squareRoot() }
        // `Float(2 * Double.pi)`, as the kernel's `_mm256_set1_ps(2.0f * c10::pi<double>)`.
        let twoPi: Float = 6.2831855
        if std == 1 {
            // fma(x, 1, mean) is the float sum x + mean, exactly; through double arithmetic such
            // sums land on float midpoints often and would send most chunks to the slower checks.
            for pair in 0..<count {
                let (sine, cosine) = sineAndCosine(twoPi * angleUniforms[pair], ambiguous: &ambiguous, fused)
                let radius = cosines[pair]
                cosines[pair] = radius * cosine + mean
                sines[pair] = radius * sine + mean
            }
        } else {
            for pair in 0..<count {
                let (sine, cosine) = sineAndCosine(twoPi * angleUniforms[pair], ambiguous: &ambiguous, fused)
                let radius = cosines[pair]
                cosines[pair] = Fused.multiplyAdd(radius * cosine, std, mean, ambiguous: &ambiguous)
                sines[pair] = Fused.multiplyAdd(radius * sine, std, mean, ambiguous: &ambiguous)
            }
        }
    }

    /// `log256_ps` from avx_mathfun.h (Cephes `logf`), with GCC's FMA contractions, for `x` in
    /// `[2^-24, 1]` (a positive normal float, so the kernel's NaN and denormal masks never apply).
    @inline(__always)
    static func logarithm<Fused: MultiplyAddStrategy>(
        _ x: Float, ambiguous: inout UInt32, _ fused: Fused.Type
    ) -> Float {
        let bits = x.bitPattern
        let exponent = Float(Int32(bitPattern: bits >> 23) &- 127)
        // The mantissa as a float in [0.5, 1): keep the fraction bits, take the exponent of 0.5.
        let mantissa = Float(bitPattern: (bits & ~0x7F80_0000) | 0x3F00_0000)
        let below = mantissa < 0.707106781186547524
        let e = (exponent + 1) - (below ? 1 : 0)
        let m = (mantissa - 1) + (below ? mantissa : 0)
        let z = m * m
        var y: Float = 7.0376836292E-2
        y = Fused.multiplyAdd(y, m, -1.1514610310E-1, ambiguous: &ambiguous)
        y = Fused.multiplyAdd(y, m, 1.1676998740E-1, ambiguous: &ambiguous)
        y = Fused.multiplyAdd(y, m, -1.2420140846E-1, ambiguous: &ambiguous)
        y = Fused.multiplyAdd(y, m, 1.4249322787E-1, ambiguous: &ambiguous)
        y = Fused.multiplyAdd(y, m, -1.6668057665E-1, ambiguous: &ambiguous)
        y = Fused.multiplyAdd(y, m, 2.0000714765E-1, ambiguous: &ambiguous)
        y = Fused.multiplyAdd(y, m, -2.4999993993E-1, ambiguous: &ambiguous)
        y = Fused.multiplyAdd(y, m, 3.3333331174E-1, ambiguous: &ambiguous)
        y = y * m
        y = Fused.multiplyAdd(y, z, e * -2.12194440e-4, ambiguous: &ambiguous)
        // 0.5·z is exact, so the kernel's fused `y - 0.5·z` equals the plain one.
        y = y - z * 0.5
        // e·0.693359375 is exact (a small integer times a 9-bit constant): the fused add is a plain add.
        return (m + y) + e * 0.693359375
    }

    /// `sincos256_ps` from avx_mathfun.h (Cephes `sinf`/`cosf`), with GCC's FMA contractions, for
    /// `x` in `[0, 2^22)`: angles are never negative here, so the input sign is always clear.
    @inline(__always)
    static func sineAndCosine<Fused: MultiplyAddStrategy>(
        _ x: Float, ambiguous: inout UInt32, _ fused: Fused.Type
    ) -> (sine: Float, cosine: Float) {
        let scaled = x * 1.27323954473516
        // Truncation without a trapping conversion: adding 2^23 rounds to the nearest integer
        // and leaves it in the low mantissa bits; step down where that rounded up.
        let nearest = Int32(bitPattern: (scaled + 0x1p23).bitPattern) &- 0x4B00_0000
        let truncated = nearest &- (Float(nearest) > scaled ? 1 : 0)
        let octant = (truncated &+ 1) & ~1
        let y = Float(octant)
        // Cody–Waite reduction by pi/4 in three parts. y is an integer ≤ 8 and the first two
        // parts have ≤ 11 significant bits, so those products are exact and the fused adds plain.
        var reduced = x + y * -0.78515625
        reduced = reduced + y * -2.4187564849853515625e-4
        reduced = Fused.multiplyAdd(y, -3.77489497744594108e-8, reduced, ambiguous: &ambiguous)
        let z = reduced * reduced

        var cosine: Float = 2.443315711809948E-005
        cosine = Fused.multiplyAdd(cosine, z, -1.388731625493765E-003, ambiguous: &ambiguous)
        cosine = Fused.multiplyAdd(cosine, z, 4.166664568298827E-002, ambiguous: &ambiguous)
        cosine = cosine * z
        cosine = Fused.multiplyAdd(cosine, z, z * -0.5, ambiguous: &ambiguous)
        cosine = cosine + 1

        var sine: Float = -1.9515295891E-4
        sine = Fused.multiplyAdd(sine, z, 8.3321608736E-3, ambiguous: &ambiguous)
        sine = Fused.multiplyAdd(sine, z, -1.6666654611E-1, ambiguous: &ambiguous)
        sine = sine * z
        sine = Fused.multiplyAdd(sine, reduced, reduced, ambiguous: &ambiguous)

        // The kernel's mask arithmetic: bit 1 of the octant swaps the polynomials, bit 2 flips
        // the sine's sign bit, and bit 2 of (octant - 2) clear flips the cosine's.
        let octantBits = UInt32(bitPattern: octant)
        let swap = octantBits & 2 != 0
        let sineSign = (octantBits & 4) << 29
        let cosineSign = (~(octantBits &- 2) & 4) << 29
        let sineBits = (swap ? cosine : sine).bitPattern ^ sineSign
        let cosineBits = (swap ? sine : cosine).bitPattern ^ cosineSign
        return (Float(bitPattern: sineBits), Float(bitPattern: cosineBits))
    }
}
