#include "active_inputs.h"
#include "multiversion.h"
#include <string.h>

LX_CLONES
size_t lx_active_columns(const float *restrict x, size_t rows, size_t stride, size_t columns, int32_t *restrict active,
                         uint32_t *restrict flags) {
    memset(flags, 0, columns * sizeof *flags);
    for (size_t r = 0; r < rows; r++) {
        const uint32_t *restrict row = (const uint32_t *)(const void *)(x + r * stride);
        for (size_t j = 0; j < columns; j++) flags[j] |= row[j] & 0x7fffffffu;   /* the sign bit alone is -0 */
    }
    size_t count = 0;
    for (size_t j = 0; j < columns; j++) {
        active[count] = (int32_t)j;
        count += flags[j] != 0;
    }
    return count;
}

void lx_gather_columns(const float *restrict x, size_t rows, size_t stride, const int32_t *restrict active, size_t count,
                       float *restrict packed) {
    for (size_t r = 0; r < rows; r++) {
        const float *restrict row = x + r * stride;
        float *restrict out = packed + r * count;
        for (size_t a = 0; a < count; a++) out[a] = row[active[a]];
    }
}

void lx_gather_rows(const float *restrict matrix, size_t width, const int32_t *restrict active, size_t count,
                    float *restrict packed) {
    for (size_t a = 0; a < count; a++) memcpy(packed + a * width, matrix + (size_t)active[a] * width, width * sizeof *packed);
}

/* 32 x 32 tiles, each source row read contiguously: a tile's 32 source and 32 target lines stay in
 * L1 (reading down a column instead would step by a power of two for the usual layer widths, and such
 * strides fall into a few of L1's sets and evict each other). */
enum { TILE = 32 };

void lx_transpose_columns(const float *restrict a, size_t rows, size_t columns, size_t first, size_t last,
                          float *restrict t) {
    for (size_t j0 = first; j0 < last; j0 += TILE) {
        size_t j1 = j0 + TILE < last ? j0 + TILE : last;
        for (size_t i0 = 0; i0 < rows; i0 += TILE) {
            size_t i1 = i0 + TILE < rows ? i0 + TILE : rows;
            for (size_t i = i0; i < i1; i++)
                for (size_t j = j0; j < j1; j++) t[j * rows + i] = a[i * columns + j];
        }
    }
}
