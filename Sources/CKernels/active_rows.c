#include "active_rows.h"
#include <stdint.h>
#include "kernel_path.h"
#include "multiversion.h"
#if defined(__x86_64__)
#include <immintrin.h>
#endif

/* A decoder layer reading ReLU outputs, one point: out[0..<n] += Σ over active j (hidden[j] > 0) of
 * hidden[j] * rows[j, 0..<n], rows = W^T [hidden_count, n]. Every path sums the active rows in
 * increasing j, one fused multiply-add per term, so the AVX-512 path gives the floats the plain loop's v3
 * and v4 copies give (its SSE-only copy multiplies and adds: it may differ by a rounding). */

/* The plain loop: for each active row, the whole n-wide output is loaded and stored again (an L1 store
 * stream as long as the layer), which the AVX-512 path below avoids. */
LX_CLONES
static void accumulate_active_rows_plain(float *restrict out, const float *restrict rows, size_t stride,
                                         const float *restrict hidden, size_t hidden_count, size_t n) {
    for (size_t j = 0; j < hidden_count; j++) {
        float a = hidden[j];
        if (a <= 0) continue;
        const float *restrict row = rows + j * stride;
        for (size_t i = 0; i < n; i++) out[i] += a * row[i];   /* contracted to an FMA in the v3 and v4 clones */
    }
}

#if defined(__x86_64__)

/* widest_pass: the most accumulators (16 floats each) held in zmm registers across one pass over the active
 * rows. Up to 28 would fit the 32 registers, but passes of at most 17 measured faster on the Xeon (family 6
 * model 207): a 512x784 layer with half its rows active took 11.1 us a point in 3 passes (17 + 16 + 16
 * vectors) against 13.1 us in 2 (25 + 24), medians of 4 alternated runs. active_chunk: active units
 * gathered at a time (their row pointers and factors, 6 KB of stack); more active inputs take more chunks. */
enum { vector_lanes = 16, widest_pass = 17, active_chunk = 512 };

/* out[0 ..< 16 vectors] += Σ_k factor[k] * row[k][0 ..< 16 vectors], the output block held in registers
 * while the active rows stream past: only the weights move (from L2), the output is loaded and stored
 * once. `vectors` is a constant at every call (see accumulate_pass), so the block unrolls into registers. */
LX_AVX512_INLINE void accumulate_block(float *out, const float *const *row, size_t offset, const float *factor,
                                       size_t active, const int vectors) {
    __m512 acc[widest_pass];
    for (int q = 0; q < vectors; q++) acc[q] = _mm512_loadu_ps(out + q * vector_lanes);
    for (size_t k = 0; k < active; k++) {
        __m512 a = _mm512_set1_ps(factor[k]);
        const float *r = row[k] + offset;
        for (int q = 0; q < vectors; q++) acc[q] = _mm512_fmadd_ps(a, _mm512_loadu_ps(r + q * vector_lanes), acc[q]);
    }
    for (int q = 0; q < vectors; q++) _mm512_storeu_ps(out + q * vector_lanes, acc[q]);
}

/* One pass of `vectors` (1 ... widest_pass) vectors, each count its own unrolled copy. */
LX_AVX512_INLINE void accumulate_pass(float *out, const float *const *row, size_t offset, const float *factor,
                                      size_t active, int vectors) {
#define LX_PASS(v) case v: accumulate_block(out + offset, row, offset, factor, active, v); break;
    switch (vectors) {
    LX_PASS(1) LX_PASS(2) LX_PASS(3) LX_PASS(4) LX_PASS(5) LX_PASS(6) LX_PASS(7) LX_PASS(8) LX_PASS(9)
    LX_PASS(10) LX_PASS(11) LX_PASS(12) LX_PASS(13) LX_PASS(14) LX_PASS(15) LX_PASS(16) LX_PASS(17)
    default: __builtin_unreachable();
    }
#undef LX_PASS
}

/* The active units are gathered once per chunk; the n / 16 full vectors of the output are then split
 * into as few passes as widest_pass allows, of nearly equal width (784 = 49 vectors: 17 + 16 + 16), and each
 * pass runs over all of the chunk's rows. The last n % 16 columns take a scalar loop. */
