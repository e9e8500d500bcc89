// Which levels this CPU runs, and their tables. The choice among them is made in Swift
// (`InstructionSet`); this file only reports what exists, and what the machine gives the process.
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE
#endif
#include "Common.h"
#if defined(__linux__) && __STDC_HOSTED__ && __has_include(<sched.h>)
#include <sched.h>
#define SA_HAS_AFFINITY 1
#endif

int32_t sa_allowed_cores(void) {
#if defined(SA_HAS_AFFINITY)
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) return (int32_t)CPU_COUNT(&set);
#endif
    return 0;
}

void sa_cpu_relax(void) {
#if defined(__x86_64__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#if defined(__x86_64__)
extern const sa_kernels sa_kernels_baseline, sa_kernels_avx2, sa_kernels_avx512;

uint32_t sa_supported_levels(void) {
    __builtin_cpu_init();
    uint32_t levels = 1u << SA_LEVEL_BASELINE;
    // The compiler's CPU model also checks that the operating system saves the wider registers.
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) levels |= 1u << SA_LEVEL_AVX2;
    if ((levels & (1u << SA_LEVEL_AVX2)) && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")
        && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq"))
        levels |= 1u << SA_LEVEL_AVX512;
    return levels;
}

const sa_kernels *sa_kernels_for_level(int32_t level) {
    switch (level) {
    case SA_LEVEL_BASELINE: return &sa_kernels_baseline;
    case SA_LEVEL_AVX2: return &sa_kernels_avx2;
    case SA_LEVEL_AVX512: return &sa_kernels_avx512;
    default: return NULL;
    }
}
#elif defined(__aarch64__)
extern const sa_kernels sa_kernels_neon;

uint32_t sa_supported_levels(void) { return 1u << SA_LEVEL_NEON; }

const sa_kernels *sa_kernels_for_level(int32_t level) {
    return level == SA_LEVEL_NEON ? &sa_kernels_neon : NULL;
}
#else
extern const sa_kernels sa_kernels_baseline;

uint32_t sa_supported_levels(void) { return 1u << SA_LEVEL_BASELINE; }

const sa_kernels *sa_kernels_for_level(int32_t level) {
    return level == SA_LEVEL_BASELINE ? &sa_kernels_baseline : NULL;
}
#endif
