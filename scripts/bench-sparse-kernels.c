/* Times one thread's share of the MLP's first layer (784 -> 512, a 128-letter batch split over two
 * threads) by OpenBLAS's sgemm and by the sparse-input path's kernels (sparse_product.c), each step
 * by itself, by the thread's CPU time (so that other processes on the machine count less), best of
 * `repeats`. Reads the letters from an uncompressed IDX image file (argv[1]), taking every
 * `stride`-th image so that a class-sorted file gives a mix of letters. Prints the layer's density
 * and, per pass, the sgemm time, each step of the sparse path, their sum and its ratio to sgemm. */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "kernels.h"
#include "sparse_product.h"

enum { batch = 128, inputs = 784, outputs = 512, repeats = 200 };

static float x[batch * inputs], w[outputs * inputs], bias[outputs], y[batch * outputs], dy[batch * outputs];
static float dw[outputs * inputs], dwt[inputs * outputs], panels[inputs * outputs], gradient_panels[batch * outputs];
static int32_t counts[inputs], cursor[inputs], indices[(batch + 1) * (inputs + 1)];
static float values[2 * (batch + 1) * (inputs + 1)];

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void keep_least(double *best, double start) {
    double seconds = cpu_seconds() - start;
    if (seconds < *best) *best = seconds;
}

static int read_letters(const char *path) {
    FILE *file = fopen(path, "rb");
    if (!file) return 0;
    unsigned char header[16];
    if (fread(header, 1, 16, file) != 16) return fclose(file), 0;
    long count = (long)header[4] << 24 | header[5] << 16 | header[6] << 8 | header[7];
    long stride = count / batch > 0 ? count / batch : 1;
    unsigned char image[inputs];
    for (int i = 0; i < batch; i++) {
        if (fseek(file, 16 + (i * stride % count) * inputs, SEEK_SET) || fread(image, 1, inputs, file) != inputs)
            return fclose(file), 0;
        for (int p = 0; p < inputs; p++) x[i * inputs + p] = image[p] / 255.0f;
    }
    return fclose(file), 1;
}

int main(int argc, char **argv) {
    if (argc != 2 || !read_letters(argv[1])) return fprintf(stderr, "usage: bench-sparse-kernels IDX-IMAGES\n"), 64;
    openblas_set_num_threads(1);
    srand(1);
    for (int i = 0; i < outputs * inputs; i++) w[i] = rand() / (float)RAND_MAX - 0.5f;
    for (int i = 0; i < batch * outputs; i++) dy[i] = rand() / (float)RAND_MAX - 0.5f;
    int rows = batch / 2, pairs = rows / 2, panel_count = (outputs + LX_SPARSE_PANEL - 1) / LX_SPARSE_PANEL;
    double sgemm = 1e9, pack = 1e9, compress = 1e9, product = 1e9;
    double sgemm_dw = 1e9, pack_dw = 1e9, compress_dw = 1e9, product_dw = 1e9, transpose_dw = 1e9;
    for (int r = 0; r < repeats; r++) {
        /* Forward: this thread's 64 rows by sgemm; then its half of W^T's panels, its 32 pairs of rows
         * and their product with all of W^T. */
        double t = cpu_seconds();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, outputs, inputs, 1, x, inputs, w, inputs, 0, y, outputs);
        keep_least(&sgemm, t);
        t = cpu_seconds();
        lx_sparse_pack_transposed_panels(w, outputs, inputs, 0, panel_count / 2, panels);
        keep_least(&pack, t);
        lx_sparse_pack_transposed_panels(w, outputs, inputs, panel_count / 2, panel_count, panels);
        t = cpu_seconds();
        lx_sparse_compress_pairs(x, batch, inputs, inputs, 1, 0, pairs, counts, indices, values);
        keep_least(&compress, t);
        t = cpu_seconds();
        lx_sparse_pairs_times_dense(rows, outputs, inputs, counts, indices, values, panels, bias, LX_ACTIVATION_RELU, y,
                                    outputs, cursor);
        keep_least(&product, t);
        /* Weight gradient: this thread's 256 units by sgemm; then its half of dpre's panels, its half
         * of the pixel pairs, their product with all of dpre and its transpose into dW. */
        t = cpu_seconds();
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, outputs / 2, inputs, batch, 1, dy, outputs, x, inputs, 0, dw,
                    inputs);
        keep_least(&sgemm_dw, t);
        t = cpu_seconds();
        lx_sparse_pack_panels(dy, batch, outputs / 2, outputs, gradient_panels);
        keep_least(&pack_dw, t);
        lx_sparse_pack_panels(dy + outputs / 2, batch, outputs / 2, outputs, gradient_panels + outputs / 2 * batch);
        t = cpu_seconds();
        lx_sparse_compress_pairs(x, inputs, batch, 1, inputs, 0, inputs / 4, counts, indices, values);
        keep_least(&compress_dw, t);
        t = cpu_seconds();
        lx_sparse_pairs_times_dense(inputs / 2, outputs, batch, counts, indices, values, gradient_panels, NULL,
                                    LX_ACTIVATION_IDENTITY, dwt, outputs, cursor);
        keep_least(&product_dw, t);
        t = cpu_seconds();
        lx_sparse_transpose_rows(dwt, inputs, outputs, 0, inputs / 2, dw);
        keep_least(&transpose_dw, t);
    }
    long nonzero = 0, row_entries = 0, column_entries = 0;
    for (int i = 0; i < batch * inputs; i++) nonzero += x[i] != 0;
    for (int p = 0; p < inputs / 4; p++) column_entries += counts[p];
    lx_sparse_compress_pairs(x, batch, inputs, inputs, 1, 0, pairs, counts, indices, values);
    for (int p = 0; p < pairs; p++) row_entries += counts[p];
    printf("density %.3f; places kept: pairs of rows %.3f, pairs of pixels %.3f\n", (double)nonzero / (batch * inputs),
           (double)row_entries / (pairs * inputs), (double)column_entries / (inputs / 4 * batch));
    double sparse = pack + compress + product, sparse_dw = pack_dw + compress_dw + product_dw + transpose_dw;
    printf("forward, 64 rows: sgemm %.0f us; sparse: pack %.0f + compress %.0f + product %.0f = %.0f us (%.2fx)\n",
           sgemm * 1e6, pack * 1e6, compress * 1e6, product * 1e6, sparse * 1e6, sparse / sgemm);
    printf("product rate: sgemm %.1f, sparse %.1f GFMA/s\n", rows * (double)inputs * outputs / sgemm * 1e-9,
           row_entries * 2.0 * outputs / product * 1e-9);
    printf("weight gradient, 256 units: sgemm %.0f us; sparse: pack %.0f + compress %.0f + product %.0f + transpose %.0f"
           " = %.0f us (%.2fx)\n", sgemm_dw * 1e6, pack_dw * 1e6, compress_dw * 1e6, product_dw * 1e6, transpose_dw * 1e6,
           sparse_dw * 1e6, sparse_dw / sgemm_dw);
    printf("product rate: sgemm %.1f, sparse %.1f GFMA/s\n", outputs / 2.0 * inputs * batch / sgemm_dw * 1e-9,
           column_entries * 2.0 * outputs / product_dw * 1e-9);
    return 0;
}
