#ifndef LATENT_EXPLORER_KERNEL_PATH_H
#define LATENT_EXPLORER_KERNEL_PATH_H

/// The copy of the multiversioned kernels (`multiversion.h`'s LX_CLONES: the convolutions' im2col and
/// col2im, the small register-blocked products, Adam, the loss) that this CPU runs, as a short name:
/// "x86-64-v4 (AVX-512)", "x86-64-v3 (AVX2, FMA)", "x86-64 (SSE2)", or the architecture elsewhere.
/// It asks the CPU the same questions as the loader's resolver does, so it names the path taken
/// whatever OpenBLAS picked for its own kernels.
const char *lx_kernel_path(void);

/// The x86-64 level whose copy `LX_CLONES` makes this CPU run: 4 (AVX-512), 3 (AVX2, FMA) or 1 (the
/// baseline); 0 on another architecture. Kernels with a path of their own for one level ask this, so
/// that they take it exactly where the multiversioned kernels run that level's copy.
int lx_x86_64_level(void);

#endif
