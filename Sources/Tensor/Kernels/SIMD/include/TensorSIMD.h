// The inner loops that need instructions beyond the baseline target (FMA, AVX2, AVX-512), compiled
// once per instruction-set level and reached only through the Swift wrappers in Tensor and NN.
//
// Every function here computes bit-identical results at every level: multiply-adds are explicit
// fused multiply-adds (the C library's exact `fmaf` where the CPU has none), nothing is contracted
// implicitly, and no loop reorders a sum. Only the speed differs between levels.
//
// Kernel precondition for every function: each pointer addresses the elements its count describes
// inside live memory; outputs do not overlap inputs unless a comment says they may.
#ifndef TENSOR_SIMD_H
#define TENSOR_SIMD_H

#include <stddef.h>
#include <stdint.h>

/// Instruction-set levels, lowest first. x86-64 has baseline (SSE2), avx2 (with FMA) and avx512
/// (F, VL, BW, DQ); arm64 has neon, its baseline, which includes FMA.
enum {
    SA_LEVEL_BASELINE = 0,
    SA_LEVEL_AVX2 = 1,
    SA_LEVEL_AVX512 = 2,
    SA_LEVEL_NEON = 3,
    SA_LEVEL_COUNT = 4
};

/// Bit `1 << level` for every level compiled into this build and runnable on this CPU.
uint32_t sa_supported_levels(void);

/// The cores this process may run on (its CPU affinity mask, which `taskset` and container CPU
/// sets narrow), or 0 where the system does not say.
int32_t sa_allowed_cores(void);

/// Tells the core that the thread is spinning on a flag (x86 `pause`, arm64 `yield`): the spin
/// then takes less from the other hardware thread of the core and leaves the loop sooner when the
/// flag changes.
void sa_cpu_relax(void);

/// The settings of one SGD update (PyTorch's `torch.optim.SGD`) as Python holds them, in double;
/// the kernels round each to the tensor's type once, as PyTorch converts a Python float.
/// `adds_zero`: add +0 to every gradient element first, because the dense gradient holds `0 + v`
/// for an entry read in place (it turns −0 into +0).
typedef struct {
    double negative_learning_rate, momentum, dampening_complement, weight_decay;
    uint8_t uses_momentum, uses_weight_decay, nesterov, maximize, first_step, adds_zero;
} sa_sgd_settings;

/// The settings of one Adam/AdamW step at a given step number (PyTorch's `_single_tensor_adam`),
/// computed in double; each is rounded to the tensor's type once.
typedef struct {
    double weight_decay, decay_factor, one_minus_beta1, beta2, one_minus_beta2;
    double bias_correction2_root, epsilon, negative_step_size;
    uint8_t uses_weight_decay, decouples_weight_decay, amsgrad, maximize;
} sa_adam_settings;

/// The settings of one `SparseAdam` step, in double.
typedef struct {
    double one_minus_beta1, one_minus_beta2, epsilon, negative_step_size;
    uint8_t maximize;
} sa_sparse_adam_settings;

/// A level's matrix-multiply blocking: the register tile (mr × nr) and the cache blocks.
typedef struct {
    int32_t mr, nr;
    ptrdiff_t kc, mc, nc;
} sa_gemm_blocking;

/// Optimizer updates: one contiguous run of a parameter, its state and its gradient.
typedef struct {
    // State pointers may be NULL when the settings do not use them (no momentum, no AMSGrad).
    void (*sgd_f32)(float *parameter, float *momentum_buffer, const float *gradient, ptrdiff_t count,
                    const sa_sgd_settings *settings);
    void (*sgd_f64)(double *parameter, double *momentum_buffer, const double *gradient, ptrdiff_t count,
                    const sa_sgd_settings *settings);
    // Plain SGD entry by entry for a sparse gradient: for each entry e in order whose row r =
    // rows[e] the caller owns ((r / owner_block) % owner_count == owner), row r += ±values[e]·rate
    // (one fused multiply-add per element, rate = settings->negative_learning_rate, the value
    // negated when maximizing).
    void (*sgd_entries_f32)(float *table, ptrdiff_t width, const int64_t *rows, const float *values,
                            ptrdiff_t entry_count, int64_t owner_block, int64_t owner_count, int64_t owner,
                            const sa_sgd_settings *settings);
    void (*sgd_entries_f64)(double *table, ptrdiff_t width, const int64_t *rows, const double *values,
                            ptrdiff_t entry_count, int64_t owner_block, int64_t owner_count, int64_t owner,
                            const sa_sgd_settings *settings);
    void (*adam_f32)(float *parameter, float *first_moment, float *second_moment, float *maximum_second_moment,
                     const float *gradient, ptrdiff_t count, const sa_adam_settings *settings);
    void (*adam_f64)(double *parameter, double *first_moment, double *second_moment, double *maximum_second_moment,
                     const double *gradient, ptrdiff_t count, const sa_adam_settings *settings);
    void (*sparse_adam_f32)(float *parameter, float *first_moment, float *second_moment, const float *gradient,
                            ptrdiff_t count, const sa_sparse_adam_settings *settings);
    void (*sparse_adam_f64)(double *parameter, double *first_moment, double *second_moment, const double *gradient,
                            ptrdiff_t count, const sa_sparse_adam_settings *settings);
} sa_optimizer_kernels;

