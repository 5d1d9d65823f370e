#ifndef LATENT_EXPLORER_CONV_GEMM_H
#define LATENT_EXPLORER_CONV_GEMM_H

#include <stddef.h>

/// The matrix products of the convolution layers, with the contracts of `lx_small_gemm` and
/// `lx_small_linear` (small_gemm.h), blocked for the machine's registers and caches.
///
/// `lx_small_gemm`'s blocks (4 rows x 64 columns: 16 AVX-512 accumulators) are sized for 32 vector
/// registers; on an AVX2 CPU (16 registers) the same blocks spill to the stack on every step. So where the
/// multiversioned kernels run their x86-64-v3 copy (`lx_x86_64_level`: AVX2 and FMA, no AVX-512) these
/// take their own path, written for 16 registers of 8
/// floats: products as 6 x 16 blocks of C over panels of A packed contiguously, with B walked in
/// slabs that stay in the L2 cache; dot products as 4 x 3 blocks, each in one sweep of the summed dimension.
/// Where they run their x86-64-v4 copy (AVX-512), conv_gemm_avx512.c's blocks sized for 32 registers:
/// products as 14 x 32 blocks of C, one 32-column strip of B at a time read from L1 by every block of
/// rows; dot products as 8 x 3 blocks. Elsewhere they call `lx_small_gemm` and `lx_small_linear`.
/// `lx_conv_gemm_path` names the path.

/// C[m, n] = activation(A[m, k] B[k, n] + row_bias[i]): `lx_small_gemm`'s contract.
void lx_conv_gemm(size_t m, size_t n, size_t k,
                  const float *a, size_t a_row_stride, size_t a_column_stride,
                  const float *b, size_t ldb,
                  const float *row_bias, int activation,
                  float *c, size_t ldc);

/// The same product written straight into a convolution's NCHW output, with its bias and activation
/// (`n` a multiple of `plane`): element (i, q) goes to y[((q / plane) * m + i) * plane + q % plane],
/// y [n / plane images, m channels, plane positions]. `scratch` holds m n floats, for the paths that
/// store C first and then transpose it (`lx_from_channel_major`).
void lx_conv_gemm_planes(size_t m, size_t n, size_t k,
                         const float *a, size_t a_row_stride, size_t a_column_stride,
                         const float *b, size_t ldb,
                         const float *row_bias, int activation,
                         float *y, size_t plane, float *scratch);

/// y[r, o] (+)= sum_i x[r, i] w[o, i] for x [rows, in], w [out, in], y [rows, out], with no bias and
/// no activation: `lx_small_linear`'s contract for a weight gradient (accumulate adds to y).
void lx_conv_dot(const float *x, const float *w, float *y, size_t rows, size_t in, size_t out, int accumulate);

/// "AVX-512, 14x32 blocks", "AVX2 + FMA, 6x16 blocks" or "as lx_small_gemm": which path the functions above take here.
const char *lx_conv_gemm_path(void);
#endif
