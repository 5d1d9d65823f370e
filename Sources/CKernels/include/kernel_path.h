#ifndef LATENT_EXPLORER_KERNEL_PATH_H
#define LATENT_EXPLORER_KERNEL_PATH_H

/// The copy of the multiversioned kernels (`multiversion.h`'s LX_CLONES: the convolutions' im2col and
/// col2im, the small register-blocked products, Adam, the loss) that this CPU runs, as a short name:
/// "x86-64-v4 (AVX-512)", "x86-64-v3 (AVX2, FMA)", "x86-64 (SSE2)", or the architecture elsewhere.
/// It asks the CPU the same questions as the loader's resolver does, so it names the path taken
/// whatever OpenBLAS picked for its own kernels.
const char *lx_kernel_path(void);

#endif
