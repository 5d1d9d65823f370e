#ifndef LATENT_EXPLORER_SMALL_GEMM_H
#define LATENT_EXPLORER_SMALL_GEMM_H

#include <stddef.h>

/// BLAS-free matrix products for inference on the explorer's UI thread, which must not call OpenBLAS
/// while training keeps OpenBLAS's threads busy. Register-blocked for small shapes (one image or a few
/// latent points), single-threaded, no allocation, no global state: any number of threads may run them
/// at once on the same read-only weights.

/// C[m, n] = A[m, k] B[k, n], then + row_bias[i] on row i (row_bias may be NULL), then the
/// activation of code `activation` (kernels.h). Element (i, l) of A is a[i * a_row_stride + l * a_column_stride] (so A may be a transposed
/// view); B and C are row-major with leading dimensions ldb and ldc. C is overwritten and must not
/// overlap A or B. Vectorised along n (16 columns a vector); partial blocks are handled, any sizes work.
void lx_small_gemm(size_t m, size_t n, size_t k,
                   const float *a, size_t a_row_stride, size_t a_column_stride,
                   const float *b, size_t ldb,
                   const float *row_bias, int activation,
                   float *c, size_t ldc);

/// A linear layer in PyTorch's layout: y[r, o] = activation(bias[o] + sum_i x[r, i] w[o, i]) for
/// x [rows, in], w [out, in], bias [out] (may be NULL), y [rows, out]; `activation` is a code of kernels.h.
/// With accumulate, what y holds is added before the activation (y += x w^T for a weight gradient).
/// Dot products along `in`, blocked over 4 rows and 4 outputs; y must not overlap x or w.
void lx_small_linear(const float *x, const float *w, const float *bias, float *y,
                     size_t rows, size_t in, size_t out, int activation, int accumulate);
#endif
