#ifndef LATENT_EXPLORER_SPARSE_PRODUCT_H
#define LATENT_EXPLORER_SPARSE_PRODUCT_H

#include <stddef.h>
#include <stdint.h>

/// A dense layer's products over only the nonzero entries of its input (Dense's sparse-input path:
/// the pixels of a letter, mostly background, and the units a ReLU left at zero). A sparse matrix is
/// held row by row (CSR): the entries of row i are indices[offsets[i] ..< offsets[i + 1]] (increasing
/// column numbers) with their values at the same places. An entry is a value that is not zero: +0 and
/// -0 are left out, NaN is kept, so the sums are those of the dense product but for exact zero terms.
///
/// The dense right-hand side B [depth, n] is taken in panels of LX_SPARSE_PANEL columns (the last
/// panel holds what is left, n % LX_SPARSE_PANEL if that is not 0): panel p holds columns
/// [p * LX_SPARSE_PANEL, ...) of every row of B, its rows `width` floats long and contiguous, and starts
/// at p * LX_SPARSE_PANEL * depth. A panel's rows are what one sparse entry multiplies, so they stay in
/// the L1 cache whatever B's row stride was (a power of two, such as 512, falls into a few of L1's sets).

#define LX_SPARSE_PANEL 64

/// How many of x[0 ..< n] are not zero (NaN counts, -0 does not): how a layer measures its input's density.
size_t lx_sparse_count_nonzero(const float *x, size_t n);

/// The nonzero entries of x [rows, columns] (row r at x + r * stride) by row: offsets [rows + 1],
/// indices and values each room for rows * columns entries. Returns the number of entries.
size_t lx_sparse_compress_rows(const float *x, size_t rows, size_t columns, size_t stride, int32_t *offsets,
                               int32_t *indices, float *values);

/// The same by column, for the columns [first, last) of x [rows, columns] (row r at x + r * stride): the
/// sparse matrix x[:, first ..< last]^T, whose row j is column first + j of x and whose indices are
/// x's row numbers. offsets has room for last - first + 2 words (the extra one is scratch); indices
/// and values for rows * (last - first). row_indices, row_values (as many) and row_offsets (rows + 1)
/// are scratch: the same entries by row, on the way. Returns the number of entries.
size_t lx_sparse_compress_columns(const float *x, size_t rows, size_t stride, size_t first, size_t last,
                                  int32_t *offsets, int32_t *indices, float *values,
                                  int32_t *row_indices, float *row_values, int32_t *row_offsets);

/// The panels of B [depth, n] (row k at b + k * ldb), as described above: depth * n floats.
void lx_sparse_pack_panels(const float *b, size_t depth, size_t n, size_t ldb, float *panels);

/// The panels of W^T [depth, n] from a weight w [n, depth] (row-major, a layer's [out, in]), for the
/// panels [first_panel, last_panel) only (so that threads can each take some): panels of depth * n floats.
void lx_sparse_pack_transposed_panels(const float *w, size_t n, size_t depth, size_t first_panel, size_t last_panel,
                                      float *panels);

/// C [m, n] = activation(A B + bias): C[i, :] = activation(bias + sum over the entries (k, a) of row i of
/// A of a * B[k, :]), for A sparse [m, depth] (offsets, indices, values as above), B [depth, n] in
/// panels, bias [n] or NULL (none), an activation code of kernels.h. C (row i at c + i * ldc) is
/// overwritten; a row of A without entries gives activation(bias). `cursor` is scratch of m words.
void lx_sparse_times_dense(size_t m, size_t n, size_t depth, const int32_t *offsets, const int32_t *indices,
                           const float *values, const float *panels, const float *bias, int activation, float *c,
                           size_t ldc, int32_t *cursor);

#endif
