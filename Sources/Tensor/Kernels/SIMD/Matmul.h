// Matrix-multiply kernels for Float and Double: packing, the register-tiled block kernel, and the
// unpacked small product. Written once: Kernels.h includes this file once per level (inside the
// level's target region, SA_VECTOR_BYTES defined), and it includes itself twice (SA_GEMM_PASS 32,
// then 64) to instantiate the float and double kernels from the same text.
//
// Exactness contract: every C element is the fused multiply-add chain over k in increasing order,
// starting from +0 (or from the value already in C when accumulating). Nothing here reorders a
// chain: vectors run across independent output columns, and every multiply-add is an explicit fma.
// Hence results are bit-identical across levels, blockings and thread splits.
//
// Only compiler builtins are used, so the file also builds freestanding (arm64 without a libc).
// It includes itself by name ("Matmul.h").


#ifndef SA_GEMM_PASS
/* ====================== outer pass: per-level configuration ===================== */

/* Per level: vector size in bytes; register tile MR rows x (NV vectors)
 * columns; cache blocks KC (depth), MC (rows of A per packed block), NC (columns
 * of B per packed block); small-product tiles: SMR rows x SNV vectors, and
 * single rows of up to SNV1 vectors.  README.md has the measurements behind
 * these choices.  MC is a multiple of MR and NC of NR. */
#if SA_VECTOR_BYTES == 64
/* 32 zmm: 12x2 accumulators + 2 B vectors + 1 broadcast A (the broadcast is a
 * load feeding two FMAs).  12x32 measured as fast as 14x32 in the kernel and
 * faster end to end (cheaper 4x4-transposed A packing); 6x64 similar but
 * wastes more on ragged column edges.  KC=512: packed B micro-panel 64 KiB,
 * streamed from L2 without loss; A block 264x512 floats = 528 KiB in the 1 MiB
 * L2; 512-deep products need no accumulate pass. */
#  define SA_VECTOR_BYTES 64
#  define SA_F32_MR 12
#  define SA_F32_NV 2
#  define SA_F32_KC 512
#  define SA_F32_MC 264
#  define SA_F32_NC 4096
#  define SA_F64_MR 12
#  define SA_F64_NV 2
#  define SA_F64_KC 512
#  define SA_F64_MC 132
#  define SA_F64_NC 2048
#  define SA_SMR 4
#  define SA_SNV 4
#  define SA_SNV1 24
#elif SA_VECTOR_BYTES == 32
/* 16 ymm: 6x2 accumulators + 2 B vectors + 1 broadcast A.  AVX2 code also
 * serves older cores (32 KiB L1, 256-512 KiB L2): B micro-panel 256x16 floats =
 * 16 KiB, A block 192x256 floats = 192 KiB. */
#  define SA_VECTOR_BYTES 32
#  define SA_F32_MR 6
#  define SA_F32_NV 2
#  define SA_F32_KC 256
#  define SA_F32_MC 192
#  define SA_F32_NC 4096
#  define SA_F64_MR 6
#  define SA_F64_NV 2
#  define SA_F64_KC 256
#  define SA_F64_MC 96
#  define SA_F64_NC 2048
#  define SA_SMR 4
#  define SA_SNV 2
#  define SA_SNV1 12
#elif defined(__aarch64__)
/* 32 q registers: 8x3 accumulators + 3 B vectors + A scalars (lane-indexed
 * fmla).  Not measured here (no arm64 machine); sizes suit the usual 64-128 KiB
 * L1 / >= 1 MiB L2 of current cores. */
#  define SA_VECTOR_BYTES 16
#  define SA_F32_MR 8
#  define SA_F32_NV 3
#  define SA_F32_KC 512
#  define SA_F32_MC 128
#  define SA_F32_NC 3072
#  define SA_F64_MR 8
#  define SA_F64_NV 3
#  define SA_F64_KC 512
#  define SA_F64_MC 64
#  define SA_F64_NC 1536
#  define SA_SMR 4
#  define SA_SNV 4
#  define SA_SNV1 24
#else
/* x86-64 SSE2 has no FMA instruction: every fma is an exact libm call, so speed
 * is moot; a modest tile that fits 16 vector registers. (Also the portable
 * level of other architectures.) */
