#include "convolution.h"
#include "multiversion.h"
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

LX_CLONES
void lx_im2col(lx_conv_geometry g, const float *restrict x, size_t batch,
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

LX_CLONES
void lx_col2im(lx_conv_geometry g, const float *restrict columns, size_t row_stride, size_t column_stride,
               size_t batch, float *restrict x) {
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

LX_CLONES
void lx_to_channel_major(const float *restrict src, float *restrict dst, size_t batch, size_t channels, size_t plane) {
    for (size_t b = 0; b < batch; b++)
        for (size_t c = 0; c < channels; c++)
            memcpy(dst + (c * batch + b) * plane, src + (b * channels + c) * plane, plane * sizeof(float));
}

LX_CLONES
void lx_from_channel_major(const float *restrict src, float *restrict dst, size_t batch, size_t channels, size_t plane,
                           const float *restrict bias, int relu, int accumulate) {
    for (size_t b = 0; b < batch; b++)
        for (size_t c = 0; c < channels; c++) {
            const float *s = src + (c * batch + b) * plane;
            float *d = dst + (b * channels + c) * plane;
            float add = bias ? bias[c] : 0.0f;
            /* Four loops, so that each is a plain vectorisable stream with no branch inside. */
            if (accumulate && relu) {
                for (size_t i = 0; i < plane; i++) { float v = d[i] + s[i] + add; d[i] = v > 0 ? v : 0; }
            } else if (accumulate) {
                for (size_t i = 0; i < plane; i++) d[i] += s[i] + add;
            } else if (relu) {
                for (size_t i = 0; i < plane; i++) { float v = s[i] + add; d[i] = v > 0 ? v : 0; }
            } else {
                for (size_t i = 0; i < plane; i++) d[i] = s[i] + add;
            }
        }
}

LX_CLONES
void lx_add_bias_activation(float *y, const float *bias, size_t batch, size_t channels, size_t plane, int relu) {
    for (size_t b = 0; b < batch; b++)
        for (size_t c = 0; c < channels; c++) {
            float *d = y + (b * channels + c) * plane;
            float add = bias ? bias[c] : 0.0f;
            if (relu) {
                for (size_t i = 0; i < plane; i++) { float v = d[i] + add; d[i] = v > 0 ? v : 0; }
            } else {
                for (size_t i = 0; i < plane; i++) d[i] += add;
            }
        }
}

LX_CLONES
void lx_channel_gradient(float *restrict gradient, const float *restrict output, float *restrict bias_gradient,
                         float *restrict channel_major, size_t batch, size_t channels, size_t plane) {
    /* Each plane is summed in float (reassociated, so 16 lanes wide), the planes of a channel in double. */
    for (size_t c = 0; c < channels; c++) bias_gradient[c] = 0;
    for (size_t c = 0; c < channels; c++) {
        double total = 0;
        for (size_t b = 0; b < batch; b++) {
#ifdef __clang__
#pragma clang fp reassociate(on)
#endif
            float *g = gradient + (b * channels + c) * plane;
            float sum = 0;
            if (output) {
                const float *y = output + (b * channels + c) * plane;
                for (size_t i = 0; i < plane; i++) {
                    float masked = y[i] > 0 ? g[i] : 0;   /* a select, not a branch */
                    g[i] = masked;
                    sum += masked;
                }
            } else {
                for (size_t i = 0; i < plane; i++) sum += g[i];
            }
            if (channel_major) memcpy(channel_major + (c * batch + b) * plane, g, plane * sizeof(float));
            total += sum;
        }
        bias_gradient[c] = (float)total;
    }
}
