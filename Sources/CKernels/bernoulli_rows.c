#include "bernoulli_rows.h"
#include "multiversion.h"
#include "exp_vectors.h"
#include <math.h>
#include <stdint.h>
#include <string.h>

/* The register blocking of conv_gemm.c's AVX2 kernel: 6 rows x 16 columns of logits in 12 vector
 * registers of 8, one row of b's 16 columns in 2, one broadcast element of a in 1. The columns go
 * outermost, so a [depth, 16] slab of b stays in L1 while every panel of rows passes over it, and each
 * row's 16 partial sums live in `sums` (rows x 16 floats) from slab to slab. Written with 8-float
 * vectors and compiled once per x86-64 level (LX_CLONES): AVX2 + FMA, AVX-512 (same blocking, its
 * wider registers unused by 8-float vectors, so the same sums), and SSE2. A row's 16 logits then go
 * through the cross-entropy as one 16-lane vector (exp_vectors.h's, the loss's own exp). */
enum { panel_rows = 6, lanes = 8, block_columns = 16, sum_block = 1024 };

typedef float lx_v8 __attribute__((ext_vector_type(8)));

LX_INLINE void load8(lx_v8 *v, const float *p) { __builtin_memcpy_inline(v, p, sizeof *v); }
LX_INLINE void store8(float *p, const lx_v8 *v) { __builtin_memcpy_inline(p, v, sizeof *v); }

/* log(1 + e) for e in [0, 1] as one polynomial of degree 9 (least squares on Chebyshev nodes, within
 * 1.0e-7 of log1p in float Horner arithmetic): nine fused multiply-adds, where kernels.c's
 * lx_log1p_unit splits the exponent, divides and takes a series: twice the operations, one of them a
 * division. The cross-entropy of an image's 784 pixels moves by at most about 1e-4 nats. */
LX_INLINE void log1p_unit_polynomial16(lx_f16 *v) {
    lx_f16 e = *v, p = 0.003752624150365591f;
    p = p * e + -0.02303827926516533f;
    p = p * e + 0.06651248037815094f;
    p = p * e + -0.12526661157608032f;
    p = p * e + 0.1846884787082672f;
    p = p * e + -0.24635660648345947f;
    p = p * e + 0.3328184187412262f;
    p = p * e + -0.4999622404575348f;
    p = p * e + 0.999998927116394f;
    *v = p * e + 5.239403133572296e-09f;
}

/* softplus(l) - x l = max(l, 0) + log(1 + exp(-|l|)) - x l, lane by lane: a pixel's cross-entropy. */
LX_INLINE void add_cross_entropy16(lx_f16 *sum, const lx_f16 *logits, const lx_f16 *x) {
    lx_f16 l = *logits, e = -__builtin_elementwise_abs(l);
    exp_nonpositive_vectors(&e, 1);
    log1p_unit_polynomial16(&e);
    *sum += __builtin_elementwise_max(l, (lx_f16)0) + e - *x * l;
}

/* b's rows: `top` contiguous rows at b_top (stride width), then b's rows index[0 ..< count] (stride
 * width): depth = top + count. The bound's folded product is [M_g ; W^T rows of the varying units],
 * read where they lie rather than gathered. */
typedef struct { const float *top_rows; size_t top; const float *rows; const int32_t *index; size_t count; } b_source;

LX_INLINE void accumulate(lx_v8 acc[panel_rows][2], const float *const rows[panel_rows], size_t l, const float *b_row) {
    lx_v8 b0, b1;
    load8(&b0, b_row);
    load8(&b1, b_row + lanes);
    for (int r = 0; r < panel_rows; r++) {
        lx_v8 ar = rows[r][l];
        acc[r][0] += ar * b0;
        acc[r][1] += ar * b1;
    }
}

/* The 16 logits of columns [j, j + 16) of `used` rows (row i at rows[i]; the panel's unused rows repeat
 * its last), their cross-entropies added to sums[i * 16 ...]. */