#  define SA_VECTOR_BYTES 16
#  define SA_F32_MR 4
#  define SA_F32_NV 2
#  define SA_F32_KC 256
#  define SA_F32_MC 64
#  define SA_F32_NC 2048
#  define SA_F64_MR 4
#  define SA_F64_NV 2
#  define SA_F64_KC 256
#  define SA_F64_MC 32
#  define SA_F64_NC 1024
#  define SA_SMR 4
#  define SA_SNV 2
#  define SA_SNV1 8
#endif

/* The level's blocking, as the kernel table publishes it. */
#define SA_GEMM_BLOCKING_F32 { SA_F32_MR, SA_F32_NV * (SA_VECTOR_BYTES / 4), SA_F32_KC, SA_F32_MC, SA_F32_NC }
#define SA_GEMM_BLOCKING_F64 { SA_F64_MR, SA_F64_NV * (SA_VECTOR_BYTES / 8), SA_F64_KC, SA_F64_MC, SA_F64_NC }

#define SA_UNROLL _Pragma("clang loop unroll(full)")
#define SA_MIN(a, b) ((a) < (b) ? (a) : (b))
/* Packing prefetch distances (measured on Zen 5 with 32 MiB operands whose rows
 * are 32 KiB apart -- see README.md): a transposing pack runs TPF cache lines
 * ahead along each row, into L2; a copying pack runs CPF rows ahead, in CB-row
 * groups. */
#define SA_TPF 12
#define SA_CB 8
#define SA_CPF 8

#define SA_GEMM_PASS 32
#include "Matmul.h"
#undef SA_GEMM_PASS
#define SA_GEMM_PASS 64
#include "Matmul.h"
#undef SA_GEMM_PASS

#undef SA_UNROLL
#undef SA_MIN
#undef SA_TPF
#undef SA_CB
#undef SA_CPF

#else
/* ====================== inner pass: one element type ============================ */

#if SA_GEMM_PASS == 32
#  define T float
#  define F(name) gemm_##name##_f32
#  define MR SA_F32_MR
#  define NV SA_F32_NV
#  define KC SA_F32_KC
#  define MC SA_F32_MC
#  define NC SA_F32_NC
#else
#  define T double
#  define F(name) gemm_##name##_f64
#  define MR SA_F64_MR
#  define NV SA_F64_NV
#  define KC SA_F64_KC
#  define MC SA_F64_MC
#  define NC SA_F64_NC
#endif
#define VL (SA_VECTOR_BYTES / (int)sizeof(T)) /* lanes per vector */
#define NR (NV * VL)                    /* register-tile columns */

typedef T F(vec) __attribute__((ext_vector_type(VL)));
#define V F(vec)

/* Unaligned vector load/store: the caller's matrices carry no alignment promise. */
SA_INLINE V F(ld)(const T *p) { V v; __builtin_memcpy(&v, p, sizeof v); return v; }
SA_INLINE void F(st)(T *p, V v) { __builtin_memcpy(p, &v, sizeof v); }
#define FMA(a, b, c) __builtin_elementwise_fma((a), (b), (c))

/* ------------------------------------------------------------------ packing --
 * Both packs are the same operation: `lanes` x `depth` elements, element
 * (l, k) at src[l*ls + k*ks], go into panels of W lanes, each depth-major
 * (for each k, W consecutive values; lanes past the end are zero). */

