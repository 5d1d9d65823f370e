#include "small_gemm.h"
#include "multiversion.h"
#include "activation_inline.h"
#include <string.h>

/* 16 floats: one AVX-512 register, two AVX2 registers or four SSE registers, whichever clone runs. */
typedef float lx_f16 __attribute__((ext_vector_type(16)));
typedef float lx_f8 __attribute__((ext_vector_type(8)));
typedef float lx_f4 __attribute__((ext_vector_type(4)));
typedef float lx_f2 __attribute__((ext_vector_type(2)));

enum { lanes = 16, max_block_rows = 4, max_block_vectors = 4 };

/* Vectors pass by pointer: by value they would change the calling convention between the clones. */
static inline void load_vector(lx_f16 *v, const float *p) { __builtin_memcpy_inline(v, p, sizeof *v); }
static inline void store_vector(float *p, const lx_f16 *v) { __builtin_memcpy_inline(p, v, sizeof *v); }

static inline float horizontal_sum(const lx_f16 *v) {
    lx_f8 h8 = v->lo + v->hi;
    lx_f4 h4 = h8.lo + h8.hi;
    lx_f2 h2 = h4.lo + h4.hi;
    return h2.x + h2.y;
}

/* One rows x (vectors * 16) block of C = A B. The accumulators stay in registers while l runs over k:
 * each step loads `vectors` vectors of a B row and broadcasts `rows` elements of an A column, for
 * rows * vectors fused multiply-adds (4 x 4: 16 accumulators, 4 loads, 4 broadcasts). `rows` and
 * `vectors` are constants at every call, so the loops unroll completely. */
static inline __attribute__((always_inline))
void gemm_block(const int rows, const int vectors, size_t k,
                const float *a, size_t a_row_stride, size_t a_column_stride,
                const float *b, size_t ldb, const float *row_bias, int activation, float *c, size_t ldc) {
    lx_f16 acc[max_block_rows][max_block_vectors];
    for (int i = 0; i < rows; i++)
        for (int v = 0; v < vectors; v++) acc[i][v] = 0;
    for (size_t l = 0; l < k; l++) {
        lx_f16 bv[max_block_vectors];
        for (int v = 0; v < vectors; v++) load_vector(&bv[v], b + l * ldb + v * lanes);
        for (int i = 0; i < rows; i++) {
            lx_f16 ai = a[i * a_row_stride + l * a_column_stride];
            for (int v = 0; v < vectors; v++) acc[i][v] += ai * bv[v];
        }
    }
    for (int i = 0; i < rows; i++) {
        float add = row_bias ? row_bias[i] : 0.0f;
        for (int v = 0; v < vectors; v++) {
            lx_f16 r = acc[i][v] + add;
            LX_ACTIVATE_VECTOR(r, activation, lx_f16);
            store_vector(c + i * ldc + v * lanes, &r);
        }
    }
}

/* `rows` rows of C over whole 16-column vectors: blocks of 64 columns, then of 16; returns the first
 * column left over (n rounded down to a multiple of 16). */
static inline __attribute__((always_inline))
size_t gemm_row_panel(const int rows, size_t n, size_t k,
                      const float *a, size_t a_row_stride, size_t a_column_stride,
                      const float *b, size_t ldb, const float *row_bias, int activation, float *c, size_t ldc) {
    size_t j = 0;
    for (; j + 4 * lanes <= n; j += 4 * lanes)
        gemm_block(rows, 4, k, a, a_row_stride, a_column_stride, b + j, ldb, row_bias, activation, c + j, ldc);
    for (; j + lanes <= n; j += lanes)
        gemm_block(rows, 1, k, a, a_row_stride, a_column_stride, b + j, ldb, row_bias, activation, c + j, ldc);
    return j;
}

/* The last width (< 16) columns: B's edge is copied into a zero-padded [k, 16] panel on the stack so the
 * vector block can run on it, and the block's valid columns are copied out. Scalar for very long k. */
enum { panel_depth_limit = 1024 };

