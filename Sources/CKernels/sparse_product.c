#include "sparse_product.h"
#include "multiversion.h"
#include "activation_inline.h"
#include "transpose_inline.h"
#include <string.h>

typedef float lx_v8 __attribute__((ext_vector_type(8)));

/* A panel's row is 8 vectors of 8 floats: 8 accumulators and one broadcast entry, 9 of AVX2's 16
 * registers. tile_depth rows of a panel (16 KB) stay in L1 while each of a block of row_block rows of A
 * takes its entries in that range of B's rows; a row's partial sums go back to C between tiles, and the
 * block's 256-byte pieces of C (6 KB) stay in L1 beside the tile. transpose_tile: the depth
 * taken at a time when packing W^T, so that the 64 source rows' lines and the tile's stay in L1. */
enum { lanes = 8, panel = LX_SPARSE_PANEL, panel_vectors = LX_SPARSE_PANEL / 8, tile_depth = 64, row_block = 24,
       transpose_tile = 32 };

LX_CLONES
size_t lx_sparse_count_nonzero(const float *restrict x, size_t n) {
    size_t count = 0;
    for (size_t i = 0; i < n; i++) count += x[i] != 0.0f;
    return count;
}

LX_CLONES
size_t lx_sparse_compress_rows(const float *restrict x, size_t rows, size_t columns, size_t stride,
                               int32_t *restrict offsets, int32_t *restrict indices, float *restrict values) {
    /* Every element is written at the next free place and kept only when it is not zero: no branch.
     * The place is at most the elements seen before it, so it stays inside rows * columns. */
    size_t count = 0;
    offsets[0] = 0;
    for (size_t r = 0; r < rows; r++) {
        const float *restrict row = x + r * stride;
        for (size_t j = 0; j < columns; j++) {
            float v = row[j];
            indices[count] = (int32_t)j;
            values[count] = v;
            count += v != 0.0f;
        }
        offsets[r + 1] = (int32_t)count;
    }
    return count;
}