LX_INLINE void panel_block(const float *const rows[panel_rows], size_t used, const b_source *b, size_t j,
                           size_t width, const lx_v8 bias[2], const lx_f16 *x, float *sums) {
    lx_v8 acc[panel_rows][2];
    for (int r = 0; r < panel_rows; r++) { acc[r][0] = bias[0]; acc[r][1] = bias[1]; }
    for (size_t l = 0; l < b->top; l++) accumulate(acc, rows, l, b->top_rows + l * width + j);
    for (size_t l = 0; l < b->count; l++) accumulate(acc, rows, b->top + l, b->rows + (size_t)b->index[l] * width + j);
    for (size_t r = 0; r < used; r++) {
        lx_f16 s, l = __builtin_shufflevector(acc[r][0], acc[r][1], 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        __builtin_memcpy_inline(&s, sums + r * block_columns, sizeof s);
        add_cross_entropy16(&s, &l, x);
        __builtin_memcpy_inline(sums + r * block_columns, &s, sizeof s);
    }
}

LX_INLINE float horizontal_sum16(const float *s) {
    lx_v8 lo, hi;
    load8(&lo, s);
    load8(&hi, s + lanes);
    lx_v8 h8 = lo + hi;
    float h4[4] = { h8[0] + h8[4], h8[1] + h8[5], h8[2] + h8[6], h8[3] + h8[7] };
    float h2[2] = { h4[0] + h4[2], h4[1] + h4[3] };
    return h2[0] + h2[1];
}

/* One block of at most sum_block columns [c0, c1) (c1 - c0 a multiple of 16) for all rows: each row's
 * float partial sums in sums[r * 16 ...] (zeroed here). */
LX_INLINE void column_block(const float *a, size_t rows, size_t lda, const b_source *b, const float *bias,
                            const float *x, size_t width, size_t c0, size_t c1, float *sums) {
    memset(sums, 0, rows * block_columns * sizeof *sums);
    for (size_t j = c0; j < c1; j += block_columns) {
        lx_v8 bias_v[2];
        lx_f16 x_v;
        for (int v = 0; v < 2; v++) load8(&bias_v[v], bias + j + v * lanes);
        __builtin_memcpy_inline(&x_v, x + j, sizeof x_v);
        for (size_t r0 = 0; r0 < rows; r0 += panel_rows) {
            size_t used = rows - r0 < panel_rows ? rows - r0 : panel_rows;
            const float *panel[panel_rows];
            for (size_t r = 0; r < panel_rows; r++) panel[r] = a + (r0 + (r < used ? r : used - 1)) * lda;
            panel_block(panel, used, b, j, width, bias_v, &x_v, sums + r0 * block_columns);
        }
    }
}

/* A column past the last whole block of 16, as lx_bce_with_logits' scalar tail: the logit summed in
 * depth order, its cross-entropy added to a float sum. */
LX_INLINE float tail_column(const float *row, const b_source *b, const float *bias, const float *x,
                            size_t width, size_t j) {
    float l = bias[j];
    for (size_t k = 0; k < b->top; k++) l += row[k] * b->top_rows[k * width + j];
    for (size_t k = 0; k < b->count; k++) l += row[b->top + k] * b->rows[(size_t)b->index[k] * width + j];
    lx_f16 lv = l, xv = x[j], s = 0;
    add_cross_entropy16(&s, &lv, &xv);
    return s[0];
}

/* Rows at most this many a call of column_block: their partial sums (rows x 16 floats, 16 KB) on the stack. */
enum { row_chunk = 256 };

LX_CLONES
void lx_dense_bernoulli_rows(const float *a, size_t rows, size_t lda, const float *b_top, size_t top, const float *b,
                             const int32_t *index, size_t count, const float *bias, const float *x, size_t width,
                             double *out, size_t out_stride) {
    const b_source source = { b_top, top, b, index, count }, *bs = &source;
    float sums[row_chunk * block_columns];
    for (size_t r = 0; r < rows; r++) out[r * out_stride] = 0;
    for (size_t c0 = 0; c0 < width; c0 += sum_block) {
        size_t c1 = c0 + sum_block < width ? c0 + sum_block : width;
        size_t whole = c0 + (c1 - c0) / block_columns * block_columns;
        for (size_t r0 = 0; r0 < rows; r0 += row_chunk) {
            size_t n = rows - r0 < row_chunk ? rows - r0 : row_chunk;
            column_block(a + r0 * lda, n, lda, bs, bias, x, width, c0, whole, sums);
            for (size_t r = 0; r < n; r++) {
                float block = horizontal_sum16(sums + r * block_columns);
                for (size_t j = whole; j < c1; j++)
                    block += tail_column(a + (r0 + r) * lda, bs, bias, x, width, j);
                out[(r0 + r) * out_stride] -= (double)block;
            }
        }
    }
}

/* c [rows, width] = a [rows, count] (row stride lda) times b's rows index[0 ..< count] (each `width`
 * floats, row i at b + i * width), width a multiple of 16 plus a scalar tail: the same 6 x 16 blocking,
 * the rows read where they lie. The units go in blocks of unit_block, outermost: a block's rows are
 * unit_block streams read front to back (the prefetcher follows them), where a column-outer order
 * would touch every row once a 16-column block, a cache line from L3 each time; c's rows (6 x width,
 * 19 KB at 784) stay in L1 between blocks. */
enum { unit_block = 16 };

LX_CLONES
void lx_gemm_indexed_rows(const float *a, size_t rows, size_t lda, const float *b, const int32_t *index, size_t count,
                          size_t width, float *c) {
    size_t whole = width / block_columns * block_columns;
    for (size_t i = 0; i < rows * width; i++) c[i] = 0;
    for (size_t u0 = 0; u0 < count; u0 += unit_block) {
        size_t u1 = u0 + unit_block < count ? u0 + unit_block : count;
        const float *unit_rows[unit_block];
        for (size_t u = u0; u < u1; u++) unit_rows[u - u0] = b + (size_t)index[u] * width;
        for (size_t r0 = 0; r0 < rows; r0 += panel_rows) {
            size_t used = rows - r0 < panel_rows ? rows - r0 : panel_rows;
            const float *panel[panel_rows];
            for (size_t r = 0; r < panel_rows; r++) panel[r] = a + (r0 + (r < used ? r : used - 1)) * lda;
            for (size_t j = 0; j < whole; j += block_columns) {
                lx_v8 acc[panel_rows][2];
                for (size_t r = 0; r < panel_rows; r++) {
                    size_t row = r0 + (r < used ? r : used - 1);
                    load8(&acc[r][0], c + row * width + j);
                    load8(&acc[r][1], c + row * width + j + lanes);
                }
                for (size_t u = u0; u < u1; u++) accumulate(acc, panel, u, unit_rows[u - u0] + j);
                for (size_t r = 0; r < used; r++) {
                    store8(c + (r0 + r) * width + j, &acc[r][0]);
                    store8(c + (r0 + r) * width + j + lanes, &acc[r][1]);
                }
            }
        }
    }
    for (size_t r = 0; r < rows; r++)
        for (size_t j = whole; j < width; j++) {
            float sum = 0;
            for (size_t l = 0; l < count; l++) sum += a[r * lda + l] * b[(size_t)index[l] * width + j];
            c[r * width + j] = sum;
        }
}
