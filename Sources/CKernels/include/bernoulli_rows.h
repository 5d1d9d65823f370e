#ifndef LATENT_EXPLORER_BERNOULLI_ROWS_H
#define LATENT_EXPLORER_BERNOULLI_ROWS_H

#include <stddef.h>

/// A dense output layer and the Bernoulli log-likelihood of its logits in one pass, for the
/// importance-weighted bound: for each row r of a ([rows, depth], row r at a + r * lda),
///
///     l = a[r] b + bias                   (b [depth, width] row-major, bias [width]: the logits)
///     out[r * out_stride] = sum_j x_j l_j - softplus(l_j)      (x [width], the image: log p(x | z))
///
/// The logits never reach memory: each 6-row x 16-column block of them is made in registers and its
/// log-likelihood added to the rows' sums at once. The sum over j is taken as lx_bce_with_logits takes
/// it (16 partial sums in float, lane t over the columns j = t mod 16 in increasing j, blocks of 1,024
/// columns added in double), so the result differs from -lx_bce_with_logits of the same logits only in
/// how the logits' products were summed. depth may be 0 (l = bias). width any size.
void lx_dense_bernoulli_rows(const float *a, size_t rows, size_t lda, size_t depth, const float *b,
                             const float *bias, const float *x, size_t width, double *out, size_t out_stride);

#endif
