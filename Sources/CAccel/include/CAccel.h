// porcheck's hardware-accelerated kernels, selected at run time by CPU detection.
//
// Every kernel here has a portable counterpart in the Swift code (or libsodium) that gives the
// same result; a caller asks whether the CPU has the instructions first and falls back to the
// portable path otherwise, so porcheck runs on any x86-64 (and any other architecture, where
// these report "no").
#ifndef PORCHECK_CACCEL_H
#define PORCHECK_CACCEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when this CPU has the SHA extensions (SHA-NI) together with the SSSE3 and SSE4.1
/// instructions the SHA-256 kernel also uses; 0 otherwise (and on other architectures).
int porcheck_cpu_has_sha_ni(void);

/// SHA-256 of `length` bytes at `data` into `digest` (32 bytes), with the SHA-NI instructions.
/// Call only when `porcheck_cpu_has_sha_ni()` returned 1. `data` may be NULL when `length` is 0.
void porcheck_sha256_ni(const uint8_t *data, size_t length, uint8_t digest[32]);

#ifdef __cplusplus
}
#endif

#endif
