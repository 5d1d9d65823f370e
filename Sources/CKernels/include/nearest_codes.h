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
///     scratch       [count + k]         the distances of one query, then those of its k best
///
/// k <= count. Each distance is summed over the dimensions in order, in single precision, with no fused
/// multiply-add, and the k best are kept by the same insertion as the Swift loop it replaces (a later
/// code replaces an earlier one only when strictly nearer), so the chosen indices are the same. A code
/// whose distance is NaN is never chosen; when fewer than k distances are finite the remaining slots
/// hold -1.
void lx_nearest_codes(const float *references_t, size_t count, size_t dimension, const float *queries,
                      size_t query_count, size_t k, float *scratch, int32_t *nearest);

#endif
