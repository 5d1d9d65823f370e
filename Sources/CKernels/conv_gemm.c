#include "conv_gemm.h"
#include "small_gemm.h"
#include "convolution.h"
#include "activation_inline.h"
#include "kernel_path.h"
#include "conv_gemm_avx512.h"
#include <string.h>

#if defined(__x86_64__)
/* The AVX2 path. Every helper is inlined into one of the two entry points compiled for AVX2 + FMA. */
#define AVX2_INLINE static inline __attribute__((always_inline, target("avx2,fma")))
#define AVX2_ENTRY static __attribute__((noinline, target("avx2,fma")))

typedef float lx_v8 __attribute__((ext_vector_type(8)));

/* panel_rows x 16 floats of C in 12 registers, with one B row (2 registers) and one broadcast element
 * of A: 15 of the 16. packed_b_floats: the packed slab of B one pass over A's panels walks (128 KB,
 * so that it stays in a 512 KB L2 beside A's panels and C's rows); packed_a_floats: the largest A packed
 * whole (96 KB: the conv VAE's 64 x 288 and 288 x 64 weights). Both live on the stack, as does a panel
 * of at most depth_limit rows. slab_bytes: the part of an unpacked B one pass over A's panels walks. */
enum { panel_rows = 6, lanes = 8, block_columns = 16, packed_b_floats = 32 * 1024, packed_a_floats = 24 * 1024,
       slab_bytes = 256 * 1024, depth_limit = 2048 };

AVX2_INLINE void load8(lx_v8 *v, const float *p) { __builtin_memcpy_inline(v, p, sizeof *v); }
AVX2_INLINE void store8(float *p, const lx_v8 *v) { __builtin_memcpy_inline(p, v, sizeof *v); }

/* Where C's elements go: row-major with leading dimension ldc (plane 0), or, with plane > 0, column
 * q of row i at ((q / plane) * m + i) * plane + q % plane: the [images, m channels, plane] NCHW
 * layout of a convolution's output, written by the product itself instead of a transposing pass. */
typedef struct { float *c; size_t ldc, plane, m; } lx_c_target;

/* Stores the 8 columns [j, j + 8) of row i: one vector store unless the vectors cross an image. */
AVX2_INLINE void store_columns(lx_c_target t, size_t i, size_t j, const lx_v8 *r) {
    if (t.plane == 0) { store8(t.c + i * t.ldc + j, r); return; }
    size_t image = j / t.plane, p = j - image * t.plane;
    if (p + lanes <= t.plane) { store8(t.c + (image * t.m + i) * t.plane + p, r); return; }
    for (int l = 0; l < lanes; l++) {
        size_t q = j + (size_t)l, q_image = q / t.plane;
        t.c[(q_image * t.m + i) * t.plane + q - q_image * t.plane] = (*r)[l];
    }
}

/* One 6 x (vectors * 8) block of C, rows [i, i + rows) and columns [j, ...), from a packed panel
 * (panel[l * 6 + r] = A(i + r, l), rows past `rows` zero): only the first `rows` rows are stored, with
 * the row's bias added and the activation. */
AVX2_INLINE void gemm_block(const int vectors, size_t rows, size_t k, const float *panel, const float *b,
                            size_t ldb, const float *bias, int activation, lx_c_target t, size_t i, size_t j) {
    lx_v8 acc[panel_rows][2];
    for (int r = 0; r < panel_rows; r++)
        for (int v = 0; v < vectors; v++) acc[r][v] = 0;
    for (size_t l = 0; l < k; l++) {
        lx_v8 bv[2];
        for (int v = 0; v < vectors; v++) load8(&bv[v], b + l * ldb + v * lanes);
        const float *p = panel + l * panel_rows;
        for (int r = 0; r < panel_rows; r++) {
            lx_v8 ar = p[r];
            for (int v = 0; v < vectors; v++) acc[r][v] += ar * bv[v];
        }
    }
    for (size_t r = 0; r < rows; r++) {
        float add = bias ? bias[r] : 0.0f;
        for (int v = 0; v < vectors; v++) {
            lx_v8 sum = acc[r][v] + add;
            LX_ACTIVATE_VECTOR(sum, activation, lx_v8);
            store_columns(t, i + r, j + (size_t)v * lanes, &sum);
        }
    }
}

