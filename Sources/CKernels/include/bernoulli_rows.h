#ifndef LATENT_EXPLORER_BERNOULLI_ROWS_H
#define LATENT_EXPLORER_BERNOULLI_ROWS_H

#include <stddef.h>
#include <stdint.h>

/// A dense output layer and the Bernoulli log-likelihood of its logits in one pass, for the
/// importance-weighted bound: for each row r of a ([rows, depth], row r at a + r * lda),
///
///     l = a[r] b + bias                   (b [depth, width], bias [width]: the logits)
///     out[r * out_stride] = sum_j x_j l_j - softplus(l_j)      (x [width], the image: log p(x | z))
///
/// The logits never reach memory: each 6-row x 16-column block of them is made in registers and its
/// log-likelihood added to the rows' sums at once. The sum over j is taken as lx_bce_with_logits takes
/// it (16 partial sums in float, lane t over the columns j = t mod 16 in increasing j, blocks of 1,024
/// columns added in double), with the same exp but log(1 + e) as a polynomial (within 1e-7), so the
/// result differs from -lx_bce_with_logits of the same logits by how the logits' products were summed
/// and at most about 1e-7 a column.
///
/// b's depth = top + count rows (each `width` floats) are read where they lie, not gathered: first the
/// `top` rows at b_top (row k at b_top + k * width), then rows index[0], ..., index[count - 1] of
/// `b` (row i at b + i * width: the active units' rows of a transposed weight). depth may be 0
/// (l = bias); width any size.
void lx_dense_bernoulli_rows(const float *a, size_t rows, size_t lda, const float *b_top, size_t top, const float *b,
                             const int32_t *index, size_t count, const float *bias, const float *x, size_t width,
                             double *out, size_t out_stride);

/// c [rows, width] = a [rows, count] (row r at a + r * lda) times the rows index[0 ..< count] of b
/// (row i at b + i * width), read where they lie: the folded map M_g of the bound's grouped decode,
/// [V_L | c_L]^T times the linear units' rows of the transposed output weight, without gathering them.
void lx_gemm_indexed_rows(const float *a, size_t rows, size_t lda, const float *b, const int32_t *index, size_t count,
                          size_t width, float *c);

#endif
