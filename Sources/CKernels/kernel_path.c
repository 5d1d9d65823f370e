#include "kernel_path.h"

/* The feature sets of the x86-64 micro-architecture levels LX_CLONES builds for (the psABI's
 * definitions): a clone is taken only when the CPU has every feature of its level. */
static int level_of_this_cpu(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    int v3 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi")
          && __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("f16c") && __builtin_cpu_supports("movbe")
          && __builtin_cpu_supports("lzcnt");
    int v4 = v3 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
          && __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512dq")
          && __builtin_cpu_supports("avx512vl");
    return v4 ? 4 : v3 ? 3 : 1;
#else
    return 0;
#endif
}

/* Asked by kernels on every call (each conv product, each decoded point): the answer is found once and
 * kept. Threads that race on the first call find the same answer, so relaxed atomics suffice. */
int lx_x86_64_level(void) {
    static int known = -1;   /* -1: not asked yet */
    int level = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (level < 0) __atomic_store_n(&known, level = level_of_this_cpu(), __ATOMIC_RELAXED);
    return level;
}

const char *lx_kernel_path(void) {
#if defined(__x86_64__)
    switch (lx_x86_64_level()) {
    case 4: return "x86-64-v4 (AVX-512)";
    case 3: return "x86-64-v3 (AVX2, FMA)";
    default: return "x86-64 (SSE2)";
    }
#elif defined(__aarch64__)
    return "aarch64 (NEON)";
#else
    return "portable C";
#endif
}
