#include "conv_gemm_avx512.h"
#include "activation_inline.h"
#include "multiversion.h"

#if defined(__x86_64__)
#include <immintrin.h>

/* The AVX-512 path of the conv products (conv_gemm.h), for CPUs where the multiversioned kernels run
 * their x86-64-v4 copy. Every helper is inlined into one of the entry points compiled for AVX-512. */

typedef float lx_v16 __attribute__((ext_vector_type(16)));

/* Products: a 14 x 32 block of C in 28 of the 32 registers (14 rows x 2 vectors), with the two vectors
 * of a B row loaded once a step and each A element broadcast: 16 loads for 28 fused multiply-adds. C is
 * made one strip of 32 columns at a time, every block of rows crossing the strip before the next: the
 * strip of B (k rows of 128 bytes, 36 KB for k = 288) is read from memory or L2 by the first block and
 * from L1 by the others, with no packing (B's rows, 3,136 bytes apart, spread over every set of L1). A
 * (the layer's weights, 72 KB) stays in L2. One thread, one 16-image chunk, hot caches, best of 30
 * (scripts/bench-conv-kernels.sh, Xeon family 6 model 207): the 32 -> 64 layers' products 190-196 us
 * (148-151 GFLOPS) against lx_small_gemm's 4 x 64 blocks, 265-298 us (97-109); blocks of 12 x 32 and
 * 8 x 48 ran at 132-152 and 140-152. Each element of C is the same sum in the same order as
 * lx_small_gemm's, so the results are the same bit for bit. Prefetching B's rows 8 ahead, in every
 * block or in a strip's first, moved these figures by -10 to +4 %, not clearly: not done. */
enum { lanes = 16, block_rows = 14, strip_vectors = 2 };

/* Where C's elements go: row-major with leading dimension ldc (plane 0), or, with plane > 0, column
 * q of row i at ((q / plane) * m + i) * plane + q % plane: the [images, m channels, plane] NCHW
 * layout of a convolution's output, written by the product itself. */
typedef struct { float *c; size_t ldc, plane, m; } lx_c_target;

/* Where the 16 columns [j, j + 16) of C go in a plane target: the image of column j, its position there
 * and the lanes that stay in that image (the rest start the next image). */
typedef struct { size_t image, position; __mmask16 first_lanes; } lx_vector_place;

LX_AVX512_INLINE lx_vector_place place_of(size_t plane, size_t j) {
    lx_vector_place p = {0, 0, 0xFFFF};
    if (plane == 0) return p;
    p.image = j / plane;
    p.position = j - p.image * plane;
    if (p.position + lanes > plane) p.first_lanes = (__mmask16)((1u << (plane - p.position)) - 1u);
    return p;
}

/* Stores the lanes `mask` of r, the columns [j, j + 16) of row i: one store, or two masked ones where the
 * vector crosses from one image's plane into the next (each lane lands at its own address; the lanes
 * masked off are never written, so no address past an image is touched). */
LX_AVX512_INLINE void store_row_vector(lx_c_target t, size_t i, size_t j, lx_vector_place p, __mmask16 mask, lx_v16 r) {
    __m512 v = (__m512)r;
    if (t.plane == 0) { _mm512_mask_storeu_ps(t.c + i * t.ldc + j, mask, v); return; }
    float *here = t.c + (p.image * t.m + i) * t.plane + p.position;
    _mm512_mask_storeu_ps(here, mask & p.first_lanes, v);
    if (p.first_lanes != 0xFFFF) {
        /* lane l >= first goes to the next image's position l - first: the vector stored at that image's
         * start minus `first`, with only those lanes */
        size_t first = t.plane - p.position;
        float *next = t.c + ((p.image + 1) * t.m + i) * t.plane;
        _mm512_mask_storeu_ps(next - first, mask & (__mmask16)~p.first_lanes, v);
    }
}

/* One rows x (vectors * 16) block of C at rows [i, i + rows), columns [j, ...): the sum over k, then the
 * row's bias and the activation. `last_mask` keeps the valid lanes of the last vector (n's edge). */
