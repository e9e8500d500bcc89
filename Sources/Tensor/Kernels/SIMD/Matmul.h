// Matrix-multiply inner kernels (interim straightforward version).
#define SA_NAME(name) SA_CONCAT(name, SA_SUFFIX)
#undef SA_GEMM_MR
#undef SA_GEMM_NR
#define SA_GEMM_MR 6
#define SA_GEMM_NR (2 * SA_VECTOR_BYTES / (ptrdiff_t)sizeof(SA_SCALAR))

static void SA_NAME(gemm_pack_a)(const SA_SCALAR *a, ptrdiff_t row_stride, ptrdiff_t column_stride, ptrdiff_t rows,
                                 ptrdiff_t depth, SA_SCALAR *packed) {
    for (ptrdiff_t first = 0; first < rows; first += SA_GEMM_MR) {
        SA_SCALAR *panel = packed + first * depth;
        for (ptrdiff_t k = 0; k < depth; k++)
            for (ptrdiff_t r = 0; r < SA_GEMM_MR; r++)
                panel[k * SA_GEMM_MR + r] = first + r < rows ? a[(first + r) * row_stride + k * column_stride] : 0;
    }
}

static void SA_NAME(gemm_pack_b)(const SA_SCALAR *b, ptrdiff_t row_stride, ptrdiff_t column_stride, ptrdiff_t depth,
                                 ptrdiff_t columns, SA_SCALAR *packed) {
    for (ptrdiff_t first = 0; first < columns; first += SA_GEMM_NR) {
        SA_SCALAR *panel = packed + first * depth;
        for (ptrdiff_t k = 0; k < depth; k++)
            for (ptrdiff_t c = 0; c < SA_GEMM_NR; c++)
                panel[k * SA_GEMM_NR + c] = first + c < columns ? b[k * row_stride + (first + c) * column_stride] : 0;
    }
}

static void SA_NAME(gemm_block)(ptrdiff_t rows, ptrdiff_t columns, ptrdiff_t depth, const SA_SCALAR *packed_a,
                                const SA_SCALAR *packed_b, SA_SCALAR *c, ptrdiff_t ldc, int accumulate) {
    for (ptrdiff_t row = 0; row < rows; row += SA_GEMM_MR) {
        for (ptrdiff_t column = 0; column < columns; column += SA_GEMM_NR) {
            SA_SCALAR sums[SA_GEMM_MR][SA_GEMM_NR];
            const ptrdiff_t tile_rows = rows - row < SA_GEMM_MR ? rows - row : SA_GEMM_MR;
            const ptrdiff_t tile_columns = columns - column < SA_GEMM_NR ? columns - column : SA_GEMM_NR;
            for (ptrdiff_t r = 0; r < SA_GEMM_MR; r++)
                for (ptrdiff_t j = 0; j < SA_GEMM_NR; j++)
                    sums[r][j] = accumulate && r < tile_rows && j < tile_columns ? c[(row + r) * ldc + column + j] : 0;
            const SA_SCALAR *left = packed_a + row * depth, *right = packed_b + column * depth;
            for (ptrdiff_t k = 0; k < depth; k++)
                for (ptrdiff_t r = 0; r < SA_GEMM_MR; r++)
                    for (ptrdiff_t j = 0; j < SA_GEMM_NR; j++)
                        sums[r][j] = SA_FMA(left[k * SA_GEMM_MR + r], right[k * SA_GEMM_NR + j], sums[r][j]);
            for (ptrdiff_t r = 0; r < tile_rows; r++)
                for (ptrdiff_t j = 0; j < tile_columns; j++) c[(row + r) * ldc + column + j] = sums[r][j];
        }
    }
}

static void SA_NAME(gemm_small)(ptrdiff_t rows, ptrdiff_t columns, ptrdiff_t depth, const SA_SCALAR *a,
                                ptrdiff_t a_row_stride, ptrdiff_t a_column_stride, const SA_SCALAR *b,
                                ptrdiff_t b_row_stride, ptrdiff_t b_column_stride, SA_SCALAR *c, ptrdiff_t ldc) {
    for (ptrdiff_t i = 0; i < rows; i++) {
        SA_SCALAR *restrict out = c + i * ldc;
        for (ptrdiff_t j = 0; j < columns; j++) out[j] = 0;
        for (ptrdiff_t k = 0; k < depth; k++) {
            const SA_SCALAR factor = a[i * a_row_stride + k * a_column_stride];
            const SA_SCALAR *restrict row = b + k * b_row_stride;
            for (ptrdiff_t j = 0; j < columns; j++) out[j] = SA_FMA(factor, row[j * b_column_stride], out[j]);
        }
    }
}

#undef SA_NAME