/* 4x4 block: lanes l..l+3 of a panel (each contiguous along k, stride ls) for
 * k..k+3, written as 4 rows of the depth-major panel.  Classic unpack/move
 * transpose; a few shuffles per 16 elements, bounded by the 4 stores.  (The
 * 4-vectors never cross a function boundary: for double at SSE2 they are wider
 * than a register, which is fine inside a function but not in its ABI.) */
typedef T F(v4) __attribute__((ext_vector_type(4)));
SA_INLINE void F(transpose4)(const T *s, ptrdiff_t ls, T *out, const int W)
{
    F(v4) r0, r1, r2, r3;
    __builtin_memcpy(&r0, s, sizeof r0);
    __builtin_memcpy(&r1, s + ls, sizeof r1);
    __builtin_memcpy(&r2, s + 2 * ls, sizeof r2);
    __builtin_memcpy(&r3, s + 3 * ls, sizeof r3);
    const F(v4) t0 = __builtin_shufflevector(r0, r1, 0, 4, 1, 5);
    const F(v4) t1 = __builtin_shufflevector(r0, r1, 2, 6, 3, 7);
    const F(v4) t2 = __builtin_shufflevector(r2, r3, 0, 4, 1, 5);
    const F(v4) t3 = __builtin_shufflevector(r2, r3, 2, 6, 3, 7);
    const F(v4) c0 = __builtin_shufflevector(t0, t2, 0, 1, 4, 5);
    const F(v4) c1 = __builtin_shufflevector(t0, t2, 2, 3, 6, 7);
    const F(v4) c2 = __builtin_shufflevector(t1, t3, 0, 1, 4, 5);
    const F(v4) c3 = __builtin_shufflevector(t1, t3, 2, 3, 6, 7);
    __builtin_memcpy(out, &c0, sizeof c0);
    __builtin_memcpy(out + W, &c1, sizeof c1);
    __builtin_memcpy(out + 2 * W, &c2, sizeof c2);
    __builtin_memcpy(out + 3 * W, &c3, sizeof c3);
}

