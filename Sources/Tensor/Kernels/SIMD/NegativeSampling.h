// word2vec's negative-sampling loss and its gradient, one group of input vectors at a time: every
// input of a group is scored against the group's outputs, the first of which is the positive (the
// word to predict) and the rest sampled negatives.
//
// Included once per scalar type with SA_SCALAR, SA_SUFFIX, SA_BITS (the unsigned integer of the
// scalar's width), SA_EXP and SA_LOG1P defined. Rows are
// walked in chunks of sixteen elements held in a 16-lane vector at every level (one register
// with AVX-512, two with AVX2, four with SSE or NEON), and every sum has one stated order, so every
// level computes the same bits. A row whose length is not a multiple of sixteen ends with the
// sixteen elements that end it, the lanes already taken by the chunk before zeroed in a dot product
// and simply recomputed in an output row.

#define SA_NAME(name) SA_CONCAT(name, SA_SUFFIX)
#define SA_LANES16 SA_NAME(sa_ns_lanes16)
#define SA_LANES8 SA_NAME(sa_ns_lanes8)
#define SA_LANES4 SA_NAME(sa_ns_lanes4)
#define SA_LANES2 SA_NAME(sa_ns_lanes2)
typedef SA_SCALAR SA_LANES16 __attribute__((ext_vector_type(16)));
typedef SA_SCALAR SA_LANES8 __attribute__((ext_vector_type(8)));
typedef SA_SCALAR SA_LANES4 __attribute__((ext_vector_type(4)));
typedef SA_SCALAR SA_LANES2 __attribute__((ext_vector_type(2)));
typedef SA_BITS SA_NAME(sa_ns_bits16) __attribute__((ext_vector_type(16)));

// Vectors of sixteen move through memory and macros rather than through function arguments and
// results: a 64-byte vector argument has another calling convention below AVX-512.
#define SA_NS_LOAD(vector, address) __builtin_memcpy(&(vector), (address), sizeof(vector))
#define SA_NS_STORE(address, vector) __builtin_memcpy((address), &(vector), sizeof(vector))

/// Where each 16-element chunk of a `width`-long row starts: full chunks at 0, 16, …, then (when
/// 16 does not divide `width` and `width` ≥ 16) the last sixteen elements, `last`. `fresh` has all
/// bits set in the lanes of that last chunk that the chunk before does not hold, none in the others.
typedef struct {
    ptrdiff_t full, last;
    int has_last;
    SA_BITS fresh[16];
} SA_NAME(sa_ns_chunks);

SA_INLINE void SA_NAME(sa_ns_chunking)(SA_NAME(sa_ns_chunks) *c, ptrdiff_t width) {
    c->full = width / 16;
    c->last = width - 16;
    c->has_last = width % 16 != 0 && width >= 16;
    const ptrdiff_t repeated = 16 - width % 16;
    for (int l = 0; l < 16; l++) c->fresh[l] = l < repeated ? (SA_BITS)0 : ~(SA_BITS)0;
}

/// Σ a[i]·b[i]: each lane a fused multiply-add chain over its elements (chunk by chunk, from +0),
/// then lane l + 8 added to lane l, l + 4 to l, l + 2 to l, and lane 1 to lane 0.
SA_INLINE SA_SCALAR SA_NAME(sa_ns_dot)(const SA_SCALAR *a, const SA_SCALAR *b, ptrdiff_t width,
                                       const SA_NAME(sa_ns_chunks) *chunks) {
    SA_LANES16 sum = 0, x, y;
    for (ptrdiff_t c = 0; c < chunks->full; c++) {
        SA_NS_LOAD(x, a + 16 * c);
        SA_NS_LOAD(y, b + 16 * c);
        sum = __builtin_elementwise_fma(x, y, sum);
    }
    if (chunks->has_last) {
        // The repeated lanes are cleared bit by bit (to +0), on both sides: a product with 0 would
        // turn an infinity there into NaN.
        SA_NAME(sa_ns_bits16) fresh, x_bits, y_bits;
        SA_NS_LOAD(fresh, chunks->fresh);
        SA_NS_LOAD(x_bits, a + chunks->last);
        SA_NS_LOAD(y_bits, b + chunks->last);
        x_bits &= fresh;
        y_bits &= fresh;
        __builtin_memcpy(&x, &x_bits, sizeof x);
        __builtin_memcpy(&y, &y_bits, sizeof y);
        sum = __builtin_elementwise_fma(x, y, sum);
    } else if (width < 16) {
        x = 0;
        y = 0;
        for (ptrdiff_t l = 0; l < width; l++) {
            x[l] = a[l];
            y[l] = b[l];
        }
        sum = __builtin_elementwise_fma(x, y, sum);
    }
    const SA_LANES8 eight = sum.lo + sum.hi;
    const SA_LANES4 four = eight.lo + eight.hi;
    const SA_LANES2 two = four.lo + four.hi;
    return two.x + two.y;
}