/// Random numbers.
typedef struct {
    // PyTorch's AVX2 `normal_fill_16`: each block of 16 uniforms in [0, 1) becomes 16 normals in
    // place, slot j paired with slot j + 8.
    void (*normal_fill_f32)(float *blocks, ptrdiff_t block_count, float mean, float std);
} sa_random_kernels;

/// Rows and runs: gathers, sums and copies.
typedef struct {
    // `stream` asks for stores that bypass the caches (for outputs far larger than
    // the last-level cache); a thread that streamed calls `store_fence` before another thread
    // reads what it wrote.
    void (*copy_bytes)(void *output, const void *source, ptrdiff_t byte_count, int stream);
    /// output row r = table row rows[r], for r in 0..<count; rows are `row_bytes` long.
    void (*gather_rows)(void *output, const void *table, const int64_t *rows, ptrdiff_t count, ptrdiff_t row_bytes,
                        int stream);
    /// output row r = table row rows[r] + positions row ((first + r) % position_count).
    void (*gather_rows_adding_f32)(float *output, const float *table, const int64_t *rows, ptrdiff_t count,
                                   ptrdiff_t width, const float *positions, ptrdiff_t position_count, ptrdiff_t first,
                                   int stream);
    void (*gather_rows_adding_f64)(double *output, const double *table, const int64_t *rows, ptrdiff_t count,
                                   ptrdiff_t width, const double *positions, ptrdiff_t position_count,
                                   ptrdiff_t first, int stream);
    /// output[i] = first[i] + second[i].
    void (*add_f32)(float *output, const float *first, const float *second, ptrdiff_t count, int stream);
    /// output[i] = ((0 + sources[0][i]) + sources[1][i]) + … in source order (`output` aliases no source).
    void (*sum_runs_f32)(float *output, const float *const *sources, ptrdiff_t source_count, ptrdiff_t count);
    void (*sum_runs_f64)(double *output, const double *const *sources, ptrdiff_t source_count, ptrdiff_t count);
    /// sum[i] += values[i] (`sum` may not alias `values`).
    void (*accumulate_f32)(float *sum, const float *values, ptrdiff_t count);
    void (*accumulate_f64)(double *sum, const double *values, ptrdiff_t count);
    void (*store_fence)(void);
} sa_row_kernels;

/// Exponentials and logarithms for the softmax family.
typedef struct {
    // Exponentials and logarithms for the softmax family, the same bits at every level (within
    // 1 ulp of the exact values for normal results; subnormal results are rounded once).
    /// output[i] = exp(input[i] − shift) · scale (`output` may be `input`).
    void (*exp_shifted_f32)(float *output, const float *input, float shift, float scale, ptrdiff_t count);
    float (*log_f32)(float x);
} sa_exponential_kernels;

