#include "nearest_codes.h"
#include "multiversion.h"
#include <math.h>
#include <stdlib.h>

/* Two ways to the same k nearest codes.
 *
 * The exact distance, d(q, r) = sum_j (r_j - q_j)^2 summed in order j = 0, 1, ... in single
 * precision with no fused multiply-add, decides every choice, and the k best are kept by insertion (a
 * later code replaces an earlier one only when strictly nearer): the k smallest by (d, index).
 *
 * Computing d for all 88,800 references of every query costs 3 operations a dimension a pair. Instead
 * a bound pass ranks the references by e(q, r) = |r|^2 - 2 q.r (d - |q|^2 in exact arithmetic, one
 * fused multiply-add a dimension, four queries sharing each load of a reference), keeps the k smallest
 * e, T, and then computes the exact d only of the references with e <= T + 2E, where E bounds the
 * rounding of e and of the exact d (below): every reference of the exact k best is among them, so
 * the insertion over them, in index order, chooses what the full scan chooses. */

/* Four queries share each load of a reference, 16 references a step (two AVX2 vectors); a block of
 * 32 queries passes over chunks of 2,048 references (128 KB at 16 dimensions, in L2). */
enum { QUERY_BLOCK = 4, TILE = 16, BLOCK = 32, CHUNK = 2048 };

/* Rounding of e against d - |q|^2: the norm's and the n fused multiply-adds' (each at most about
 * n u (|q|^2 + R^2)) and the exact d's (at most (n + 1) u d, d <= 2 (|q|^2 + R^2)), u = 2^-24, R the
 * largest reference norm: at most about 5 (n + 1) u (|q|^2 + R^2); 8 (n + 2) u leaves a margin. */
static inline __attribute__((always_inline)) float rounding_bound(size_t dimension, float query_norm, float largest_norm) {
    return 8.0f * (float)(dimension + 2) * 0x1p-24f * (query_norm + largest_norm) + 0x1p-100f;
}

/* Norms larger than this fall back to the full exact scan (e's products could overflow). */
static const float NORM_LIMIT = 1e30f;

#pragma clang fp contract(off)
static inline __attribute__((always_inline))
float exact_distance(const float *restrict references_t, size_t count, size_t dimension, size_t i,
                     const float *restrict query) {
    float diff = references_t[i] - query[0];
    float d = diff * diff;
    for (size_t j = 1; j < dimension; j++) {
        diff = references_t[j * count + i] - query[j];
        d += diff * diff;
    }
    return d;
}

/* Inserts (d, i) into the k best by (distance, index), nearest first; NaN and infinity never. The
 * scans offer the references in increasing index, where this is the plain insertion (a later code
 * replaces an earlier one only when strictly nearer); the grid offers them cell by cell, where the
 * index decides the ties. */
static inline __attribute__((always_inline))
void insert(float *restrict best_distances, int32_t *restrict best, size_t k, float d, int32_t i) {
    float last = best_distances[k - 1];
    if (!(d < last || (d == last && best[k - 1] >= 0 && i < best[k - 1]))) return;
    size_t slot = k - 1;
    while (slot > 0 && (best_distances[slot - 1] > d || (best_distances[slot - 1] == d && best[slot - 1] > i))) {
        best_distances[slot] = best_distances[slot - 1];
        best[slot] = best[slot - 1];
        slot--;
    }
    best_distances[slot] = d;
    best[slot] = i;
}

static inline __attribute__((always_inline)) void start_best(float *best_distances, int32_t *best, size_t k) {
    for (size_t s = 0; s < k; s++) { best_distances[s] = INFINITY; best[s] = -1; }
}

/* The full exact scan of one query (the old loop, the distances made on the fly). */
static inline __attribute__((always_inline)) void exact_scan(const float *references_t, size_t count, size_t dimension, const float *query, size_t k,
                       float *best_distances, int32_t *best) {
    start_best(best_distances, best, k);
    for (size_t i = 0; i < count; i++)
        insert(best_distances, best, k, exact_distance(references_t, count, dimension, i, query), (int32_t)i);
}

/* Inserts value into the sorted k smallest (values only). */
static inline __attribute__((always_inline)) void insert_value(float *restrict smallest, size_t k, float value) {
    if (!(value < smallest[k - 1])) return;
    size_t slot = k - 1;
    while (slot > 0 && smallest[slot - 1] > value) { smallest[slot] = smallest[slot - 1]; slot--; }
    smallest[slot] = value;
}

