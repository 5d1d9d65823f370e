#include "dense_gemm.h"
#include "activation_inline.h"
#include "kernel_path.h"
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#if defined(__x86_64__)
#define AVX2_INLINE static inline __attribute__((always_inline, target("avx2,fma")))
#define AVX2_ENTRY static __attribute__((noinline, target("avx2,fma")))

typedef float lx_v8 __attribute__((ext_vector_type(8)));

/* The blocking, GotoBLAS's: the summed dimension in slices of at most depth_slice (a 16-column block
 * of packed B, 16 KB, stays in L1 while the panels of A cross it); A's rows in blocks of at most
 * row_block (24 panels, 144 KB packed, in L2); all of B's columns for one slice packed at once (the
 * dense layers' widths: at most 784 x 256 floats, 800 KB, from L3). C's block: 6 rows x 16 columns in 12
 * registers, beside 2 of B and 1 broadcast of A. */
enum { panel_rows = 6, lanes = 8, block_columns = 16, depth_slice = 256, row_block = 24 * panel_rows };

AVX2_INLINE void load8(lx_v8 *v, const float *p) { __builtin_memcpy_inline(v, p, sizeof *v); }
AVX2_INLINE void store8(float *p, const lx_v8 *v) { __builtin_memcpy_inline(p, v, sizeof *v); }

/* One 6 x 16 block of C (6 x 8 with one vector: columns < 8 only): rows [i, i + rows) of A read in place (A(i + r, l) at a[r * a_row_stride +
 * l * a_column_stride], the rows past `rows` reading the last row again, their sums dropped) times a
 * block of packed B (block[l * 16 + c] = B(l, j + c), zero past the last column). Stores its first
 * `rows` rows and `columns` columns at c (leading dimension ldc), adding what C holds when `add`, and
 * the column bias and activation when `finish` (the last slice of the sum). Out of line, so that the
 * accumulators stay in registers. */
AVX2_INLINE void block_6xv(const int vectors, size_t depth, const float *a, size_t a_row_stride,
                           size_t a_column_stride, const float *block, float *c, size_t ldc, size_t rows,
                           size_t columns, int add, int finish, const float *bias, int activation) {
    const float *row[panel_rows];
    for (size_t r = 0; r < panel_rows; r++) row[r] = a + (r < rows ? r : rows - 1) * a_row_stride;
    lx_v8 acc[panel_rows][2];
    for (int r = 0; r < panel_rows; r++) acc[r][0] = acc[r][1] = 0;
    size_t offset = 0;
    for (size_t l = 0; l < depth; l++, offset += a_column_stride) {
        lx_v8 b0, b1 = 0;
        load8(&b0, block + l * block_columns);
        if (vectors == 2) load8(&b1, block + l * block_columns + lanes);
        for (int r = 0; r < panel_rows; r++) {
            lx_v8 ar = row[r][offset];
            acc[r][0] += ar * b0;
            if (vectors == 2) acc[r][1] += ar * b1;
        }
    }
    if (rows == panel_rows && columns == (size_t)vectors * lanes) {
        lx_v8 bias0 = 0, bias1 = 0;
        if (finish && bias) { load8(&bias0, bias); if (vectors == 2) load8(&bias1, bias + lanes); }
        for (int r = 0; r < panel_rows; r++) {
            float *out = c + (size_t)r * ldc;
            lx_v8 s0 = acc[r][0], s1 = acc[r][1];
            if (add) {
                lx_v8 c0, c1 = 0;
                load8(&c0, out);
                if (vectors == 2) load8(&c1, out + lanes);
                s0 += c0; s1 += c1;
            }
            if (finish) {
                s0 += bias0; s1 += bias1;
                LX_ACTIVATE_VECTOR(s0, activation, lx_v8);
                LX_ACTIVATE_VECTOR(s1, activation, lx_v8);
            }
            store8(out, &s0);
            if (vectors == 2) store8(out + lanes, &s1);
        }
        return;
    }
    /* An edge block: through a buffer, element by element. */
    float sums[panel_rows][block_columns];
    for (int r = 0; r < panel_rows; r++) { store8(sums[r], &acc[r][0]); store8(sums[r] + lanes, &acc[r][1]); }
    for (size_t r = 0; r < rows; r++)
        for (size_t j = 0; j < columns; j++) {
            float s = sums[r][j];
            if (add) s += c[r * ldc + j];
            if (finish) s = lx_activate(s + (bias ? bias[j] : 0.0f), activation);
            c[r * ldc + j] = s;
        }
}

