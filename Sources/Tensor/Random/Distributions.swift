import Foundation

/// PyTorch's scalar distributions (`aten/src/ATen/core/DistributionsHelper.h`), drawn while the
/// generator's lock is held.
extension GeneratorState {
    /// `uniform_real_distribution<float>(0, 1)`: the LOW 24 bits of one 32-bit draw, times 2^-24.
    @inline(__always)
    mutating func uniformFloat() -> Float {
        Self.unitFloat(engine.random())
    }

    /// `count` values of ``uniformFloat()`` written to `output`, drawn in bulk.
    @inline(__always)
    mutating func uniformFloats(_ count: Int, into output: UnsafeMutablePointer<Float>) {
        engine.generate(count, into: output, Self.unitFloat)
    }

    @inline(__always)
    private static func unitFloat(_ word: UInt32) -> Float {
        Float(word & 0x00FF_FFFF) * 0x1p-24
    }

    /// `uniform_real_distribution<double>(0, 1)`: the low 53 bits of one 64-bit draw, times 2^-53.
    @inline(__always)
    mutating func uniformDouble() -> Double {
        Double(engine.random64() & 0x001F_FFFF_FFFF_FFFF) * 0x1p-53
    }

    /// One standard normal value from `normal_distribution<double>`: Box–Muller on two double
    /// uniforms, returning `r·cos θ` and caching `r·sin θ` for the next call.
    ///
    /// Unlike the vectorised fill, the FIRST uniform gives the angle and the second the radius,
    /// and the radius uses `log1p(-u)` (PyTorch 2.15; older releases used `log(1 - u)`).
    mutating func standardNormalDouble() -> Double {
        if let cached = nextDoubleNormalSample {
            nextDoubleNormalSample = nil
            return cached
        }
        let angleUniform = uniformDouble()
        let radiusUniform = uniformDouble()
        let radius = (-2.0 * Foundation.log1p(-radiusUniform)).squareRoot()
        let theta = 2.0 * Double.pi * angleUniform
        nextDoubleNormalSample = radius * Foundation.sin(theta)
        return radius * Foundation.cos(theta)
    }

    /// `uniform_int_from_to_distribution`: `draw % range`, the draw being 64 bits wide once the
    /// range reaches 2^28 (the public-build threshold, independent of the element type).
    @inline(__always)
    mutating func integer(below range: UInt64) -> UInt64 {
        let draw = range >= 1 << 28 ? engine.random64() : UInt64(engine.random())
        return draw % range
    }
}
