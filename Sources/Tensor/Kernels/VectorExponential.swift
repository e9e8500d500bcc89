/// A float eˣ in plain arithmetic that the compiler vectorises, unlike a libm call per element.
///
/// Cephes' `expf` range reduction and polynomial (those of PyTorch's AVX `exp`), within 2 ulp of the
/// exact value. Results that would be subnormal (x < −87.3) are 0; x ≤ 88 is assumed (the callers
/// exponentiate values shifted by their maximum, which are ≤ 0).
///
/// ```swift
/// VectorExponential.exponential(0)   // 1
/// ```
public enum VectorExponential {
    @inlinable @inline(__always)
    public static func exponential(_ x: Float) -> Float {
        let lowest: Float = -87.33654, highest: Float = 88
        // Selects rather than min/max, whose NaN rules keep the loop from vectorising.
        let raised = x < lowest ? lowest : x
        let clamped = raised > highest ? highest : raised
        // Adding 1.5·2²³ rounds x·log₂e to the nearest integer n, left in the low mantissa bits.
        let magic: Float = 12_582_912
        let shifted = clamped * 1.442_695_04 + magic
        let n = shifted - magic
        // r = x − n·ln 2, with ln 2 split in two so that n·0.693359375 is exact.
        let r = (clamped - n * 0.693_359_375) - n * -2.121_944_40e-4
        var polynomial: Float = 1.987_569_150_0e-4
        polynomial = polynomial * r + 1.398_199_950_7e-3
        polynomial = polynomial * r + 8.333_451_907_3e-3
        polynomial = polynomial * r + 4.166_579_589_4e-2
        polynomial = polynomial * r + 1.666_666_545_9e-1
        polynomial = polynomial * r + 5.000_000_120_1e-1
        polynomial = polynomial * (r * r) + r + 1
        let power = Float(bitPattern: (shifted.bitPattern &- magic.bitPattern &+ 127) &<< 23)
        let result = polynomial * power
        return x.isNaN ? x : (x < lowest ? 0 : result)
    }
}
