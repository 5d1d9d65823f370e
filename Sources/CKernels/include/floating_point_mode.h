#ifndef LATENT_EXPLORER_FLOATING_POINT_MODE_H
#define LATENT_EXPLORER_FLOATING_POINT_MODE_H

/// The calling thread's handling of subnormal ("denormal") floats, as an opaque word to restore later.
///
/// Training meets subnormals all the time: Adam's second moment v = β2·v + (1 − β2)·g² of a weight whose
/// gradient is near 0 decays through them, and so do products of tiny activations. Intel cores handle
/// each subnormal operand or result with a microcode assist that costs on the order of a hundred cycles
/// (AMD's Zen cores far less), so one epoch of the MLP ran 15 % of its time in Adam's pass on an
/// AVX-512 Xeon. Flushing them to zero (x86's MXCSR FTZ and DAZ bits, AArch64's FPCR.FZ) changes only
/// values below 1.2e-38, which no loss, gradient or weight of the VAE depends on.
unsigned long lx_floating_point_mode(void);

/// Restores a mode `lx_floating_point_mode` returned, on the calling thread.
void lx_set_floating_point_mode(unsigned long mode);

/// Sets the calling thread to flush subnormal inputs and results to zero, and returns the mode it had.
/// Where the architecture has no such switch, does nothing.
unsigned long lx_flush_subnormals(void);

/// Whether the calling thread flushes subnormals to zero (1) or not (0).
int lx_flushes_subnormals(void);

#endif
