// The baseline level: x86-64's SSE2 (no FMA instruction, so fused multiply-adds are the C
// library's exact `fmaf`: slower, the same bits), or portable C on an architecture with no level
// of its own. arm64 has NEON instead.
#include "Common.h"
#if !defined(__aarch64__)
#define SA_VECTOR_BYTES 16
#include "Kernels.h"
const sa_kernels sa_kernels_baseline = SA_KERNEL_TABLE;
#endif
