// x86-64 with AVX-512 F, VL, BW and DQ (Skylake-SP, Ice Lake, Zen 4 and later).
#include "Common.h"
#if defined(__x86_64__)
#define SA_VECTOR_BYTES 64
#pragma clang attribute push (__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma"))), apply_to = function)
#include "Kernels.h"
#pragma clang attribute pop
const sa_kernels sa_kernels_avx512 = SA_KERNEL_TABLE;
#endif
