#ifndef LATENT_EXPLORER_CONV_GEMM_AVX512_H
#define LATENT_EXPLORER_CONV_GEMM_AVX512_H

#include <stddef.h>

/* The AVX-512 path of conv_gemm.h's products, with the same contracts: call only where the CPU has
 * AVX-512 F/BW/DQ/VL (`lx_x86_64_level() == 4`). x86-64 only. */

/* C[m, n] = activation(A[m, k] B[k, n] + row_bias[i]): `lx_conv_gemm`'s contract, any sizes. */
void lx_conv_gemm_avx512(size_t m, size_t n, size_t k, const float *a, size_t a_row_stride, size_t a_column_stride,
                         const float *b, size_t ldb, const float *row_bias, int activation, float *c, size_t ldc);

/* The same written straight into NCHW planes (`lx_conv_gemm_planes`' contract), for plane >= 16: a
 * vector of 16 columns then spans at most two images. */
void lx_conv_gemm_planes_avx512(size_t m, size_t n, size_t k, const float *a, size_t a_row_stride,
                                size_t a_column_stride, const float *b, size_t ldb, const float *row_bias,
                                int activation, float *y, size_t plane);

/* y[r, o] (+)= sum_i x[r, i] w[o, i]: `lx_conv_dot`'s contract. */
void lx_conv_dot_avx512(const float *x, const float *w, float *y, size_t rows, size_t in, size_t out, int accumulate);

#endif
