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

// `X(k)` for every k in 0..<32: the cases of a switch over five flags, so that every combination
// has its instantiated loop and none can fall through unhandled.
#define SA_EACH_OF_32(X) \
    X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15) \
    X(16) X(17) X(18) X(19) X(20) X(21) X(22) X(23) X(24) X(25) X(26) X(27) X(28) X(29) X(30) X(31)

#endif