LX_CLONES
size_t lx_sparse_compress_columns(const float *restrict x, size_t rows, size_t stride, size_t first, size_t last,
                                  int32_t *restrict offsets, int32_t *restrict indices, float *restrict values,
                                  int32_t *restrict row_indices, float *restrict row_values, int32_t *restrict row_offsets) {
    size_t n = last - first;
    /* x[:, first ..< last] by row first (no branch), then a counting sort of its entries by column:
     * counts of column j at offsets[j + 2], then running sums, so that offsets[j + 1] is where column
     * j starts; placing the entries moves it to where column j ends, which is where j + 1 starts. */
    size_t count = lx_sparse_compress_rows(x + first, rows, n, stride, row_offsets, row_indices, row_values);
    memset(offsets, 0, (n + 2) * sizeof *offsets);
    for (size_t e = 0; e < count; e++) offsets[row_indices[e] + 2]++;
    for (size_t j = 2; j < n + 2; j++) offsets[j] += offsets[j - 1];
    for (size_t r = 0; r < rows; r++)
        for (int32_t e = row_offsets[r]; e < row_offsets[r + 1]; e++) {
            int32_t at = offsets[row_indices[e] + 1]++;
            indices[at] = (int32_t)r;
            values[at] = row_values[e];
        }
    return count;
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

/* c[0 ..< 8 vectors + tail] = start + sum over `count` entries of value * (the panel row of the entry's
 * index), the panel's rows `width` = 8 vectors + tail floats long. `start` is c itself (the sums of
 * earlier tiles) or, on a row's first visit, its bias or zeros. `vectors` is a constant in each
 * inlined copy. */
static inline __attribute__((always_inline)) void panel_block(const int vectors, size_t tail, const int32_t *restrict index,
                                                              const float *restrict value, size_t count,
                                                              const float *restrict rows, size_t width,
                                                              float *c, const float *start) {
    lx_v8 acc[panel_vectors];
    for (int v = 0; v < vectors; v++) __builtin_memcpy(&acc[v], start + v * lanes, sizeof acc[v]);
    for (size_t e = 0; e < count; e++) {
        lx_v8 a = value[e];
        const float *restrict row = rows + (size_t)index[e] * width;
        for (int v = 0; v < vectors; v++) {
            lx_v8 b;
            __builtin_memcpy(&b, row + v * lanes, sizeof b);
            acc[v] += a * b;
        }
    }
    for (int v = 0; v < vectors; v++) __builtin_memcpy(c + v * lanes, &acc[v], sizeof acc[v]);
    for (size_t t = (size_t)vectors * lanes; t < (size_t)vectors * lanes + tail; t++) {
        float s = start[t];
        for (size_t e = 0; e < count; e++) s += value[e] * rows[(size_t)index[e] * width + t];
        c[t] = s;
    }
}

/* panel_block with its vector count as a constant: one inlined copy per count. */
static inline __attribute__((always_inline)) void panel_block_of_width(size_t width, const int32_t *index,
                                                                       const float *value, size_t count,
                                                                       const float *rows, float *c, const float *fresh) {
    size_t tail = width % lanes;
    switch (width / lanes) {
    case 8: panel_block(8, tail, index, value, count, rows, width, c, fresh); break;
    case 7: panel_block(7, tail, index, value, count, rows, width, c, fresh); break;
    case 6: panel_block(6, tail, index, value, count, rows, width, c, fresh); break;
    case 5: panel_block(5, tail, index, value, count, rows, width, c, fresh); break;
    case 4: panel_block(4, tail, index, value, count, rows, width, c, fresh); break;
    case 3: panel_block(3, tail, index, value, count, rows, width, c, fresh); break;
    case 2: panel_block(2, tail, index, value, count, rows, width, c, fresh); break;
    case 1: panel_block(1, tail, index, value, count, rows, width, c, fresh); break;
    default: panel_block(0, tail, index, value, count, rows, width, c, fresh); break;
    }
}

/* Row i's piece of C once all tiles are done: its bias alone when the row has no entries (the sums
 * started from it otherwise), then the activation. */
static inline void finish_row(float *restrict c, size_t width, const float *restrict start, int empty, int activation) {
    if (empty) memcpy(c, start, width * sizeof *c);
    if (activation == LX_ACTIVATION_IDENTITY) return;
    for (size_t t = 0; t < width; t++) c[t] = lx_activate(c[t], activation);
}

LX_CLONES
void lx_sparse_times_dense(size_t m, size_t n, size_t depth, const int32_t *restrict offsets,
                           const int32_t *restrict indices, const float *restrict values, const float *restrict panels,
                           const float *restrict bias, int activation, float *restrict c, size_t ldc,
                           int32_t *restrict cursor) {
    static const float zeros[LX_SPARSE_PANEL];
    for (size_t j0 = 0; j0 < n; j0 += panel) {
        size_t width = n - j0 < panel ? n - j0 : panel;
        const float *restrict rows = panels + j0 * depth;
        const float *restrict start = bias ? bias + j0 : zeros;
        for (size_t i0 = 0; i0 < m; i0 += row_block) {
            size_t i1 = i0 + row_block < m ? i0 + row_block : m;
            for (size_t i = i0; i < i1; i++) cursor[i] = offsets[i];
            /* Each tile of B's rows [k0, k0 + tile_depth) once per block of rows of A, every row of
             * the block taking its entries there: the tile and the block's rows of C stay in L1. */
            for (size_t k0 = 0; k0 < depth; k0 += tile_depth) {
                int32_t k1 = (int32_t)(k0 + tile_depth);
                for (size_t i = i0; i < i1; i++) {
                    int32_t first = cursor[i], end = offsets[i + 1], stop = first;
                    while (stop < end && indices[stop] < k1) stop++;
                    if (stop == first) continue;
                    float *target = c + i * ldc + j0;
                    panel_block_of_width(width, indices + first, values + first, (size_t)(stop - first), rows, target,
                                         first == offsets[i] ? start : target);
                    cursor[i] = stop;
                }
            }
            for (size_t i = i0; i < i1; i++)
                finish_row(c + i * ldc + j0, width, start, offsets[i] == offsets[i + 1], activation);
        }
    }
}