typedef float lx_v8 __attribute__((ext_vector_type(8)));

/* Loads through pointers (a vector returned by value would change the ABI between the clones). */
static inline __attribute__((always_inline)) void load8(lx_v8 *v, const float *p) { __builtin_memcpy_inline(v, p, sizeof *v); }

/* Whether the smallest of e[i], ..., e[i + TILE) is below (or, with or_equal, at) a value. */
static inline __attribute__((always_inline)) int tile_reaches(const float *e, float value, int or_equal) {
    lx_v8 a, b;
    load8(&a, e);
    load8(&b, e + 8);
    float low = __builtin_reduce_min(__builtin_elementwise_min(a, b));
    return or_equal ? low <= value : low < value;
}

#pragma clang fp contract(on)
/* e of QUERY_BLOCK queries against references [i, i + TILE), into e[q * TILE + t] for reference i + t. */
static inline __attribute__((always_inline))
void bound_tile(const float *restrict references_t, size_t count, size_t dimension, const float *restrict norms,
                const float *const queries[QUERY_BLOCK], size_t i, float *restrict e) {
    lx_v8 acc[QUERY_BLOCK][2];
    lx_v8 n0, n1;
    load8(&n0, norms + i);
    load8(&n1, norms + i + 8);
    for (int q = 0; q < QUERY_BLOCK; q++) { acc[q][0] = n0; acc[q][1] = n1; }
    for (size_t j = 0; j < dimension; j++) {
        lx_v8 r0, r1;
        load8(&r0, references_t + j * count + i);
        load8(&r1, references_t + j * count + i + 8);
        for (int q = 0; q < QUERY_BLOCK; q++) {
            float c = -2.0f * queries[q][j];
            acc[q][0] += c * r0;
            acc[q][1] += c * r1;
        }
    }
    for (int q = 0; q < QUERY_BLOCK; q++) {
        __builtin_memcpy_inline(e + q * TILE, &acc[q][0], sizeof acc[q][0]);
        __builtin_memcpy_inline(e + q * TILE + 8, &acc[q][1], sizeof acc[q][1]);
    }
}

static inline __attribute__((always_inline))
float bound_one(const float *restrict references_t, size_t count, size_t dimension, const float *restrict norms,
                const float *restrict query, size_t i) {
    float acc = norms[i];
    for (size_t j = 0; j < dimension; j++) acc += -2.0f * query[j] * references_t[j * count + i];
    return acc;
}
#pragma clang fp contract(off)

/* Per query of a block: its norm, whether it takes the exact scan, and (after the first pass) the
 * limit of the second; then its k smallest e. */
typedef struct { float norm, limit; int exact; } query_state;

size_t lx_nearest_codes_scratch(size_t count, size_t k) {
    return count + 2 * BLOCK * k;   /* the norms, then each query of a block's k smallest e and k best distances */
}

/* One pass over the references for the `used` queries of a block (the last repeated to fill it):
 * the first (`second` = 0) keeps each query's k smallest e, the second inserts the exact distance of
 * every reference whose e is within the query's limit, in index order. The references are taken in
 * chunks that stay in L2 while every group of four queries of the block passes over them. */
static inline __attribute__((always_inline))
void block_pass(int second, const float *references_t, size_t count, size_t dimension, const float *norms,
                const float *const queries[BLOCK], size_t used, size_t k, const query_state *state,
                float *smallest, float *best_distances, int32_t *nearest) {
    size_t tiled = count / TILE * TILE;
    float e[QUERY_BLOCK * TILE];
    for (size_t c0 = 0; c0 < count; c0 += CHUNK) {
        size_t c1 = c0 + CHUNK < tiled ? c0 + CHUNK : tiled;
        for (size_t g = 0; g < used; g += QUERY_BLOCK) {
            for (size_t i = c0; i < c1; i += TILE) {
                bound_tile(references_t, count, dimension, norms, queries + g, i, e);
                for (size_t q = g; q < g + QUERY_BLOCK && q < used; q++) {
                    if (state[q].exact) continue;
                    const float *eq = e + (q - g) * TILE;
                    if (!second) {
                        float *small = smallest + q * k;
                        if (!tile_reaches(eq, small[k - 1], 0)) continue;
                        for (size_t t = 0; t < TILE; t++) insert_value(small, k, eq[t]);
                    } else {
                        if (!tile_reaches(eq, state[q].limit, 1)) continue;
                        for (size_t t = 0; t < TILE; t++)
                            if (eq[t] <= state[q].limit)
                                insert(best_distances + q * k, nearest + q * k, k,
                                       exact_distance(references_t, count, dimension, i + t, queries[q]), (int32_t)(i + t));
                    }
                }
            }
        }
    }
    for (size_t q = 0; q < used; q++) {   /* the references after the last whole tile */
        if (state[q].exact) continue;
        for (size_t i = tiled; i < count; i++) {
            float value = bound_one(references_t, count, dimension, norms, queries[q], i);
            if (!second) insert_value(smallest + q * k, k, value);
            else if (value <= state[q].limit)
                insert(best_distances + q * k, nearest + q * k, k,
                       exact_distance(references_t, count, dimension, i, queries[q]), (int32_t)i);
        }
    }
}

