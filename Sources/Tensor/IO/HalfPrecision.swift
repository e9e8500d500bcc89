/// IEEE 754 binary16 ("F16") and bfloat16 ("BF16") conversions done on bit patterns.
///
/// Written by hand rather than through Swift's `Float16`, which does not exist on macOS/x86_64,
/// so that files decode to the same bits on every platform. Widening to `Float` is exact;
/// narrowing rounds to nearest, ties to even, as PyTorch and NumPy do.
enum HalfPrecision {
    /// The `Float` whose value equals the binary16 value with bit pattern `bits` (exact).
    @inline(__always)
    static func float(fromHalfBits bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits) & 0x3FF
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa × 2⁻²⁴, a normal Float, exact since mantissa < 2¹⁰.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        case 0x1F:
            // Infinity or NaN; the NaN payload moves to the top of Float's mantissa.
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        default:
            // Rebias the exponent from 15 to 127.
            return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
        }
    }

    /// The binary16 bit pattern nearest to `value` (ties to even); overflow gives infinity,
    /// NaN stays a quiet NaN with the top of its payload.
    @inline(__always)
    static func halfBits(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16(truncatingIfNeeded: (bits >> 16) & 0x8000)
        let magnitude = bits & 0x7FFF_FFFF
        if magnitude > 0x7F80_0000 {
            return sign | 0x7E00 | UInt16(truncatingIfNeeded: (magnitude >> 13) & 0x3FF)
        }
        // 65520 (0x477FF000) is halfway between the largest half, 65504, and 2¹⁶; the tie goes to
        // the even neighbour, which is infinity.
        if magnitude >= 0x477F_F000 { return sign | 0x7C00 }
        if magnitude >= 0x3880_0000 {
            // Normal half: rebias the exponent from 127 to 15, then drop 13 mantissa bits.
            let rebiased = magnitude - 0x3800_0000
            return sign | UInt16(truncatingIfNeeded: shiftedRightRoundingToNearestEven(rebiased, by: 13))
        }
        // 2⁻²⁵ (0x33000000) is halfway between zero and the smallest subnormal half; ties to zero.
        if magnitude <= 0x3300_0000 { return sign }
        // Subnormal half: the value in units of 2⁻²⁴ is significand × 2^(exponent − 126).
        let exponent = magnitude >> 23
        let significand = (magnitude & 0x7F_FFFF) | 0x80_0000
        return sign | UInt16(truncatingIfNeeded: shiftedRightRoundingToNearestEven(significand, by: 126 - exponent))
    }

    /// The `Float` whose value equals the bfloat16 value with bit pattern `bits` (exact).
    @inline(__always)
    static func float(fromBFloat16Bits bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// The bfloat16 bit pattern nearest to `value` (ties to even); overflow gives infinity,
    /// NaN stays a quiet NaN.
    @inline(__always)
    static func bfloat16Bits(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN {
            // Truncating could clear every payload bit and turn the NaN into infinity.
            return UInt16(truncatingIfNeeded: bits >> 16) | 0x0040
        }
        // Adding just under half an ulp, plus one when the kept part is odd, rounds ties to even;
        // a carry out of the mantissa correctly bumps the exponent (up to infinity). No NaN gets
        // here, so the sum cannot wrap.
        let rounding: UInt32 = 0x7FFF + ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits + rounding) >> 16)
    }

    /// `value >> shift` rounded to nearest, ties to even; `shift` is in 1...31.
    @inline(__always)
    private static func shiftedRightRoundingToNearestEven(_ value: UInt32, by shift: UInt32) -> UInt32 {
        let kept = value >> shift
        let remainder = value & ((1 << shift) - 1)
        let half: UInt32 = 1 << (shift - 1)
        if remainder > half || (remainder == half && kept & 1 == 1) { return kept + 1 }
        return kept
    }
}
