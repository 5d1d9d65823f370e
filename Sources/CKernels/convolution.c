#include "convolution.h"
#include "multiversion.h"
#include "activation_inline.h"
#include <stdint.h>
#include <string.h>

/* The outputs o in [*first, *end) whose input pixel o * stride + offset lies in [0, in_side). */
static inline void valid_outputs(long offset, size_t stride, size_t in_side, size_t out_side,
                                 size_t *first, size_t *end) {
    long s = (long)stride;
    long lo = offset >= 0 ? 0 : (-offset + s - 1) / s;
    long last_input = (long)in_side - 1 - offset;          /* o * stride <= last_input */
    long hi = last_input < 0 ? 0 : last_input / s + 1;
    if (hi > (long)out_side) hi = (long)out_side;
    if (lo > hi) lo = hi;
    *first = (size_t)lo;
    *end = (size_t)hi;
}

/* The general paths: loops with the image bounds worked out per kernel row and column. Any size works,
 * but inner loops are only out_side long, which costs most of the time on 7 x 7 planes. */
static inline __attribute__((always_inline)) void im2col_bounded(lx_conv_geometry g, const float *restrict x, size_t batch,
                           float *restrict columns, size_t row_stride, size_t column_stride) {
    const size_t k = g.kernel, in = g.in_side, out = g.out_side, plane = out * out;
    for (size_t b = 0; b < batch; b++)
        for (size_t c = 0; c < g.channels; c++) {
            const float *image = x + (b * g.channels + c) * in * in;
            for (size_t kh = 0; kh < k; kh++) {
                long row_offset = (long)kh - (long)g.padding;
                size_t y_first, y_end;
                valid_outputs(row_offset, g.stride, in, out, &y_first, &y_end);
                for (size_t kw = 0; kw < k; kw++) {
                    long column_offset = (long)kw - (long)g.padding;
                    size_t x_first, x_end;
                    valid_outputs(column_offset, g.stride, in, out, &x_first, &x_end);
                    size_t r = (c * k + kh) * k + kw;
                    float *target = columns + r * row_stride + b * plane * column_stride;
                    for (size_t oy = 0; oy < out; oy++) {
                        float *t = target + oy * out * column_stride;
                        if (oy < y_first || oy >= y_end) {
                            for (size_t ox = 0; ox < out; ox++) t[ox * column_stride] = 0;
                            continue;
                        }
                        const float *source = image + ((long)(oy * g.stride) + row_offset) * (long)in;
                        for (size_t ox = 0; ox < x_first; ox++) t[ox * column_stride] = 0;
                        if (column_stride == 1) {   /* the training layout: contiguous writes */
                            for (size_t ox = x_first; ox < x_end; ox++)
                                t[ox] = source[(long)(ox * g.stride) + column_offset];
                        } else {
                            for (size_t ox = x_first; ox < x_end; ox++)
                                t[ox * column_stride] = source[(long)(ox * g.stride) + column_offset];
                        }
                        for (size_t ox = x_end; ox < out; ox++) t[ox * column_stride] = 0;
                    }
                }
            }
        }
}

static inline __attribute__((always_inline)) void col2im_bounded(lx_conv_geometry g, const float *restrict columns, size_t row_stride,
                           size_t column_stride, size_t batch, float *restrict x) {
    const size_t k = g.kernel, in = g.in_side, out = g.out_side, plane = out * out;
    for (size_t b = 0; b < batch; b++)
        for (size_t c = 0; c < g.channels; c++) {
            float *image = x + (b * g.channels + c) * in * in;
            for (size_t kh = 0; kh < k; kh++) {
                long row_offset = (long)kh - (long)g.padding;
                size_t y_first, y_end;
                valid_outputs(row_offset, g.stride, in, out, &y_first, &y_end);
                for (size_t kw = 0; kw < k; kw++) {
                    long column_offset = (long)kw - (long)g.padding;
                    size_t x_first, x_end;
                    valid_outputs(column_offset, g.stride, in, out, &x_first, &x_end);
                    size_t r = (c * k + kh) * k + kw;
                    const float *source = columns + r * row_stride + b * plane * column_stride;
                    for (size_t oy = y_first; oy < y_end; oy++) {
                        const float *s = source + oy * out * column_stride;
                        float *target = image + ((long)(oy * g.stride) + row_offset) * (long)in;
                        if (column_stride == 1) {
                            for (size_t ox = x_first; ox < x_end; ox++)
                                target[(long)(ox * g.stride) + column_offset] += s[ox];
                        } else {
                            for (size_t ox = x_first; ox < x_end; ox++)
                                target[(long)(ox * g.stride) + column_offset] += s[ox * column_stride];
                        }
                    }
                }
            }
        }
}

