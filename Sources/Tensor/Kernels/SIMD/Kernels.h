// Every kernel body, included once by each level's translation unit inside its target region;
// SA_VECTOR_BYTES (the level's widest vector) is defined before. Bodies are written once and
// compiled per level; everything here is static, and each level exports only its table.

#define SA_SCALAR float
#define SA_SUFFIX _f32
#define SA_FMA __builtin_fmaf
#include "Optimizers.h"
#undef SA_SCALAR
#undef SA_SUFFIX
#undef SA_FMA

#define SA_SCALAR double
#define SA_SUFFIX _f64
#define SA_FMA __builtin_fma
#include "Optimizers.h"
#undef SA_SCALAR
#undef SA_SUFFIX
#undef SA_FMA

#include "Matmul.h"
#include "Rows.h"
#include "Exponential.h"

#define SA_SCALAR float
#define SA_SUFFIX _f32
#define SA_BITS uint32_t
#define SA_FMA __builtin_fmaf
#define SA_EXP sa_exp
#define SA_LOG1P(t) sa_log_of_normal(1.0f + (t))
#include "NegativeSampling.h"
#undef SA_SCALAR
#undef SA_SUFFIX
#undef SA_BITS
#undef SA_FMA
#undef SA_EXP
#undef SA_LOG1P

#define SA_SCALAR double
#define SA_SUFFIX _f64
#define SA_BITS uint64_t
#define SA_FMA __builtin_fma
#define SA_EXP __builtin_exp
#define SA_LOG1P(t) __builtin_log1p(t)
#include "NegativeSampling.h"
#undef SA_SCALAR
#undef SA_SUFFIX
#undef SA_BITS
#undef SA_FMA
#undef SA_EXP
#undef SA_LOG1P

#include "NormalFill.h"
#include "HalfPrecision.h"

#define SA_KERNEL_TABLE { \
    .optimizers = { \
        .sgd_f32 = sgd_f32, .sgd_f64 = sgd_f64, .sgd_entries_f32 = sgd_entries_f32, \
        .sgd_entries_f64 = sgd_entries_f64, .adam_f32 = adam_f32, .adam_f64 = adam_f64, \
        .sparse_adam_f32 = sparse_adam_f32, .sparse_adam_f64 = sparse_adam_f64, \
    }, \
    .random = { \
        .normal_fill_f32 = normal_fill_f32, \
    }, \
    .rows = { \
        .copy_bytes = copy_bytes, .gather_rows = gather_rows, \
        .gather_rows_adding_f32 = gather_rows_adding_f32, \
        .gather_rows_adding_f64 = gather_rows_adding_f64, .add_f32 = add_f32, \
        .sum_runs_f32 = sum_runs_f32, .sum_runs_f64 = sum_runs_f64, \
        .accumulate_f32 = accumulate_f32, .accumulate_f64 = accumulate_f64, \
        .store_fence = store_fence, \
    }, \
    .exponentials = { \
        .exp_shifted_f32 = exp_shifted_f32, .log_f32 = log_f32, \
    }, \
    .word2vec = { \
        .negative_sampling_f32 = negative_sampling_f32, \
        .negative_sampling_f64 = negative_sampling_f64, \
    }, \
    .half_precision = { \
        .widen_half_f32 = widen_half_f32, .widen_bfloat16_f32 = widen_bfloat16_f32, \
    }, \
    .gemm = { \
        .gemm_f32_blocking = SA_GEMM_BLOCKING_F32, .gemm_f64_blocking = SA_GEMM_BLOCKING_F64, \
        .gemm_f32_pack_a = gemm_pack_a_f32, .gemm_f32_pack_b = gemm_pack_b_f32, \
        .gemm_f32_block = gemm_block_f32, .gemm_f32_small = gemm_small_f32, \
        .gemm_f64_pack_a = gemm_pack_a_f64, .gemm_f64_pack_b = gemm_pack_b_f64, \
        .gemm_f64_block = gemm_block_f64, .gemm_f64_small = gemm_small_f64, \
    }, \
}
