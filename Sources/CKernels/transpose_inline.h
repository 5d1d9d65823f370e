#ifndef LATENT_EXPLORER_TRANSPOSE_INLINE_H
#define LATENT_EXPLORER_TRANSPOSE_INLINE_H

#include <stddef.h>

/* t[j * ldt + i] = a[i * lda + j] for i < rows, j < columns: the transpose of a [rows, columns] block,
 * 8 x 8 at a time in vector registers (eight 8-float loads, 24 shuffles, eight 8-float stores, where
 * element by element it is 64 loads and 64 stores), the edges element by element. Inlined into the
 * multiversioned callers, so each copy gets its level's shuffles. */
typedef float lx_transpose_v8 __attribute__((ext_vector_type(8)));

static inline __attribute__((always_inline)) void lx_transpose_8x8(const float *a, size_t lda, float *t, size_t ldt) {
    lx_transpose_v8 r[8], u[8], v[8];
    for (int i = 0; i < 8; i++) __builtin_memcpy(&r[i], a + (size_t)i * lda, sizeof r[i]);
    /* pairs of rows interleaved within each 4-float half: u[2q] = a0 b0 a1 b1 | a4 b4 a5 b5, u[2q + 1] the rest */
    for (int q = 0; q < 4; q++) {
        u[2 * q] = __builtin_shufflevector(r[2 * q], r[2 * q + 1], 0, 8, 1, 9, 4, 12, 5, 13);
        u[2 * q + 1] = __builtin_shufflevector(r[2 * q], r[2 * q + 1], 2, 10, 3, 11, 6, 14, 7, 15);
    }
    /* quads: v[4h + c] holds column c (and c + 4 in its upper half) of rows 4h ..< 4h + 4 */
    for (int h = 0; h < 2; h++) {
        v[4 * h + 0] = __builtin_shufflevector(u[4 * h], u[4 * h + 2], 0, 1, 8, 9, 4, 5, 12, 13);
        v[4 * h + 1] = __builtin_shufflevector(u[4 * h], u[4 * h + 2], 2, 3, 10, 11, 6, 7, 14, 15);
        v[4 * h + 2] = __builtin_shufflevector(u[4 * h + 1], u[4 * h + 3], 0, 1, 8, 9, 4, 5, 12, 13);
        v[4 * h + 3] = __builtin_shufflevector(u[4 * h + 1], u[4 * h + 3], 2, 3, 10, 11, 6, 7, 14, 15);
    }
    /* the two halves joined: column c of all eight rows, and column c + 4 */
    for (int c = 0; c < 4; c++) {
        lx_transpose_v8 low = __builtin_shufflevector(v[c], v[4 + c], 0, 1, 2, 3, 8, 9, 10, 11);
        lx_transpose_v8 high = __builtin_shufflevector(v[c], v[4 + c], 4, 5, 6, 7, 12, 13, 14, 15);
        __builtin_memcpy(t + (size_t)c * ldt, &low, sizeof low);
        __builtin_memcpy(t + (size_t)(c + 4) * ldt, &high, sizeof high);
    }
}

static inline __attribute__((always_inline)) void lx_transpose_block(const float *a, size_t lda, size_t rows, size_t columns,
                                                                     float *t, size_t ldt) {
    size_t full_rows = rows - rows % 8, full_columns = columns - columns % 8;
    for (size_t i = 0; i < full_rows; i += 8)
        for (size_t j = 0; j < full_columns; j += 8) lx_transpose_8x8(a + i * lda + j, lda, t + j * ldt + i, ldt);
    for (size_t i = 0; i < rows; i++)
        for (size_t j = i < full_rows ? full_columns : 0; j < columns; j++) t[j * ldt + i] = a[i * lda + j];
}

#endif
