#include "nearest_codes.h"
#include "multiversion.h"
#include <math.h>

/* The distances of one query to every reference, vectorised across references: for each dimension
 * the column of the references is one contiguous stream, so the loop over i is a plain vector loop
 * (8 references an AVX2 step, 16 with AVX-512) and the per-code sum keeps the scalar order j = 0, 1, ... */
#pragma clang fp contract(off)
static inline __attribute__((always_inline))
void distances_to(const float *restrict references_t, size_t count, size_t dimension, const float *restrict query,
                  float *restrict distances) {
    const float q0 = query[0];
    for (size_t i = 0; i < count; i++) {
        float diff = references_t[i] - q0;
        distances[i] = diff * diff;
    }
    for (size_t j = 1; j < dimension; j++) {
        const float *column = references_t + j * count;
        const float qj = query[j];
        for (size_t i = 0; i < count; i++) {
            float diff = column[i] - qj;
            distances[i] += diff * diff;
        }
    }
}

LX_CLONES
void lx_nearest_codes(const float *references_t, size_t count, size_t dimension, const float *queries,
                      size_t query_count, size_t k, float *scratch, int32_t *nearest) {
    if (k == 0 || dimension == 0) return;
    float *distances = scratch, *best_distances = scratch + count;
    for (size_t q = 0; q < query_count; q++) {
        distances_to(references_t, count, dimension, queries + q * dimension, distances);
        int32_t *best = nearest + q * k;
        for (size_t s = 0; s < k; s++) { best_distances[s] = INFINITY; best[s] = -1; }
        float worst = INFINITY;
        for (size_t i = 0; i < count; i++) {
            float d = distances[i];
            if (!(d < worst)) continue;   /* also skips NaN */
            size_t slot = k - 1;
            while (slot > 0 && best_distances[slot - 1] > d) {
                best_distances[slot] = best_distances[slot - 1];
                best[slot] = best[slot - 1];
                slot--;
            }
            best_distances[slot] = d;
            best[slot] = (int32_t)i;
            worst = best_distances[k - 1];
        }
    }
}