/// row = Σₖ weights[k·stride] · sources[k] over k in 0..<count, a fused multiply-add chain from +0
/// per element; `row` overlaps no source.
SA_INLINE void SA_NAME(sa_ns_combine)(SA_SCALAR *row, const SA_SCALAR *weights, ptrdiff_t stride,
                                      const SA_SCALAR *const *sources, ptrdiff_t count, ptrdiff_t width,
                                      const SA_NAME(sa_ns_chunks) *chunks) {
    if (width < 16) {
        for (ptrdiff_t i = 0; i < width; i++) {
            SA_SCALAR sum = 0;
            for (ptrdiff_t k = 0; k < count; k++) sum = __builtin_elementwise_fma(weights[k * stride], sources[k][i], sum);
            row[i] = sum;
        }
        return;
    }
    for (ptrdiff_t c = 0; c <= chunks->full; c++) {
        ptrdiff_t offset = 16 * c;
        if (c == chunks->full) {
            if (!chunks->has_last) break;
            offset = chunks->last;
        }
        SA_LANES16 sum = 0, source;
        for (ptrdiff_t k = 0; k < count; k++) {
            SA_NS_LOAD(source, sources[k] + offset);
            sum = __builtin_elementwise_fma((SA_LANES16)weights[k * stride], source, sum);
        }
        SA_NS_STORE(row + offset, sum);
    }
}

/// σ(s) − label into `score` (label 1 for output 0, the positive), and the pair losses summed in
/// order into the result: with t = e^(−|s|), σ(s) is 1/(1 + t) for s ≥ 0 and t/(1 + t) below, and
/// −log σ(±s) = max(∓s, 0) + log(1 + t), which neither overflows nor cancels. Both losses are
/// computed for every pair in one vector loop; `rows` inputs of `P` scores each.
SA_INLINE SA_SCALAR SA_NAME(sa_ns_errors)(SA_SCALAR *score, SA_SCALAR *positive_loss, SA_SCALAR *negative_loss,
                                         ptrdiff_t rows, ptrdiff_t P) {
    for (ptrdiff_t k = 0; k < rows * P; k++) {
        const SA_SCALAR s = score[k];
        const SA_SCALAR t = SA_EXP(s < 0 ? s : -s);
        const SA_SCALAR softplus = SA_LOG1P(t);
        positive_loss[k] = (s < 0 ? -s : (SA_SCALAR)0) + softplus;
        negative_loss[k] = (s > 0 ? s : (SA_SCALAR)0) + softplus;
        score[k] = (s >= 0 ? (SA_SCALAR)1 : t) / ((SA_SCALAR)1 + t);
    }
    SA_SCALAR loss = 0;
    for (ptrdiff_t i = 0; i < rows; i++) {
        loss += positive_loss[i * P];
        for (ptrdiff_t j = 1; j < P; j++) loss += negative_loss[i * P + j];
        score[i * P] -= (SA_SCALAR)1;
    }
    return loss;
}

