#!/bin/sh
# Times the sparse-input path's kernels against sgemm on one thread's share of the MLP's first layer,
# on real letters (scripts/bench-sparse-kernels.c says what is printed). Needs clang and a folder of
# EMNIST letters in LATENT_EXPLORER_DATA (its test images file).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
kernels="$root/Sources/CKernels"
: "${LATENT_EXPLORER_DATA:?name a folder of EMNIST letters}"
binary=$(mktemp -t bench-sparse-kernels.XXXXXX)
images=$(mktemp -t bench-sparse-letters.XXXXXX)
trap 'rm -f "$binary" "$images"' EXIT
gzip -dc "$LATENT_EXPLORER_DATA/emnist-letters-test-images-idx3-ubyte.gz" > "$images"
clang -O2 -I"$kernels/include" -I"$kernels" -o "$binary" "$root/scripts/bench-sparse-kernels.c" \
    "$kernels/sparse_product.c" -lopenblas -lm
"$binary" "$images"