/* The kernel for a whole 16-column block, and for a last block of at most 8 columns (half the work). */
AVX2_ENTRY void block_6x16(size_t depth, const float *a, size_t a_row_stride, size_t a_column_stride,
                           const float *block, float *c, size_t ldc, size_t rows, size_t columns, int add,
                           int finish, const float *bias, int activation) {
    block_6xv(2, depth, a, a_row_stride, a_column_stride, block, c, ldc, rows, columns, add, finish, bias, activation);
}

AVX2_ENTRY void block_6x8(size_t depth, const float *a, size_t a_row_stride, size_t a_column_stride,
                          const float *block, float *c, size_t ldc, size_t rows, size_t columns, int add,
                          int finish, const float *bias, int activation) {
    block_6xv(1, depth, a, a_row_stride, a_column_stride, block, c, ldc, rows, columns, add, finish, bias, activation);
}

/* out[t * out_stride + r] = in[r * in_stride + t] for an 8 x 8 block: eight rows of a transposed B
 * (rows of W) become eight rows of its packed block, with AVX2's unpacks and lane permutes. */
AVX2_INLINE void transpose8(float *out, size_t out_stride, const float *in, size_t in_stride) {
    __m256 r[8], u[8], v[8];
    for (int i = 0; i < 8; i++) r[i] = _mm256_loadu_ps(in + i * in_stride);
    for (int i = 0; i < 8; i += 2) {
        u[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
        u[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
    }
    for (int i = 0; i < 8; i += 4) {
        v[i] = _mm256_shuffle_ps(u[i], u[i + 2], 0x44);
        v[i + 1] = _mm256_shuffle_ps(u[i], u[i + 2], 0xEE);
        v[i + 2] = _mm256_shuffle_ps(u[i + 1], u[i + 3], 0x44);
        v[i + 3] = _mm256_shuffle_ps(u[i + 1], u[i + 3], 0xEE);
    }
    for (int i = 0; i < 4; i++) {
        _mm256_storeu_ps(out + i * out_stride, _mm256_permute2f128_ps(v[i], v[i + 4], 0x20));
        _mm256_storeu_ps(out + (i + 4) * out_stride, _mm256_permute2f128_ps(v[i], v[i + 4], 0x31));
    }
}

/* B's columns [0, n) over the slice [l0, l0 + depth) as blocks of 16 columns ([depth][16] each),
 * zero-padded past n. Row-major B (column stride 1) copies vectors; a transposed B (Wᵀ: row stride 1)
 * reads each column contiguously. */
AVX2_INLINE void pack_b(float *packed, const float *b, size_t b_row_stride, size_t b_column_stride,
                        size_t n, size_t l0, size_t depth) {
    for (size_t j = 0; j < n; j += block_columns) {
        float *block = packed + j * depth;
        size_t live = n - j < block_columns ? n - j : block_columns;
        if (b_column_stride == 1 && live == block_columns) {
            for (size_t l = 0; l < depth; l++) {
                lx_v8 low, high;
                const float *row = b + (l0 + l) * b_row_stride + j;
                load8(&low, row);
                load8(&high, row + lanes);
                store8(block + l * block_columns, &low);
                store8(block + l * block_columns + lanes, &high);
            }
            continue;
        }
        size_t l = 0;
        if (b_row_stride == 1 && live == block_columns)
            for (; l + lanes <= depth; l += lanes)
                for (size_t half = 0; half < block_columns; half += lanes)
                    transpose8(block + l * block_columns + half, block_columns,
                               b + (l0 + l) + (j + half) * b_column_stride, b_column_stride);
        for (size_t cj = 0; cj < block_columns; cj++) {
            if (cj >= live) {
                for (size_t t = 0; t < depth; t++) block[t * block_columns + cj] = 0.0f;
                continue;
            }
            const float *column = b + l0 * b_row_stride + (j + cj) * b_column_stride;
            for (size_t t = l; t < depth; t++) block[t * block_columns + cj] = column[t * b_row_stride];
        }
    }
}

/* Each thread's packing buffers, grown to the largest product it has run and kept. */
static __thread float *packed_b_buffer;
static __thread size_t packed_b_capacity;

static float *grown(float **buffer, size_t *capacity, size_t floats) {
    if (*buffer && *capacity >= floats) return *buffer;
    free(*buffer);
    size_t bytes = (floats * sizeof(float) + 63) / 64 * 64;
    *buffer = aligned_alloc(64, bytes);
    *capacity = *buffer ? floats : 0;
    return *buffer;
}

AVX2_ENTRY int gemm_avx2(size_t m, size_t n, size_t k, const float *a, size_t a_row_stride, size_t a_column_stride,
                         const float *b, size_t b_row_stride, size_t b_column_stride, const float *column_bias,
                         int activation, int accumulate, float *c, size_t ldc) {
    size_t padded_n = (n + block_columns - 1) / block_columns * block_columns;
    size_t slice = k < depth_slice ? k : depth_slice;
    if (!grown(&packed_b_buffer, &packed_b_capacity, padded_n * slice)) return 0;
    /* Slices of near-equal depth, each at most depth_slice. */
    size_t slices = (k + depth_slice - 1) / depth_slice;
    for (size_t s = 0; s < slices; s++) {
        size_t l0 = s * k / slices, depth = (s + 1) * k / slices - l0;
        int add = accumulate || s > 0, finish = s == slices - 1;
        pack_b(packed_b_buffer, b, b_row_stride, b_column_stride, n, l0, depth);
        for (size_t i0 = 0; i0 < m; i0 += row_block) {
            size_t rows = m - i0 < row_block ? m - i0 : row_block;
            for (size_t j = 0; j < n; j += block_columns) {
                const float *block = packed_b_buffer + j * depth;
                size_t columns = n - j < block_columns ? n - j : block_columns;
                const float *bias = column_bias ? column_bias + j : NULL;
                for (size_t p = 0; p < rows; p += panel_rows) {
                    size_t live = rows - p < panel_rows ? rows - p : panel_rows;
                    (columns > lanes ? block_6x16 : block_6x8)(depth, a + (i0 + p) * a_row_stride + l0 * a_column_stride,
                        a_row_stride, a_column_stride, block, c + (i0 + p) * ldc + j, ldc, live, columns, add, finish, bias,
                        activation);
                }
            }
        }
    }
    return 1;
}
#endif

int lx_dense_gemm_available(void) {
#if defined(__x86_64__)
    return lx_x86_64_level() == 3;
#else
    return 0;
#endif
}

int lx_dense_gemm(size_t m, size_t n, size_t k,
                  const float *a, size_t a_row_stride, size_t a_column_stride,
                  const float *b, size_t b_row_stride, size_t b_column_stride,
                  const float *column_bias, int activation, int accumulate,
                  float *c, size_t ldc) {
#if defined(__x86_64__)
    if (!lx_dense_gemm_available()) return 0;
    if (m == 0 || n == 0) return 1;
    if (k == 0) {
        for (size_t i = 0; i < m; i++)
            for (size_t j = 0; j < n; j++) {
                float s = accumulate ? c[i * ldc + j] : 0.0f;
                c[i * ldc + j] = lx_activate(s + (column_bias ? column_bias[j] : 0.0f), activation);
            }
        return 1;
    }
    return gemm_avx2(m, n, k, a, a_row_stride, a_column_stride, b, b_row_stride, b_column_stride, column_bias,
                     activation, accumulate, c, ldc);
#else
    (void)m; (void)n; (void)k; (void)a; (void)a_row_stride; (void)a_column_stride; (void)b; (void)b_row_stride;
    (void)b_column_stride; (void)column_bias; (void)activation; (void)accumulate; (void)c; (void)ldc;
    return 0;
#endif
}

const char *lx_dense_gemm_path(void) {
    return lx_dense_gemm_available() ? "AVX2 + FMA, 6x16 blocks, fused bias" : "OpenBLAS sgemm";
}
