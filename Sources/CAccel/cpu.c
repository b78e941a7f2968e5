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
#else
int porcheck_cpu_has_sha_ni(void) { return 0; }
#endif
