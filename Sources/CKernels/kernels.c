#include "kernels.h"
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "multiversion.h"
#include "activation_inline.h"
#include "exp_vectors.h"

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

/* The hot loops below also run 16 lanes at a time in explicit vectors (`lx_f16` of exp_vectors.h: one
 * AVX-512 register, two AVX2 or four SSE registers, whichever clone runs): they stay vector code at
 * SwiftPM's debug -O0, where plain loops run one element per several stack round trips, and the loss
 * sums 16 partial sums at every optimisation level. Each lane does the scalar function's operations in
 * the same order. Vectors pass by pointer and the helpers are inlined, so no call changes its calling
 * convention between the clones. The exp and log chains are long, so the helpers take up to
 * group_vectors independent vectors side by side (exp_vectors.h says why). */
typedef float lx_f8 __attribute__((ext_vector_type(8)));
typedef float lx_f4 __attribute__((ext_vector_type(4)));
typedef float lx_f2 __attribute__((ext_vector_type(2)));

enum { lanes = 16 };

LX_INLINE void load_vector(lx_f16 *v, const float *p) { __builtin_memcpy_inline(v, p, sizeof *v); }
LX_INLINE void store_vector(float *p, const lx_f16 *v) { __builtin_memcpy_inline(p, v, sizeof *v); }

LX_INLINE float horizontal_sum(const lx_f16 *v) {
    lx_f8 h8 = v->lo + v->hi;
    lx_f4 h4 = h8.lo + h8.hi;
    lx_f2 h2 = h4.lo + h4.hi;
    return h2.x + h2.y;
}

/* lx_log1p_unit of every lane of v[0 ..< count], in place. */
LX_INLINE void log1p_unit_vectors(lx_f16 *v, const int count) {
    lx_i16 k[group_vectors], halve[group_vectors];
    lx_f16 m[group_vectors], t[group_vectors], t2[group_vectors], s[group_vectors];
    EACH_VECTOR {
        lx_i16 bits = (lx_i16)(1.0f + v[q]);
        k[q] = ((bits >> 23) & 0xff) - 127;
        m[q] = (lx_f16)((bits & 0x007fffff) | 0x3f800000);
    }
    EACH_VECTOR halve[q] = m[q] > 1.41421356f;       /* -1 (all bits) where true, 0 where false */
    EACH_VECTOR m[q] = halve[q] ? m[q] * 0.5f : m[q];
    EACH_VECTOR k[q] -= halve[q];
    EACH_VECTOR t[q] = (m[q] - 1.0f) / (m[q] + 1.0f);
    EACH_VECTOR t2[q] = t[q] * t[q];
    EACH_VECTOR s[q] = t2[q] * (1.0f / 9.0f) + 1.0f / 7.0f;
    EACH_VECTOR s[q] = s[q] * t2[q] + 1.0f / 5.0f;
    EACH_VECTOR s[q] = s[q] * t2[q] + 1.0f / 3.0f;
    EACH_VECTOR s[q] = s[q] * t2[q] + 1.0f;
    EACH_VECTOR v[q] = 2.0f * t[q] * s[q] + __builtin_convertvector(k[q], lx_f16) * 0.693147181f;
}

/* The loss of count * 16 elements added lane-wise to *sums and, unless gradient is NULL, their gradient. */
LX_INLINE void bce_vectors(const float *logits, const float *targets, float *gradient, float scale,
                           const int count, lx_f16 *sums) {
    lx_f16 l[group_vectors], x[group_vectors], e[group_vectors], softplus[group_vectors];
    EACH_VECTOR {
        load_vector(&l[q], logits + q * lanes);
        load_vector(&x[q], targets + q * lanes);
        e[q] = -__builtin_elementwise_abs(l[q]);
    }
    exp_nonpositive_vectors(e, count);
    EACH_VECTOR softplus[q] = e[q];
    log1p_unit_vectors(softplus, count);
    EACH_VECTOR *sums += __builtin_elementwise_max(l[q], (lx_f16)0) + softplus[q] - x[q] * l[q];
    if (!gradient) return;
    EACH_VECTOR {
        lx_f16 inverse = 1.0f / (1.0f + e[q]);
        lx_f16 sigmoid = l[q] >= 0 ? inverse : e[q] * inverse;
        lx_f16 lane_gradient = (sigmoid - x[q]) * scale;
        store_vector(gradient + q * lanes, &lane_gradient);
    }
}

/* sigmoid of count * 16 elements; out may be x. */
LX_INLINE void sigmoid_vectors(const float *x, float *out, const int count) {
    lx_f16 v[group_vectors], e[group_vectors];
    EACH_VECTOR {
        load_vector(&v[q], x + q * lanes);
        e[q] = -__builtin_elementwise_abs(v[q]);
    }
    exp_nonpositive_vectors(e, count);
    EACH_VECTOR {
        lx_f16 inverse = 1.0f / (1.0f + e[q]);
        lx_f16 sigmoid = v[q] >= 0 ? inverse : e[q] * inverse;
        store_vector(out + q * lanes, &sigmoid);
    }
}