/// For each group g: inputs `group_offsets[g] ..< group_offsets[g + 1]`, outputs `g·P ..< (g + 1)·P`
/// (P = `outputs_per_group`, the first the positive). Input i is row `input_rows[i]` of `inputs`
/// (row i when `input_rows` is NULL), output k row `output_rows[k]` of `outputs` (row k when NULL).
/// Each input x of the group is scored (or, with `mean_of_inputs`, their mean x̄ = (Σ x)·(1/n),
/// summed in order from +0, once): for output u, s = x·u, e = σ(s) − label (label 1 for the
/// positive, 0 for the rest); the pair's loss is −log σ(s) for the positive and −log σ(−s) for a
/// negative. `group_losses[g]` = the group's pair losses summed input by input, output by output.
/// With gradients (both pointers non-NULL): input gradient row i = Σ_u e·u over the outputs in
/// order (times 1/n for a mean: each input's share of x̄'s gradient), output gradient row k =
/// Σ_x e·x over the scored inputs in order, each a chain from +0. `scratch` holds 3·n·P elements
/// for the largest group's n (2·width + 3·P with `mean_of_inputs`) and `row_scratch` n + P
/// pointers. Gradients overlap nothing.
static void SA_NAME(negative_sampling)(const SA_SCALAR *inputs, const int64_t *input_rows, const SA_SCALAR *outputs,
                                       const int64_t *output_rows, const int64_t *group_offsets,
                                       ptrdiff_t group_count, ptrdiff_t outputs_per_group, ptrdiff_t width,
                                       int mean_of_inputs, SA_SCALAR *group_losses, SA_SCALAR *input_gradient,
                                       SA_SCALAR *output_gradient, SA_SCALAR *scratch,
                                       const SA_SCALAR **row_scratch) {
    const ptrdiff_t P = outputs_per_group;
    const int gradients = input_gradient != NULL && output_gradient != NULL;
    SA_NAME(sa_ns_chunks) chunks;
    SA_NAME(sa_ns_chunking)(&chunks, width);
#define SA_NS_INPUT(i) (inputs + (input_rows ? input_rows[i] : (int64_t)(i)) * width)
#define SA_NS_OUTPUT(k) (outputs + (output_rows ? output_rows[k] : (int64_t)(k)) * width)
    for (ptrdiff_t g = 0; g < group_count; g++) {
        const ptrdiff_t first = (ptrdiff_t)group_offsets[g], n = (ptrdiff_t)group_offsets[g + 1] - first;
        const SA_SCALAR **x = row_scratch, **u = row_scratch + n;
        for (ptrdiff_t i = 0; i < n; i++) x[i] = SA_NS_INPUT(first + i);
        for (ptrdiff_t j = 0; j < P; j++) u[j] = SA_NS_OUTPUT(g * P + j);
        if (g + 1 < group_count && (input_rows || output_rows)) {
            // The next group's rows, asked for while this one computes (Rows.h's prefetch).
            const ptrdiff_t row_bytes = width * (ptrdiff_t)sizeof(SA_SCALAR);
            for (int64_t i = group_offsets[g + 1]; i < group_offsets[g + 2]; i++) sa_prefetch_row(SA_NS_INPUT(i), row_bytes);
            for (ptrdiff_t j = 0; j < P; j++) sa_prefetch_row(SA_NS_OUTPUT((g + 1) * P + j), row_bytes);
        }
        if (!mean_of_inputs) {
            SA_SCALAR *score = scratch, *positive_loss = scratch + n * P, *negative_loss = scratch + 2 * n * P;
            for (ptrdiff_t i = 0; i < n; i++)
                for (ptrdiff_t j = 0; j < P; j++) score[i * P + j] = SA_NAME(sa_ns_dot)(x[i], u[j], width, &chunks);
            group_losses[g] = SA_NAME(sa_ns_errors)(score, positive_loss, negative_loss, n, P);
            if (!gradients) continue;
            const SA_SCALAR *error = score;
            for (ptrdiff_t i = 0; i < n; i++)
                SA_NAME(sa_ns_combine)(input_gradient + (first + i) * width, error + i * P, 1, u, P, width, &chunks);
            for (ptrdiff_t j = 0; j < P; j++)
                SA_NAME(sa_ns_combine)(output_gradient + (g * P + j) * width, error + j, P, x, n, width, &chunks);
            continue;
        }
        // The mean of the group's inputs, scored once. An empty group has no mean: it adds nothing
        // to the loss and its outputs get zero gradients.
        if (n == 0) {
            group_losses[g] = 0;
            if (gradients) for (ptrdiff_t k = 0; k < P * width; k++) output_gradient[g * P * width + k] = 0;
            continue;
        }
        SA_SCALAR *mean = scratch, *mean_gradient = scratch + width, *score = scratch + 2 * width;
        SA_SCALAR *positive_loss = score + P, *negative_loss = score + 2 * P;
        const SA_SCALAR share = (SA_SCALAR)1 / (SA_SCALAR)n;
        const SA_SCALAR one = 1;
        SA_NAME(sa_ns_combine)(mean, &one, 0, x, n, width, &chunks);
        for (ptrdiff_t i = 0; i < width; i++) mean[i] = mean[i] * share;
        const SA_SCALAR *mean_row = mean;
        for (ptrdiff_t j = 0; j < P; j++) score[j] = SA_NAME(sa_ns_dot)(mean, u[j], width, &chunks);
        group_losses[g] = SA_NAME(sa_ns_errors)(score, positive_loss, negative_loss, 1, P);
        if (!gradients) continue;
        SA_NAME(sa_ns_combine)(mean_gradient, score, 1, u, P, width, &chunks);
        for (ptrdiff_t i = 0; i < n; i++) {
            SA_SCALAR *row = input_gradient + (first + i) * width;
            for (ptrdiff_t k = 0; k < width; k++) row[k] = mean_gradient[k] * share;
        }
        for (ptrdiff_t j = 0; j < P; j++)
            SA_NAME(sa_ns_combine)(output_gradient + (g * P + j) * width, score + j, 1, &mean_row, 1, width, &chunks);
    }
#undef SA_NS_INPUT
#undef SA_NS_OUTPUT
}

#undef SA_NS_LOAD
#undef SA_NS_STORE
#undef SA_LANES16
#undef SA_LANES8
#undef SA_LANES4
#undef SA_LANES2
#undef SA_NAME
