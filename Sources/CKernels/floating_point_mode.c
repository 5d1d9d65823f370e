#include "floating_point_mode.h"

#if defined(__x86_64__)
#include <immintrin.h>
/* MXCSR bit 15: flush to zero (subnormal results become 0); bit 6: denormals are zero (subnormal
 * inputs read as 0). SSE and AVX arithmetic, every vector width, obey them. */
enum { flush_bits = (1u << 15) | (1u << 6) };
unsigned long lx_floating_point_mode(void) { return _mm_getcsr(); }
void lx_set_floating_point_mode(unsigned long mode) { _mm_setcsr((unsigned)mode); }
#elif defined(__aarch64__)
/* FPCR bit 24: FZ, which flushes subnormal inputs and results of single and double precision. */
static const unsigned long flush_bits = 1ul << 24;
unsigned long lx_floating_point_mode(void) {
    unsigned long fpcr;
    __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
    return fpcr;
}
void lx_set_floating_point_mode(unsigned long mode) { __asm__ volatile("msr fpcr, %0" : : "r"(mode)); }
#else
static const unsigned long flush_bits = 0;
unsigned long lx_floating_point_mode(void) { return 0; }
void lx_set_floating_point_mode(unsigned long mode) { (void)mode; }
#endif

unsigned long lx_flush_subnormals(void) {
    unsigned long mode = lx_floating_point_mode();
    if (flush_bits != 0 && (mode & flush_bits) != flush_bits) lx_set_floating_point_mode(mode | flush_bits);
    return mode;
}

int lx_flushes_subnormals(void) {
    return flush_bits != 0 && (lx_floating_point_mode() & flush_bits) == flush_bits;
}
