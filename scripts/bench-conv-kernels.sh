#!/bin/sh
# Times the conv VAE's matrix products per 16-image chunk on one thread, the portable kernels against
# the ones conv_gemm.c picks for this CPU (scripts/bench-conv-kernels.c says what is printed). Needs clang.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
kernels="$root/Sources/CKernels"
binary=$(mktemp -t bench-conv-kernels.XXXXXX)
trap 'rm -f "$binary"' EXIT
clang -O2 -I"$kernels/include" -I"$kernels" -o "$binary" "$root/scripts/bench-conv-kernels.c" \
    "$kernels/small_gemm.c" "$kernels/conv_gemm.c" "$kernels/conv_gemm_avx512.c" "$kernels/conv_direct.c" "$kernels/convolution.c" "$kernels/kernel_path.c" -lm
"$binary"
