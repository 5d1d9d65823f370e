#ifndef LATENT_EXPLORER_MULTIVERSION_H
#define LATENT_EXPLORER_MULTIVERSION_H

#if defined(__x86_64__)
/* One copy per x86-64 level (v4: AVX-512, v3: AVX2 + FMA); the loader picks the best the CPU runs. */
#define LX_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
/* Kernels with an AVX-512 path of their own (conv_gemm_avx512.c, active_rows.c), compiled for the
 * features every CPU has where LX_CLONES runs its v4 copy; called only where lx_x86_64_level() is 4:
 * helpers inlined into entry points that are never inlined into code of another target. */
#define LX_AVX512_TARGET target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma,bmi2")
#define LX_AVX512_INLINE static inline __attribute__((always_inline, LX_AVX512_TARGET))
#define LX_AVX512_ENTRY __attribute__((noinline, LX_AVX512_TARGET))
#else
#define LX_CLONES
#endif

#endif
