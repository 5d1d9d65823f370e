#ifndef LATENT_EXPLORER_CONV_DIRECT_H
#define LATENT_EXPLORER_CONV_DIRECT_H

#include <stddef.h>

/// A direct kernel for the conv VAE's thinnest product: a 3x3 window moved by 2 over one input plane
/// padded by 1, into F output planes (PyTorch's `Conv2d(1, F, 3, stride=2, padding=1)`). With K = 9
/// rows, unfolding the image and multiplying (lx_im2col, then lx_conv_gemm_planes) spends most of its
/// time storing and re-reading the 9-row columns and C's blocks, not multiplying; here each image's
/// nine taps are made once from its rows split into even and odd columns and stay in L1 while every
/// channel's rows are summed from them.
///
/// The conv VAE runs it twice a step: the first layer's forward pass (x the images, with bias and ReLU)
/// and the last transposed layer's input gradient (x the gradient of the 28x28 logits, no bias, identity),
/// which is the same convolution.
///
/// Shapes: x [batch, 1, side, side]; weight [F, 9] (`[F, 1, 3, 3]`, PyTorch's layout; for a transposed
/// layer's input gradient its `[F, 1, 3, 3]` weight read as is); bias [F] or NULL; y [batch, F, O, O],
/// O = (side - 1) / 2 + 1, NCHW, every element written. `activation` is a code of kernels.h.
///
/// Each output is activation(bias + sum over (kh, kw) in row-major order of w x), the sum taken in the
/// order lx_conv_gemm takes it (with the fused multiply-adds where the CPU has them), so on the AVX2
/// path the results are those of lx_im2col followed by lx_conv_gemm_planes, bit for bit.
void lx_conv3x3s2_one_plane(const float *x, size_t batch, size_t side, const float *weight, size_t channels,
                            const float *bias, int activation, float *y);

/// Whether lx_conv3x3s2_one_plane takes planes of this side: 2 to 32 pixels (O at most 16, one vector).
int lx_conv3x3s2_one_plane_fits(size_t side);
#endif