/* The k nearest of a block of `used` queries (the last repeated to fill it), by the two passes. */
static inline __attribute__((always_inline))
void nearest_block(const float *references_t, size_t count, size_t dimension, const float *norms, float largest_norm,
                   const float *const queries[BLOCK], size_t used, size_t k, float *smallest, float *best_distances,
                   int32_t *nearest) {
    query_state state[BLOCK];
    for (size_t q = 0; q < used; q++) {
        float norm = 0;
        for (size_t j = 0; j < dimension; j++) norm += queries[q][j] * queries[q][j];
        state[q] = (query_state){ .norm = norm, .limit = 0, .exact = !(norm < NORM_LIMIT) };   /* NaN, infinite, huge */
        for (size_t s = 0; s < k; s++) smallest[q * k + s] = INFINITY;
    }
    block_pass(0, references_t, count, dimension, norms, queries, used, k, state, smallest, best_distances, nearest);
    for (size_t q = 0; q < used; q++) {
        /* T, the k-th smallest e (a NaN e, from a reference whose norm is not finite, is never kept). */
        state[q].limit = smallest[q * k + k - 1] + 2.0f * rounding_bound(dimension, state[q].norm, largest_norm);
        start_best(best_distances + q * k, nearest + q * k, k);
    }
    block_pass(1, references_t, count, dimension, norms, queries, used, k, state, smallest, best_distances, nearest);
    for (size_t q = 0; q < used; q++)
        if (state[q].exact) exact_scan(references_t, count, dimension, queries[q], k, best_distances + q * k, nearest + q * k);
}


/* ---- Two dimensions: a grid search, exact and far cheaper than any scan. ----
 *
 * The references of finite coordinates are bucketed into a grid of about two a cell over their
 * bounding box (a reference with a NaN or infinite coordinate has a NaN or infinite exact distance:
 * never chosen, so it is left out). A query examines the cells ring by ring around its own (clamped
 * into the grid), inserting every reference's exact distance by (distance, index), which gives the
 * k smallest by (distance, index) whatever the order the references come in: the full scan's choice.
 * It stops once it holds k and the k-th distance is below what any unexamined reference can have:
 * such a reference lies beyond a side of the examined block of cells that is not the grid's edge, at
 * least gap from the query (gap: the query's distance to the nearest such side, less a margin for
 * the cells' rounding), and its computed distance, four roundings of the true one (the difference,
 * the squares, the sum), is at least gap^2 (1 - 4u) less an underflow's worth. */
enum { GRID_MAX_SIDE = 2048 };
/* Coordinates beyond this (by magnitude) take the scans: squared differences stay finite below it. */
static const double GRID_COORDINATE_LIMIT = 1e18;

typedef struct {
    double min_x, min_y, inverse_x, inverse_y, width_x, width_y;
    size_t nx, ny;
    size_t *start;      /* [nx * ny + 1]: the cell's references are order[start[c] ..< start[c + 1]] */
    int32_t *order;     /* reference indices, cell by cell, increasing within a cell */
    float *xy;          /* their coordinates, in the same order, x then y */
} code_grid;

static size_t grid_cell(double value, double min, double inverse, size_t n) {
    double c = floor((value - min) * inverse);
    return c <= 0 ? 0 : c >= (double)(n - 1) ? n - 1 : (size_t)c;
}

