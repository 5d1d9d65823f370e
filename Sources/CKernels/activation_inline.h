#ifndef LATENT_EXPLORER_ACTIVATION_INLINE_H
#define LATENT_EXPLORER_ACTIVATION_INLINE_H

#include "kernels.h"

/* The activation of a code of include/kernels.h (Swift's `Activation.code`), for the kernels that fuse
 * it into their bias pass. LeakyReLU is max(v, slope v), which is right for 0 < slope < 1. */
static inline float lx_activate(float v, int activation) {
    switch (activation) {
    case LX_ACTIVATION_RELU: return v > 0 ? v : 0;
    case LX_ACTIVATION_LEAKY_RELU: return v > 0 ? v : v * LX_LEAKY_RELU_SLOPE;
    default: return v;
    }
}

/* The same on a vector `v` of type `vector_type`, in place. */
#define LX_ACTIVATE_VECTOR(v, activation, vector_type)                                          \
    do {                                                                                        \
        if ((activation) == LX_ACTIVATION_RELU) (v) = __builtin_elementwise_max((v), (vector_type)0); \
        else if ((activation) == LX_ACTIVATION_LEAKY_RELU)                                      \
            (v) = __builtin_elementwise_max((v), (v) * LX_LEAKY_RELU_SLOPE);                    \
    } while (0)

#endif
