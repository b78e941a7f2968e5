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

/// 1 when this CPU has AVX2 and FMA and the operating system saves the 256-bit registers
/// (XCR0); 0 otherwise (and on other architectures).
int porcheck_cpu_has_avx2_fma(void);

/// 1 when this CPU has AVX-512F and AVX-512 IFMA and the operating system saves the opmask and
/// 512-bit registers (XCR0); 0 otherwise (and on other architectures).
int porcheck_cpu_has_avx512_ifma(void);

/// The constants of plonky2's Poseidon for Goldilocks (width 12), as the many-lane kernels read
/// them: the caller (porcheck's Swift tables) fills it from the same arrays as its own
/// permutation.
typedef struct porcheck_poseidon_tables {
    /// 30 rounds × 12 lanes, round-major, each canonical (below p).
    const uint64_t *round_constants;
    /// The MDS layer as a 12×12 matrix, row-major: new[r] = Σⱼ mds_matrix[12r + j]·old[j]
    /// (circulant plus diagonal). Every row's coefficients must sum below 2^9: the kernels
    /// multiply 32-bit halves by them and rely on sums below 2^41.
    const uint64_t *mds_matrix;
    /// The same layer as a cyclic convolution split by t^12 − 1 = (t^3 − 1)(t^3 + 1)(t^6 + 1)
    /// (porcheck's Swift `PoseidonTables.mdsKernel`, 24 entries): with k[m] = circulant[(12 − m)
    /// mod 12] and k = k₀ + t^6·k₁, (k₀ + k₁) modulo t^3 − 1 (3 entries) and t^3 + 1 (3), k₀ − k₁
    /// (6), then the 12 diagonal entries. Every entry's magnitude is below 2^9, and only the
    /// first diagonal entry may be non-zero (plonky2's matrix: diag(8, 0, …, 0)).
    const int64_t *mds_kernel;
} porcheck_poseidon_tables;

/// plonky2's Poseidon permutation of `count` states, each 12 u64 lanes one after the other
/// (`states[12 * k + i]` is lane i of state k), in place, 4 states at a time with AVX2 (and FMA). Input
/// lanes may be any u64 (a value ≥ p stands for its residue); outputs are canonical.
/// Call only when `porcheck_cpu_has_avx2_fma()` returned 1.
void porcheck_poseidon_permute_avx2(uint64_t *states, size_t count, const porcheck_poseidon_tables *tables);

/// As porcheck_poseidon_permute_avx2, 8 states at a time with AVX-512.
/// Call only when `porcheck_cpu_has_avx512_ifma()` returned 1.
void porcheck_poseidon_permute_avx512(uint64_t *states, size_t count, const porcheck_poseidon_tables *tables);

/// 1 when this CPU has AVX2 and the operating system saves the 256-bit registers (XCR0);
/// 0 otherwise (and on other architectures).
int porcheck_cpu_has_avx2(void);

/// 1 when this CPU has AVX-512F and the operating system saves the opmask and 512-bit
/// registers (XCR0); 0 otherwise (and on other architectures).
int porcheck_cpu_has_avx512f(void);

/// Keccak-256 (Ethereum's: padding byte 0x01, not SHA3's 0x06) of `count` messages of `length`
/// bytes each, message k at `inputs[k]`, its digest into `digests + 32k`; 4 at a time with AVX2.
/// The messages may overlap or repeat; `digests` must not overlap them. Call only when
/// `porcheck_cpu_has_avx2()` returned 1.
void porcheck_keccak256_many_avx2(const uint8_t *const *inputs, size_t length, size_t count, uint8_t *digests);

/// As porcheck_keccak256_many_avx2, 8 at a time with AVX-512F.
/// Call only when `porcheck_cpu_has_avx512f()` returned 1.
void porcheck_keccak256_many_avx512(const uint8_t *const *inputs, size_t length, size_t count, uint8_t *digests);

/// Decodes the 2·`count` hexadecimal digits (0-9, a-f, A-F) at `src` into `count` bytes at
/// `dst`, 64 digits a step with AVX2. Returns 1 when every one of them is a hex digit, 0
/// otherwise (then `dst` holds unspecified bytes). Call only when `porcheck_cpu_has_avx2()`
/// returned 1.
int porcheck_hex_decode_avx2(const uint8_t *src, size_t count, uint8_t *dst);

#ifdef __cplusplus
}
#endif

#endif
