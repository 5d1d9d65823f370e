#ifndef LATENT_EXPLORER_ACTIVE_ROWS_H
#define LATENT_EXPLORER_ACTIVE_ROWS_H

#include <stddef.h>

/// The point decoder's dense layers that read ReLU outputs (SequentialPointDecoder's ActiveRowsStep):
/// rows = W^T [hidden_count, n], row j at rows + j * stride (stride >= n), and only the rows of the active
/// units (hidden[j] > 0) are read. Rows 64-byte aligned (rows aligned, stride a multiple of 16) are read
/// without split loads: the AVX-512 path reads a 512x784 layer's active rows in about 2/3 of the time.

/// out[0..<n] += sum over j with hidden[j] > 0 of hidden[j] * rows[j*stride ..< j*stride + n]:
/// a decoder layer applied to one ReLU-activated vector, reading only the rows whose unit is active.
void lx_accumulate_active_rows(float *out, const float *rows, size_t stride, const float *hidden, size_t hidden_count,
                               size_t n);
/// The same for `points` vectors at once: out is [points, n], hidden is [points, hidden_count].
/// Blocked so that each row, once loaded, serves several points from registers.
void lx_accumulate_active_rows_batch(float *out, const float *rows, size_t stride, const float *hidden, size_t points,
                                     size_t hidden_count, size_t n);

#endif
