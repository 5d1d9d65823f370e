#ifndef LATENT_EXPLORER_KERNELS_H
#define LATENT_EXPLORER_KERNELS_H

#include <stddef.h>

/// Element-wise kernels of the training step that are bound by memory traffic or transcendental
/// functions. They live in C so that each machine runs a version compiled for its vector width
/// (AVX-512, AVX2 or baseline, chosen at load time); the matrix work stays in OpenBLAS.

/// One Adam step over n parameters: m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
/// p -= step_size * m / (sqrt(v) * inverse_root_correction + eps).
void lx_adam_update(float *p, const float *g, float *m, float *v, size_t n,
                    float b1, float b2, float eps, float step_size, float inverse_root_correction);

/// Binary cross-entropy from logits summed over n elements:
/// sum of softplus(l) - x * l, with softplus(l) = max(l, 0) + log1p(exp(-|l|)).
/// When gradient is not NULL it also receives (sigmoid(l) - x) * scale.
double lx_bce_with_logits(const float *logits, const float *targets, float *gradient,
                          size_t n, float scale);

/// out[i] = sigmoid(x[i]), computed without overflow; out may be x.
void lx_sigmoid(const float *x, float *out, size_t n);

/// The backward pass of a dense layer's bias and activation, for `columns` columns of gradient and
/// output matrices whose rows are `stride` floats apart: where output <= 0 the gradient is zeroed in
/// place (output NULL: identity, nothing masked), and bias_gradient[j] = sum over rows of
/// gradient[r][j] (overwritten). A thread may take a band of columns.
void lx_dense_bias_gradient(float *gradient, const float *output, float *bias_gradient, size_t rows, size_t columns,
                            size_t stride);

/// The activation codes every kernel with an `activation` argument takes (Swift's `Activation.code`):
/// identity f(v) = v, ReLU max(v, 0), LeakyReLU v for v > 0 and LX_LEAKY_RELU_SLOPE v otherwise
/// (PyTorch's `nn.LeakyReLU()` default slope).
#define LX_ACTIVATION_IDENTITY 0
#define LX_ACTIVATION_RELU 1
#define LX_ACTIVATION_LEAKY_RELU 2
#define LX_LEAKY_RELU_SLOPE 0.01f

/// A dense layer's forward after its product, for y [rows, columns]: y = activation(y + bias).
void lx_dense_bias_activation(float *y, const float *bias, size_t rows, size_t columns, int activation);

/// y[0..<n] = activation(y) in place, for a code the bias kernels were not given.
void lx_activation_forward(float *y, size_t n, int activation);

/// The backward pass of an activation whose derivative its output tells (identity, ReLU, LeakyReLU: each
/// keeps the sign of its input): gradient[i] *= f'(pre-activation), read off output[i] > 0, in place.
void lx_activation_backward(float *gradient, const float *output, size_t n, int activation);

/// out[i] = bytes[i] / 255: a mini-batch of 8-bit pixels as floats in [0, 1].
void lx_bytes_to_unit_floats(const unsigned char *bytes, float *out, size_t n);

#endif
