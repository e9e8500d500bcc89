// PyTorch's AVX2 `normal_fill_16` (aten/src/ATen/native/cpu/DistributionTemplates.h), which every
// x86-64 build of PyTorch runs for float tensors, AVX-512 ones included: Box–Muller on blocks of 16
// uniforms with `avx_mathfun.h`'s `log256_ps` and `sincos256_ps`, and exactly the fused
// multiply-adds GCC makes of them (reference/pytorch-parity.md §A.3 gives the pattern).

/// `sincos256_ps` for x ≥ 0 (angles here are never negative, so the input sign is always clear).
SA_INLINE void sa_sine_and_cosine(float x, float *sine, float *cosine) {
    // Octant: truncated x·4/π, rounded up to even.
    const int32_t octant = ((int32_t)(x * 1.27323954473516f) + 1) & ~1;
    const float y = (float)octant;
    // Cody–Waite reduction by π/4 in three parts.
    float reduced = __builtin_fmaf(y, -0.78515625f, x);
    reduced = __builtin_fmaf(y, -2.4187564849853515625e-4f, reduced);
    reduced = __builtin_fmaf(y, -3.77489497744594108e-8f, reduced);
    const float z = reduced * reduced;

    float c = 2.443315711809948e-5f;
    c = __builtin_fmaf(c, z, -1.388731625493765e-3f);
    c = __builtin_fmaf(c, z, 4.166664568298827e-2f);
    c = c * z;
    c = __builtin_fmaf(c, z, -(0.5f * z));
    c = c + 1.0f;

    float s = -1.9515295891e-4f;
    s = __builtin_fmaf(s, z, 8.3321608736e-3f);
    s = __builtin_fmaf(s, z, -1.6666654611e-1f);
    s = s * z;
    s = __builtin_fmaf(s, reduced, reduced);

    // Bit 1 of the octant swaps the polynomials, bit 2 flips the sine, bit 2 of octant − 2 clear
    // flips the cosine.
    const int swap = (octant & 2) != 0;
    const float sineValue = swap ? c : s, cosineValue = swap ? s : c;
    *sine = (octant & 4) ? -sineValue : sineValue;
    *cosine = ((octant - 2) & 4) ? cosineValue : -cosineValue;
}

static void normal_fill_f32(float *blocks, ptrdiff_t block_count, float mean, float std) {
    // `2.0f * c10::pi<double>` rounded to float, as the kernel's `_mm256_set1_ps` does.
    const float two_pi = 6.2831855f;
    const float smallest_normal = 1.17549435e-38f;
    for (ptrdiff_t block = 0; block < block_count; block++) {
        float *restrict radius_slots = blocks + block * 16;
        float *restrict angle_slots = radius_slots + 8;
        for (int lane = 0; lane < 8; lane++) {
            float u = 1.0f - radius_slots[lane];
            u = u < smallest_normal ? smallest_normal : u;
            const float radius = __builtin_elementwise_sqrt(-2.0f * sa_log_of_normal(u));
            float sine, cosine;
            sa_sine_and_cosine(two_pi * angle_slots[lane], &sine, &cosine);
            radius_slots[lane] = __builtin_fmaf(radius * cosine, std, mean);
            angle_slots[lane] = __builtin_fmaf(radius * sine, std, mean);
        }
    }
}
