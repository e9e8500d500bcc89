// Optimizer updates over one contiguous run, in PyTorch's order and rounding (its CPU kernels,
// reference/pytorch-parity.md §C): `a.add(b, alpha: s)` is `fma(b, s, a)`, `a.mul_(s)` rounds the
// product, scalar settings were rounded to the tensor's type once by the caller.
//
// Included once per scalar type with SA_SCALAR, SA_SUFFIX and SA_FMA defined. Each loop body is
// instantiated with constant flags (a switch over all 32 combinations of five flags, so none can
// be missed), because the compiler does not unswitch a loop on several flags and would leave it
// scalar. A flag that only matters beside another (the first momentum step, Nesterov, decoupled
// decay) is ignored by the loop without it, so every combination is a correct update.

#define SA_NAME(name) SA_CONCAT(name, SA_SUFFIX)

SA_INLINE void SA_NAME(sgd_run)(SA_SCALAR *restrict p, SA_SCALAR *restrict buffer, const SA_SCALAR *restrict g,
                                ptrdiff_t count, const sa_sgd_settings *s, const int maximize,
                                const int decays, const int momentum, const int first, const int nesterov) {
    const SA_SCALAR rate = (SA_SCALAR)s->negative_learning_rate, beta = (SA_SCALAR)s->momentum;
    const SA_SCALAR keep = (SA_SCALAR)s->dampening_complement, decay = (SA_SCALAR)s->weight_decay;
    // −0 + v is v for every v; +0 + v turns −0 into +0.
    const SA_SCALAR zero = s->adds_zero ? (SA_SCALAR)0 : -(SA_SCALAR)0;
    for (ptrdiff_t i = 0; i < count; i++) {
        SA_SCALAR gradient = zero + g[i];
        if (maximize) gradient = -gradient;
        if (decays) gradient = SA_FMA(p[i], decay, gradient);
        SA_SCALAR direction = gradient;
        if (momentum) {
            const SA_SCALAR updated = first ? gradient : SA_FMA(gradient, keep, buffer[i] * beta);
            buffer[i] = updated;
            direction = nesterov ? SA_FMA(updated, beta, gradient) : updated;
        }
        p[i] = SA_FMA(direction, rate, p[i]);
    }
}

/// One SGD step: `g = ±(zero + grad) (+ wd·p)`; with momentum `buf = first ? g : m·buf + (1−d)·g`,
/// `g = nesterov ? g + m·buf : buf`; then `p += −lr·g`.
static void SA_NAME(sgd)(SA_SCALAR *p, SA_SCALAR *buffer, const SA_SCALAR *g, ptrdiff_t count,
                         const sa_sgd_settings *s) {
    const int key = (s->maximize ? 1 : 0) | (s->uses_weight_decay ? 2 : 0)
        | (s->uses_momentum ? 4 | (s->first_step ? 8 : 0) | (s->nesterov ? 16 : 0) : 0);
    switch (key & 31) {
#define SA_SGD_CASE(k) case k: SA_NAME(sgd_run)(p, buffer, g, count, s, (k) & 1, (k) & 2, (k) & 4, (k) & 8, (k) & 16); break;
    SA_EACH_OF_32(SA_SGD_CASE)
#undef SA_SGD_CASE
    }
}

/// Plain SGD for a sparse gradient, entry by entry in entry order (PyTorch's semantics for a
/// `sparse=True` table: duplicates applied one after the other): for every entry e whose row
/// r = rows[e] this caller owns — (r / owner_block) % owner_count == owner — p[r] = fma(±g[e], rate, p[r])
/// (the gradient negated when maximizing). Interleaved blocks of rows spread a vocabulary sorted by
/// frequency evenly over the owners; which owner applies a row never changes its result.
static void SA_NAME(sgd_entries)(SA_SCALAR *table, ptrdiff_t width, const int64_t *rows, const SA_SCALAR *values,
                                 ptrdiff_t entry_count, int64_t owner_block, int64_t owner_count, int64_t owner,
                                 const sa_sgd_settings *s) {
    const SA_SCALAR rate = (SA_SCALAR)s->negative_learning_rate;
    const SA_SCALAR sign = s->maximize ? (SA_SCALAR)-1 : (SA_SCALAR)1;
    const ptrdiff_t row_bytes = width * (ptrdiff_t)sizeof(SA_SCALAR);
    // Rows are scattered over the table: the next few owned entries' rows are asked for ahead.
    enum { distance = 6 };
    ptrdiff_t ahead = 0, pending = 0;
    for (ptrdiff_t e = 0; e < entry_count; e++) {
        for (; ahead < entry_count && pending < distance; ahead++) {
            if ((rows[ahead] / owner_block) % owner_count != owner) continue;
            const char *row = (const char *)(table + rows[ahead] * width);
            for (ptrdiff_t offset = 0; offset < row_bytes; offset += 64) __builtin_prefetch(row + offset, 1, 3);
            pending++;
        }
        const int64_t row = rows[e];
        if ((row / owner_block) % owner_count != owner) continue;
        pending--;
        SA_SCALAR *restrict p = table + row * width;
        const SA_SCALAR *restrict g = values + e * width;
        for (ptrdiff_t i = 0; i < width; i++) p[i] = SA_FMA(sign * g[i], rate, p[i]);
    }
}