LX_CLONES
void lx_adam_update(float *restrict p, const float *restrict g, float *restrict m, float *restrict v, size_t n,
                    float b1, float b2, float eps, float step_size, float inverse_root_correction) {
    size_t i = 0;
    for (; i + lanes <= n; i += lanes) {
        lx_f16 gi, mi, vi, pi;
        load_vector(&gi, g + i);
        load_vector(&mi, m + i);
        load_vector(&vi, v + i);
        load_vector(&pi, p + i);
        mi = b1 * mi + (1.0f - b1) * gi;
        vi = b2 * vi + (1.0f - b2) * gi * gi;
        pi -= step_size * mi / (__builtin_elementwise_sqrt(vi) * inverse_root_correction + eps);
        store_vector(m + i, &mi);
        store_vector(v + i, &vi);
        store_vector(p + i, &pi);
    }
    for (; i < n; i++) {
        float gi = g[i];
        float mi = b1 * m[i] + (1.0f - b1) * gi;
        float vi = b2 * v[i] + (1.0f - b2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        /* the elementwise builtin never sets errno, so it vectorises without -fno-math-errno */
        p[i] -= step_size * mi / (__builtin_elementwise_sqrt(vi) * inverse_root_correction + eps);
    }
}

LX_CLONES
double lx_bce_with_logits(const float *restrict logits, const float *restrict targets, float *restrict gradient,
                          size_t n, float scale) {
    double total = 0;
    /* Blocks of 1024 summed in float, 16 partial sums a block, the block sums in double: accurate and
     * fast, and the same sum at every optimisation level. */
    for (size_t start = 0; start < n; start += 1024) {
        size_t end = start + 1024 < n ? start + 1024 : n, i = start;
        lx_f16 sums = 0;
        if (gradient) {   /* a constant NULL lets the loss-only loop skip the gradient's division */
            for (; i + group_vectors * lanes <= end; i += group_vectors * lanes)
                bce_vectors(logits + i, targets + i, gradient + i, scale, group_vectors, &sums);
        } else {
            for (; i + group_vectors * lanes <= end; i += group_vectors * lanes)
                bce_vectors(logits + i, targets + i, NULL, scale, group_vectors, &sums);
        }
        for (; i + lanes <= end; i += lanes)
            bce_vectors(logits + i, targets + i, gradient ? gradient + i : NULL, scale, 1, &sums);
        float block = horizontal_sum(&sums);
        for (; i < end; i++) {   /* the last n % 16 */
            float l = logits[i], x = targets[i];
            float e = lx_exp_nonpositive(-fabsf(l));
            block += fmaxf(l, 0.0f) + lx_log1p_unit(e) - x * l;
            if (gradient) {
                float inverse = 1.0f / (1.0f + e);
                float sigmoid = l >= 0 ? inverse : e * inverse;
                gradient[i] = (sigmoid - x) * scale;
            }
        }
        total += block;
    }
    return total;
}

LX_CLONES
void lx_sigmoid(const float *x, float *out, size_t n) {   /* in place allowed: no restrict */
    /* Each element is read before it is written and nothing else is touched, so out == x is safe. */
    size_t i = 0;
    for (; i + group_vectors * lanes <= n; i += group_vectors * lanes) sigmoid_vectors(x + i, out + i, group_vectors);
    for (; i + lanes <= n; i += lanes) sigmoid_vectors(x + i, out + i, 1);
    for (; i < n; i++) {   /* the last n % 16 */
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
void lx_dense_bias_activation(float *restrict y, const float *restrict bias, size_t rows, size_t columns, int activation) {
    for (size_t r = 0; r < rows; r++) {
        float *restrict row = y + r * columns;
        size_t j = 0;
        for (; j + lanes <= columns; j += lanes) {
            lx_f16 v, b;
            load_vector(&v, row + j);
            load_vector(&b, bias + j);
            v += b;
            LX_ACTIVATE_VECTOR(v, activation, lx_f16);
            store_vector(row + j, &v);
        }
        for (; j < columns; j++) row[j] = lx_activate(row[j] + bias[j], activation);
    }
}

LX_CLONES
void lx_activation_forward(float *restrict y, size_t n, int activation) {
    if (activation == LX_ACTIVATION_IDENTITY) return;
    size_t i = 0;
    for (; i + lanes <= n; i += lanes) {
        lx_f16 v;
        load_vector(&v, y + i);
        LX_ACTIVATE_VECTOR(v, activation, lx_f16);
        store_vector(y + i, &v);
    }
    for (; i < n; i++) y[i] = lx_activate(y[i], activation);
}

LX_CLONES
void lx_activation_backward(float *restrict gradient, const float *restrict output, size_t n, int activation) {
    /* f'(pre) from the output: every activation here keeps its input's sign, so y > 0 iff pre > 0. */
    float negative;
    switch (activation) {
    case LX_ACTIVATION_RELU: negative = 0; break;
    case LX_ACTIVATION_LEAKY_RELU: negative = LX_LEAKY_RELU_SLOPE; break;
    default: return;
    }
    for (size_t i = 0; i < n; i++) gradient[i] *= output[i] > 0 ? 1.0f : negative;   /* a select, not a branch */
}

LX_CLONES
void lx_bytes_to_unit_floats(const unsigned char *restrict bytes, float *restrict out, size_t n) {
    typedef unsigned char lx_bytes16 __attribute__((ext_vector_type(16)));
    size_t i = 0;
    for (; i + lanes <= n; i += lanes) {
        lx_bytes16 b;
        __builtin_memcpy_inline(&b, bytes + i, sizeof b);
        lx_f16 v = __builtin_convertvector(b, lx_f16) * (1.0f / 255.0f);
        store_vector(out + i, &v);
    }
    for (; i < n; i++) out[i] = (float)bytes[i] * (1.0f / 255.0f);
}
