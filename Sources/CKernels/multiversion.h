#ifndef LATENT_EXPLORER_MULTIVERSION_H
#define LATENT_EXPLORER_MULTIVERSION_H

#if defined(__x86_64__)
/* One copy per x86-64 level (v4: AVX-512, v3: AVX2 + FMA); the loader picks the best the CPU runs. */
#define LX_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define LX_CLONES
#endif

#endif
