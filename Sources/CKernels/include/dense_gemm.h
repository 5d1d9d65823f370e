#ifndef LATENT_EXPLORER_DENSE_GEMM_H
#define LATENT_EXPLORER_DENSE_GEMM_H

#include <stddef.h>

/// The dense layers' three products on an AVX2 + FMA CPU, instead of OpenBLAS's sgemm:
///
///     C[m, n] = activation(A[m, k] B[k, n] + column_bias[j])            (accumulate = 0)
///     C[m, n] = activation(C[m, n] + A[m, k] B[k, n] + column_bias[j])   (accumulate = 1)
///
/// A(i, l) = a[i * a_row_stride + l * a_column_stride], B(l, j) = b[l * b_row_stride + j * b_column_stride]
/// (either operand transposed for free: the forward pass's x Wᵀ, the weight gradient's dpreᵀ x, the
/// input gradient's dpre W), C row-major with leading dimension ldc. column_bias may be NULL;
/// activation is a code of kernels.h (`LX_ACTIVATION_*`, 0 for none). Without accumulate, C is only
/// written, never read (what it held, NaN included, does not matter).
///
/// Why not sgemm: OpenBLAS writes zeros over C before a beta = 0 product (`sgemm_beta`), copies both
/// operands into its own layout on every call, and leaves the bias and activation to a second pass over
/// C. Here both operands are packed once a call into the kernel's layout (A in 6-row panels, B in
/// 16-column blocks, each a slice of at most 384 of the summed dimension), and C's 6 x 16 blocks are
/// summed in 12 AVX2 registers and stored once, with the bias and activation. docs/speed.md has the
/// measurements.
///
/// Runs on the calling thread; buffers are per thread, grown on first use and kept.
/// Returns 0 without touching C when this CPU does not take the AVX2 path (`lx_dense_gemm_available`).
int lx_dense_gemm(size_t m, size_t n, size_t k,
                  const float *a, size_t a_row_stride, size_t a_column_stride,
                  const float *b, size_t b_row_stride, size_t b_column_stride,
                  const float *column_bias, int activation, int accumulate,
                  float *c, size_t ldc);

/// Whether `lx_dense_gemm` computes here: where the multiversioned kernels run their x86-64-v3
/// (AVX2, FMA) copy. On an AVX-512 CPU, OpenBLAS's SkylakeX kernels are faster.
int lx_dense_gemm_available(void);

/// "AVX2 + FMA, 6x16 blocks, fused bias" or "OpenBLAS sgemm": the path the dense layers take here.
const char *lx_dense_gemm_path(void);

#endif