LX_AVX512_INLINE void gemm_block(const int rows, const int vectors, size_t k, const float *a, size_t a_row_stride,
                                 size_t a_column_stride, const float *b, size_t ldb, __mmask16 last_mask,
                                 const float *bias, int activation, lx_c_target t, size_t i, size_t j) {
    /* Every loop over the accumulators unrolled in full, so that they stay registers: with the zeroing
     * and storing loops left rolled, acc lived on the stack, zeroed by a call of memset and loaded back
     * before the sum (1.8 KB a block; memset was 0.4 % of a conv epoch's profile from here). */
    lx_v16 acc[block_rows][strip_vectors];
#pragma clang loop unroll(full)
    for (int r = 0; r < rows; r++)
#pragma clang loop unroll(full)
        for (int v = 0; v < vectors; v++) acc[r][v] = 0;
    for (size_t l = 0; l < k; l++) {
        lx_v16 bv[strip_vectors];
        for (int v = 0; v < vectors; v++) {
            __mmask16 mask = v == vectors - 1 ? last_mask : 0xFFFF;
            bv[v] = (lx_v16)_mm512_maskz_loadu_ps(mask, b + l * ldb + v * lanes);
        }
        const float *column = a + l * a_column_stride;
#pragma clang loop unroll(full)
        for (int r = 0; r < rows; r++) {
            lx_v16 ar = column[r * a_row_stride];
#pragma clang loop unroll(full)
            for (int v = 0; v < vectors; v++) acc[r][v] += ar * bv[v];
        }
    }
    lx_vector_place places[strip_vectors];
#pragma clang loop unroll(full)
    for (int v = 0; v < vectors; v++) places[v] = place_of(t.plane, j + (size_t)v * lanes);
#pragma clang loop unroll(full)
    for (int r = 0; r < rows; r++) {
        float add = bias ? bias[r] : 0.0f;
#pragma clang loop unroll(full)
        for (int v = 0; v < vectors; v++) {
            lx_v16 sum = acc[r][v] + add;
            LX_ACTIVATE_VECTOR(sum, activation, lx_v16);
            store_row_vector(t, i + (size_t)r, j + (size_t)v * lanes, places[v], v == vectors - 1 ? last_mask : 0xFFFF, sum);
        }
    }
}

/* Every block of rows of one strip of `vectors` vectors at column j: whole blocks of 14 rows, then one
 * block of the rows left (each count its own unrolled copy). */
LX_AVX512_INLINE void strip(const int vectors, size_t m, size_t k, const float *a, size_t a_row_stride,
                            size_t a_column_stride, const float *b, size_t ldb, __mmask16 last_mask,
                            const float *row_bias, int activation, lx_c_target t, size_t j) {
    size_t i = 0;
#define LX_BLOCK(rows) gemm_block(rows, vectors, k, a + i * a_row_stride, a_row_stride, a_column_stride, b + j, ldb, \
                                  last_mask, row_bias ? row_bias + i : NULL, activation, t, i, j)
    for (; i + block_rows <= m; i += block_rows) LX_BLOCK(block_rows);
    switch (m - i) {
    case 13: LX_BLOCK(13); break;
    case 12: LX_BLOCK(12); break;
    case 11: LX_BLOCK(11); break;
    case 10: LX_BLOCK(10); break;
    case 9: LX_BLOCK(9); break;
    case 8: LX_BLOCK(8); break;
    case 7: LX_BLOCK(7); break;
    case 6: LX_BLOCK(6); break;
    case 5: LX_BLOCK(5); break;
    case 4: LX_BLOCK(4); break;
    case 3: LX_BLOCK(3); break;
    case 2: LX_BLOCK(2); break;
    case 1: LX_BLOCK(1); break;
    default: break;
    }
#undef LX_BLOCK
}

static LX_AVX512_ENTRY void gemm_avx512(size_t m, size_t n, size_t k, const float *a, size_t a_row_stride,
                                        size_t a_column_stride, const float *b, size_t ldb, const float *row_bias,
                                        int activation, lx_c_target t) {
    size_t j = 0;
    for (; j + strip_vectors * lanes <= n; j += strip_vectors * lanes)
        strip(strip_vectors, m, k, a, a_row_stride, a_column_stride, b, ldb, 0xFFFF, row_bias, activation, t, j);
    /* the last n % 32 columns: one strip of two vectors or one, its last vector masked to n's edge */
    size_t rest = n - j;
    if (rest == 0) return;
    __mmask16 last = rest % lanes ? (__mmask16)((1u << (rest % lanes)) - 1u) : 0xFFFF;
    if (rest > lanes) strip(2, m, k, a, a_row_stride, a_column_stride, b, ldb, last, row_bias, activation, t, j);
    else strip(1, m, k, a, a_row_stride, a_column_stride, b, ldb, last, row_bias, activation, t, j);
}

void lx_conv_gemm_avx512(size_t m, size_t n, size_t k, const float *a, size_t a_row_stride, size_t a_column_stride,
                         const float *b, size_t ldb, const float *row_bias, int activation, float *c, size_t ldc) {
    lx_c_target t = {c, ldc, 0, m};
    gemm_avx512(m, n, k, a, a_row_stride, a_column_stride, b, ldb, row_bias, activation, t);
}

void lx_conv_gemm_planes_avx512(size_t m, size_t n, size_t k, const float *a, size_t a_row_stride,
                                size_t a_column_stride, const float *b, size_t ldb, const float *row_bias,
                                int activation, float *y, size_t plane) {
    lx_c_target t = {y, 0, plane, m};
    gemm_avx512(m, n, k, a, a_row_stride, a_column_stride, b, ldb, row_bias, activation, t);
}