/* panel[l * 6 + i] = A(first + i, l) for the panel's rows, zero past the last row of A. */
AVX2_INLINE void pack_panel(float *panel, size_t rows, size_t k,
                            const float *a, size_t a_row_stride, size_t a_column_stride) {
    for (size_t l = 0; l < k; l++)
        for (size_t i = 0; i < panel_rows; i++)
            panel[l * panel_rows + i] = i < rows ? a[i * a_row_stride + l * a_column_stride] : 0.0f;
}

/* B's columns [j0, j1) (j1 - j0 a multiple of 8) packed block by block: the block of columns
 * [j, j + 16) at packed + (j - j0) k, as [k][16] (a last block of 8 columns fills the first 8 of each
 * row). The kernel then reads B contiguously, from L1, instead of k rows ldb apart. */
AVX2_INLINE void pack_slab(float *packed, size_t k, const float *b, size_t ldb, size_t j0, size_t j1) {
    for (size_t j = j0; j < j1; j += block_columns) {
        float *block = packed + (j - j0) * k;
        if (j + block_columns <= j1) {
            for (size_t l = 0; l < k; l++) {
                lx_v8 low, high;
                load8(&low, b + l * ldb + j);
                load8(&high, b + l * ldb + j + lanes);
                store8(block + l * block_columns, &low);
                store8(block + l * block_columns + lanes, &high);
            }
        } else {
            for (size_t l = 0; l < k; l++) {
                lx_v8 low;
                load8(&low, b + l * ldb + j);
                store8(block + l * block_columns, &low);
            }
        }
    }
}

/* One panel of A times the slab of B's columns [j0, j1): the block of columns j at b + (j - j0) step,
 * with leading dimension ldb (packed: 16 and k; in place: B's own and 1). Out of line, so that the
 * accumulators stay in registers: inlined into gemm_avx2 beside the packing, the compiler at times kept
 * them on the stack and stored them on every step of the sum (at a third of the speed). */
AVX2_ENTRY void panel_times_slab(size_t rows, size_t k, const float *panel, const float *b, size_t ldb,
                                 size_t step, size_t j0, size_t j1, const float *bias, int activation,
                                 lx_c_target t, size_t i) {
    for (size_t j = j0; j < j1; j += block_columns) {
        const float *block = b + (j - j0) * step;
        if (j + block_columns <= j1) gemm_block(2, rows, k, panel, block, ldb, bias, activation, t, i, j);
        else gemm_block(1, rows, k, panel, block, ldb, bias, activation, t, i, j);
    }
}

/* Whether packing B pays: it costs one pass over B per slab and saves strided reads of B on every
 * panel, so it is for products of many panels over a deep sum and a B larger than a packed slab (the
 * 32 -> 64 channel layers' 288 x 784 unfolded inputs and 64 x 784 channel-major planes, which training
 * reads from beyond L2), not for a first or last layer's k of 9 or 32 rows crossed by 2 to 6 panels,
 * nor for a B that stays in L2 as it is (one image's 64 x 288 weights in the explorer's decode, where
 * packing cost more than it saved). */
enum { packing_least_depth = 64, packing_least_panels = 4 };

/* C over the columns [0, width), width a multiple of 8: slabs of B, each crossed by every panel of A.
 * Where packing pays, each slab is first packed into 16-column blocks (packed_b_floats at most, so that
 * it stays in L2) and A is packed once for all slabs when it is small (the conv VAE's every product);
 * otherwise B is read in place, slabs of slab_bytes, and A packed panel by panel per slab. */