SA_INLINE void F(pack_panels)(const T *src, ptrdiff_t ls, ptrdiff_t ks, ptrdiff_t lanes,
                              ptrdiff_t depth, const int W, T *restrict out)
{
    /* Elements per 64-byte cache line. */
    const ptrdiff_t LN = 64 / (ptrdiff_t)sizeof(T);
    const ptrdiff_t full = lanes / W; /* panels with all W lanes present */
    ptrdiff_t p0 = 0;                 /* first panel left for the loop below */
    if (ls == 1 && full > 0) {
        /* Lanes contiguous (a transposed A, a row-major B): each k is a straight
         * copy of W values per panel.  Source rows may be far apart, often by a
         * power of two, so all rows' same column falls in one cache set: work
         * through CB rows at a time (their lines stay in L1 across the panels),
         * with later rows' lines prefetched CPF rows ahead. */
        const ptrdiff_t span = full * W;
        for (ptrdiff_t k0 = 0; k0 < depth; k0 += SA_CB) {
            const ptrdiff_t kb = SA_MIN((ptrdiff_t)SA_CB, depth - k0);
            for (ptrdiff_t k = k0 + SA_CPF; k < SA_MIN(k0 + SA_CPF + kb, depth); k++)
                for (ptrdiff_t q = 0; q < span; q += LN) __builtin_prefetch(src + k * ks + q);
            for (ptrdiff_t p = 0; p < full; p++) {
                T *o = out + p * W * depth + k0 * W;
                const T *sp = src + k0 * ks + p * W;
                for (ptrdiff_t k = 0; k < kb; k++) {
                    SA_UNROLL for (int l = 0; l < W; l++) o[k * W + l] = sp[k * ks + l];
                }
            }
        }
        p0 = full;
    }
    for (ptrdiff_t p = p0 * W; p < lanes; p += W) {
        T *o = out + p * depth;
        const T *s = src + p * ls;
        const ptrdiff_t n = SA_MIN((ptrdiff_t)W, lanes - p);
        ptrdiff_t k = 0;
        if (n == W && ks == 1 && W >= 4) {
            /* Each lane contiguous along k (row-major A, transposed B): a real
             * transpose, in 4x4 blocks.  When W is not a multiple of 4 the last
             * block overlaps the previous one and rewrites identical values.
             * A whole cache line of every row is consumed before moving on
             * (rows a power of two apart share one cache set, so a line left
             * half-read is soon evicted), and each row is prefetched TPF lines
             * ahead (into L2: rows sharing a set would evict each other from the
             * 12-way L1), running on into the next panel's rows near the end. */
            const ptrdiff_t nextRows = SA_MIN((ptrdiff_t)W, lanes - p - W);
            const ptrdiff_t dist = SA_TPF * LN;
            for (; k + LN <= depth; k += LN) {
                if (k + dist < depth) {
                    for (int l = 0; l < W; l++) __builtin_prefetch(s + l * ls + k + dist, 0, 2);
                } else {
                    for (ptrdiff_t l = 0; l < nextRows; l++)
                        __builtin_prefetch(s + (W + l) * ls + (k + dist - depth), 0, 2);
                }
                for (int l = 0; l + 4 <= W; l += 4)
                    for (ptrdiff_t kq = k; kq < k + LN; kq += 4)
                        F(transpose4)(s + l * ls + kq, ls, o + kq * W + l, W);
                if (W % 4)
                    for (ptrdiff_t kq = k; kq < k + LN; kq += 4)
                        F(transpose4)(s + (W - 4) * ls + kq, ls, o + kq * W + (W - 4), W);
            }
            for (; k + 4 <= depth; k += 4) {
                for (int l = 0; l + 4 <= W; l += 4) F(transpose4)(s + l * ls + k, ls, o + k * W + l, W);
                if (W % 4) F(transpose4)(s + (W - 4) * ls + k, ls, o + k * W + (W - 4), W);
            }
        }
        /* Everything else, and the depth tail of the transpose: element by element. */
        for (; k < depth; k++) {
            for (ptrdiff_t l = 0; l < n; l++) o[k * W + l] = s[l * ls + k * ks];
            for (ptrdiff_t l = n; l < W; l++) o[k * W + l] = 0;
        }
    }
}

static void F(pack_a)(const T *a, ptrdiff_t rowStride, ptrdiff_t colStride, ptrdiff_t rows,
               ptrdiff_t depth, T *packed)
{
    F(pack_panels)(a, rowStride, colStride, rows, depth, MR, packed);
}

static void F(pack_b)(const T *b, ptrdiff_t rowStride, ptrdiff_t colStride, ptrdiff_t depth,
               ptrdiff_t cols, T *packed)
{
    F(pack_panels)(b, colStride, rowStride, cols, depth, NR, packed);
}

/* ------------------------------------------------------------- micro-kernel --
 * One MR x NR tile: all accumulators live in registers for the whole depth. */
SA_INLINE void F(micro)(ptrdiff_t depth, const T *restrict pa, const T *restrict pb,
                        T *restrict c, ptrdiff_t ldc, int accumulate)
{
    V acc[MR][NV];
    if (accumulate) {
        SA_UNROLL for (int r = 0; r < MR; r++)
            SA_UNROLL for (int v = 0; v < NV; v++) acc[r][v] = F(ld)(c + r * ldc + v * VL);
    } else {
        SA_UNROLL for (int r = 0; r < MR; r++)
            SA_UNROLL for (int v = 0; v < NV; v++) acc[r][v] = (V)(T)0;
    }
    for (ptrdiff_t k = 0; k < depth; k++) {
        V b[NV];
        SA_UNROLL for (int v = 0; v < NV; v++) b[v] = F(ld)(pb + v * VL);
        SA_UNROLL for (int r = 0; r < MR; r++) {
            const V a = (V)(pa[r]);
            SA_UNROLL for (int v = 0; v < NV; v++) acc[r][v] = FMA(a, b[v], acc[r][v]);
        }
        pa += MR;
        pb += NR;
    }
    SA_UNROLL for (int r = 0; r < MR; r++)
        SA_UNROLL for (int v = 0; v < NV; v++) F(st)(c + r * ldc + v * VL, acc[r][v]);
}

