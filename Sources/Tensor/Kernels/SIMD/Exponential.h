// Float exponential and logarithm in plain arithmetic the compiler vectorises, with explicit
// fused multiply-adds, so that every level computes the same bits (a libm call would also be
// slower: one call per element, no vectors). Cephes' `expf`/`logf` range reductions and
// polynomials (those of PyTorch's `avx_mathfun.h`).

SA_INLINE float sa_float_from_bits(uint32_t bits) {
    float value;
    __builtin_memcpy(&value, &bits, sizeof value);
    return value;
}

SA_INLINE uint32_t sa_bits_of_float(float value) {
    uint32_t bits;
    __builtin_memcpy(&bits, &value, sizeof bits);
    return bits;
}

/// eˣ within 1 ulp. n = round(x·log₂e) and r = x − n·ln 2 (ln 2 in two parts, the first with
/// 9 significant bits so that n times it is exact), eʳ by a degree-7 polynomial, then scaled by
/// 2ⁿ as two halves so that results down to the smallest subnormal round once and 2¹²⁸ is not
/// needed near the top of the range.
SA_INLINE float sa_exp(float x) {
    const float lowest = -104.0f, highest = 88.72283935546875f;
    // Selects rather than fminf/fmaxf, whose NaN rules would keep the loop scalar.
    float clamped = x < lowest ? lowest : x;
    clamped = clamped > highest ? highest : clamped;
    // Adding 1.5·2²³ rounds to the nearest integer (ties to even), left in the low mantissa bits.
    const float magic = 12582912.0f;
    const float n = (clamped * 1.44269504088896341f + magic) - magic;
    float r = __builtin_fmaf(n, -0.693359375f, clamped);
    r = __builtin_fmaf(n, 2.12194440e-4f, r);
    float p = 1.9875691500e-4f;
    p = __builtin_fmaf(p, r, 1.3981999507e-3f);
    p = __builtin_fmaf(p, r, 8.3334519073e-3f);
    p = __builtin_fmaf(p, r, 4.1665795894e-2f);
    p = __builtin_fmaf(p, r, 1.6666665459e-1f);
    p = __builtin_fmaf(p, r, 5.0000001201e-1f);
    const float y = __builtin_fmaf(p, r * r, r) + 1.0f;
    const int32_t exponent = (int32_t)n;
    const int32_t half = exponent >> 1;
    const float scaled = (y * sa_float_from_bits((uint32_t)(half + 127) << 23))
        * sa_float_from_bits((uint32_t)(exponent - half + 127) << 23);
    return x != x ? x : (x > highest ? __builtin_inff() : scaled);
}

/// ln x for a positive normal float (the caller rules out the rest): x = 2ᵉ·m with m in
/// [√½, √2), then Cephes' polynomial in m − 1, with PyTorch's AVX2 kernel's fused multiply-adds
/// (reference/pytorch-parity.md §A.3, `log256`).
SA_INLINE float sa_log_of_normal(float x) {
    const uint32_t bits = sa_bits_of_float(x);
    float e = (float)((int32_t)(bits >> 23) - 127) + 1.0f;
    // The mantissa as a float in [0.5, 1): keep the fraction bits, take the exponent of 0.5.
    float m = sa_float_from_bits((bits & ~0x7F800000u) | 0x3F000000u);
    const int below = m < 0.707106781186547524f;
    const float kept = below ? m : 0.0f;
    m = m - 1.0f;
    e = e - (below ? 1.0f : 0.0f);
    m = m + kept;
    const float z = m * m;
    float y = 7.0376836292e-2f;
    y = __builtin_fmaf(y, m, -1.1514610310e-1f);
    y = __builtin_fmaf(y, m, 1.1676998740e-1f);
    y = __builtin_fmaf(y, m, -1.2420140846e-1f);
    y = __builtin_fmaf(y, m, 1.4249322787e-1f);
    y = __builtin_fmaf(y, m, -1.6668057665e-1f);
    y = __builtin_fmaf(y, m, 2.0000714765e-1f);
    y = __builtin_fmaf(y, m, -2.4999993993e-1f);
    y = __builtin_fmaf(y, m, 3.3333331174e-1f);
    y = y * m;
    y = __builtin_fmaf(y, z, e * -2.12194440e-4f);
    y = y - 0.5f * z;
    return __builtin_fmaf(e, 0.693359375f, m + y);
}

static void exp_shifted_f32(float *output, const float *input, float shift, float scale, ptrdiff_t count) {
    for (ptrdiff_t i = 0; i < count; i++) output[i] = sa_exp(input[i] - shift) * scale;
}

/// ln x for every float: NaN below zero and for NaN, −∞ at zero, +∞ at +∞; subnormals are scaled
/// into the normal range first.
static float log_f32(float x) {
    if (x != x || x < 0) return __builtin_nanf("");
    if (x == 0) return -__builtin_inff();
    if (x == __builtin_inff()) return x;
    if (x < 1.17549435e-38f) return sa_log_of_normal(x * 8388608.0f) - 15.942385152878742f;
    return sa_log_of_normal(x);
}