/* Builds the grid of the finite references; returns 0 when a coordinate is too large or memory fails. */
static int grid_build(code_grid *g, const float *references_t, size_t count) {
    const float *xs = references_t, *ys = references_t + count;
    double min_x = INFINITY, max_x = -INFINITY, min_y = INFINITY, max_y = -INFINITY;
    size_t finite = 0;
    for (size_t i = 0; i < count; i++) {
        if (!isfinite(xs[i]) || !isfinite(ys[i])) continue;
        if (fabs(xs[i]) > GRID_COORDINATE_LIMIT || fabs(ys[i]) > GRID_COORDINATE_LIMIT) return 0;
        finite++;
        min_x = fmin(min_x, xs[i]); max_x = fmax(max_x, xs[i]);
        min_y = fmin(min_y, ys[i]); max_y = fmax(max_y, ys[i]);
    }
    if (finite == 0) { min_x = max_x = min_y = max_y = 0; }
    double w = max_x - min_x, h = max_y - min_y, cells = finite / 2.0 + 1;
    double side = w > 0 && h > 0 ? sqrt(w * h / cells) : (w > h ? w : h) / cells;
    size_t nx = side > 0 ? (size_t)fmin(w / side + 1, GRID_MAX_SIDE) : 1;
    size_t ny = side > 0 ? (size_t)fmin(h / side + 1, GRID_MAX_SIDE) : 1;
    g->min_x = min_x; g->min_y = min_y; g->nx = nx; g->ny = ny;
    g->width_x = w > 0 ? w / (double)nx : 1; g->width_y = h > 0 ? h / (double)ny : 1;
    g->inverse_x = 1 / g->width_x; g->inverse_y = 1 / g->width_y;
    g->start = calloc(nx * ny + 1, sizeof *g->start);
    g->order = malloc((finite ? finite : 1) * sizeof *g->order);
    g->xy = malloc(2 * (finite ? finite : 1) * sizeof *g->xy);
    if (!g->start || !g->order || !g->xy) { free(g->start); free(g->order); free(g->xy); return 0; }
    for (size_t i = 0; i < count; i++) {   /* a counting sort by cell: counts, offsets, then places */
        if (!isfinite(xs[i]) || !isfinite(ys[i])) continue;
        g->start[grid_cell(ys[i], min_y, g->inverse_y, ny) * nx + grid_cell(xs[i], min_x, g->inverse_x, nx) + 1]++;
    }
    for (size_t c = 0; c < nx * ny; c++) g->start[c + 1] += g->start[c];
    for (size_t i = 0; i < count; i++) {
        if (!isfinite(xs[i]) || !isfinite(ys[i])) continue;
        size_t c = grid_cell(ys[i], min_y, g->inverse_y, ny) * nx + grid_cell(xs[i], min_x, g->inverse_x, nx);
        size_t slot = g->start[c]++;
        g->order[slot] = (int32_t)i;
        g->xy[2 * slot] = xs[i];
        g->xy[2 * slot + 1] = ys[i];
    }
    for (size_t c = nx * ny; c > 0; c--) g->start[c] = g->start[c - 1];   /* back to each cell's first */
    g->start[0] = 0;
    return 1;
}

static void grid_free(code_grid *g) { free(g->start); free(g->order); free(g->xy); }

#pragma clang fp contract(off)
/* The exact distances of one cell's references to q, inserted. */
static inline __attribute__((always_inline))
void grid_visit(const code_grid *g, size_t cx, size_t cy, float qx, float qy, size_t k, float *best_distances, int32_t *best) {
    size_t c = cy * g->nx + cx;
    for (size_t s = g->start[c]; s < g->start[c + 1]; s++) {
        float dx = g->xy[2 * s] - qx;
        float d = dx * dx;
        float dy = g->xy[2 * s + 1] - qy;
        d += dy * dy;
        insert(best_distances, best, k, d, g->order[s]);
    }
}

