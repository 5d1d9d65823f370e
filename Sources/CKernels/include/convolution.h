#ifndef LATENT_EXPLORER_CONVOLUTION_H
#define LATENT_EXPLORER_CONVOLUTION_H

#include <stddef.h>

/// The memory-bound passes of the convolution layers (the matrix products are sgemm calls in training
/// and `lx_gemm_small` at inference), built per vector width like the other kernels.
///
/// Images are square and NCHW: image b, channel c, row y, column x of a [batch, channels, side, side]
/// tensor is at ((b * channels + c) * side + y) * side + x.

/// A square Conv2d's geometry as PyTorch defines it: `channels` input planes of `in_side` x `in_side`
/// pixels, a `kernel` x `kernel` window moved by `stride` over the input padded with `padding` zeros on
/// every side, giving `out_side` x `out_side` positions (out_side = (in_side + 2 padding - kernel) /
/// stride + 1, or one less than that or more for a transposed convolution's output padding: the kernels
/// take it as given). A ConvTranspose2d uses the geometry of the Conv2d it transposes, whose input is
/// the transposed convolution's output.
typedef struct {
    size_t channels, in_side, out_side, kernel, stride, padding;
} lx_conv_geometry;

/// The unfolded ("im2col") matrix of a batch of images has one row per (channel, kernel row, kernel
/// column) and one column per (image, output row, output column):
///
///     element (r, q), r = (c * kernel + kh) * kernel + kw,  q = (b * out_side + oy) * out_side + ox,
///     = x[b, c, oy * stride - padding + kh, ox * stride - padding + kw]   (0 outside the image),
///
/// stored at columns[r * row_stride + q * column_stride]: row_stride = batch * out_side^2 and
/// column_stride = 1 is the row-major [channels * kernel^2, batch * out_side^2] matrix the layers use;
/// row_stride = 1, column_stride = channels * kernel^2 is its transpose.

/// x [batch, channels, in_side, in_side] -> columns (every element written).
void lx_im2col(lx_conv_geometry geometry, const float *x, size_t batch,
               float *columns, size_t row_stride, size_t column_stride);

/// The adjoint of lx_im2col: every x pixel receives the sum of the column elements read from it
/// (elements read from the padding are dropped). With accumulate the sum is added to what x holds,
/// otherwise it replaces it.
void lx_col2im(lx_conv_geometry geometry, const float *columns, size_t row_stride, size_t column_stride,
               size_t batch, float *x, int accumulate);

/// lx_col2im into x (replacing what it holds), then x = activation(x + bias[c]) on channel c, in the
/// same pass where the layout allows (each image row is stored once, complete): the forward pass of a
/// transposed convolution. bias may be NULL; `activation` is a code of kernels.h.
void lx_col2im_bias_activation(lx_conv_geometry geometry, const float *columns, size_t row_stride,
                               size_t column_stride, size_t batch, float *x, const float *bias, int activation);

/// src [batch, channels, plane] -> dst [channels, batch * plane]: the layout in which one sgemm covers
/// the whole batch.
void lx_to_channel_major(const float *src, float *dst, size_t batch, size_t channels, size_t plane);

/// src [channels, batch * plane] -> dst [batch, channels, plane]:
/// dst = activation(src + bias[c]), or with accumulate dst = activation(dst + src + bias[c]).
/// bias may be NULL (no bias); `activation` is a code of kernels.h.
void lx_from_channel_major(const float *src, float *dst, size_t batch, size_t channels, size_t plane,
                           const float *bias, int activation, int accumulate);

/// y [batch, channels, plane] = activation(y + bias[c]) in place (bias may be NULL).
void lx_add_bias_activation(float *y, const float *bias, size_t batch, size_t channels, size_t plane, int activation);

/// The backward pass of bias + activation, for gradient and output [batch, channels, plane]:
/// where output <= 0 the gradient is zeroed in place (output NULL: identity, nothing masked);
/// bias_gradient[c] receives the sum over images and positions of the (masked) gradient, added to what
/// it holds with accumulate; channel_major, unless NULL, receives the masked gradient as
/// [channels, batch * plane].
void lx_channel_gradient(float *gradient, const float *output, float *bias_gradient, float *channel_major,
                         size_t batch, size_t channels, size_t plane, int accumulate);
#endif
