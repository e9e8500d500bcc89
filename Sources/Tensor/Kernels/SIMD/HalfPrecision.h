// Widening of the 16-bit float formats checkpoints store (IEEE binary16 "F16", bfloat16 "BF16")
// to float, exact, with the same bits as the Swift reference in IO/HalfPrecision.swift: NaN
// payloads move to the top of float's mantissa unchanged (no quieting, unlike the hardware
// conversion instructions), so every level and every platform decodes a file identically.
// The vector loops hold a level's widest vector of floats per step and select between the three
// cases with masks; outputs far larger than the cache are written with streaming stores (see
// Rows.h), which need the vector-aligned head peeled off.

typedef uint16_t sa_halves __attribute__((ext_vector_type(SA_FLOAT_LANES)));
typedef uint32_t sa_words __attribute__((ext_vector_type(SA_FLOAT_LANES), aligned(SA_VECTOR_BYTES)));
typedef int32_t sa_signed_words __attribute__((ext_vector_type(SA_FLOAT_LANES)));

SA_INLINE uint32_t sa_half_to_float_bits(uint32_t half) {
    const uint32_t sign = (half & 0x8000u) << 16;
    const uint32_t exponent = (half >> 10) & 0x1Fu;
    const uint32_t mantissa = half & 0x3FFu;
    if (exponent == 0) {
        // Zero or subnormal: mantissa × 2⁻²⁴, a normal float, exact since mantissa < 2¹⁰.
        union { float value; uint32_t bits; } magnitude = { .value = (float)mantissa * 0x1p-24f };
        return sign | magnitude.bits;
    }
    if (exponent == 0x1Fu) return sign | 0x7F800000u | (mantissa << 13);   // infinity, NaN
    return sign | ((exponent + 112u) << 23) | (mantissa << 13);             // rebias 15 → 127
}

SA_INLINE sa_words sa_halves_to_float_bits(sa_halves halves) {
    const sa_words half = __builtin_convertvector(halves, sa_words);
    const sa_words sign = (half & 0x8000u) << 16;
    const sa_words exponent = (half >> 10) & 0x1Fu;
    const sa_words mantissa = half & 0x3FFu;
    const sa_floats small_value = __builtin_convertvector((sa_signed_words)mantissa, sa_floats) * 0x1p-24f;
    sa_words small;
    __builtin_memcpy(&small, &small_value, sizeof small);
    const sa_words is_small = (sa_words)(exponent == 0u), is_special = (sa_words)(exponent == 0x1Fu);
    const sa_words normal = sign | ((exponent + 112u) << 23) | (mantissa << 13);
    const sa_words special = sign | 0x7F800000u | (mantissa << 13);
    return ((sign | small) & is_small) | (special & is_special) | (normal & ~(is_small | is_special));
}

SA_INLINE sa_words sa_bfloat16s_to_float_bits(sa_halves halves) {
    return __builtin_convertvector(halves, sa_words) << 16;
}

// Precondition for both kernels: `source` holds `count` readable 16-bit values at 2-byte
// alignment, `output` has room for `count` floats and does not overlap `source`.
#define SA_WIDEN_KERNEL(name, scalar_bits, vector_bits)                                            \
    static void name(float *output, const uint16_t *source, ptrdiff_t count, int stream) {          \
        uint32_t *out = (uint32_t *)output;                                                         \
        ptrdiff_t i = 0;                                                                            \
        if (stream) {                                                                               \
            const ptrdiff_t head = sa_bytes_to_alignment(out, count * 4) / 4;                       \
            for (; i < head; i++) out[i] = scalar_bits(source[i]);                                  \
        }                                                                                           \
        for (; i + SA_FLOAT_LANES <= count; i += SA_FLOAT_LANES) {                                  \
            sa_halves halves;                                                                       \
            __builtin_memcpy(&halves, source + i, sizeof halves);                                   \
            const sa_words bits = vector_bits(halves);                                              \
            if (stream) __builtin_nontemporal_store(bits, (sa_words *)(out + i));                   \
            else __builtin_memcpy(out + i, &bits, sizeof bits);                                     \
        }                                                                                           \
        for (; i < count; i++) out[i] = scalar_bits(source[i]);                                     \
    }

SA_INLINE uint32_t sa_bfloat16_to_float_bits(uint32_t bits) { return bits << 16; }

SA_WIDEN_KERNEL(widen_half_f32, sa_half_to_float_bits, sa_halves_to_float_bits)
SA_WIDEN_KERNEL(widen_bfloat16_f32, sa_bfloat16_to_float_bits, sa_bfloat16s_to_float_bits)
#undef SA_WIDEN_KERNEL
