#ifndef LATENT_EXPLORER_EXP_VECTORS_H
#define LATENT_EXPLORER_EXP_VECTORS_H

#include <stdint.h>

/* exp(x) for x <= 0 on 16 lanes at a time (one AVX-512 register, two AVX2 or four SSE registers,
 * whichever clone includes it), each lane doing kernels.c's scalar lx_exp_nonpositive's operations in
 * the same order: x = n ln2 + r with |r| <= ln2/2, exp(r) by its Taylor series to degree 7, 2^n from
 * the exponent bits. Shared by the loss (kernels.c) and the bound's fused output layer
 * (bernoulli_rows.c), so both take the same exp.
 *
 * The chain is long (dependent step after step), and the CPU overlaps too little of one loop
 * iteration with the next to hide it. So the helper takes up to group_vectors independent vectors and
 * does each step for all of them before the next step: the chains run side by side. `count` is a
 * constant at every call, so the per-step loops unroll completely. */
typedef float lx_f16 __attribute__((ext_vector_type(16)));
typedef int32_t lx_i16 __attribute__((ext_vector_type(16)));

enum { group_vectors = 4 };

#define LX_INLINE static inline __attribute__((always_inline))
#define EACH_VECTOR for (int q = 0; q < count; q++)

/* lx_exp_nonpositive of every lane of v[0 ..< count], in place. */
LX_INLINE void exp_nonpositive_vectors(lx_f16 *v, const int count) {
    lx_f16 x[group_vectors], n[group_vectors], r[group_vectors], p[group_vectors];
    EACH_VECTOR x[q] = v[q] < -87.0f ? (lx_f16)-87.0f : v[q];   /* a select: NaN stays NaN, as in the scalar code */
    EACH_VECTOR n[q] = __builtin_elementwise_rint(x[q] * 1.44269504f);
    EACH_VECTOR r[q] = x[q] - n[q] * 0.693145752f - n[q] * 1.42860677e-6f;
    EACH_VECTOR p[q] = 1.0f / 5040.0f;
    EACH_VECTOR p[q] = p[q] * r[q] + 1.0f / 720.0f;
    EACH_VECTOR p[q] = p[q] * r[q] + 1.0f / 120.0f;
    EACH_VECTOR p[q] = p[q] * r[q] + 1.0f / 24.0f;
    EACH_VECTOR p[q] = p[q] * r[q] + 1.0f / 6.0f;
    EACH_VECTOR p[q] = p[q] * r[q] + 0.5f;
    EACH_VECTOR p[q] = p[q] * r[q] + 1.0f;
    EACH_VECTOR p[q] = p[q] * r[q] + 1.0f;
    EACH_VECTOR {
        lx_i16 bits = (__builtin_convertvector(n[q], lx_i16) + 127) << 23;
        v[q] = p[q] * (lx_f16)bits;                   /* a vector cast reinterprets the bits */
    }
}

#endif
