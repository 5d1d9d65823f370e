/* The conv VAE's matrix products, per 16-image chunk as the layers make them, timed on one thread:
 * lx_small_gemm / lx_small_linear (the kernels every CPU has) against lx_conv_gemm / lx_conv_dot (the
 * path conv_gemm.c takes on this CPU). Best of 30 runs each, wall clock; the largest difference between
 * the two results is printed beside each pair. Then the unfolding (lx_im2col) and its adjoint
 * (lx_col2im) of a chunk in the two convolutions' geometries (the transposed ones use the same two), and
 * the one-plane layers' direct kernel against the unfolding and product it replaced. Built and run by scripts/bench-conv-kernels.sh. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "conv_gemm.h"
#include "kernel_path.h"
#include "small_gemm.h"
#include "convolution.h"
#include "conv_direct.h"

enum { runs = 30 };

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static float *random_floats(size_t n) {
    float *p = malloc(n * sizeof(float));
    for (size_t i = 0; i < n; i++) p[i] = (float)rand() / (float)RAND_MAX - 0.5f;
    return p;
}

static double largest_difference(const float *a, const float *b, size_t n) {
    double worst = 0;
    for (size_t i = 0; i < n; i++) worst = fmax(worst, fabs((double)a[i] - (double)b[i]));
    return worst;
}

static void report(const char *kind, const char *name, double flops, double old_s, double new_s, double diff) {
    printf("%-5s %-14s %8.1f us %6.1f GFLOPS   %8.1f us %6.1f GFLOPS   %.1e\n", kind, name, old_s * 1e6,
           flops / old_s * 1e-9, new_s * 1e6, flops / new_s * 1e-9, diff);
}

/* C[m, n] = A[m, k] B[k, n]; A read through (row stride, column stride) as the layers pass W or W^T. */
typedef struct { const char *name; size_t m, n, k, a_row_stride, a_column_stride; } product;

static void time_product(product s) {
    float *a = random_floats(s.m * s.k), *b = random_floats(s.k * s.n), *bias = random_floats(s.m);
    float *c_old = random_floats(s.m * s.n), *c_new = random_floats(s.m * s.n);
    double best_old = 1e9, best_new = 1e9;
    for (int r = 0; r < runs; r++) {
        double t = seconds();
        lx_small_gemm(s.m, s.n, s.k, a, s.a_row_stride, s.a_column_stride, b, s.n, bias, 1, c_old, s.n);
        best_old = fmin(best_old, seconds() - t);
        t = seconds();
        lx_conv_gemm(s.m, s.n, s.k, a, s.a_row_stride, s.a_column_stride, b, s.n, bias, 1, c_new, s.n);
        best_new = fmin(best_new, seconds() - t);
    }
    report("gemm", s.name, 2.0 * s.m * s.n * s.k, best_old, best_new, largest_difference(c_old, c_new, s.m * s.n));
    free(a); free(b); free(bias); free(c_old); free(c_new);
}

/* y[rows, out] = x[rows, in] w[out, in]^T: a weight gradient. */
static void time_dot(const char *name, size_t rows, size_t in, size_t out) {
    float *x = random_floats(rows * in), *w = random_floats(out * in);
    float *y_old = random_floats(rows * out), *y_new = random_floats(rows * out);
    double best_old = 1e9, best_new = 1e9;
    for (int r = 0; r < runs; r++) {
        double t = seconds();
        lx_small_linear(x, w, NULL, y_old, rows, in, out, 0, 0);
        best_old = fmin(best_old, seconds() - t);
        t = seconds();
        lx_conv_dot(x, w, y_new, rows, in, out, 0);
        best_new = fmin(best_new, seconds() - t);
    }
    report("dot", name, 2.0 * rows * in * out, best_old, best_new, largest_difference(y_old, y_new, rows * out));
    free(x); free(w); free(y_old); free(y_new);
}

/* The unfolding of a 16-image chunk (lx_im2col) and its adjoint (lx_col2im) for one of the conv VAE's
 * geometries, best of `runs`. */