/* The vector paths, for stride 1 or 2 on planes of at most 16 positions a side per phase (the conv VAE's
 * 28 -> 14 and 14 -> 7 included): whole rows move as 16-float vectors, and a stride-2 row is split into
 * its even and odd columns ("phases") by two shuffles instead of being read element by element.
 *
 * Columns are taken in image coordinates: kernel column kw at output column ox reads image column
 * ix = ox * stride + d, d = kw - padding, which is element j = ox + shift of phase (d mod stride) of the
 * row, shift = floor(d / stride). The fast paths accept shifts in [-2, 2]. */
typedef float lx_v16 __attribute__((ext_vector_type(16)));
typedef int lx_m16 __attribute__((ext_vector_type(16)));

enum { lanes = 16, margin = 16, phase_room = 3 * 16, largest_side = 32, largest_shift = 2, largest_kernel = 16 };

static inline long floor_divide(long a, long b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

static int fits_vector_path(lx_conv_geometry g, size_t column_stride) {
    if (column_stride != 1 || (g.stride != 1 && g.stride != 2)) return 0;
    if (g.in_side == 0 || g.out_side == 0 || g.kernel == 0) return 0;
    if (g.in_side > g.stride * lanes || g.out_side > lanes || g.kernel > largest_kernel) return 0;
    long s = (long)g.stride;
    return floor_divide(-(long)g.padding, s) >= -largest_shift
        && floor_divide((long)g.kernel - 1 - (long)g.padding, s) <= largest_shift;
}

/* Whether g is a 3x3 window moved by 2 over an input padded by 1, giving out_side x out_side positions:
 * the conv VAE's convolutions (out_side 14 and 7), for which the vector paths have copies with the
 * geometry as constants. */
static inline int is_fixed_window(lx_conv_geometry g, size_t out_side) {
    return g.kernel == 3 && g.stride == 2 && g.padding == 1 && g.out_side == out_side;
}

/* Vectors pass by pointer and every helper is inlined: each clone compiles them for its own width. */
#define LX_INLINE static inline __attribute__((always_inline))
LX_INLINE void load_vector(lx_v16 *v, const float *p) { __builtin_memcpy_inline(v, p, sizeof *v); }
LX_INLINE void store_vector(float *p, const lx_v16 *v) { __builtin_memcpy_inline(p, v, sizeof *v); }

/* Adds v moved `shift` lanes up (lane i to lane i + shift; lanes moved out are dropped) to *sum. */
LX_INLINE void add_shifted(lx_v16 *sum, const lx_v16 *v, long shift) {
    const lx_v16 z = 0;
    switch (shift) {
    case -2: *sum += __builtin_shufflevector(*v, z, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 16); break;
    case -1: *sum += __builtin_shufflevector(*v, z, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16); break;
    case 1: *sum += __builtin_shufflevector(z, *v, 0, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30); break;
    case 2: *sum += __builtin_shufflevector(z, *v, 0, 0, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29); break;
    default: *sum += *v; break;
    }
}

/* Where kernel column kw reads, for the vector paths: phase row and lane shift (see above). */
typedef struct { long shift[largest_kernel]; int phase[largest_kernel]; } lx_tap_columns;

LX_INLINE lx_tap_columns tap_columns(lx_conv_geometry g) {
    lx_tap_columns t;
    for (size_t kw = 0; kw < g.kernel; kw++) {
        long d = (long)kw - (long)g.padding;
        t.shift[kw] = floor_divide(d, (long)g.stride);
        t.phase[kw] = (int)(d - t.shift[kw] * (long)g.stride);
    }
    return t;
}

/* Adds the row v of tap column kw to the phase it lands on: output column ox lands on phase element
 * ox + shift. */
LX_INLINE void add_tap(lx_v16 *even, lx_v16 *odd, const lx_v16 *v, const lx_tap_columns *taps, size_t kw) {
    if (taps->phase[kw]) add_shifted(odd, v, taps->shift[kw]);
    else add_shifted(even, v, taps->shift[kw]);
}

/* x [batch, channels, in, in] -> columns (row_stride, column_stride 1). Each image row is split into
 * its phases once; every (tap, output row) is then one 16-float load at a lane offset and one store.
 * Stores are 16 floats wide and spill past a short row onto the rows of later images of the same
 * column row, which are written afterwards; where a store would reach past this call's part of the
 * column row it is made element by element, so nothing else in `columns` is touched. */
LX_INLINE void im2col_vector(lx_conv_geometry g, const float *restrict x, size_t batch,
                             float *restrict columns, size_t row_stride) {
    const size_t s = g.stride, k = g.kernel, in = g.in_side, out = g.out_side, plane = out * out;
    const lx_tap_columns taps = tap_columns(g);
    float phases[largest_side][2][phase_room];   /* [image row][phase][margin, 16 elements, margin] */
    /* Image rows are read in place, 16 or 32 floats from the row's start (the lanes past the row are
     * masked off); a row whose reads would pass the end of this call's images is copied first. (A
     * copy of every plane first, as this once made, took a tenth of the unfolding's time.) */
    const size_t read_width = in > lanes ? 2 * lanes : lanes;
    const float *x_end = x + batch * g.channels * in * in;
    float last_row[2 * lanes];
    memset(phases, 0, sizeof phases);
    const lx_v16 lane = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, zero = 0;
    const lx_m16 low_valid = lane < (float)in, high_valid = lane + 16 < (float)in;
    for (size_t c = 0; c < g.channels; c++)
        for (size_t b = 0; b < batch; b++) {
            const float *image = x + (b * g.channels + c) * in * in;
            for (size_t iy = 0; iy < in; iy++) {
                lx_v16 low, high = zero;
                const float *row = image + iy * in;
                if (row + read_width > x_end) {
                    memset(last_row, 0, sizeof last_row);
                    memcpy(last_row, row, in * sizeof(float));
                    row = last_row;
                }
                load_vector(&low, row);
                if (in > lanes) load_vector(&high, row + lanes);
                low = low_valid ? low : zero;
                high = high_valid ? high : zero;
                if (s == 2) {
                    lx_v16 even = __builtin_shufflevector(low, high, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
                    lx_v16 odd = __builtin_shufflevector(low, high, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
                    store_vector(&phases[iy][0][margin], &even);
                    store_vector(&phases[iy][1][margin], &odd);
                } else {
                    store_vector(&phases[iy][0][margin], &low);
                }
            }
            for (size_t kh = 0; kh < k; kh++)
                for (size_t kw = 0; kw < k; kw++) {
                    const float *source = &phases[0][taps.phase[kw]][margin + taps.shift[kw]];
                    float *target = columns + ((c * k + kh) * k + kw) * row_stride + b * plane;
                    for (size_t oy = 0; oy < out; oy++) {
                        long iy = (long)(oy * s) - (long)g.padding + (long)kh;
                        lx_v16 v = zero;
                        if (iy >= 0 && iy < (long)in) load_vector(&v, source + iy * 2 * phase_room);
                        if (b * plane + oy * out + lanes <= batch * plane) {   /* spills onto later images */
                            store_vector(target + oy * out, &v);
                        } else {
                            for (size_t i = 0; i < out; i++) target[oy * out + i] = v[i];
                        }
                    }
                }
        }
}

/* The adjoint, per image row: the row's phases are summed in registers from the (masked, lane-shifted)
 * rows of the taps that read it, interleaved back into columns, and blended into x so that lanes past
 * the row keep what they hold (a single thread owns all of this call's x). Reads and writes that
 * would reach past this call's part of `columns` or x are made element by element. */
LX_INLINE void col2im_vector(lx_conv_geometry g, const float *restrict columns, size_t row_stride,
                             size_t batch, float *restrict x, int accumulate, const size_t s,
                             const float *restrict bias, int activation) {
    const size_t k = g.kernel, in = g.in_side, out = g.out_side, plane = out * out;
    const size_t stride_shift = s == 2 ? 1 : 0;
    const lx_tap_columns taps = tap_columns(g);
    const lx_v16 lane = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, zero = 0;
    const lx_m16 out_valid = lane < (float)out, low_valid = lane < (float)in, high_valid = lane + 16 < (float)in;
    for (size_t c = 0; c < g.channels; c++)
        for (size_t b = 0; b < batch; b++) {
            const float *base = columns + c * k * k * row_stride + b * plane;
            float *image = x + (b * g.channels + c) * in * in;
            const size_t plane_start = (b * g.channels + c) * in * in, planes_end = batch * g.channels * in * in;
            for (size_t iy = 0; iy < in; iy++) {
                lx_v16 even = zero, odd = zero;
                for (size_t kh = 0; kh < k; kh++) {
                    long ry = (long)iy + (long)g.padding - (long)kh;   /* oy * stride when tap row kh reads iy */
                    if (ry < 0 || (ry & (long)(s - 1)) != 0) continue;
                    size_t oy = (size_t)ry >> stride_shift;
                    if (oy >= out) continue;
                    const float *row = base + kh * k * row_stride + oy * out;
                    if (b * plane + oy * out + lanes > batch * plane) {   /* a full read would leave our part */
                        for (size_t kw = 0; kw < k; kw++, row += row_stride) {
                            lx_v16 v = zero;
                            for (size_t i = 0; i < out; i++) v[i] = row[i];
                            add_tap(&even, &odd, &v, &taps, kw);
                        }
                    } else {   /* two loops, not a test per tap: -O2 does not take the test out of the loop */
                        for (size_t kw = 0; kw < k; kw++, row += row_stride) {
                            lx_v16 v;
                            load_vector(&v, row);
                            v = out_valid ? v : zero;
                            add_tap(&even, &odd, &v, &taps, kw);
                        }
                    }
                }
                lx_v16 low, high;
                if (s == 2) {
                    low = __builtin_shufflevector(even, odd, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
                    high = __builtin_shufflevector(even, odd, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
                } else {
                    low = even;
                    high = zero;
                }
                if (bias) {   /* the row is complete here: its bias and activation go on before it is stored */
                    low += bias[c];
                    high += bias[c];
                }
                LX_ACTIVATE_VECTOR(low, activation, lx_v16);
                LX_ACTIVATE_VECTOR(high, activation, lx_v16);
                float *target = image + iy * in;
                if (plane_start + iy * in + (in > 16 ? 32 : 16) > planes_end) {
                    /* a full-width write would leave this call's images: exact writes */
                    for (size_t i = 0; i < in; i++) {
                        float v = i < 16 ? low[i] : high[i - 16];
                        target[i] = accumulate ? target[i] + v : v;
                    }
                    continue;
                }
                lx_v16 current, updated;
                load_vector(&current, target);
                updated = accumulate ? current + low : low;
                updated = low_valid ? updated : current;
                store_vector(target, &updated);
                if (in > 16) {
                    load_vector(&current, target + 16);
                    updated = accumulate ? current + high : high;
                    updated = high_valid ? updated : current;
                    store_vector(target + 16, &updated);
                }
            }
        }
}

LX_CLONES
void lx_im2col(lx_conv_geometry g, const float *restrict x, size_t batch,
               float *restrict columns, size_t row_stride, size_t column_stride) {
    if (fits_vector_path(g, column_stride)) {
        /* The conv VAE's 3x3 stride-2 windows with padding 1 get copies in which the window is a
         * constant, so that the loops over kernel rows, columns and output rows unroll with their
         * bounds known (a 16-image chunk of conv2's unfolding: 90 -> 56 us on one Zen 3 core); any
         * other geometry takes the general copy. */
        if (is_fixed_window(g, 7)) {
            lx_conv_geometry fixed = {g.channels, g.in_side, 7, 3, 2, 1};
            im2col_vector(fixed, x, batch, columns, row_stride);
        } else if (is_fixed_window(g, 14)) {
            lx_conv_geometry fixed = {g.channels, g.in_side, 14, 3, 2, 1};
            im2col_vector(fixed, x, batch, columns, row_stride);
        } else {
            im2col_vector(g, x, batch, columns, row_stride);
        }
    } else
        im2col_bounded(g, x, batch, columns, row_stride, column_stride);
}

LX_CLONES
void lx_to_channel_major(const float *restrict src, float *restrict dst, size_t batch, size_t channels, size_t plane) {
    for (size_t b = 0; b < batch; b++)
        for (size_t c = 0; c < channels; c++)
            memcpy(dst + (c * batch + b) * plane, src + (b * channels + c) * plane, plane * sizeof(float));
}

LX_CLONES
void lx_from_channel_major(const float *restrict src, float *restrict dst, size_t batch, size_t channels, size_t plane,
                           const float *restrict bias, int activation, int accumulate) {
    for (size_t b = 0; b < batch; b++)
        for (size_t c = 0; c < channels; c++) {
            const float *s = src + (c * batch + b) * plane;
            float *d = dst + (b * channels + c) * plane;
            float add = bias ? bias[c] : 0.0f;
            /* One loop per case, so that each is a plain vectorisable stream with no branch inside. */
            if (accumulate && activation == LX_ACTIVATION_RELU) {
                for (size_t i = 0; i < plane; i++) { float v = d[i] + s[i] + add; d[i] = v > 0 ? v : 0; }
            } else if (activation == LX_ACTIVATION_RELU) {
                for (size_t i = 0; i < plane; i++) { float v = s[i] + add; d[i] = v > 0 ? v : 0; }
            } else if (accumulate) {
                for (size_t i = 0; i < plane; i++) d[i] = lx_activate(d[i] + s[i] + add, activation);
            } else {
                for (size_t i = 0; i < plane; i++) d[i] = lx_activate(s[i] + add, activation);
            }
        }
}

LX_CLONES
void lx_add_bias_activation(float *y, const float *bias, size_t batch, size_t channels, size_t plane, int activation) {
    for (size_t b = 0; b < batch; b++)
        for (size_t c = 0; c < channels; c++) {
            float *d = y + (b * channels + c) * plane;
            float add = bias ? bias[c] : 0.0f;
            if (activation == LX_ACTIVATION_RELU) {
                for (size_t i = 0; i < plane; i++) { float v = d[i] + add; d[i] = v > 0 ? v : 0; }
            } else {
                for (size_t i = 0; i < plane; i++) d[i] = lx_activate(d[i] + add, activation);
            }
        }
}

/* col2im with an optional bias and activation (bias NULL and activation 0: plain col2im), which the
 * vector path applies as it stores each row and the bounded path in a pass after. */
LX_INLINE void col2im(lx_conv_geometry g, const float *restrict columns, size_t row_stride, size_t column_stride,
                      size_t batch, float *restrict x, int accumulate, const float *restrict bias, int activation) {
    if (fits_vector_path(g, column_stride)) {
        /* the stride as a constant: each copy has its own shuffles and row arithmetic, no test per row;
         * the conv VAE's 3x3 stride-2 windows with padding 1 (as in lx_im2col) the whole window too */
        if (is_fixed_window(g, 7)) {
            lx_conv_geometry fixed = {g.channels, g.in_side, 7, 3, 2, 1};
            col2im_vector(fixed, columns, row_stride, batch, x, accumulate, 2, bias, activation);
        } else if (is_fixed_window(g, 14)) {
            lx_conv_geometry fixed = {g.channels, g.in_side, 14, 3, 2, 1};
            col2im_vector(fixed, columns, row_stride, batch, x, accumulate, 2, bias, activation);
        } else if (g.stride == 2) {
            col2im_vector(g, columns, row_stride, batch, x, accumulate, 2, bias, activation);
        } else {
            col2im_vector(g, columns, row_stride, batch, x, accumulate, 1, bias, activation);
        }
        return;
    }
    if (!accumulate)
        for (size_t i = 0; i < batch * g.channels * g.in_side * g.in_side; i++) x[i] = 0;
    col2im_bounded(g, columns, row_stride, column_stride, batch, x);
    if (bias || activation) lx_add_bias_activation(x, bias, batch, g.channels, g.in_side * g.in_side, activation);
}

LX_CLONES
void lx_col2im(lx_conv_geometry g, const float *restrict columns, size_t row_stride, size_t column_stride,
               size_t batch, float *restrict x, int accumulate) {
    col2im(g, columns, row_stride, column_stride, batch, x, accumulate, NULL, 0);
}

LX_CLONES
void lx_col2im_bias_activation(lx_conv_geometry g, const float *restrict columns, size_t row_stride,
                               size_t column_stride, size_t batch, float *restrict x, const float *restrict bias,
                               int activation) {
    col2im(g, columns, row_stride, column_stride, batch, x, 0, bias, activation);
}

/* One channel's planes of lx_channel_gradient: each masked in place (ReLU: output NULL means none) and,
 * unless channel_major is NULL, copied in the same pass; returns the masked sum. Each plane is summed
 * in float (reassociated, so 16 lanes wide), the planes in double. */
LX_INLINE double channel_planes(float *restrict gradient, const float *restrict output, float *restrict channel_major,
                                size_t batch, size_t channels, size_t plane, size_t c) {
    double total = 0;
    for (size_t b = 0; b < batch; b++) {
#ifdef __clang__
#pragma clang fp reassociate(on)
#endif
        float *g = gradient + (b * channels + c) * plane;
        float *copy = channel_major ? channel_major + (c * batch + b) * plane : NULL;
        float sum = 0;
        if (output && copy) {
            const float *y = output + (b * channels + c) * plane;
            for (size_t i = 0; i < plane; i++) {
                float masked = y[i] > 0 ? g[i] : 0;   /* a select, not a branch */
                g[i] = masked;
                copy[i] = masked;
                sum += masked;
            }
        } else if (output) {
            const float *y = output + (b * channels + c) * plane;
            for (size_t i = 0; i < plane; i++) {
                float masked = y[i] > 0 ? g[i] : 0;
                g[i] = masked;
                sum += masked;
            }
        } else {
            for (size_t i = 0; i < plane; i++) sum += g[i];
            if (copy) memcpy(copy, g, plane * sizeof(float));
        }
        total += sum;
    }
    return total;
}

LX_CLONES
void lx_channel_gradient(float *restrict gradient, const float *restrict output, float *restrict bias_gradient,
                         float *restrict channel_major, size_t batch, size_t channels, size_t plane, int accumulate) {
    if (!accumulate)
        for (size_t c = 0; c < channels; c++) bias_gradient[c] = 0;
    for (size_t c = 0; c < channels; c++) {
        /* the conv VAE's 7x7 and 14x14 planes as constants, so that each plane's loop has a known length */
        double total = plane == 49 ? channel_planes(gradient, output, channel_major, batch, channels, 49, c)
                     : plane == 196 ? channel_planes(gradient, output, channel_major, batch, channels, 196, c)
                     : channel_planes(gradient, output, channel_major, batch, channels, plane, c);
        bias_gradient[c] += (float)total;
    }
}
