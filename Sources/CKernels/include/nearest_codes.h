#ifndef LATENT_EXPLORER_NEAREST_CODES_H
#define LATENT_EXPLORER_NEAREST_CODES_H

#include <stddef.h>
#include <stdint.h>

/// The k nearest reference codes of each query, by squared Euclidean distance, for the k-NN scores of
/// `compare` and `eval` (NearestNeighbours.predictions).
///
///     references_t  [dimension, count]  the reference codes, dimension-major (column j of code i at j*count + i)
///     queries       [query_count, dimension]  row-major
///     nearest       [query_count, k]    out: reference indices, nearest first
///     scratch       [lx_nearest_codes_scratch(count, k)] floats
///
/// k <= count. The chosen codes are those of the exact distance, each summed over the dimensions in
/// order, in single precision, with no fused multiply-add, the k best kept by insertion (a later code
/// replaces an earlier one only when strictly nearer): the k smallest by (distance, index). A code
/// whose distance is NaN is never chosen; when fewer than k distances are finite the remaining slots
/// hold -1. The exact distance is computed only for the references a cheaper bound (|r|^2 - 2 q.r,
/// fused multiply-adds, with a bound on its rounding) cannot rule out; nearest_codes.c says why that
/// chooses the same codes.
void lx_nearest_codes(const float *references_t, size_t count, size_t dimension, const float *queries,
                      size_t query_count, size_t k, float *scratch, int32_t *nearest);

/// The floats of scratch `lx_nearest_codes` needs for `count` references and k neighbours.
size_t lx_nearest_codes_scratch(size_t count, size_t k);

#endif
