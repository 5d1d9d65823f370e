#include "sparse_product.h"
#include "multiversion.h"
#include "activation_inline.h"
#include "transpose_inline.h"
#include <string.h>

typedef float lx_v8 __attribute__((ext_vector_type(8)));

/* A panel's row is 6 vectors of 8 floats. tile_depth rows of a panel (112 x 192 bytes = 21 KB) stay in
 * L1 while each of a block of pair_block_size pairs of rows of A takes its entries in that range of B's
 * rows; a pair's partial sums go back to C between tiles, and the block's 192-byte pieces of C (3 KB)
 * stay in L1 beside the tile. 112 is a seventh of a letter's 784 pixels. transpose_tile: the depth
 * taken at a time when packing W^T, so that the panel's source rows' lines and the tile's stay in L1. */
enum { lanes = 8, panel = LX_SPARSE_PANEL, panel_vectors = LX_SPARSE_PANEL / 8, tile_depth = 112, pair_block_size = 8,
       transpose_tile = 32 };

LX_CLONES
size_t lx_sparse_count_nonzero(const float *restrict x, size_t n) {
    size_t count = 0;
    for (size_t i = 0; i < n; i++) count += x[i] != 0.0f;
    return count;
}

LX_CLONES
void lx_sparse_compress_pairs(const float *restrict x, size_t lines, size_t length, size_t line_stride, size_t step,
                              size_t first, size_t last, int32_t *restrict counts, int32_t *restrict indices,
                              float *restrict values) {
    /* Every place t is written at the pair's next free entry and kept only when either value is not
     * zero: no branch. Pair p's entries start at p * length, so threads may compress different pairs,
     * and a thread may multiply its pairs alone from its pairs' offset. */
    for (size_t p = first; p < last; p++) {
        const float *restrict line0 = x + 2 * p * line_stride;
        const float *restrict line1 = 2 * p + 1 < lines ? line0 + line_stride : NULL;
        size_t count = p * length;
        for (size_t t = 0; t < length; t++) {
            float v0 = line0[t * step], v1 = line1 ? line1[t * step] : 0.0f;
            indices[count] = (int32_t)t;
            values[2 * count] = v0;
            values[2 * count + 1] = v1;
            count += (v0 != 0.0f) | (v1 != 0.0f);
        }
        counts[p] = (int32_t)(count - p * length);
    }
}

void lx_sparse_pack_panels(const float *restrict b, size_t depth, size_t n, size_t ldb, float *restrict panels) {
    for (size_t j0 = 0; j0 < n; j0 += panel) {
        size_t width = n - j0 < panel ? n - j0 : panel;
        float *restrict target = panels + j0 * depth;
        for (size_t k = 0; k < depth; k++) memcpy(target + k * width, b + k * ldb + j0, width * sizeof *b);
    }
}

LX_CLONES
void lx_sparse_pack_transposed_panels(const float *restrict w, size_t n, size_t depth, size_t first_panel,
                                      size_t last_panel, float *restrict panels) {
    /* Panel p is the transpose of w's rows [p * panel, ...) ([width, depth] -> [depth, width]), taken
     * transpose_tile columns of w at a time so that the block's source lines stay in L1. */
    for (size_t p = first_panel; p < last_panel; p++) {
        size_t j0 = p * panel, width = n - j0 < panel ? n - j0 : panel;
        float *restrict target = panels + j0 * depth;
        for (size_t k0 = 0; k0 < depth; k0 += transpose_tile) {
            size_t k1 = k0 + transpose_tile < depth ? k0 + transpose_tile : depth;
            lx_transpose_block(w + j0 * depth + k0, depth, width, k1 - k0, target + k0 * width, width);
        }
    }
}

/* Two rows of C at once, c0 and c1 (c1 NULL for a last line without a partner): c0 = start0 + sum over
 * `count` entries of value[2e] * (the panel row of index[e]), c1 the same with value[2e + 1]. Each
 * vector load of the panel feeds two FMAs (2 x 6 accumulators, one panel vector and two broadcasts:
 * 15 of AVX2's 16 registers). `start` is the row itself (the sums of earlier tiles) or, on its first
 * visit, its bias or zeros. `vectors` is a constant in each inlined copy. */
static inline __attribute__((always_inline)) void pair_block(const int vectors, size_t tail, const int32_t *restrict index,
                                                             const float *restrict value, size_t count,
                                                             const float *restrict rows, size_t width, float *c0,
                                                             const float *start0, float *c1, const float *start1) {
    lx_v8 acc0[panel_vectors], acc1[panel_vectors];
    for (int v = 0; v < vectors; v++) {
        __builtin_memcpy(&acc0[v], start0 + v * lanes, sizeof acc0[v]);
        __builtin_memcpy(&acc1[v], start1 + v * lanes, sizeof acc1[v]);
    }
    for (size_t e = 0; e < count; e++) {
        lx_v8 a0 = value[2 * e], a1 = value[2 * e + 1];
        const float *restrict row = rows + (size_t)index[e] * width;
        for (int v = 0; v < vectors; v++) {
            lx_v8 b;
            __builtin_memcpy(&b, row + v * lanes, sizeof b);
            acc0[v] += a0 * b;
            acc1[v] += a1 * b;
        }
    }
    for (int v = 0; v < vectors; v++) {
        __builtin_memcpy(c0 + v * lanes, &acc0[v], sizeof acc0[v]);
        if (c1) __builtin_memcpy(c1 + v * lanes, &acc1[v], sizeof acc1[v]);
    }
    for (size_t t = (size_t)vectors * lanes; t < (size_t)vectors * lanes + tail; t++) {
        float s0 = start0[t], s1 = start1[t];
        for (size_t e = 0; e < count; e++) {
            float b = rows[(size_t)index[e] * width + t];
            s0 += value[2 * e] * b;
            s1 += value[2 * e + 1] * b;
        }
        c0[t] = s0;
        if (c1) c1[t] = s1;
    }
}

