// word2vec's negative-sampling loss and its gradient, one group of input vectors at a time: every
// input of a group is scored against the group's outputs, the first of which is the positive (the
// word to predict) and the rest sampled negatives.
//
// Included once per scalar type with SA_SCALAR, SA_SUFFIX, SA_FMA, SA_EXP and SA_LOG1P defined.
// A dot product is sixteen fused multiply-add chains (lane l takes elements l, l + 16, …) joined
// in a fixed tree, so it has the same bits whether the level holds the sixteen lanes in one
// register, two or four; every other sum is a chain in a stated order.

#define SA_NAME(name) SA_CONCAT(name, SA_SUFFIX)
#define SA_LANES16 SA_NAME(sa_lanes16)
#define SA_LANES8 SA_NAME(sa_lanes8)
#define SA_LANES4 SA_NAME(sa_lanes4)
#define SA_LANES2 SA_NAME(sa_lanes2)
typedef SA_SCALAR SA_LANES16 __attribute__((ext_vector_type(16)));
typedef SA_SCALAR SA_LANES8 __attribute__((ext_vector_type(8)));
typedef SA_SCALAR SA_LANES4 __attribute__((ext_vector_type(4)));
typedef SA_SCALAR SA_LANES2 __attribute__((ext_vector_type(2)));

/// Σ a[i]·b[i]: lane l accumulates the elements i ≡ l (mod 16) from +0, lanes beyond a short tail
/// take 0·0; then lane l + 8 is added to lane l, l + 4 to l, l + 2 to l, and 1 to 0.
SA_INLINE SA_SCALAR SA_NAME(sa_dot16)(const SA_SCALAR *a, const SA_SCALAR *b, ptrdiff_t count) {
    SA_LANES16 sum = 0;
    ptrdiff_t i = 0;
    for (; i + 16 <= count; i += 16) {
        SA_LANES16 x, y;
        __builtin_memcpy(&x, a + i, sizeof x);
        __builtin_memcpy(&y, b + i, sizeof y);
        sum = __builtin_elementwise_fma(x, y, sum);
    }
    if (i < count) {
        SA_LANES16 x = 0, y = 0;
        for (ptrdiff_t l = 0; i + l < count; l++) {
            x[l] = a[i + l];
            y[l] = b[i + l];
        }
        sum = __builtin_elementwise_fma(x, y, sum);
    }
    const SA_LANES8 eight = sum.lo + sum.hi;
    const SA_LANES4 four = eight.lo + eight.hi;
    const SA_LANES2 two = four.lo + four.hi;
    return two.x + two.y;
}

/// sum[i] = fma(scale, row[i], sum[i]).
SA_INLINE void SA_NAME(sa_axpy)(SA_SCALAR *restrict sum, SA_SCALAR scale, const SA_SCALAR *restrict row,
                                ptrdiff_t count) {
    for (ptrdiff_t i = 0; i < count; i++) sum[i] = SA_FMA(scale, row[i], sum[i]);
}

/// The most outputs scored at once; a group with more is taken in blocks of this many.
#define SA_OUTPUT_BLOCK 32

/// For each group g: inputs `group_offsets[g] ..< group_offsets[g + 1]` (rows of `inputs`), outputs
/// rows `g·P ..< (g + 1)·P` of `outputs` (P = `outputs_per_group`, the first the positive). For
/// input x and output u: s = x·u, e = σ(s) − label (label 1 for the positive, 0 for the rest);
/// the pair's loss is −log σ(s) for the positive and −log σ(−s) for a negative.
/// `group_losses[g]` = the group's pair losses summed input by input, output by output.
/// With gradients (both pointers non-NULL): input gradient row x = Σ_u e·u over the outputs in
/// order, output gradient row u = Σ_x e·x over the inputs in order, each a chain from +0.
/// Rows are `width` long; gradients do not overlap inputs or outputs.
static void SA_NAME(negative_sampling)(const SA_SCALAR *inputs, const SA_SCALAR *outputs, const int64_t *group_offsets,
                                       ptrdiff_t group_count, ptrdiff_t outputs_per_group, ptrdiff_t width,
                                       SA_SCALAR *group_losses, SA_SCALAR *input_gradient,
                                       SA_SCALAR *output_gradient) {
    const int gradients = input_gradient != NULL && output_gradient != NULL;
    for (ptrdiff_t g = 0; g < group_count; g++) {
        const SA_SCALAR *group_outputs = outputs + g * outputs_per_group * width;
        if (gradients) {
            SA_SCALAR *rows = output_gradient + g * outputs_per_group * width;
            for (ptrdiff_t i = 0; i < outputs_per_group * width; i++) rows[i] = 0;
        }
        SA_SCALAR loss = 0;
        for (int64_t input = group_offsets[g]; input < group_offsets[g + 1]; input++) {
            const SA_SCALAR *x = inputs + input * width;
            SA_SCALAR *x_gradient = gradients ? input_gradient + input * width : NULL;
            if (gradients) for (ptrdiff_t i = 0; i < width; i++) x_gradient[i] = 0;
            for (ptrdiff_t first = 0; first < outputs_per_group; first += SA_OUTPUT_BLOCK) {
                const ptrdiff_t count = outputs_per_group - first < SA_OUTPUT_BLOCK
                    ? outputs_per_group - first : SA_OUTPUT_BLOCK;
                SA_SCALAR score[SA_OUTPUT_BLOCK], error[SA_OUTPUT_BLOCK], pair_loss[SA_OUTPUT_BLOCK];
                for (ptrdiff_t j = 0; j < count; j++)
                    score[j] = SA_NAME(sa_dot16)(x, group_outputs + (first + j) * width, width);
                // With t = e^(−|s|): σ(s) is 1/(1 + t) for s ≥ 0 and t/(1 + t) below, and
                // −log σ(±s) = max(∓s, 0) + log(1 + t), which neither overflows nor cancels.
                for (ptrdiff_t j = 0; j < count; j++) {
                    const SA_SCALAR s = score[j];
                    const SA_SCALAR magnitude = s < 0 ? -s : s;
                    const SA_SCALAR t = SA_EXP(-magnitude);
                    const SA_SCALAR sigmoid = (s >= 0 ? (SA_SCALAR)1 : t) / ((SA_SCALAR)1 + t);
                    const int positive = first + j == 0;
                    const SA_SCALAR exceeding = positive ? (s < 0 ? -s : 0) : (s > 0 ? s : 0);
                    pair_loss[j] = exceeding + SA_LOG1P(t);
                    error[j] = positive ? sigmoid - (SA_SCALAR)1 : sigmoid;
                }
                for (ptrdiff_t j = 0; j < count; j++) loss += pair_loss[j];
                if (!gradients) continue;
                for (ptrdiff_t j = 0; j < count; j++) {
                    const SA_SCALAR *u = group_outputs + (first + j) * width;
                    SA_NAME(sa_axpy)(x_gradient, error[j], u, width);
                    SA_NAME(sa_axpy)(output_gradient + (g * outputs_per_group + first + j) * width, error[j], x,
                                     width);
                }
            }
        }
        group_losses[g] = loss;
    }
}

#undef SA_OUTPUT_BLOCK
#undef SA_LANES16
#undef SA_LANES8
#undef SA_LANES4
#undef SA_LANES2
#undef SA_NAME