static void F(block)(ptrdiff_t rows, ptrdiff_t cols, ptrdiff_t depth, const T *packedA,
              const T *packedB, T *c, ptrdiff_t ldc, int accumulate)
{
    /* Edge tiles run the full kernel on a private tile (zero padding in the
     * packed panels makes the extra lanes harmless) and copy the valid part. */
    T edge[MR * NR] __attribute__((aligned(64)));
    for (ptrdiff_t j = 0; j < cols; j += NR) {
        const ptrdiff_t nj = SA_MIN((ptrdiff_t)NR, cols - j);
        const T *pb = packedB + j * depth; /* panel j/NR, NR*depth each */
        for (ptrdiff_t i = 0; i < rows; i += MR) {
            const ptrdiff_t mi = SA_MIN((ptrdiff_t)MR, rows - i);
            const T *pa = packedA + i * depth;
            T *ct = c + i * ldc + j;
            const int full = (mi == MR) & (nj == NR);
            T *cp = ct;
            ptrdiff_t ldcp = ldc;
            if (!full) {
                cp = edge;
                ldcp = NR;
                for (int q = 0; q < MR * NR; q++) edge[q] = 0;
                if (accumulate)
                    for (ptrdiff_t r = 0; r < mi; r++)
                        for (ptrdiff_t q = 0; q < nj; q++) edge[r * NR + q] = ct[r * ldc + q];
            }
            {
                /* Warm the next tile of C (written, and read when accumulating):
                 * its lines arrive while this tile computes.  Only inside the
                 * block: columns beyond it may be another thread's. */
                const ptrdiff_t ni = i + MR < rows ? i + MR : 0, nj2 = i + MR < rows ? j : j + NR;
                if (nj2 < cols) {
                    const ptrdiff_t nrows = SA_MIN((ptrdiff_t)MR, rows - ni);
                    const ptrdiff_t ncols = SA_MIN((ptrdiff_t)NR, cols - nj2);
                    for (ptrdiff_t r = 0; r < nrows; r++)
                        for (ptrdiff_t q = 0; q < ncols; q += 64 / (ptrdiff_t)sizeof(T))
                            __builtin_prefetch(c + (ni + r) * ldc + nj2 + q, 1, 3);
                }
            }
            F(micro)(depth, pa, pb, cp, ldcp, accumulate);
            if (!full)
                for (ptrdiff_t r = 0; r < mi; r++)
                    for (ptrdiff_t q = 0; q < nj; q++) ct[r * ldc + q] = edge[r * NR + q];
        }
    }
}

/* ------------------------------------------------------------ small product --
 * No packing: A is read as scalars (any strides), B as vectors along its rows
 * when its columns are contiguous, otherwise through a small stack panel
 * (packed exactly like a B panel, SKB deep, continuing the chains from C).
 * Rows go in SMR-row tiles of SNV vectors; leftover rows (and rows == 1, the
 * vector-times-matrix case) in pairs and singly, in tiles of up to SNV1
 * vectors, so each k streams a long contiguous run of B -- those cases are
 * bandwidth bound. */
#define SNR (SA_SNV * VL)
#define SKB 64                          /* stack panel: SKB*SNR elements */
#define SACC (SA_SMR * SA_SNV > SA_SNV1 ? SA_SMR * SA_SNV : SA_SNV1)

/* MI x NVV vectors of C at c (contiguous columns, row stride ldc), valid
 * columns nj <= NVV*VL; B rows at b with stride ldb, NVV*VL readable each. */