/* pair_block with its vector count as a constant: one inlined copy per count. */
static inline __attribute__((always_inline)) void pair_block_of_width(size_t width, const int32_t *index,
                                                                      const float *value, size_t count,
                                                                      const float *rows, float *c0, const float *start0,
                                                                      float *c1, const float *start1) {
    size_t tail = width % lanes;
    switch (width / lanes) {
    case 6: pair_block(6, tail, index, value, count, rows, width, c0, start0, c1, start1); break;
    case 5: pair_block(5, tail, index, value, count, rows, width, c0, start0, c1, start1); break;
    case 4: pair_block(4, tail, index, value, count, rows, width, c0, start0, c1, start1); break;
    case 3: pair_block(3, tail, index, value, count, rows, width, c0, start0, c1, start1); break;
    case 2: pair_block(2, tail, index, value, count, rows, width, c0, start0, c1, start1); break;
    case 1: pair_block(1, tail, index, value, count, rows, width, c0, start0, c1, start1); break;
    default: pair_block(0, tail, index, value, count, rows, width, c0, start0, c1, start1); break;
    }
}

/* Row i's piece of C once all tiles are done: its bias alone when the row had no entries (the sums
 * started from it otherwise), then the activation. */
static inline void finish_row(float *restrict c, size_t width, const float *restrict start, int empty, int activation) {
    if (empty) memcpy(c, start, width * sizeof *c);
    if (activation == LX_ACTIVATION_IDENTITY) return;
    for (size_t t = 0; t < width; t++) c[t] = lx_activate(c[t], activation);
}

LX_CLONES
void lx_sparse_pairs_times_dense(size_t m, size_t n, size_t depth, const int32_t *restrict counts,
                                 const int32_t *restrict indices, const float *restrict values,
                                 const float *restrict panels, const float *restrict bias, int activation, float *restrict c,
                                 size_t ldc, int32_t *restrict cursor) {
    static const float zeros[LX_SPARSE_PANEL];
    size_t pairs = (m + 1) / 2;
    for (size_t j0 = 0; j0 < n; j0 += panel) {
        size_t width = n - j0 < panel ? n - j0 : panel;
        const float *restrict rows = panels + j0 * depth;
        const float *restrict start = bias ? bias + j0 : zeros;
        for (size_t p0 = 0; p0 < pairs; p0 += pair_block_size) {
            size_t p1 = p0 + pair_block_size < pairs ? p0 + pair_block_size : pairs;
            for (size_t p = p0; p < p1; p++) cursor[p] = (int32_t)(p * depth);
            /* Each tile of B's rows [k0, k0 + tile_depth) once per block of pairs, every pair taking
             * its entries there: the tile and the block's rows of C stay in L1. */
            for (size_t k0 = 0; k0 < depth; k0 += tile_depth) {
                int32_t k1 = (int32_t)(k0 + tile_depth);
                for (size_t p = p0; p < p1; p++) {
                    int32_t first = cursor[p], end = (int32_t)(p * depth) + counts[p], stop = first;
                    while (stop < end && indices[stop] < k1) stop++;
                    if (stop == first) continue;
                    float *c0 = c + 2 * p * ldc + j0, *c1 = 2 * p + 1 < m ? c0 + ldc : NULL;
                    int fresh = first == (int32_t)(p * depth);
                    pair_block_of_width(width, indices + first, values + 2 * (size_t)first, (size_t)(stop - first), rows,
                                        c0, fresh ? start : c0, c1, fresh ? start : (c1 ? c1 : c0));
                    cursor[p] = stop;
                }
            }
            for (size_t p = p0; p < p1; p++) {
                int empty = counts[p] == 0;
                finish_row(c + 2 * p * ldc + j0, width, start, empty, activation);
                if (2 * p + 1 < m) finish_row(c + (2 * p + 1) * ldc + j0, width, start, empty, activation);
            }
        }
    }
}

LX_CLONES
void lx_sparse_transpose_rows(const float *restrict a, size_t rows, size_t columns, size_t first, size_t last,
                              float *restrict t) {
    for (size_t i0 = first; i0 < last; i0 += transpose_tile) {
        size_t i1 = i0 + transpose_tile < last ? i0 + transpose_tile : last;
        for (size_t j0 = 0; j0 < columns; j0 += transpose_tile) {
            size_t j1 = j0 + transpose_tile < columns ? j0 + transpose_tile : columns;
            lx_transpose_block(a + i0 * columns + j0, columns, i1 - i0, j1 - j0, t + j0 * rows + i0, rows);
        }
    }
}