static void time_unfolding(const char *name, lx_conv_geometry g) {
    size_t images = 16, columns = images * g.out_side * g.out_side, rows = g.channels * g.kernel * g.kernel;
    float *x = random_floats(images * g.channels * g.in_side * g.in_side), *unfolded = random_floats(rows * columns);
    double best_im2col = 1e9, best_col2im = 1e9;
    for (int r = 0; r < runs; r++) {
        double t = seconds();
        lx_im2col(g, x, images, unfolded, columns, 1);
        best_im2col = fmin(best_im2col, seconds() - t);
        t = seconds();
        lx_col2im(g, unfolded, columns, 1, images, x, 0);
        best_col2im = fmin(best_col2im, seconds() - t);
    }
    printf("unfold %-14s im2col %8.1f us   col2im %8.1f us\n", name, best_im2col * 1e6, best_col2im * 1e6);
    free(x); free(unfolded);
}

/* The one-plane layers (conv1 forward, deconv2 dx) on a 16-image chunk: unfolding into 9 rows and
 * multiplying (lx_im2col, lx_conv_gemm_planes) against the direct kernel (lx_conv3x3s2_one_plane). */
static void time_one_plane(void) {
    size_t images = 16, side = 28, out = 14, channels = 32, plane = out * out, n = images * plane;
    float *x = random_floats(images * side * side), *w = random_floats(channels * 9), *bias = random_floats(channels);
    float *columns = random_floats(9 * n), *scratch = random_floats(channels * n);
    float *y_old = random_floats(channels * n), *y_new = random_floats(channels * n);
    const lx_conv_geometry g = {1, side, out, 3, 2, 1};
    double best_old = 1e9, best_new = 1e9;
    for (int r = 0; r < runs; r++) {
        double t = seconds();
        lx_im2col(g, x, images, columns, n, 1);
        lx_conv_gemm_planes(channels, n, 9, w, 9, 1, columns, n, bias, 1, y_old, plane, scratch);
        best_old = fmin(best_old, seconds() - t);
        t = seconds();
        lx_conv3x3s2_one_plane(x, images, side, w, channels, bias, 1, y_new);
        best_new = fmin(best_new, seconds() - t);
    }
    printf("one plane 1->32 (28): unfold + product %8.1f us, direct %8.1f us, difference %.1e\n", best_old * 1e6,
           best_new * 1e6, largest_difference(y_old, y_new, channels * n));
    free(x); free(w); free(bias); free(columns); free(scratch); free(y_old); free(y_new);
}

int main(void) {
    printf("kernel path %s; conv products: %s\n", lx_kernel_path(), lx_conv_gemm_path());
    printf("kind  product           lx_small_gemm/linear         lx_conv_gemm/dot             difference\n");
    const product products[] = {
        {"conv1 forward", 32, 3136, 9, 9, 1},      {"conv2 forward", 64, 784, 288, 288, 1},
        {"conv2 dx", 288, 784, 64, 1, 288},        {"deconv1 forward", 288, 784, 64, 1, 288},
        {"deconv1 dx", 64, 784, 288, 288, 1},      {"deconv2 forward", 9, 3136, 32, 1, 9},
        {"deconv2 dx", 32, 3136, 9, 9, 1},         {"deconv1 1 image", 49, 288, 64, 1, 49},
    };
    for (size_t i = 0; i < sizeof products / sizeof products[0]; i++) time_product(products[i]);
    time_dot("conv1 dW", 32, 3136, 9);
    time_dot("conv2 dW", 64, 784, 288);
    time_dot("deconv1 dW", 64, 784, 288);
    time_dot("deconv2 dW", 32, 3136, 9);
    const lx_conv_geometry conv1 = {1, 28, 14, 3, 2, 1}, conv2 = {32, 14, 7, 3, 2, 1};
    time_unfolding("conv1 (1, 28)", conv1);
    time_unfolding("conv2 (32, 14)", conv2);
    time_one_plane();
    return 0;
}