SA_INLINE void F(small_tile)(const int MI, const int NVV, ptrdiff_t depth, const T *a,
                             ptrdiff_t ars, ptrdiff_t acs, const T *b, ptrdiff_t ldb, T *c,
                             ptrdiff_t ldc, ptrdiff_t nj, int accumulate)
{
    V acc[SACC];
    const int full = nj == (ptrdiff_t)NVV * VL;
    SA_UNROLL for (int r = 0; r < MI; r++) {
        SA_UNROLL for (int v = 0; v < NVV; v++) {
            acc[r * NVV + v] = (V)(T)0;
            if (accumulate) {
                if (full) {
                    acc[r * NVV + v] = F(ld)(c + r * ldc + v * VL);
                } else {
                    for (int q = 0; q < VL; q++)
                        if (v * VL + q < nj) acc[r * NVV + v][q] = c[r * ldc + v * VL + q];
                }
            }
        }
    }
    for (ptrdiff_t k = 0; k < depth; k++) {
        if (MI == 1) {
            /* One row: B vectors feed the FMAs straight from memory. */
            const V av = (V)(a[k * acs]);
            SA_UNROLL for (int v = 0; v < NVV; v++)
                acc[v] = FMA(av, F(ld)(b + k * ldb + v * VL), acc[v]);
        } else {
            /* Broadcast the MI A values, then one B vector at a time: MI + 1
             * registers besides the accumulators, whatever NVV is. */
            V av[SA_SMR];
            SA_UNROLL for (int r = 0; r < MI; r++) av[r] = (V)(a[r * ars + k * acs]);
            SA_UNROLL for (int v = 0; v < NVV; v++) {
                const V bv = F(ld)(b + k * ldb + v * VL);
                SA_UNROLL for (int r = 0; r < MI; r++) acc[r * NVV + v] = FMA(av[r], bv, acc[r * NVV + v]);
            }
        }
    }
    SA_UNROLL for (int r = 0; r < MI; r++) {
        SA_UNROLL for (int v = 0; v < NVV; v++) {
            if (full) {
                F(st)(c + r * ldc + v * VL, acc[r * NVV + v]);
            } else {
                for (int q = 0; q < VL; q++)
                    if (v * VL + q < nj) c[r * ldc + v * VL + q] = acc[r * NVV + v][q];
            }
        }
    }
}

/* Rows [0, rows) (a multiple of MI) of one column block. */
SA_INLINE void F(small_rows)(const int MI, const int NVV, ptrdiff_t rows, ptrdiff_t depth,
                             const T *a, ptrdiff_t ars, ptrdiff_t acs, const T *b, ptrdiff_t ldb,
                             T *c, ptrdiff_t ldc, ptrdiff_t nj, int accumulate)
{
    for (ptrdiff_t i = 0; i < rows; i += MI)
        F(small_tile)(MI, NVV, depth, a + i * ars, ars, acs, b, ldb, c + i * ldc, ldc, nj, accumulate);
}

/* Columns [j, j + nj) of rows [0, rows), nj <= NVV*VL: read B in place when
 * its columns are contiguous and the block is full, otherwise stage it in the
 * stack panel (packed like a B panel, zero-padded) SKB-ish rows at a time,
 * later chunks continuing the chains from C. */
SA_INLINE void F(small_block)(const int MI, const int NVV, ptrdiff_t rows, ptrdiff_t depth,
                              const T *a, ptrdiff_t ars, ptrdiff_t acs, const T *b, ptrdiff_t brs,
                              ptrdiff_t bcs, T *c, ptrdiff_t ldc, ptrdiff_t j, ptrdiff_t nj,
                              T *panel)
{
    const int w = NVV * VL;
    if (bcs == 1 && nj == w) {
        F(small_rows)(MI, NVV, rows, depth, a, ars, acs, b + j, brs, c + j, ldc, nj, 0);
        return;
    }
    const ptrdiff_t chunk = (SKB * SNR) / w;
    for (ptrdiff_t k0 = 0; k0 < depth || k0 == 0; k0 += chunk) {
        const ptrdiff_t kb = SA_MIN(chunk, depth - k0);
        F(pack_panels)(b + k0 * brs + j * bcs, bcs, brs, nj, kb, w, panel);
        F(small_rows)(MI, NVV, rows, kb, a + k0 * acs, ars, acs, panel, w, c + j, ldc, nj, k0 > 0);
    }
}

