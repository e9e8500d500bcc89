// Copies, gathers and sums of rows: memory-bound loops whose one trick is the streaming store.
//
// An ordinary store to a line that is not in the cache first reads the line (read-for-ownership),
// so writing an output costs its bytes twice in memory traffic; a streaming store writes whole
// lines without reading them. They only pay for outputs far larger than the last-level cache,
// which the caller decides (`stream`). Streaming stores need addresses aligned to the vector, so
// each run has an ordinary head and tail.

typedef char sa_bytes __attribute__((ext_vector_type(SA_VECTOR_BYTES), aligned(SA_VECTOR_BYTES), may_alias));
typedef float sa_floats __attribute__((ext_vector_type(SA_VECTOR_BYTES / 4), aligned(SA_VECTOR_BYTES)));
#define SA_FLOAT_LANES (SA_VECTOR_BYTES / 4)

SA_INLINE ptrdiff_t sa_bytes_to_alignment(const void *address, ptrdiff_t limit) {
    const ptrdiff_t head = (ptrdiff_t)((SA_VECTOR_BYTES - ((uintptr_t)address & (SA_VECTOR_BYTES - 1))) & (SA_VECTOR_BYTES - 1));
    return head < limit ? head : limit;
}

static void copy_bytes(void *output, const void *source, ptrdiff_t byte_count, int stream) {
    char *out = output;
    const char *in = source;
    if (!stream) {
        __builtin_memcpy(out, in, (size_t)byte_count);
        return;
    }
    ptrdiff_t i = sa_bytes_to_alignment(out, byte_count);
    __builtin_memcpy(out, in, (size_t)i);
    for (; i + SA_VECTOR_BYTES <= byte_count; i += SA_VECTOR_BYTES) {
        sa_bytes lanes;
        __builtin_memcpy(&lanes, in + i, SA_VECTOR_BYTES);
        __builtin_nontemporal_store(lanes, (sa_bytes *)(out + i));
    }
    __builtin_memcpy(out + i, in + i, (size_t)(byte_count - i));
}

/// Asks for a row the gather reads next, while it copies this one: rows are scattered over the
/// table, so the hardware prefetchers cannot guess them, and a row's first lines would otherwise
/// each wait for memory. An ordinary prefetch (all cache levels), not a non-temporal one: on a
/// 2-vCPU Intel Xeon (family 6 model 207, 2026-12-07) the non-temporal hint made a GPT-2-shaped
/// gather-and-add 2× slower than this one, whether the rows came from memory or the last-level
/// cache (a C probe, best of 15, each order of the variants).
SA_INLINE void sa_prefetch_row(const void *row, ptrdiff_t byte_count) {
    const char *start = row;
    for (ptrdiff_t offset = 0; offset < byte_count; offset += 64) __builtin_prefetch(start + offset, 0, 3);
}

static void gather_rows(void *output, const void *table, const int64_t *rows, ptrdiff_t count, ptrdiff_t row_bytes,
                        int stream) {
    char *out = output;
    const char *base = table;
    for (ptrdiff_t r = 0; r < count; r++) {
        if (r + 1 < count) sa_prefetch_row(base + rows[r + 1] * row_bytes, row_bytes);
        copy_bytes(out + r * row_bytes, base + rows[r] * row_bytes, row_bytes, stream);
    }
}

// `out` may be `a` or `b` (an in-place `+=`): element i is read before it is written, so the
// pointers are not `restrict`.
SA_INLINE void sa_add_run_f32(float *out, const float *a, const float *b, ptrdiff_t count, int stream) {
    ptrdiff_t i = 0;
    if (stream) {
        const ptrdiff_t head = sa_bytes_to_alignment(out, count * 4) / 4;
        for (; i < head; i++) out[i] = a[i] + b[i];
        for (; i + SA_FLOAT_LANES <= count; i += SA_FLOAT_LANES) {
            sa_floats x, y;
            __builtin_memcpy(&x, a + i, sizeof x);
            __builtin_memcpy(&y, b + i, sizeof y);
            __builtin_nontemporal_store(x + y, (sa_floats *)(out + i));
        }
    }
    for (; i < count; i++) out[i] = a[i] + b[i];
}

static void add_f32(float *output, const float *first, const float *second, ptrdiff_t count, int stream) {
    sa_add_run_f32(output, first, second, count, stream);
}

static void gather_rows_adding_f32(float *output, const float *table, const int64_t *rows, ptrdiff_t count,
                                   ptrdiff_t width, const float *positions, ptrdiff_t position_count, ptrdiff_t first,
                                   int stream) {
    for (ptrdiff_t r = 0; r < count; r++) {
        if (r + 1 < count) sa_prefetch_row(table + rows[r + 1] * width, width * (ptrdiff_t)sizeof(float));
        sa_add_run_f32(output + r * width, table + rows[r] * width, positions + ((first + r) % position_count) * width,
                       width, stream);
    }
}

static void gather_rows_adding_f64(double *output, const double *table, const int64_t *rows, ptrdiff_t count,
                                   ptrdiff_t width, const double *positions, ptrdiff_t position_count,
                                   ptrdiff_t first, int stream) {
    (void)stream;
    for (ptrdiff_t r = 0; r < count; r++) {
        double *restrict out = output + r * width;
        const double *restrict token = table + rows[r] * width;
        const double *restrict position = positions + ((first + r) % position_count) * width;
        for (ptrdiff_t i = 0; i < width; i++) out[i] = token[i] + position[i];
    }
}

// Block by block: a block of partial sums (256 KiB, well inside a second-level cache) while every
// source streams past it in one long sequential run, which the hardware prefetchers follow.
#define SA_SUM_RUNS(name, type)                                                                          \
    static void name(type *restrict output, const type *const *sources, ptrdiff_t source_count,          \
                     ptrdiff_t count) {                                                                  \
        const ptrdiff_t block = (ptrdiff_t)(262144 / sizeof(type));                                      \
        for (ptrdiff_t first = 0; first < count; first += block) {                                       \
            const ptrdiff_t length = count - first < block ? count - first : block;                      \
            type *restrict out = output + first;                                                         \
            if (source_count == 0) {                                                                     \
                for (ptrdiff_t i = 0; i < length; i++) out[i] = 0;                                       \
                continue;                                                                                \
            }                                                                                            \
            const type *restrict head = sources[0] + first;                                              \
            for (ptrdiff_t i = 0; i < length; i++) out[i] = (type)0 + head[i];                           \
            for (ptrdiff_t s = 1; s < source_count; s++) {                                               \
                const type *restrict next = sources[s] + first;                                          \
                for (ptrdiff_t i = 0; i < length; i++) out[i] += next[i];                                \
            }                                                                                            \
        }                                                                                                \
    }
SA_SUM_RUNS(sum_runs_f32, float)
SA_SUM_RUNS(sum_runs_f64, double)
#undef SA_SUM_RUNS

static void accumulate_f32(float *restrict sum, const float *restrict values, ptrdiff_t count) {
    for (ptrdiff_t i = 0; i < count; i++) sum[i] += values[i];
}

static void accumulate_f64(double *restrict sum, const double *restrict values, ptrdiff_t count) {
    for (ptrdiff_t i = 0; i < count; i++) sum[i] += values[i];
}

/// Streaming stores are weakly ordered: this makes a thread's visible before it hands them on.
static void store_fence(void) {
#if defined(__x86_64__)
    __builtin_ia32_sfence();
#else
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}
