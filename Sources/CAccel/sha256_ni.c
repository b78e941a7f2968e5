// SHA-256 (FIPS 180-4) with the x86 SHA extensions. Compiled for those instructions only
// inside this file's functions (the target attribute), so the rest of porcheck keeps the
// baseline x86-64 instruction set; callers check porcheck_cpu_has_sha_ni() first.
//
// The SHA-NI round instruction works on the state split as (A, B, E, F) and (C, D, G, H) and
// does two rounds per call; each group of four rounds below takes four message words W[t..t+3]:
// the first sixteen from the block (big-endian), the rest from the message schedule
//   W[t] = sigma1(W[t-2]) + W[t-7] + sigma0(W[t-15]) + W[t-16],
// of which sha256msg1 supplies W[t-16] + sigma0(W[t-15]), the alignr the W[t-7] terms and
// sha256msg2 the sigma1 terms (it needs the words of the group just made, hence its own order).
#include "CAccel.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>

static const uint32_t round_constants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define SHA_NI __attribute__((target("sha,sse4.1,ssse3")))

/// Compresses `blocks` 64-byte blocks into the state held as (ABEF, CDGH).
SHA_NI static void compress(__m128i *abef, __m128i *cdgh, const uint8_t *p, size_t blocks) {
    // Byte order within each 32-bit word reversed: the message words are big-endian.
    const __m128i bswap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
    __m128i s0 = *abef, s1 = *cdgh;
    for (; blocks > 0; blocks--, p += 64) {
        const __m128i save0 = s0, save1 = s1;
        __m128i w[4];  // the last four groups of message words, group g in w[g % 4]
        for (int g = 0; g < 16; g++) {
            __m128i m;
            if (g < 4) {
                m = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * g)), bswap);
            } else {
                const __m128i partial = _mm_add_epi32(_mm_sha256msg1_epu32(w[g % 4], w[(g + 1) % 4]),
                                                      _mm_alignr_epi8(w[(g + 3) % 4], w[(g + 2) % 4], 4));
                m = _mm_sha256msg2_epu32(partial, w[(g + 3) % 4]);
            }
            w[g % 4] = m;
            __m128i k = _mm_add_epi32(m, _mm_loadu_si128((const __m128i *)(round_constants + 4 * g)));
            s1 = _mm_sha256rnds2_epu32(s1, s0, k);
            k = _mm_shuffle_epi32(k, 0x0E);  // the upper two words, for the next two rounds
            s0 = _mm_sha256rnds2_epu32(s0, s1, k);
        }
        s0 = _mm_add_epi32(s0, save0);
        s1 = _mm_add_epi32(s1, save1);
    }
    *abef = s0;
    *cdgh = s1;
}

SHA_NI void porcheck_sha256_ni(const uint8_t *data, size_t length, uint8_t digest[32]) {
    static const uint32_t initial[8] = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };
    // (A, B, C, D) and (E, F, G, H) as loaded, rearranged into (A, B, E, F) and (C, D, G, H) in
    // the lane order the round instruction wants (F, E, B, A) and (H, G, D, C).
    __m128i abcd = _mm_loadu_si128((const __m128i *)initial);
    __m128i efgh = _mm_loadu_si128((const __m128i *)(initial + 4));
    abcd = _mm_shuffle_epi32(abcd, 0xB1);  // B A D C
    efgh = _mm_shuffle_epi32(efgh, 0x1B);  // H G F E
    __m128i abef = _mm_alignr_epi8(abcd, efgh, 8);    // F E B A
    __m128i cdgh = _mm_blend_epi16(efgh, abcd, 0xF0); // H G D C

    const size_t whole = length / 64;
    if (whole > 0) compress(&abef, &cdgh, data, whole);

    // The last partial block, the 0x80 marker, zeros and the bit length (big-endian): one or
    // two blocks.
    uint8_t tail[128];
    const size_t rest = length - whole * 64;
    memset(tail, 0, sizeof tail);
    if (rest > 0) memcpy(tail, data + whole * 64, rest);
    tail[rest] = 0x80;
    const size_t tailBlocks = rest + 1 + 8 <= 64 ? 1 : 2;
    const uint64_t bits = (uint64_t)length * 8;
    for (int i = 0; i < 8; i++) tail[tailBlocks * 64 - 1 - i] = (uint8_t)(bits >> (8 * i));
    compress(&abef, &cdgh, tail, tailBlocks);

    // Back to (A, B, C, D) and (E, F, G, H), each word big-endian.
    __m128i feba = _mm_shuffle_epi32(abef, 0x1B);  // A B E F
    __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);  // G H C D
    abcd = _mm_blend_epi16(feba, dchg, 0xF0);     // A B C D
    efgh = _mm_alignr_epi8(dchg, feba, 8);        // E F G H
    const __m128i bswap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
    _mm_storeu_si128((__m128i *)digest, _mm_shuffle_epi8(abcd, bswap));
    _mm_storeu_si128((__m128i *)(digest + 16), _mm_shuffle_epi8(efgh, bswap));
}
#else
void porcheck_sha256_ni(const uint8_t *data, size_t length, uint8_t digest[32]) {
    (void)data; (void)length;
    for (int i = 0; i < 32; i++) digest[i] = 0;  // never called: porcheck_cpu_has_sha_ni() is 0
}
#endif
