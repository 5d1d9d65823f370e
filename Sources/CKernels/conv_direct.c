#include "conv_direct.h"
#include "multiversion.h"
#include "activation_inline.h"
#include <string.h>

/* Vectors of 16 floats: one output row (O <= 16 positions) a vector; each clone compiles them for its
 * own width (two AVX2 registers, one AVX-512 register). */
typedef float lx_v16 __attribute__((ext_vector_type(16)));

enum { lanes = 16, largest_side = 2 * lanes, taps = 9, channel_block = 4 };

#define LX_INLINE static inline __attribute__((always_inline))
LX_INLINE void load16(lx_v16 *v, const float *p) { __builtin_memcpy_inline(v, p, sizeof *v); }
LX_INLINE void store16(float *p, const lx_v16 *v) { __builtin_memcpy_inline(p, v, sizeof *v); }

int lx_conv3x3s2_one_plane_fits(size_t side) { return side >= 2 && side <= largest_side; }

/* The nine taps of every output row of one image: tap[oy][kh * 3 + kw][ox] = x[2 oy - 1 + kh][2 ox - 1 + kw]
 * (0 outside the image). Each image row is split once into its even and odd columns (even[j] = x[2j],
 * odd[j] = x[2j + 1]); kernel column 0 reads odd[ox - 1] (odd moved up a lane), 1 reads even[ox], 2
 * reads odd[ox]. Lanes past O hold whatever the row has there; they are never stored. */
LX_INLINE void make_taps(const float *restrict image, size_t side, size_t out, float tap[][taps][lanes]) {
    lx_v16 even[largest_side + 2], odd[largest_side + 2];   /* rows -1 ... side, zero outside the image */
    const lx_v16 zero = 0;
    even[0] = odd[0] = zero;
    for (size_t iy = 0; iy <= side; iy++) {
        float row[largest_side] = {0};
        if (iy < side) memcpy(row, image + iy * side, side * sizeof(float));
        lx_v16 low, high;
        load16(&low, row);
        load16(&high, row + lanes);
        even[iy + 1] = __builtin_shufflevector(low, high, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        odd[iy + 1] = __builtin_shufflevector(low, high, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    }
    for (size_t oy = 0; oy < out; oy++)
        for (size_t kh = 0; kh < 3; kh++) {
            size_t r = 2 * oy + kh;   /* image row 2 oy - 1 + kh, one row down in even/odd */
            lx_v16 left = __builtin_shufflevector(zero, odd[r], 0, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30);
            store16(tap[oy][kh * 3 + 0], &left);
            store16(tap[oy][kh * 3 + 1], &even[r]);
            store16(tap[oy][kh * 3 + 2], &odd[r]);
        }
}

/* Rows oy of `rows` channels [f, f + rows): acc = sum over t of w[t] tap[t], as lx_conv_gemm sums
 * (zero, then one multiply-add per tap in order), then bias and activation, each row's O positions
 * stored into its plane. */
LX_INLINE void channel_rows(const int rows, const float tap[][lanes], const float *restrict weight, size_t f,
                            const float *restrict bias, int activation, float *restrict y, size_t out,
                            size_t plane, size_t oy) {
    lx_v16 acc[channel_block];
    for (int r = 0; r < rows; r++) acc[r] = 0;
    for (size_t t = 0; t < taps; t++) {
        lx_v16 v;
        load16(&v, tap[t]);
        for (int r = 0; r < rows; r++) acc[r] += weight[(f + (size_t)r) * taps + t] * v;
    }
    for (int r = 0; r < rows; r++) {
        lx_v16 sum = acc[r] + (bias ? bias[f + (size_t)r] : 0.0f);
        LX_ACTIVATE_VECTOR(sum, activation, lx_v16);
        float *target = y + (f + (size_t)r) * plane + oy * out;
        if (out == 14) __builtin_memcpy_inline(target, &sum, 14 * sizeof(float));   /* the conv VAE's 28 -> 14 */
        else for (size_t i = 0; i < out; i++) target[i] = sum[i];
    }
}

/* One image: its taps, then blocks of 4 channels (4 accumulators of 16 lanes and a tap: 10 of AVX2's 16
 * registers), each channel's plane written row after row. */
LX_INLINE void one_image(const float *restrict image, size_t side, const float *restrict weight, size_t channels,
                         const float *restrict bias, int activation, float *restrict y) {
    const size_t out = (side - 1) / 2 + 1, plane = out * out;
    float tap[lanes][taps][lanes];
    make_taps(image, side, out, tap);
    size_t f = 0;
    for (; f + channel_block <= channels; f += channel_block)
        for (size_t oy = 0; oy < out; oy++)
            channel_rows(channel_block, tap[oy], weight, f, bias, activation, y, out, plane, oy);
    for (; f < channels; f++)
        for (size_t oy = 0; oy < out; oy++)
            channel_rows(1, tap[oy], weight, f, bias, activation, y, out, plane, oy);
}

LX_CLONES
void lx_conv3x3s2_one_plane(const float *restrict x, size_t batch, size_t side, const float *restrict weight,
                            size_t channels, const float *restrict bias, int activation, float *restrict y) {
    const size_t out = (side - 1) / 2 + 1;
    for (size_t b = 0; b < batch; b++) {
        const float *image = x + b * side * side;
        float *planes = y + b * channels * out * out;
        /* the conv VAE's 28 x 28 planes as a constant, so that the row loops unroll */
        if (side == 28) one_image(image, 28, weight, channels, bias, activation, planes);
        else one_image(image, side, weight, channels, bias, activation, planes);
    }
}