/* Dot products y[r, o] (+)= x[r, :] . w[o, :]: a block of 8 rows of x by 3 rows of w in 24
 * accumulators of 16 partial sums, 3 + 8 loads for 24 FMAs a step, reduced at the end. The rows of x of
 * a block (8 x 784 floats, 25 KB) stay in L1 while the rows of w pass by from L2, each read once per 8
 * rows of x. A step loads w's 3 vectors, then each row of x in turn with its 3 FMAs, so that only
 * 24 + 3 + 1 registers are live (written as 8 loads then 24 FMAs, the compiler spilled). The summed
 * dimension's last in % 16 terms come in one masked load (zeros past the edge). One thread, 16-image
 * chunk, best of 30: the 32 -> 64 layers' weight gradients 266 us (109 GFLOPS) against lx_small_linear's
 * 4 x 4 blocks, 341 us (85); 4 x 4, 4 x 6, 6 x 3, 7 x 3, 8 x 2, 9 x 3, 10 x 2 and 12 x 2 blocks ran at
 * 84 to 106. The same partial sums as lx_small_linear's, reduced in the same order where in is a
 * multiple of 16 (the conv VAE's 784 and 3,136). The rows of w are prefetched into L1 512 bytes
 * ahead of their loads (the hardware's prefetchers alone left the block waiting on L2): 266 -> 253 us,
 * alternated twice with the old binary's lx_small_linear as the yardstick (0.81-0.85 of its time without,
 * 0.72-0.74 with; 64, 256 floats ahead: 0.82, 0.82). */
enum { dot_rows = 8, dot_outputs = 3, dot_prefetch_floats = 128 };

LX_AVX512_INLINE float reduce16(lx_v16 v) {
    return _mm512_reduce_add_ps((__m512)v);
}

LX_AVX512_INLINE void dot_step(const int rows, const int outputs, lx_v16 acc[dot_rows][dot_outputs], const float *x,
                               const float *w, size_t in, size_t i, __mmask16 mask) {
    lx_v16 wv[dot_outputs];
#pragma clang loop unroll(full)
    for (int o = 0; o < outputs; o++) wv[o] = (lx_v16)_mm512_maskz_loadu_ps(mask, w + o * in + i);
#pragma clang loop unroll(full)
    for (int o = 0; o < outputs; o++) _mm_prefetch((const char *)(w + o * in + i + dot_prefetch_floats), _MM_HINT_T0);
#pragma clang loop unroll(full)
    for (int r = 0; r < rows; r++) {
        lx_v16 xv = (lx_v16)_mm512_maskz_loadu_ps(mask, x + r * in + i);
#pragma clang loop unroll(full)
        for (int o = 0; o < outputs; o++) acc[r][o] += xv * wv[o];
    }
}

LX_AVX512_INLINE void dot_block(const int rows, const int outputs, const float *x, const float *w, float *y,
                                size_t in, size_t out, int accumulate) {
    lx_v16 acc[dot_rows][dot_outputs];   /* zeroed in registers, as gemm_block's (no memset) */
#pragma clang loop unroll(full)
    for (int r = 0; r < rows; r++)
#pragma clang loop unroll(full)
        for (int o = 0; o < outputs; o++) acc[r][o] = 0;
    size_t i = 0;
    for (; i + lanes <= in; i += lanes) dot_step(rows, outputs, acc, x, w, in, i, 0xFFFF);
    if (i < in) dot_step(rows, outputs, acc, x, w, in, i, (__mmask16)((1u << (in - i)) - 1u));
    /* Without accumulate each y is stored, not added to a zeroed y: the same value (0 + s is s, but for
     * the sign of a zero), without a pass of memset over y first. */
#pragma clang loop unroll(full)
    for (int r = 0; r < rows; r++)
#pragma clang loop unroll(full)
        for (int o = 0; o < outputs; o++) {
            float s = reduce16(acc[r][o]);
            y[r * out + o] = accumulate ? y[r * out + o] + s : s;
        }
}

/* Every block of outputs of one block of `rows` rows of x. */
LX_AVX512_INLINE void dot_rows_block(const int rows, const float *x, const float *w, float *y, size_t in, size_t out,
                                     int accumulate) {
    size_t o = 0;
    for (; o + dot_outputs <= out; o += dot_outputs)
        dot_block(rows, dot_outputs, x, w + o * in, y + o, in, out, accumulate);
    switch (out - o) {
    case 2: dot_block(rows, 2, x, w + o * in, y + o, in, out, accumulate); break;
    case 1: dot_block(rows, 1, x, w + o * in, y + o, in, out, accumulate); break;
    default: break;
    }
}

LX_AVX512_ENTRY void lx_conv_dot_avx512(const float *x, const float *w, float *y, size_t rows, size_t in, size_t out,
                                        int accumulate) {
    size_t r = 0;
#define LX_ROWS(count) dot_rows_block(count, x + r * in, w, y + r * out, in, out, accumulate)
    for (; r + dot_rows <= rows; r += dot_rows) LX_ROWS(dot_rows);
    switch (rows - r) {
    case 7: LX_ROWS(7); break;
    case 6: LX_ROWS(6); break;
    case 5: LX_ROWS(5); break;
    case 4: LX_ROWS(4); break;
    case 3: LX_ROWS(3); break;
    case 2: LX_ROWS(2); break;
    case 1: LX_ROWS(1); break;
    default: break;
    }
#undef LX_ROWS
}

#endif