/// word2vec's negative-sampling loss.
typedef struct {
    // word2vec's negative-sampling loss over groups of inputs that share their outputs (the first
    // output of each group the positive, the rest sampled negatives), and its gradient when both
    // gradient pointers are non-NULL. Group g holds inputs group_offsets[g] ..< group_offsets[g + 1]
    // and outputs g·P ..< (g + 1)·P (P = outputs_per_group). Input i is row input_rows[i] of
    // `inputs` (row i when input_rows is NULL), output k row output_rows[k] of `outputs` (row k when
    // NULL); rows are `width` long. Each input x is scored, or with mean_of_inputs the mean x̄ of
    // the group's inputs, once. For x, output u: s = x·u, e = σ(s) − label; group_losses[g] =
    // Σ −log σ(±s); input gradient row i = Σ_u e·u (times 1/n for a mean), output gradient row k =
    // Σ_x e·x (chains from +0, in order). `scratch` holds 3·n·P elements (2·width + 3·P for a
    // mean) and `row_scratch` n + P pointers for the largest group's n inputs.
    void (*negative_sampling_f32)(const float *inputs, const int64_t *input_rows, const float *outputs,
                                  const int64_t *output_rows, const int64_t *group_offsets, ptrdiff_t group_count,
                                  ptrdiff_t outputs_per_group, ptrdiff_t width, int mean_of_inputs,
                                  float *group_losses,
                                  float *input_gradient, float *output_gradient, float *scratch,
                                  const float **row_scratch);
    void (*negative_sampling_f64)(const double *inputs, const int64_t *input_rows, const double *outputs,
                                  const int64_t *output_rows, const int64_t *group_offsets, ptrdiff_t group_count,
                                  ptrdiff_t outputs_per_group, ptrdiff_t width, int mean_of_inputs,
                                  double *group_losses,
                                  double *input_gradient, double *output_gradient, double *scratch,
                                  const double **row_scratch);
} sa_word2vec_kernels;

/// 16-bit floats of a checkpoint.
typedef struct {
    // 16-bit floats of a checkpoint widened to float, exact and with NaN payloads kept
    // (`source` 2-byte aligned; `stream` as for the row kernels).
    /// output[i] = the binary16 value with bit pattern source[i].
    void (*widen_half_f32)(float *output, const uint16_t *source, ptrdiff_t count, int stream);
    /// output[i] = the bfloat16 value with bit pattern source[i].
    void (*widen_bfloat16_f32)(float *output, const uint16_t *source, ptrdiff_t count, int stream);
} sa_half_precision_kernels;

/// Matrix multiply.
typedef struct {
    // Matrix multiply: C = A · B with every C[i][j] the fused multiply-add chain over k in
    // increasing order from +0 (continued from C's value when `accumulate`), whatever the blocking.
    sa_gemm_blocking gemm_f32_blocking, gemm_f64_blocking;
    void (*gemm_f32_pack_a)(const float *a, ptrdiff_t row_stride, ptrdiff_t column_stride, ptrdiff_t rows,
                            ptrdiff_t depth, float *packed);
    void (*gemm_f32_pack_b)(const float *b, ptrdiff_t row_stride, ptrdiff_t column_stride, ptrdiff_t depth,
                            ptrdiff_t columns, float *packed);
    void (*gemm_f32_block)(ptrdiff_t rows, ptrdiff_t columns, ptrdiff_t depth, const float *packed_a,
                           const float *packed_b, float *c, ptrdiff_t ldc, int accumulate);
    void (*gemm_f32_small)(ptrdiff_t rows, ptrdiff_t columns, ptrdiff_t depth, const float *a, ptrdiff_t a_row_stride,
                           ptrdiff_t a_column_stride, const float *b, ptrdiff_t b_row_stride,
                           ptrdiff_t b_column_stride, float *c, ptrdiff_t ldc);
    void (*gemm_f64_pack_a)(const double *a, ptrdiff_t row_stride, ptrdiff_t column_stride, ptrdiff_t rows,
                            ptrdiff_t depth, double *packed);
    void (*gemm_f64_pack_b)(const double *b, ptrdiff_t row_stride, ptrdiff_t column_stride, ptrdiff_t depth,
                            ptrdiff_t columns, double *packed);
    void (*gemm_f64_block)(ptrdiff_t rows, ptrdiff_t columns, ptrdiff_t depth, const double *packed_a,
                           const double *packed_b, double *c, ptrdiff_t ldc, int accumulate);
    void (*gemm_f64_small)(ptrdiff_t rows, ptrdiff_t columns, ptrdiff_t depth, const double *a,
                           ptrdiff_t a_row_stride, ptrdiff_t a_column_stride, const double *b,
                           ptrdiff_t b_row_stride, ptrdiff_t b_column_stride, double *c, ptrdiff_t ldc);
} sa_gemm_kernels;

/// The kernels of one instruction-set level, by area: a new kernel goes into its area's table
/// (and the level tables of Kernels.h), and Swift reaches it as `kernels.pointee.<area>.<name>`.
typedef struct {
    sa_optimizer_kernels optimizers;
    sa_random_kernels random;
    sa_row_kernels rows;
    sa_exponential_kernels exponentials;
    sa_word2vec_kernels word2vec;
    sa_half_precision_kernels half_precision;
    sa_gemm_kernels gemm;
} sa_kernels;

/// The kernels of `level`, or NULL when this build has none for it (another architecture).
const sa_kernels *sa_kernels_for_level(int32_t level);

#endif
