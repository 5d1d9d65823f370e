#ifndef LATENT_EXPLORER_LINEAR_UNITS_H
#define LATENT_EXPLORER_LINEAR_UNITS_H

#include <stddef.h>
#include <stdint.h>

/// The pieces of the importance-weighted bound's two-layer decode that folds, for each group of rows
/// (an image's K samples), the hidden units that are positive in every row into one affine map of the
/// first layer's input (Dense's forward(_:into:skippingInputsZeroInEachOf:after:scratch:pool:), which
/// says the math). Matrices are row-major floats.

/// Sorts the `columns` hidden units of `rows` rows (row r at h + r * stride) into those positive in
/// every row (`linear`, increasing, `*linear_count` of them) and those nonzero in some row but not
/// positive in all (`varying`, increasing; returns how many). A unit zero (or -0) in every row is in
/// neither. A NaN is not positive, so a unit holding one is varying and reaches the product as it is.
/// `flags` is scratch of 2 * `columns` words.
size_t lx_split_active_columns(const float *h, size_t rows, size_t stride, size_t columns, int32_t *linear,
                               size_t *linear_count, int32_t *varying, uint32_t *flags);

/// packed [rows, inputs + 1 + varying_count]: row r is x's row r (`inputs` values, row r at
/// x + r * x_stride), then 1, then h[r, varying[a]] for a = 0 ..< varying_count (row r at h + r * h_stride).
void lx_pack_affine_inputs(const float *x, size_t x_stride, size_t inputs, const float *h, size_t h_stride,
                           const int32_t *varying, size_t varying_count, size_t rows, float *packed);

/// packed [inputs + 1, count]: packed[l, a] = weight[linear[a], l] for l < inputs (weight is
/// [*, inputs], a dense layer's [out, in]) and packed[inputs, a] = bias[linear[a]]: the linear units'
/// rows of the first layer's [W | b], transposed.
void lx_pack_linear_units(const float *weight, const float *bias, size_t inputs, const int32_t *linear, size_t count,
                          float *packed);

#endif
