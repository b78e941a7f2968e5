// CPU feature detection for the kernels in this target, with the cpuid instruction directly
// (no dependency on the compiler runtime's __cpu_model, which a static Swift link may not carry).
#include "CAccel.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

int porcheck_cpu_has_sha_ni(void) {
    unsigned int a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    const int ssse3 = (c >> 9) & 1, sse41 = (c >> 19) & 1;
    if (!ssse3 || !sse41) return 0;
    if (__get_cpuid_max(0, 0) < 7) return 0;
    __cpuid_count(7, 0, a, b, c, d);
    return (b >> 29) & 1;  // CPUID.(EAX=7,ECX=0):EBX[29] = SHA
}

// The vector registers' upper parts are usable only if the operating system saves them on a
// context switch: it says so in XCR0 (read with xgetbv, allowed when CPUID.1:ECX.OSXSAVE[27]).
static unsigned long long xcr0(void) {
    unsigned int a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !((c >> 27) & 1)) return 0;
    unsigned int lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((unsigned long long)hi << 32) | lo;
}

// CPUID.(EAX=7,ECX=0):EBX, 0 when the leaf is absent.
static unsigned int leaf7_ebx(void) {
    unsigned int a, b, c, d;
    if (__get_cpuid_max(0, 0) < 7) return 0;
    __cpuid_count(7, 0, a, b, c, d);
    return b;
}

int porcheck_cpu_has_avx2_fma(void) {
#if !defined(__x86_64__)
    return 0;  // the Poseidon kernels are built for x86-64 only
#endif
    unsigned int a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !((c >> 28) & 1) || !((c >> 12) & 1)) return 0;  // AVX, FMA
    if ((xcr0() & 0x6) != 0x6) return 0;                                  // SSE and AVX state
    return (leaf7_ebx() >> 5) & 1;                                        // AVX2
}

int porcheck_cpu_has_avx512_ifma(void) {
    if (!porcheck_cpu_has_avx2_fma()) return 0;  // the AVX and XCR0 checks (every AVX-512 CPU has AVX2, FMA)
    if ((xcr0() & 0xE6) != 0xE6) return 0;  // and the opmask, ZMM0-15 upper and ZMM16-31 state
    const unsigned int ebx = leaf7_ebx();
    return ((ebx >> 16) & 1) && ((ebx >> 21) & 1);  // AVX512F, AVX512_IFMA
}

int porcheck_cpu_has_avx2(void) {
#if !defined(__x86_64__)
    return 0;  // the Keccak and hex kernels are built for x86-64 only
#endif
    unsigned int a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !((c >> 28) & 1)) return 0;  // AVX
    if ((xcr0() & 0x6) != 0x6) return 0;                                 // SSE and AVX state
    return (leaf7_ebx() >> 5) & 1;                                       // AVX2
}

int porcheck_cpu_has_avx512f(void) {
    if (!porcheck_cpu_has_avx2()) return 0;  // the AVX and XCR0 checks (every AVX-512 CPU has AVX2)
    if ((xcr0() & 0xE6) != 0xE6) return 0;  // and the opmask, ZMM0-15 upper and ZMM16-31 state
    return (leaf7_ebx() >> 16) & 1;         // AVX512F
}
#else
int porcheck_cpu_has_sha_ni(void) { return 0; }
int porcheck_cpu_has_avx2(void) { return 0; }
int porcheck_cpu_has_avx512f(void) { return 0; }
int porcheck_cpu_has_avx2_fma(void) { return 0; }
int porcheck_cpu_has_avx512_ifma(void) { return 0; }
#endif
