// x86-64 with AVX2 and FMA (Haswell, Zen and later).
#include "Common.h"
#if defined(__x86_64__)
#define SA_VECTOR_BYTES 32
#pragma clang attribute push (__attribute__((target("avx2,fma"))), apply_to = function)
#include "Kernels.h"
#pragma clang attribute pop
const sa_kernels sa_kernels_avx2 = SA_KERNEL_TABLE;
#endif
