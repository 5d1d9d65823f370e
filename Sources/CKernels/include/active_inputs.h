#ifndef LATENT_EXPLORER_ACTIVE_INPUTS_H
#define LATENT_EXPLORER_ACTIVE_INPUTS_H

#include <stddef.h>
#include <stdint.h>

/// The pieces of a dense layer's product over the inputs a group of rows uses (Dense's
/// forward(_:into:skippingInputsZeroInEachOf:pool:), the importance-weighted bound's decoder): find
/// the input columns that are not zero in every row of the group, gather them, and gather the matching
/// rows of the transposed weight. Matrices are row-major floats.

/// The columns of `rows` rows of `columns` floats (row r at x + r * stride) holding a nonzero value
/// (-0 counts as zero) in at least one row: their indices, increasing, into `active`; returns how many.
/// `flags` is scratch of `columns` words.
size_t lx_active_columns(const float *x, size_t rows, size_t stride, size_t columns, int32_t *active, uint32_t *flags);

/// packed [rows, count] = x[r, active[a]] for the rows of x (row r at x + r * stride).
void lx_gather_columns(const float *x, size_t rows, size_t stride, const int32_t *active, size_t count, float *packed);

/// packed [count, width] = rows active[0], active[1], ... of matrix [*, width].
void lx_gather_rows(const float *matrix, size_t width, const int32_t *active, size_t count, float *packed);

/// Columns [first, last) of a [rows, columns] into rows [first, last) of its transpose t [columns, rows],
/// in cache-sized tiles (so that threads can each take a range of columns).
void lx_transpose_columns(const float *a, size_t rows, size_t columns, size_t first, size_t last, float *t);

#endif
