// Strict hexadecimal decoding with AVX2, 64 digits (32 bytes out) a step: the STARK v1 proofs'
// spot-check entries are 266 KB of hex in a 156-coin file. Exactly the digits 0-9, a-f and A-F
// are accepted, as by the Swift decoder (ProofJSON.decodeHex), which stays the portable path.
#include "CAccel.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define HEX_TARGET __attribute__((target("avx2")))

// A digit's value, or 0xFF for any other byte (the tail's scalar path).
static inline uint8_t hex_nibble(uint8_t c) {
    if (c >= '0' && c <= '9') return (uint8_t)(c - '0');
    const uint8_t l = (uint8_t)(c | 0x20);  // A-F → a-f; nothing else lands in a-f
    if (l >= 'a' && l <= 'f') return (uint8_t)(l - 'a' + 10);
    return 0xFF;
}

// 32 characters to 32 nibble values; *bad collects, per byte, 0xFF where a character was not a digit.
HEX_TARGET static inline __attribute__((always_inline)) __m256i hex_nibbles(__m256i c, __m256i *bad) {
    const __m256i d = _mm256_sub_epi8(c, _mm256_set1_epi8('0'));
    const __m256i l = _mm256_sub_epi8(_mm256_or_si256(c, _mm256_set1_epi8(0x20)), _mm256_set1_epi8('a'));
    // Unsigned x ≤ k as min(x, k) == x.
    const __m256i isDigit = _mm256_cmpeq_epi8(_mm256_min_epu8(d, _mm256_set1_epi8(9)), d);
    const __m256i isLetter = _mm256_cmpeq_epi8(_mm256_min_epu8(l, _mm256_set1_epi8(5)), l);
    *bad = _mm256_or_si256(*bad, _mm256_andnot_si256(_mm256_or_si256(isDigit, isLetter), _mm256_set1_epi8((char)0xFF)));
    return _mm256_blendv_epi8(_mm256_add_epi8(l, _mm256_set1_epi8(10)), d, isDigit);
}

HEX_TARGET int porcheck_hex_decode_avx2(const uint8_t *src, size_t count, uint8_t *dst) {
    __m256i bad = _mm256_setzero_si256();
    // Each pair (high nibble at the even byte, low at the odd) becomes 16·high + low in a 16-bit lane.
    const __m256i weights = _mm256_set1_epi16(0x0110);
    size_t j = 0;
    for (; j + 32 <= count; j += 32) {
        const __m256i a = hex_nibbles(_mm256_loadu_si256((const __m256i *)(src + 2 * j)), &bad);
        const __m256i b = hex_nibbles(_mm256_loadu_si256((const __m256i *)(src + 2 * j + 32)), &bad);
        const __m256i wa = _mm256_maddubs_epi16(a, weights), wb = _mm256_maddubs_epi16(b, weights);
        // packus works within 128-bit halves: a0 b0 a1 b1, put back in order a0 a1 b0 b1.
        const __m256i packed = _mm256_permute4x64_epi64(_mm256_packus_epi16(wa, wb), 0xD8);
        _mm256_storeu_si256((__m256i *)(dst + j), packed);
    }
    uint8_t tailBad = 0;
    for (; j < count; j++) {
        const uint8_t hi = hex_nibble(src[2 * j]), lo = hex_nibble(src[2 * j + 1]);
        tailBad |= (uint8_t)(hi | lo);
        dst[j] = (uint8_t)((hi << 4) | (lo & 0x0F));
    }
    return _mm256_testz_si256(bad, bad) && (tailBad & 0xF0) == 0;
}

#else
int porcheck_hex_decode_avx2(const uint8_t *src, size_t count, uint8_t *dst) {
    (void)src; (void)count; (void)dst;
    return 0;
}
#endif