AVX2_ENTRY void gemm_avx2(size_t m, size_t width, size_t k, const float *a, size_t a_row_stride,
                          size_t a_column_stride, const float *b, size_t ldb, const float *row_bias,
                          int activation, lx_c_target t) {
    size_t panels = (m + panel_rows - 1) / panel_rows;
    int packs_b = k >= packing_least_depth && panels >= packing_least_panels
               && k * width > packed_b_floats;
    int whole_a = packs_b && panels * panel_rows * k <= packed_a_floats;
    float a_packed[whole_a ? panels * panel_rows * k : panel_rows * k];
    if (whole_a)
        for (size_t p = 0; p < panels; p++) {
            size_t i = p * panel_rows, rows = m - i < panel_rows ? m - i : panel_rows;
            pack_panel(a_packed + p * panel_rows * k, rows, k, a + i * a_row_stride, a_row_stride, a_column_stride);
        }
    float slab_packed[packs_b ? packed_b_floats : 1];
    size_t slab = (packs_b ? packed_b_floats : slab_bytes / sizeof(float)) / k / block_columns * block_columns;
    if (slab < block_columns) slab = block_columns;
    for (size_t j0 = 0; j0 < width; j0 += slab) {
        size_t j1 = j0 + slab < width ? j0 + slab : width;
        if (packs_b) pack_slab(slab_packed, k, b, ldb, j0, j1);
        for (size_t p = 0; p < panels; p++) {
            size_t i = p * panel_rows, rows = m - i < panel_rows ? m - i : panel_rows;
            const float *panel = a_packed + (whole_a ? p * panel_rows * k : 0);
            if (!whole_a) pack_panel(a_packed, rows, k, a + i * a_row_stride, a_row_stride, a_column_stride);
            const float *bias = row_bias ? row_bias + i : NULL;
            if (packs_b) panel_times_slab(rows, k, panel, slab_packed, block_columns, k, j0, j1, bias, activation, t, i);
            else panel_times_slab(rows, k, panel, b + j0, ldb, 1, j0, j1, bias, activation, t, i);
        }
    }
}

/* Dot products: a 4 x 3 block of y, 12 accumulators of 8 partial sums with 4 + 3 loads a step,
 * reduced at the end and added into y. The whole summed dimension goes in one sweep: cutting it into
 * L2-sized slices cost more in reductions than the slices saved (docs/speed.md). */
enum { dot_rows = 4, dot_outputs = 3 };

AVX2_INLINE float reduce8(lx_v8 v) {
    typedef float lx_v4 __attribute__((ext_vector_type(4)));
    lx_v4 h = v.lo + v.hi;
    h.xy += h.zw;
    return h.x + h.y;
}

AVX2_INLINE void dot_block(const int rows, const int outputs, const float *x, const float *w, float *y,
                           size_t in, size_t out) {
    lx_v8 acc[dot_rows][dot_outputs];
    for (int r = 0; r < rows; r++)
        for (int o = 0; o < outputs; o++) acc[r][o] = 0;
    size_t i = 0;
    for (; i + lanes <= in; i += lanes) {
        lx_v8 wv[dot_outputs];
        for (int o = 0; o < outputs; o++) load8(&wv[o], w + o * in + i);
        for (int r = 0; r < rows; r++) {
            lx_v8 xv;
            load8(&xv, x + r * in + i);
            for (int o = 0; o < outputs; o++) acc[r][o] += xv * wv[o];
        }
    }
    for (int r = 0; r < rows; r++)
        for (int o = 0; o < outputs; o++) {
            float s = reduce8(acc[r][o]);
            for (size_t t = i; t < in; t++) s += x[r * in + t] * w[o * in + t];
            y[r * out + o] += s;
        }
}

/* Blocks of 4 rows of x and 3 of w, the larger of the two gone through once in the outer loop: with
 * more rows in w (the 32 -> 64 layers' weight gradients: 64 rows of x, 288 of w, 784 long), a block of
 * 3 rows of w stays in L1 while x's rows (200 KB, in L2) pass by, instead of w's 903 KB being read
 * again from L3 for each block of x (one thread, 16-image chunk, hot caches: 336 -> 322 us; each y is
 * the same sum, bit for bit). */
AVX2_ENTRY void dot_avx2(const float *x, const float *w, float *y, size_t rows, size_t in, size_t out,
                         int accumulate) {
    if (!accumulate) memset(y, 0, rows * out * sizeof(float));
    if (out > rows) {   /* w the larger: each block of 3 of its rows once, x's rows again from L2 */
        size_t o = 0;
        for (; o + dot_outputs <= out; o += dot_outputs) {
            size_t r = 0;
            for (; r + dot_rows <= rows; r += dot_rows)
                dot_block(dot_rows, dot_outputs, x + r * in, w + o * in, y + r * out + o, in, out);
            for (; r < rows; r++) dot_block(1, dot_outputs, x + r * in, w + o * in, y + r * out + o, in, out);
        }
        for (; o < out; o++)
            for (size_t r = 0; r < rows; r++) dot_block(1, 1, x + r * in, w + o * in, y + r * out + o, in, out);
        return;
    }
    size_t r = 0;
    for (; r + dot_rows <= rows; r += dot_rows) {
        size_t o = 0;
        for (; o + dot_outputs <= out; o += dot_outputs)
            dot_block(dot_rows, dot_outputs, x + r * in, w + o * in, y + r * out + o, in, out);
        for (; o < out; o++) dot_block(dot_rows, 1, x + r * in, w + o * in, y + r * out + o, in, out);
    }
    for (; r < rows; r++) {
        size_t o = 0;
        for (; o + dot_outputs <= out; o += dot_outputs)
            dot_block(1, dot_outputs, x + r * in, w + o * in, y + r * out + o, in, out);
        for (; o < out; o++) dot_block(1, 1, x + r * in, w + o * in, y + r * out + o, in, out);
    }
}

