#include "kernels.h"
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "multiversion.h"

/* exp(x) for x <= 0, to about 2 ulp: x = n ln2 + r with |r| <= ln2/2, exp(r) by its Taylor series to
 * degree 7, 2^n from the exponent bits. Plain arithmetic, so loops over it vectorise. */
static inline float lx_exp_nonpositive(float x) {
    if (x < -87.0f) x = -87.0f;                       /* exp(-87) ~ 1.6e-38: still a normal float */
    float n = __builtin_rintf(x * 1.44269504f);
    float r = x - n * 0.693145752f - n * 1.42860677e-6f;  /* ln 2 split in two for exactness */
    float p = 1.0f / 5040.0f;
    p = p * r + 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    int32_t bits = ((int32_t)n + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

/* log(1 + e) for e in [0, 1]: y = 1 + e = m 2^k with m in [sqrt(1/2), sqrt(2)), and
 * log m = 2 atanh(t) = 2 (t + t^3/3 + t^5/5 + t^7/7 + t^9/9), t = (m - 1) / (m + 1), |t| <= 0.172. */
static inline float lx_log1p_unit(float e) {
    float y = 1.0f + e;
    int32_t bits;
    memcpy(&bits, &y, sizeof bits);
    int32_t k = ((bits >> 23) & 0xff) - 127;
    int32_t mantissa = (bits & 0x007fffff) | 0x3f800000;  /* m in [1, 2) */
    float m;
    memcpy(&m, &mantissa, sizeof m);
    if (m > 1.41421356f) { m *= 0.5f; k += 1; }
    float t = (m - 1.0f) / (m + 1.0f);
    float t2 = t * t;
    float s = t2 * (1.0f / 9.0f) + 1.0f / 7.0f;
    s = s * t2 + 1.0f / 5.0f;
    s = s * t2 + 1.0f / 3.0f;
    s = s * t2 + 1.0f;
    return 2.0f * t * s + (float)k * 0.693147181f;
}

LX_CLONES
void lx_adam_update(float *restrict p, const float *restrict g, float *restrict m, float *restrict v, size_t n,
                    float b1, float b2, float eps, float step_size, float inverse_root_correction) {
    for (size_t i = 0; i < n; i++) {
        float gi = g[i];
        float mi = b1 * m[i] + (1.0f - b1) * gi;
        float vi = b2 * v[i] + (1.0f - b2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] -= step_size * mi / (__builtin_sqrtf(vi) * inverse_root_correction + eps);
    }
}

LX_CLONES
double lx_bce_with_logits(const float *restrict logits, const float *restrict targets, float *restrict gradient,
                          size_t n, float scale) {
    double total = 0;
    /* Blocks of 1024 summed in float, the block sums in double: accurate and fast. Summing a block
     * in any order (reassociation) is what lets the loop run 16 lanes wide. */
    for (size_t start = 0; start < n; start += 1024) {
#ifdef __clang__
#pragma clang fp reassociate(on)
#endif
        size_t end = start + 1024 < n ? start + 1024 : n;
        float block = 0;
        if (gradient) {
            for (size_t i = start; i < end; i++) {
                float l = logits[i], x = targets[i];
                float e = lx_exp_nonpositive(-fabsf(l));
                block += fmaxf(l, 0.0f) + lx_log1p_unit(e) - x * l;
                float inverse = 1.0f / (1.0f + e);
                float sigmoid = l >= 0 ? inverse : e * inverse;
                gradient[i] = (sigmoid - x) * scale;
            }
        } else {
            for (size_t i = start; i < end; i++) {
                float l = logits[i];
                block += fmaxf(l, 0.0f) + lx_log1p_unit(lx_exp_nonpositive(-fabsf(l))) - targets[i] * l;
            }
        }
        total += block;
    }
    return total;
}

LX_CLONES
void lx_sigmoid(const float *x, float *out, size_t n) {   /* in place allowed: no restrict */
    /* Element i is read before it is written and nothing else is touched, so even out == x vectorises
     * (the compiler's own overlap check would send that call to the scalar loop). */
#ifdef __clang__
#pragma clang loop vectorize(assume_safety)
#endif
    for (size_t i = 0; i < n; i++) {
        float e = lx_exp_nonpositive(-fabsf(x[i]));
        float inverse = 1.0f / (1.0f + e);
        out[i] = x[i] >= 0 ? inverse : e * inverse;
    }
}

LX_CLONES
void lx_dense_bias_gradient(float *restrict gradient, const float *restrict output, float *restrict bias_gradient,
                            size_t rows, size_t columns, size_t stride) {
    for (size_t j = 0; j < columns; j++) bias_gradient[j] = 0;
    for (size_t r = 0; r < rows; r++) {
        float *restrict g = gradient + r * stride;
        if (output) {
            const float *restrict y = output + r * stride;
            for (size_t j = 0; j < columns; j++) {
                float masked = y[j] > 0 ? g[j] : 0;   /* a select, not a branch */
                g[j] = masked;
                bias_gradient[j] += masked;
            }
        } else {
            for (size_t j = 0; j < columns; j++) bias_gradient[j] += g[j];
        }
    }
}

LX_CLONES
void lx_dense_bias_activation(float *restrict y, const float *restrict bias, size_t rows, size_t columns, int relu) {
    for (size_t r = 0; r < rows; r++) {
        float *restrict row = y + r * columns;
        if (relu) {
            for (size_t j = 0; j < columns; j++) { float v = row[j] + bias[j]; row[j] = v > 0 ? v : 0; }
        } else {
            for (size_t j = 0; j < columns; j++) row[j] += bias[j];
        }
    }
}

LX_CLONES
void lx_accumulate_active_rows(float *restrict out, const float *restrict rows, const float *restrict hidden,
                               size_t hidden_count, size_t n) {
    for (size_t j = 0; j < hidden_count; j++) {
        float a = hidden[j];
        if (a <= 0) continue;
        const float *restrict row = rows + j * n;
        for (size_t i = 0; i < n; i++) out[i] += a * row[i];
    }
}

LX_CLONES
void lx_accumulate_active_rows_batch(float *restrict out, const float *restrict rows, const float *restrict hidden,
                                     size_t points, size_t hidden_count, size_t n) {
    /* A small matrix product out += hidden * rows, blocked so that a 4-point x 64-column block of out
     * lives in vector registers (16 AVX-512 registers) while all hidden units stream past; a unit
     * inactive for all 4 points (ReLU zero) is skipped. Leftover points and columns take the plain loop. */
    enum { block_points = 4, block_columns = 64 };
    size_t full_points = points - points % block_points, full_columns = n - n % block_columns;
    for (size_t p0 = 0; p0 < full_points; p0 += block_points) {
        const float *restrict h = hidden + p0 * hidden_count;
        for (size_t c0 = 0; c0 < full_columns; c0 += block_columns) {
            float acc[block_points][block_columns];
            for (int q = 0; q < block_points; q++)
                for (int c = 0; c < block_columns; c++) acc[q][c] = out[(p0 + q) * n + c0 + c];
            for (size_t j = 0; j < hidden_count; j++) {
                float a0 = h[j], a1 = h[hidden_count + j], a2 = h[2 * hidden_count + j], a3 = h[3 * hidden_count + j];
                if (a0 <= 0 && a1 <= 0 && a2 <= 0 && a3 <= 0) continue;
                const float *restrict row = rows + j * n + c0;
                for (int c = 0; c < block_columns; c++) {
                    float w = row[c];
                    acc[0][c] += a0 * w;
                    acc[1][c] += a1 * w;
                    acc[2][c] += a2 * w;
                    acc[3][c] += a3 * w;
                }
            }
            for (int q = 0; q < block_points; q++)
                for (int c = 0; c < block_columns; c++) out[(p0 + q) * n + c0 + c] = acc[q][c];
        }
        for (size_t q = 0; q < block_points; q++)
            for (size_t j = 0; j < hidden_count; j++) {
                float a = hidden[(p0 + q) * hidden_count + j];
                if (a <= 0) continue;
                for (size_t c = full_columns; c < n; c++) out[(p0 + q) * n + c] += a * rows[j * n + c];
            }
    }
    for (size_t p = full_points; p < points; p++)
        lx_accumulate_active_rows(out + p * n, rows, hidden + p * hidden_count, hidden_count, n);
}

LX_CLONES
void lx_bytes_to_unit_floats(const unsigned char *restrict bytes, float *restrict out, size_t n) {
    for (size_t i = 0; i < n; i++) out[i] = (float)bytes[i] * (1.0f / 255.0f);
}
