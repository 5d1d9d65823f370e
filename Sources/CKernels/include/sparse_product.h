#ifndef LATENT_EXPLORER_SPARSE_PRODUCT_H
#define LATENT_EXPLORER_SPARSE_PRODUCT_H

#include <stddef.h>
#include <stdint.h>

/// A dense layer's products over only the nonzero entries of its input (Dense's sparse-input path:
/// the pixels of a letter, mostly background). A sparse matrix A [m, depth] is held by pairs of rows
/// (lines 2p and 2p + 1): pair p's entries are the places t where either line is not zero, in
/// increasing order, counts[p] of them at indices[p * depth ...], each with both lines' values at
/// values[2e], values[2e + 1] (one of them may be zero). A zero is +0 or -0; NaN is kept. So the sums
/// are those of the dense product but for zero terms. A pair shares its entries so that each load of
/// the dense side feeds two multiply-adds (adjacent pixels of a letter, or two letters, are mostly
/// zero or not together).
///
/// The dense right-hand side B [depth, n] is taken in panels of LX_SPARSE_PANEL columns (the last
/// panel holds what is left, n % LX_SPARSE_PANEL if that is not 0): panel p holds columns
/// [p * LX_SPARSE_PANEL, ...) of every row of B, its rows `width` floats long and contiguous, and starts
/// at p * LX_SPARSE_PANEL * depth. A panel's rows are what one sparse entry multiplies, so they stay in
/// the L1 cache whatever B's row stride was (a power of two, such as 512, falls into a few of L1's sets).

#define LX_SPARSE_PANEL 48

/// How many of x[0 ..< n] are not zero (NaN counts, -0 does not): how a layer measures its input's density.
size_t lx_sparse_count_nonzero(const float *x, size_t n);

/// The pairs [first, last) of `lines` lines of x, each line `length` floats: element t of line l at
/// x[l * line_stride + t * step] (x's rows: line_stride = the row stride, step = 1; x's columns:
/// line_stride = 1, step = the row stride). A last line without a partner is paired with zeros. counts
/// has a word per pair; indices room for pairs * length words and values for twice as many floats.
void lx_sparse_compress_pairs(const float *x, size_t lines, size_t length, size_t line_stride, size_t step,
                              size_t first, size_t last, int32_t *counts, int32_t *indices, float *values);

/// The panels of B [depth, n] (row k at b + k * ldb), as described above: depth * n floats.
void lx_sparse_pack_panels(const float *b, size_t depth, size_t n, size_t ldb, float *panels);

/// The panels of W^T [depth, n] from a weight w [n, depth] (row-major, a layer's [out, in]), for the
/// panels [first_panel, last_panel) only (so that threads can each take some): panels of depth * n floats.
void lx_sparse_pack_transposed_panels(const float *w, size_t n, size_t depth, size_t first_panel, size_t last_panel,
                                      float *panels);

/// C [m, n] = activation(A B + bias): C[i, :] = activation(bias + sum over the entries (k, a) of row i of
/// A of a * B[k, :]), for A sparse [m, depth] by pairs (counts, indices, values as above), B [depth, n] in
/// panels, bias [n] or NULL (none), an activation code of kernels.h. C (row i at c + i * ldc) is
/// overwritten; a row of A without entries gives activation(bias). `cursor` is scratch of (m + 1) / 2 words.
void lx_sparse_pairs_times_dense(size_t m, size_t n, size_t depth, const int32_t *counts, const int32_t *indices,
                                 const float *values, const float *panels, const float *bias, int activation, float *c,
                                 size_t ldc, int32_t *cursor);

/// t [columns, rows] gets the rows [first, last) of a [rows, columns] transposed: t[j * rows + i] =
/// a[i * columns + j] (a thread's rows of dW^T into its columns of dW).
void lx_sparse_transpose_rows(const float *a, size_t rows, size_t columns, size_t first, size_t last, float *t);

#endif
