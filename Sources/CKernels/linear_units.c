#include "linear_units.h"
#include "multiversion.h"
#include <string.h>

LX_CLONES
size_t lx_split_active_columns(const float *restrict h, size_t rows, size_t stride, size_t columns,
                               int32_t *restrict linear, size_t *restrict linear_count, int32_t *restrict varying,
                               uint32_t *restrict flags) {
    uint32_t *restrict any = flags, *restrict all = flags + columns;
    memset(any, 0, columns * sizeof *any);
    for (size_t j = 0; j < columns; j++) all[j] = 1;
    for (size_t r = 0; r < rows; r++) {
        const float *restrict row = h + r * stride;
        const uint32_t *restrict bits = (const uint32_t *)(const void *)row;
        for (size_t j = 0; j < columns; j++) {
            any[j] |= bits[j] & 0x7fffffffu;   /* the sign bit alone is -0 */
            all[j] &= row[j] > 0.0f;           /* false for NaN */
        }
    }
    size_t linears = 0, varyings = 0;
    for (size_t j = 0; j < columns; j++) {
        linear[linears] = (int32_t)j;
        varying[varyings] = (int32_t)j;
        linears += all[j] != 0;
        varyings += any[j] != 0 && all[j] == 0;
    }
    *linear_count = linears;
    return varyings;
}

void lx_pack_affine_inputs(const float *restrict x, size_t x_stride, size_t inputs, const float *restrict h,
                           size_t h_stride, const int32_t *restrict varying, size_t varying_count, size_t rows,
                           float *restrict packed) {
    size_t width = inputs + 1 + varying_count;
    for (size_t r = 0; r < rows; r++) {
        float *restrict out = packed + r * width;
        memcpy(out, x + r * x_stride, inputs * sizeof *out);
        out[inputs] = 1.0f;
        const float *restrict source = h + r * h_stride;
        for (size_t a = 0; a < varying_count; a++) out[inputs + 1 + a] = source[varying[a]];
    }
}

void lx_pack_linear_units(const float *restrict weight, const float *restrict bias, size_t inputs,
                          const int32_t *restrict linear, size_t count, float *restrict packed) {
    for (size_t a = 0; a < count; a++) {
        const float *restrict row = weight + (size_t)linear[a] * inputs;
        for (size_t l = 0; l < inputs; l++) packed[l * count + a] = row[l];
        packed[inputs * count + a] = bias[linear[a]];
    }
}
