#ifndef LATENT_EXPLORER_SPIN_H
#define LATENT_EXPLORER_SPIN_H

/// A hint to the CPU that this thread is spinning on a flag another thread will set: on x86 the PAUSE
/// instruction, which frees the core's pipeline for its sibling and avoids a memory-order flush when
/// the flag changes. Costs no system call, unlike sched_yield.
static inline void lx_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#endif