SA_INLINE void SA_NAME(adam_run)(SA_SCALAR *restrict p, SA_SCALAR *restrict m, SA_SCALAR *restrict v,
                                 SA_SCALAR *restrict v_max, const SA_SCALAR *restrict g, ptrdiff_t count,
                                 const sa_adam_settings *s, const int maximize, const int decays,
                                 const int decoupled, const int small_weight, const int amsgrad) {
    const SA_SCALAR decay = (SA_SCALAR)s->weight_decay, factor = (SA_SCALAR)s->decay_factor;
    // torch.lerp(m, g, w) is m + w·(g − m) for a small weight w and g + (w − 1)·(g − m) otherwise.
    const SA_SCALAR weight = small_weight ? (SA_SCALAR)s->one_minus_beta1 : (SA_SCALAR)s->one_minus_beta1 - 1;
    const SA_SCALAR beta2 = (SA_SCALAR)s->beta2, rest2 = (SA_SCALAR)s->one_minus_beta2;
    const SA_SCALAR root2 = (SA_SCALAR)s->bias_correction2_root, epsilon = (SA_SCALAR)s->epsilon;
    const SA_SCALAR step = (SA_SCALAR)s->negative_step_size;
    for (ptrdiff_t i = 0; i < count; i++) {
        SA_SCALAR gradient = maximize ? -g[i] : g[i];
        SA_SCALAR value = p[i];
        if (decays) {
            if (decoupled) value = value * factor;
            else gradient = SA_FMA(value, decay, gradient);
        }
        const SA_SCALAR mean = SA_FMA(weight, gradient - m[i], small_weight ? m[i] : gradient);
        SA_SCALAR variance = SA_FMA(rest2 * gradient, gradient, v[i] * beta2);
        m[i] = mean;
        v[i] = variance;
        if (amsgrad) {
            // torch.maximum propagates NaN.
            const SA_SCALAR previous = v_max[i];
            variance = (previous != previous || variance != variance) ? (SA_SCALAR)__builtin_nan("")
                : (variance >= previous ? variance : previous);
            v_max[i] = variance;
        }
        const SA_SCALAR denominator = __builtin_elementwise_sqrt(variance) / root2 + epsilon;
        p[i] = value + (step * mean) / denominator;
    }
}

/// One Adam/AdamW step: decay (AdamW `p *= 1 − lr·wd`; Adam `g += wd·p`), `m = lerp(m, g, 1 − β1)`,
/// `v = β2·v + (1 − β2)·g·g`, AMSGrad `v̂ = max(v̂, v)`, `p += (−lr/(1 − β1ᵗ))·m / (√v/√(1 − β2ᵗ) + ε)`.
static void SA_NAME(adam)(SA_SCALAR *p, SA_SCALAR *m, SA_SCALAR *v, SA_SCALAR *v_max, const SA_SCALAR *g,
                          ptrdiff_t count, const sa_adam_settings *s) {
    const SA_SCALAR weight = (SA_SCALAR)s->one_minus_beta1;
    const int small_weight = (weight < 0 ? -weight : weight) < (SA_SCALAR)0.5;
    const int key = (s->maximize ? 1 : 0) | (s->uses_weight_decay ? 2 | (s->decouples_weight_decay ? 4 : 0) : 0)
        | (small_weight ? 8 : 0) | (s->amsgrad ? 16 : 0);
    switch (key & 31) {
#define SA_ADAM_CASE(k) case k: SA_NAME(adam_run)(p, m, v, v_max, g, count, s, (k) & 1, (k) & 2, (k) & 4, (k) & 8, (k) & 16); break;
    SA_EACH_OF_32(SA_ADAM_CASE)
#undef SA_ADAM_CASE
    }
}

/// PyTorch's `SparseAdam` on one row: `Δm = (g − m)·(1 − β1)`, `Δv = (g² − v)·(1 − β2)`, `m += Δm`,
/// `v += Δv`, `p += (−lr·√(1 − β2ᵗ)/(1 − β1ᵗ))·(m / (√v + ε))`.
static void SA_NAME(sparse_adam)(SA_SCALAR *restrict p, SA_SCALAR *restrict m, SA_SCALAR *restrict v,
                                 const SA_SCALAR *restrict g, ptrdiff_t count,
                                 const sa_sparse_adam_settings *s) {
    const SA_SCALAR rest1 = (SA_SCALAR)s->one_minus_beta1, rest2 = (SA_SCALAR)s->one_minus_beta2;
    const SA_SCALAR epsilon = (SA_SCALAR)s->epsilon, step = (SA_SCALAR)s->negative_step_size;
    const int maximize = s->maximize != 0;
    for (ptrdiff_t i = 0; i < count; i++) {
        const SA_SCALAR gradient = maximize ? -g[i] : g[i];
        const SA_SCALAR mean = m[i] + (gradient - m[i]) * rest1;
        const SA_SCALAR variance = v[i] + (gradient * gradient - v[i]) * rest2;
        m[i] = mean;
        v[i] = variance;
        p[i] = p[i] + step * (mean / (__builtin_elementwise_sqrt(variance) + epsilon));
    }
}

#undef SA_NAME