/* All columns for rows [0, rows) in MI-row tiles: SNV-vector blocks (WIDE-vector
 * ones first when B can be read in place), then a 2-vector, a 1-vector and a
 * partial block for the ragged edge, so narrow products waste little. */
SA_INLINE void F(small_sweep)(const int MI, const int WIDE, ptrdiff_t rows, ptrdiff_t cols,
                              ptrdiff_t depth, const T *a, ptrdiff_t ars, ptrdiff_t acs,
                              const T *b, ptrdiff_t brs, ptrdiff_t bcs, T *c, ptrdiff_t ldc,
                              T *panel)
{
    ptrdiff_t j = 0;
    if (WIDE > SA_SNV && bcs == 1)
        for (; j + WIDE * VL <= cols; j += WIDE * VL)
            F(small_block)(MI, WIDE, rows, depth, a, ars, acs, b, brs, bcs, c, ldc, j, WIDE * VL, panel);
    for (; j + SNR <= cols; j += SNR)
        F(small_block)(MI, SA_SNV, rows, depth, a, ars, acs, b, brs, bcs, c, ldc, j, SNR, panel);
    if (SA_SNV > 2 && cols - j >= 2 * VL) {
        F(small_block)(MI, 2, rows, depth, a, ars, acs, b, brs, bcs, c, ldc, j, 2 * VL, panel);
        j += 2 * VL;
    }
    if (SA_SNV > 1 && cols - j >= VL) {
        F(small_block)(MI, 1, rows, depth, a, ars, acs, b, brs, bcs, c, ldc, j, VL, panel);
        j += VL;
    }
    if (j < cols) F(small_block)(MI, 1, rows, depth, a, ars, acs, b, brs, bcs, c, ldc, j, cols - j, panel);
}

static void F(small)(ptrdiff_t rows, ptrdiff_t cols, ptrdiff_t depth, const T *a, ptrdiff_t aRowStride,
              ptrdiff_t aColStride, const T *b, ptrdiff_t bRowStride, ptrdiff_t bColStride, T *c,
              ptrdiff_t ldc)
{
    T panel[SKB * SNR] __attribute__((aligned(64)));
    const ptrdiff_t tiled = rows - rows % SA_SMR; /* rows covered by SMR-row tiles */
    if (tiled > 0)
        F(small_sweep)(SA_SMR, SA_SNV, tiled, cols, depth, a, aRowStride, aColStride, b, bRowStride,
                       bColStride, c, ldc, panel);
    /* Leftover rows: pairs, then a single one, in wide tiles (B is the big
     * stream here; two rows halve its traffic per multiply-add). */
    const ptrdiff_t paired = tiled + (rows - tiled) / 2 * 2;
    if (paired > tiled)
        F(small_sweep)(2, SA_SNV1 / 2, paired - tiled, cols, depth, a + tiled * aRowStride, aRowStride,
                       aColStride, b, bRowStride, bColStride, c + tiled * ldc, ldc, panel);
    if (rows > paired)
        F(small_sweep)(1, SA_SNV1, rows - paired, cols, depth, a + paired * aRowStride, aRowStride,
                       aColStride, b, bRowStride, bColStride, c + paired * ldc, ldc, panel);
}

#undef SNR
#undef SKB
#undef SACC
#undef FMA
#undef V
#undef VL
#undef NR
#undef T
#undef F
#undef MR
#undef NV
#undef KC
#undef MC
#undef NC
#endif /* SA_GEMM_PASS */