static LX_AVX512_ENTRY void accumulate_active_rows_avx512(float *restrict out, const float *restrict rows, size_t stride,
                                                          const float *restrict hidden, size_t hidden_count, size_t n) {
    const float *row[active_chunk];
    float factor[active_chunk];
    size_t full_vectors = n / vector_lanes, full_columns = full_vectors * vector_lanes;
    size_t passes = (full_vectors + widest_pass - 1) / widest_pass;
    size_t per_pass = passes ? (full_vectors + passes - 1) / passes : 0;
    for (size_t j0 = 0; j0 < hidden_count;) {
        size_t active = 0;
        for (; j0 < hidden_count && active < active_chunk; j0++) {
            if (hidden[j0] <= 0) continue;
            row[active] = rows + j0 * stride;
            factor[active++] = hidden[j0];
        }
        for (size_t v0 = 0; v0 < full_vectors; v0 += per_pass) {
            size_t vectors = full_vectors - v0 < per_pass ? full_vectors - v0 : per_pass;
            accumulate_pass(out, row, v0 * vector_lanes, factor, active, (int)vectors);
        }
        for (size_t k = 0; k < active; k++)
            for (size_t i = full_columns; i < n; i++) out[i] = __builtin_fmaf(factor[k], row[k][i], out[i]);
    }
}
#endif

void lx_accumulate_active_rows(float *out, const float *rows, size_t stride, const float *hidden, size_t hidden_count,
                               size_t n) {
#if defined(__x86_64__)
    if (lx_x86_64_level() == 4) { accumulate_active_rows_avx512(out, rows, stride, hidden, hidden_count, n); return; }
#endif
    accumulate_active_rows_plain(out, rows, stride, hidden, hidden_count, n);
}

LX_CLONES
void lx_accumulate_active_rows_batch(float *restrict out, const float *restrict rows, size_t stride,
                                     const float *restrict hidden, size_t points, size_t hidden_count, size_t n) {
    /* A small matrix product out += hidden * rows, blocked so that a 4-point x 64-column block of out
     * lives in vector registers (16 AVX-512 registers) while all hidden units stream past; a unit
     * inactive for all 4 points (ReLU zero) is skipped. Leftover columns take the plain loop, leftover
     * points the one-point kernel. */
    enum { block_points = 4, block_columns = 64 };
    size_t full_points = points - points % block_points, full_columns = n - n % block_columns;
    for (size_t p0 = 0; p0 < full_points; p0 += block_points) {
        const float *restrict h = hidden + p0 * hidden_count;
        for (size_t c0 = 0; c0 < full_columns; c0 += block_columns) {
            float acc[block_points][block_columns];
            for (int q = 0; q < block_points; q++)
                for (int c = 0; c < block_columns; c++) acc[q][c] = out[(p0 + q) * n + c0 + c];
            for (size_t j = 0; j < hidden_count; j++) {
                float a0 = h[j], a1 = h[hidden_count + j], a2 = h[2 * hidden_count + j], a3 = h[3 * hidden_count + j];
                if (a0 <= 0 && a1 <= 0 && a2 <= 0 && a3 <= 0) continue;
                const float *restrict row = rows + j * stride + c0;
                for (int c = 0; c < block_columns; c++) {
                    float w = row[c];
                    acc[0][c] += a0 * w;
                    acc[1][c] += a1 * w;
                    acc[2][c] += a2 * w;
                    acc[3][c] += a3 * w;
                }
            }
            for (int q = 0; q < block_points; q++)
                for (int c = 0; c < block_columns; c++) out[(p0 + q) * n + c0 + c] = acc[q][c];
        }
        for (size_t q = 0; q < block_points; q++)
            for (size_t j = 0; j < hidden_count; j++) {
                float a = hidden[(p0 + q) * hidden_count + j];
                if (a <= 0) continue;
                for (size_t c = full_columns; c < n; c++) out[(p0 + q) * n + c] += a * rows[j * stride + c];
            }
    }
    for (size_t p = full_points; p < points; p++)   /* the one-point kernel: on AVX-512, its registers */
        lx_accumulate_active_rows(out + p * n, rows, stride, hidden + p * hidden_count, hidden_count, n);
}