/* The k nearest of one finite query by rings of cells (see above). */
static void grid_query(const code_grid *g, float qx, float qy, size_t k, float *best_distances, int32_t *best) {
    start_best(best_distances, best, k);
    long nx = (long)g->nx, ny = (long)g->ny;
    long cx = (long)grid_cell(qx, g->min_x, g->inverse_x, g->nx), cy = (long)grid_cell(qy, g->min_y, g->inverse_y, g->ny);
    for (long ring = 0;; ring++) {
        long x0 = cx - ring, x1 = cx + ring, y0 = cy - ring, y1 = cy + ring;
        for (long y = y0 > 0 ? y0 : 0; y <= (y1 < ny - 1 ? y1 : ny - 1); y++) {
            int edge_row = y == y0 || y == y1;
            for (long x = x0 > 0 ? x0 : 0; x <= (x1 < nx - 1 ? x1 : nx - 1); x++) {
                if (!edge_row && x != x0 && x != x1) { x = x1 - 1 > x ? x1 - 1 : x; continue; }   /* the ring's inside is done */
                grid_visit(g, (size_t)x, (size_t)y, qx, qy, k, best_distances, best);
            }
        }
        /* The sides of the block [x0, x1] x [y0, y1] that are not the grid's edge, and the query's
         * distance to the nearest of them. */
        double gap = INFINITY;
        if (x0 > 0) gap = fmin(gap, (double)qx - (g->min_x + (double)x0 * g->width_x));
        if (x1 < nx - 1) gap = fmin(gap, g->min_x + (double)(x1 + 1) * g->width_x - (double)qx);
        if (y0 > 0) gap = fmin(gap, (double)qy - (g->min_y + (double)y0 * g->width_y));
        if (y1 < ny - 1) gap = fmin(gap, g->min_y + (double)(y1 + 1) * g->width_y - (double)qy);
        if (gap == INFINITY) return;   /* every cell examined */
        if (best[k - 1] < 0) continue;
        gap -= 1e-6 * (g->width_x + g->width_y);
        if (gap <= 0) continue;
        double reach = gap * gap * (1 - 1e-6) - 1e-37;
        if ((double)best_distances[k - 1] < reach) return;
    }
}
#pragma clang fp contract(on)

LX_CLONES
void lx_nearest_codes(const float *references_t, size_t count, size_t dimension, const float *queries,
                      size_t query_count, size_t k, float *scratch, int32_t *nearest) {
    if (k == 0 || dimension == 0 || query_count == 0) return;
    code_grid grid;
    if (dimension == 2 && grid_build(&grid, references_t, count)) {
        for (size_t q = 0; q < query_count; q++) {
            float qx = queries[2 * q], qy = queries[2 * q + 1];
            if (isfinite(qx) && isfinite(qy) && fabsf(qx) <= GRID_COORDINATE_LIMIT && fabsf(qy) <= GRID_COORDINATE_LIMIT)
                grid_query(&grid, qx, qy, k, scratch, nearest + q * k);
            else
                exact_scan(references_t, count, dimension, queries + 2 * q, k, scratch, nearest + q * k);
        }
        grid_free(&grid);
        return;
    }
    float *norms = scratch, *smallest = scratch + count, *best_distances = smallest + BLOCK * k;
    /* |r|^2 of each reference; one that is not finite becomes NaN, so that it is never a candidate of
     * the bound pass (its exact distance is not finite either: never chosen). */
    float largest_norm = 0;
    for (size_t i = 0; i < count; i++) norms[i] = 0;
    for (size_t j = 0; j < dimension; j++)
        for (size_t i = 0; i < count; i++) norms[i] += references_t[j * count + i] * references_t[j * count + i];
    for (size_t i = 0; i < count; i++) {
        if (isfinite(norms[i])) largest_norm = fmaxf(largest_norm, norms[i]);
        else norms[i] = NAN;
    }
    /* A reference of a huge norm could make e overflow where an exact distance is finite, and with
     * fewer than k references of finite norm such a one could be among the k: then every query takes
     * the exact scan (as do fewer references than a tile). */
    size_t finite = 0;
    for (size_t i = 0; i < count; i++) finite += norms[i] == norms[i];
    if (!(largest_norm < NORM_LIMIT) || count < TILE || finite < k) {
        for (size_t q = 0; q < query_count; q++)
            exact_scan(references_t, count, dimension, queries + q * dimension, k, best_distances, nearest + q * k);
        return;
    }
    for (size_t q0 = 0; q0 < query_count; q0 += BLOCK) {
        size_t used = query_count - q0 < BLOCK ? query_count - q0 : BLOCK;
        const float *block[BLOCK];
        for (size_t q = 0; q < BLOCK; q++) block[q] = queries + (q0 + (q < used ? q : used - 1)) * dimension;
        nearest_block(references_t, count, dimension, norms, largest_norm, block, used, k, smallest, best_distances,
                      nearest + q0 * k);
    }
}