#endif

/* Where lx_small_gemm runs its x86-64-v3 (AVX2, FMA) copy, whose blocks spill; in the v4 copy they fit
 * AVX-512's 32 registers. */
static int takes_avx2_path(void) { return lx_x86_64_level() == 3; }

/* Where they run their x86-64-v4 (AVX-512) copy: conv_gemm_avx512.c's blocks. */
static int takes_avx512_path(void) { return lx_x86_64_level() == 4; }

void lx_conv_gemm(size_t m, size_t n, size_t k,
                  const float *a, size_t a_row_stride, size_t a_column_stride,
                  const float *b, size_t ldb,
                  const float *row_bias, int activation,
                  float *c, size_t ldc) {
#if defined(__x86_64__)
    if (takes_avx512_path()) return lx_conv_gemm_avx512(m, n, k, a, a_row_stride, a_column_stride, b, ldb, row_bias,
                                                         activation, c, ldc);
    size_t width = n - n % lanes;
    if (takes_avx2_path() && k > 0 && k <= depth_limit && width > 0) {
        lx_c_target t = {c, ldc, 0, m};
        gemm_avx2(m, width, k, a, a_row_stride, a_column_stride, b, ldb, row_bias, activation, t);
        if (width < n)
            lx_small_gemm(m, n - width, k, a, a_row_stride, a_column_stride, b + width, ldb, row_bias, activation,
                          c + width, ldc);
        return;
    }
#endif
    lx_small_gemm(m, n, k, a, a_row_stride, a_column_stride, b, ldb, row_bias, activation, c, ldc);
}

void lx_conv_gemm_planes(size_t m, size_t n, size_t k,
                         const float *a, size_t a_row_stride, size_t a_column_stride,
                         const float *b, size_t ldb,
                         const float *row_bias, int activation,
                         float *y, size_t plane, float *scratch) {
#if defined(__x86_64__)
    if (takes_avx512_path() && plane >= 16)
        return lx_conv_gemm_planes_avx512(m, n, k, a, a_row_stride, a_column_stride, b, ldb, row_bias, activation, y,
                                          plane);
    size_t width = n - n % lanes;
    if (takes_avx2_path() && k > 0 && k <= depth_limit && width > 0) {
        lx_c_target t = {y, 0, plane, m};
        gemm_avx2(m, width, k, a, a_row_stride, a_column_stride, b, ldb, row_bias, activation, t);
        if (width == n) return;
        /* the last n % 8 columns: a small product into scratch [m, n - width], then element by element */
        size_t rest = n - width;
        lx_small_gemm(m, rest, k, a, a_row_stride, a_column_stride, b + width, ldb, row_bias, activation, scratch, rest);
        for (size_t i = 0; i < m; i++)
            for (size_t q = width; q < n; q++)
                y[((q / plane) * m + i) * plane + q % plane] = scratch[i * rest + q - width];
        return;
    }
#endif
    lx_small_gemm(m, n, k, a, a_row_stride, a_column_stride, b, ldb, NULL, 0, scratch, n);
    lx_from_channel_major(scratch, y, n / plane, m, plane, row_bias, activation, 0);
}

void lx_conv_dot(const float *x, const float *w, float *y, size_t rows, size_t in, size_t out, int accumulate) {
#if defined(__x86_64__)
    if (takes_avx512_path()) return lx_conv_dot_avx512(x, w, y, rows, in, out, accumulate);
    if (takes_avx2_path()) {
        dot_avx2(x, w, y, rows, in, out, accumulate);
        return;
    }
#endif
    lx_small_linear(x, w, NULL, y, rows, in, out, 0, accumulate);
}

const char *lx_conv_gemm_path(void) {
    return takes_avx512_path() ? "AVX-512, 14x32 blocks" : takes_avx2_path() ? "AVX2 + FMA, 6x16 blocks" : "as lx_small_gemm";
}
