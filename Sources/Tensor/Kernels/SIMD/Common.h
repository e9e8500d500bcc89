// Included first by every level's translation unit, before its target region opens.
#ifndef SA_COMMON_H
#define SA_COMMON_H

// No implicit contraction of `a * b + c` into a fused multiply-add: where a level has FMA the
// compiler would otherwise fuse some products and not others, and the levels would disagree.
// Every fused multiply-add in these kernels is written out.
#pragma clang fp contract(off)

#include <stddef.h>
#include <stdint.h>
#include "TensorSIMD.h"

#define SA_INLINE static inline __attribute__((always_inline))
#define SA_CONCAT_(a, b) a##b
#define SA_CONCAT(a, b) SA_CONCAT_(a, b)

#endif
