// Keccak-256 (Ethereum's, padding 0x01) of many messages of one length at once: each 64-bit
// lane of a vector register is a separate sponge, 4 with AVX2 and 8 with AVX-512. The rounds
// are written once over vectors (keccak_lanes.inc) with the primitives below: AVX-512 has a
// rotate (vprolq) and a three-input logic instruction (vpternlogq) for θ's column parities
// and χ; AVX2 rotates with two shifts and an OR. The messages' lanes are read with gathers,
// one per state lane and block. Compiled for those instructions only inside these functions
// (the target attributes); callers check porcheck_cpu_has_avx2() / porcheck_cpu_has_avx512f()
// first, and the Swift permutation (Keccak256.swift) is the portable path.
#include "CAccel.h"
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>

#define KECCAK_RATE 136

static const uint64_t keccak_round_constants[24] = {
    0x0000000000000001ull, 0x0000000000008082ull, 0x800000000000808Aull, 0x8000000080008000ull,
    0x000000000000808Bull, 0x0000000080000001ull, 0x8000000080008081ull, 0x8000000000008009ull,
    0x000000000000008Aull, 0x0000000000000088ull, 0x0000000080008009ull, 0x000000008000000Aull,
    0x000000008000808Bull, 0x800000000000008Bull, 0x8000000000008089ull, 0x8000000000008003ull,
    0x8000000000008002ull, 0x8000000000000080ull, 0x000000000000800Aull, 0x800000008000000Aull,
    0x8000000080008081ull, 0x8000000000008080ull, 0x0000000080000001ull, 0x8000000080008008ull,
};

// ---------------------------------------------------------------------------------------------
// AVX2: 4 lanes.
#define KECCAK_AVX2_TARGET __attribute__((target("avx2")))
#define V __m256i
#define LANES 4
#define TARGET KECCAK_AVX2_TARGET
#define NAME(x) keccak_avx2_##x
#define v_xor(a, b) _mm256_xor_si256((a), (b))
#define v_xor3(a, b, c) _mm256_xor_si256(_mm256_xor_si256((a), (b)), (c))
#define v_chi(a, b, c) _mm256_xor_si256((a), _mm256_andnot_si256((b), (c)))
#define v_rol(a, n) _mm256_or_si256(_mm256_slli_epi64((a), (n)), _mm256_srli_epi64((a), 64 - (n)))
#define v_set1(x) _mm256_set1_epi64x((long long)(x))
#define v_gather(base, index, offset) \
    _mm256_i64gather_epi64((const long long *)((base) + (offset)), _mm256_loadu_si256((const __m256i *)(index)), 1)
#define v_store(p, v) _mm256_store_si256((__m256i *)(p), (v))
#include "keccak_lanes.inc"
#undef V
#undef LANES
#undef TARGET
#undef NAME
#undef v_xor
#undef v_xor3
#undef v_chi
#undef v_rol
#undef v_set1
#undef v_gather
#undef v_store

void porcheck_keccak256_many_avx2(const uint8_t *const *inputs, size_t length, size_t count, uint8_t *digests) {
    keccak_avx2_hash_many(inputs, length, count, digests);
}

// ---------------------------------------------------------------------------------------------
// AVX-512 (F only): 8 lanes. vpternlogq's immediate is the truth table of f(a, b, c) indexed by
// 4a + 2b + c: 0x96 is a ^ b ^ c, 0xD2 is a ^ (~b & c).
#define KECCAK_AVX512_TARGET __attribute__((target("avx512f")))
#define V __m512i
#define LANES 8
#define TARGET KECCAK_AVX512_TARGET
#define NAME(x) keccak_avx512_##x
#define v_xor(a, b) _mm512_xor_si512((a), (b))
#define v_xor3(a, b, c) _mm512_ternarylogic_epi64((a), (b), (c), 0x96)
#define v_chi(a, b, c) _mm512_ternarylogic_epi64((a), (b), (c), 0xD2)
#define v_rol(a, n) _mm512_rol_epi64((a), (n))
#define v_set1(x) _mm512_set1_epi64((long long)(x))
#define v_gather(base, index, offset) \
    _mm512_i64gather_epi64(_mm512_loadu_si512((const void *)(index)), (const void *)((base) + (offset)), 1)
#define v_store(p, v) _mm512_store_si512((void *)(p), (v))
#include "keccak_lanes.inc"

void porcheck_keccak256_many_avx512(const uint8_t *const *inputs, size_t length, size_t count, uint8_t *digests) {
    keccak_avx512_hash_many(inputs, length, count, digests);
}

#else
// Never called on other architectures: porcheck_cpu_has_avx2() and porcheck_cpu_has_avx512f()
// are 0 there and the Swift permutation is used.
void porcheck_keccak256_many_avx2(const uint8_t *const *inputs, size_t length, size_t count, uint8_t *digests) {
    (void)inputs; (void)length; (void)count; (void)digests;
}
void porcheck_keccak256_many_avx512(const uint8_t *const *inputs, size_t length, size_t count, uint8_t *digests) {
    (void)inputs; (void)length; (void)count; (void)digests;
}
#endif