static inline __attribute__((always_inline))
void gemm_edge(size_t m, size_t width, size_t k, const float *a, size_t a_row_stride, size_t a_column_stride,
               const float *b, size_t ldb, const float *row_bias, int activation, float *c, size_t ldc) {
    if (k <= panel_depth_limit) {
        float panel[k * lanes];
        float block[max_block_rows * lanes];
        for (size_t l = 0; l < k; l++)
            for (size_t j = 0; j < lanes; j++) panel[l * lanes + j] = j < width ? b[l * ldb + j] : 0.0f;
        size_t i = 0;
        for (; i + max_block_rows <= m; i += max_block_rows) {
            gemm_block(max_block_rows, 1, k, a + i * a_row_stride, a_row_stride, a_column_stride, panel, lanes,
                       row_bias ? row_bias + i : NULL, activation, block, lanes);
            for (int r = 0; r < max_block_rows; r++)
                for (size_t j = 0; j < width; j++) c[(i + r) * ldc + j] = block[r * lanes + j];
        }
        for (; i < m; i++) {
            gemm_block(1, 1, k, a + i * a_row_stride, a_row_stride, a_column_stride, panel, lanes,
                       row_bias ? row_bias + i : NULL, activation, block, lanes);
            for (size_t j = 0; j < width; j++) c[i * ldc + j] = block[j];
        }
        return;
    }
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < width; j++) {
            float sum = row_bias ? row_bias[i] : 0.0f;
            for (size_t l = 0; l < k; l++) sum += a[i * a_row_stride + l * a_column_stride] * b[l * ldb + j];
            c[i * ldc + j] = lx_activate(sum, activation);
        }
}

LX_CLONES
void lx_small_gemm(size_t m, size_t n, size_t k,
                   const float *a, size_t a_row_stride, size_t a_column_stride,
                   const float *b, size_t ldb,
                   const float *row_bias, int activation,
                   float *c, size_t ldc) {
    size_t i = 0, edge = n - n % lanes;
    for (; i + max_block_rows <= m; i += max_block_rows)
        gemm_row_panel(max_block_rows, n, k, a + i * a_row_stride, a_row_stride, a_column_stride, b, ldb,
                       row_bias ? row_bias + i : NULL, activation, c + i * ldc, ldc);
    for (; i < m; i++)
        gemm_row_panel(1, n, k, a + i * a_row_stride, a_row_stride, a_column_stride, b, ldb,
                       row_bias ? row_bias + i : NULL, activation, c + i * ldc, ldc);
    if (edge < n)
        gemm_edge(m, n - edge, k, a, a_row_stride, a_column_stride, b + edge, ldb, row_bias, activation, c + edge, ldc);
}

/* rows x outputs dot products of length `in`, each kept as a vector of 16 partial sums and reduced
 * at the end; the last in % 16 terms are added in scalar code. */
static inline __attribute__((always_inline))
void linear_block(const int rows, const int outputs, const float *x, const float *w, const float *bias,
                  float *y, size_t in, size_t out, int activation, int accumulate) {
    lx_f16 acc[4][4];
    for (int r = 0; r < rows; r++)
        for (int o = 0; o < outputs; o++) acc[r][o] = 0;
    size_t i = 0;
    for (; i + lanes <= in; i += lanes) {
        lx_f16 wv[4];
        for (int o = 0; o < outputs; o++) load_vector(&wv[o], w + o * in + i);
        for (int r = 0; r < rows; r++) {
            lx_f16 xv;
            load_vector(&xv, x + r * in + i);
            for (int o = 0; o < outputs; o++) acc[r][o] += xv * wv[o];
        }
    }
    float rest[4][4] = {{0}};
    for (; i < in; i++)
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < outputs; o++) rest[r][o] += x[r * in + i] * w[o * in + i];
    for (int r = 0; r < rows; r++)
        for (int o = 0; o < outputs; o++) {
            float s = horizontal_sum(&acc[r][o]) + rest[r][o] + (bias ? bias[o] : 0.0f)
                    + (accumulate ? y[r * out + o] : 0.0f);
            y[r * out + o] = lx_activate(s, activation);
        }
}

LX_CLONES
void lx_small_linear(const float *x, const float *w, const float *bias, float *y,
                     size_t rows, size_t in, size_t out, int activation, int accumulate) {
    size_t r = 0;
    for (; r + 4 <= rows; r += 4) {
        size_t o = 0;
        for (; o + 4 <= out; o += 4)
            linear_block(4, 4, x + r * in, w + o * in, bias ? bias + o : NULL, y + r * out + o, in, out, activation, accumulate);
        for (; o < out; o++)
            linear_block(4, 1, x + r * in, w + o * in, bias ? bias + o : NULL, y + r * out + o, in, out, activation, accumulate);
    }
    for (; r < rows; r++) {
        size_t o = 0;
        for (; o + 4 <= out; o += 4)
            linear_block(1, 4, x + r * in, w + o * in, bias ? bias + o : NULL, y + r * out + o, in, out, activation, accumulate);
        for (; o < out; o++)
            linear_block(1, 1, x + r * in, w + o * in, bias ? bias + o : NULL, y + r * out + o, in, out, activation, accumulate);
    }
}
