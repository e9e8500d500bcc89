// arm64, whose baseline has NEON and FMA: one level.
#include "Common.h"
#if defined(__aarch64__)
#define SA_VECTOR_BYTES 16
#include "Kernels.h"
const sa_kernels sa_kernels_neon = SA_KERNEL_TABLE;
#endif
