// Kernel precondition for this file: `input` and `output` address `rowCount · width` contiguous
// elements and do not overlap; `cosines` and `sines` address `positionCount · width / 2` elements;
// `width` is even and `rowCount` a multiple of `positionCount`.

/// The rotation behind rotary position embeddings.
extension EmbeddingKernels {
    /// Rotates every row `r` (at position `r % positionCount`) pair by pair in the half-split
    /// layout: feature `i` pairs with feature `i + width / 2`, and
    /// `(a, b) ↦ (a·cos − b·sin, b·cos + a·sin)` with the pair's angle. Passing negated sines
    /// rotates back, which is the backward.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func rotate<S: FloatingTensorScalar>(
        _ input: UnsafePointer<S>, rowCount: Int, width: Int, cosines: UnsafePointer<S>, sines: UnsafePointer<S>,
        positionCount: Int, into output: UnsafeMutablePointer<S>
    ) {
        let half = width / 2
        parallelFor(rowCount, grain: rowGrain(width: width)) { range in
            for row in range {
                let source = input + row * width, target = output + row * width
                let cosine = cosines + (row % positionCount) * half, sine = sines + (row % positionCount) * half
                for i in 0..<half {
                    let first = source[i], second = source[i + half]
                    target[i] = first * cosine[i] - second * sine[i]
                    target[i + half] = second * cosine[i] + first * sine[i]
                }
            }
        }
    }
}
