// plonky2's Poseidon permutation over Goldilocks (p = 2^64 − 2^32 + 1, width 12, 8 full and 22
// partial rounds) on many states at once: each 64-bit lane of a vector register is a separate
// permutation, 4 with AVX2 and 8 with AVX-512. The arithmetic is purely element-wise, so a
// kernel is the scalar permutation written once over vectors (poseidon_lanes.inc) with the
// Goldilocks primitives below. Compiled for those instructions only inside these functions (the
// target attributes), so the rest of porcheck keeps the baseline x86-64 instruction set; callers
// check porcheck_cpu_has_avx2_fma() / porcheck_cpu_has_avx512_ifma() first.
//
// Goldilocks arithmetic used throughout (ε = 2^32 − 1):
//   2^64 ≡ ε (mod p), because p = 2^64 − ε;
//   2^96 ≡ −1 (mod p), because 2^96 = 2^32·2^64 ≡ 2^32·ε = 2^64 − 2^32 ≡ ε − 2^32 = −1.
// A 128-bit product hi·2^64 + lo with hi = h1·2^32 + h0 is therefore ≡ lo + h0·ε − h1, which the
// reduction computes in u64 with one borrow and one carry correction (each adds or removes a
// multiple of p: 2^64 − ε = p).
//
// Lanes are any u64 congruent to the element (non-canonical), as in porcheck's Swift
// permutation; every primitive accepts any u64 lane, so nothing has to stay in a range between
// operations, and the result of the permutation is made canonical at the end.
//
// The partial rounds are the textbook ones (all 12 constants, the S-box on element 0, the full
// MDS layer), not plonky2's fast factorisation that the Swift permutation uses: that one trades
// the MDS layer's 144 products by small coefficients for 22 products by full 64-bit constants,
// which is a gain for scalar code (a 64-bit multiply is one instruction) but not here, where a
// product of two full lanes takes four 32×32-bit multiplications and a reduction while a product
// by a coefficient below 2^9 takes one multiplication per 32-bit half, without a reduction.
#include "CAccel.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define EPSILON 0xFFFFFFFFull
#define ORDER 0xFFFFFFFF00000001ull

// ---------------------------------------------------------------------------------------------
// AVX2 (with FMA for the MDS layer): 4 lanes. AVX2 has no unsigned 64-bit comparison: a <u b
// is computed as a signed comparison of both with the sign bit flipped. An all-ones mask shifted
// right by 32 is ε, the correction for one wrap past 2^64.

#define AVX2_TARGET __attribute__((target("avx2,fma")))

AVX2_TARGET static inline __attribute__((always_inline)) __m256i avx2_less_unsigned(__m256i a, __m256i b) {
    const __m256i sign = _mm256_set1_epi64x((long long)0x8000000000000000ull);
    return _mm256_cmpgt_epi64(_mm256_xor_si256(b, sign), _mm256_xor_si256(a, sign));
}

/// a + c for any lane a and a canonical c: after a wrap the sum is at most
/// (2^64 − 1) + (p − 1) − 2^64 = 2^64 − 2^32 − 1, so adding ε (2^64 ≡ ε) cannot wrap again.
AVX2_TARGET static inline __attribute__((always_inline)) __m256i avx2_add_const(__m256i a, const uint64_t *c) {
    const __m256i k = _mm256_set1_epi64x((long long)*c);
    const __m256i s = _mm256_add_epi64(a, k);
    return _mm256_add_epi64(s, _mm256_srli_epi64(avx2_less_unsigned(s, k), 32));
}

/// The 128-bit product of two u64 lanes from the four 32×32-bit products. With a = a1·2^32 + a0
/// and b likewise: t = a0·b1 + (a0·b0 >> 32) ≤ (2^32 − 1)² + 2^32 − 1 < 2^64 and
/// u = a1·b0 + (t mod 2^32) < 2^64 likewise, so neither sum wraps; the low word is
/// (u mod 2^32)·2^32 + (a0·b0 mod 2^32) and the high word a1·b1 + (t >> 32) + (u >> 32), which is
/// below 2^64 because the whole product is below 2^128.
AVX2_TARGET static inline __attribute__((always_inline)) void avx2_mul_wide(__m256i a, __m256i b, __m256i *hi, __m256i *lo) {
    const __m256i aHi = _mm256_srli_epi64(a, 32), bHi = _mm256_srli_epi64(b, 32);
    const __m256i ll = _mm256_mul_epu32(a, b), lh = _mm256_mul_epu32(a, bHi);
    const __m256i hl = _mm256_mul_epu32(aHi, b), hh = _mm256_mul_epu32(aHi, bHi);
    const __m256i t = _mm256_add_epi64(lh, _mm256_srli_epi64(ll, 32));
    const __m256i u = _mm256_add_epi64(hl, _mm256_and_si256(t, _mm256_set1_epi64x((long long)EPSILON)));
    *lo = _mm256_blend_epi32(ll, _mm256_slli_epi64(u, 32), 0xAA);
    *hi = _mm256_add_epi64(_mm256_add_epi64(hh, _mm256_srli_epi64(t, 32)), _mm256_srli_epi64(u, 32));
}

/// a², as avx2_mul_wide with the two cross products equal (one multiplication fewer).
AVX2_TARGET static inline __attribute__((always_inline)) void avx2_square_wide(__m256i a, __m256i *hi, __m256i *lo) {
    const __m256i aHi = _mm256_srli_epi64(a, 32);
    const __m256i ll = _mm256_mul_epu32(a, a), lh = _mm256_mul_epu32(a, aHi), hh = _mm256_mul_epu32(aHi, aHi);
    const __m256i t = _mm256_add_epi64(lh, _mm256_srli_epi64(ll, 32));
    const __m256i u = _mm256_add_epi64(lh, _mm256_and_si256(t, _mm256_set1_epi64x((long long)EPSILON)));
    *lo = _mm256_blend_epi32(ll, _mm256_slli_epi64(u, 32), 0xAA);
    *hi = _mm256_add_epi64(_mm256_add_epi64(hh, _mm256_srli_epi64(t, 32)), _mm256_srli_epi64(u, 32));
}

/// A u64 ≡ hi·2^64 + lo for any hi, lo: lo − h1 + h0·ε (see the top of the file).
/// lo − h1 borrows only if lo < h1 < 2^32; the wrapped value lo − h1 + 2^64 is then
/// ≥ 2^64 − 2^32 + 1 > ε, so taking ε off cannot wrap, and lo − h1 + 2^64 − ε = lo − h1 + p.
/// h0·ε ≤ (2^32 − 1)² is one 32×32 product; if adding it wraps, the sum is below it
/// (< 2^64 − 2^33), so adding ε (for the lost 2^64) cannot wrap.
AVX2_TARGET static inline __attribute__((always_inline)) __m256i avx2_reduce(__m256i hi, __m256i lo) {
    // Computed with the sign bit flipped (x ^ 2^63 = x + 2^63 mod 2^64, so sums and differences
    // carry over), where the signed comparison is the unsigned one: one flip in, one out.
    const __m256i sign = _mm256_set1_epi64x((long long)0x8000000000000000ull);
    const __m256i eps = _mm256_set1_epi64x((long long)EPSILON);
    const __m256i h1 = _mm256_srli_epi64(hi, 32);
    const __m256i loS = _mm256_xor_si256(lo, sign);
    __m256i t0S = _mm256_sub_epi64(loS, h1);
    // lo − h1 wrapped iff the difference came out above lo.
    t0S = _mm256_sub_epi64(t0S, _mm256_srli_epi64(_mm256_cmpgt_epi64(t0S, loS), 32));
    const __m256i t1 = _mm256_mul_epu32(hi, eps);
    const __m256i t2S = _mm256_add_epi64(t0S, t1);
    // t0 + t1 wrapped iff the sum came out below t0.
    return _mm256_xor_si256(_mm256_add_epi64(t2S, _mm256_srli_epi64(_mm256_cmpgt_epi64(t0S, t2S), 32)), sign);
}

AVX2_TARGET static inline __attribute__((always_inline)) __m256i avx2_mul(__m256i a, __m256i b) {
    __m256i hi, lo;
    avx2_mul_wide(a, b, &hi, &lo);
    return avx2_reduce(hi, lo);
}

AVX2_TARGET static inline __attribute__((always_inline)) __m256i avx2_square(__m256i a) {
    __m256i hi, lo;
    avx2_square_wide(a, &hi, &lo);
    return avx2_reduce(hi, lo);
}

/// The MDS layer's convolution kernel (see porcheck_poseidon_tables.mds_kernel) as doubles, the
/// factors of the remainder theorem's halvings folded in: (k₀ + k₁) modulo t^3 ∓ 1 divided by
/// 4, k₀ − k₁ divided by 2 (multiples of 1/4 below 2^9 in magnitude, exact in a double).
typedef struct { double plusPlus[3], plusMinus[3], minus[6], diagonal; } avx2_mds_context;

static void avx2_mds_prepare(avx2_mds_context *c, const porcheck_poseidon_tables *t) {
    const int64_t *k = t->mds_kernel;
    for (int i = 0; i < 3; i++) {
        c->plusPlus[i] = (double)k[i] / 4;
        c->plusMinus[i] = (double)k[3 + i] / 4;
    }
    for (int i = 0; i < 6; i++) c->minus[i] = (double)k[6 + i] / 2;
    c->diagonal = (double)k[12];
}

/// 2^52 as a double: for an integer 0 ≤ x < 2^52, the bits of 2^52 with x in the mantissa are the
/// double 2^52 + x, exactly.
#define MAGIC52 0x4330000000000000ull

/// out = M·in for 12 values below 2^32, as avx512_mds_half computes it (a cyclic convolution
/// through t^12 − 1 = (t^3 − 1)(t^3 + 1)(t^6 + 1), 54 multiplications instead of 144), but in
/// double precision, which AVX2 multiplies (fused with the addition) where it has no 64-bit
/// integer multiplication: every value on the way is an integer or a multiple of 1/4 (the kernel's
/// halvings) below 2^47 in magnitude, which a double's 53-bit significand holds exactly, so every
/// sum and product is exact and the outputs are the exact integers, below 2^41.
AVX2_TARGET static inline __attribute__((always_inline)) void avx2_mds_half(const __m256i in[12], __m256i out[12], const avx2_mds_context *c) {
    const __m256i magicBits = _mm256_set1_epi64x((long long)MAGIC52);
    const __m256d magic = _mm256_castsi256_pd(magicBits);
    __m256d x[12];
    _Pragma("clang loop unroll(full)")
    for (int i = 0; i < 12; i++) x[i] = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(in[i], magicBits)), magic);
    __m256d a[6], b[6], aPlus[3], aMinus[3];
    _Pragma("clang loop unroll(full)")
    for (int i = 0; i < 6; i++) {
        a[i] = _mm256_add_pd(x[i], x[i + 6]);
        b[i] = _mm256_sub_pd(x[i], x[i + 6]);
    }
    _Pragma("clang loop unroll(full)")
    for (int i = 0; i < 3; i++) {
        aPlus[i] = _mm256_add_pd(a[i], a[i + 3]);
        aMinus[i] = _mm256_sub_pd(a[i], a[i + 3]);
    }
    // The three products, each already divided by what the remainder theorem divides it by.
    __m256d p3[3], m3[3], m6[6];
    _Pragma("clang loop unroll(full)")
    for (int r = 0; r < 3; r++) {
        __m256d sp = _mm256_mul_pd(aPlus[0], _mm256_set1_pd(c->plusPlus[r]));
        __m256d sm = _mm256_mul_pd(aMinus[0], _mm256_set1_pd(c->plusMinus[r]));
        _Pragma("clang loop unroll(full)")
        for (int j = 1; j < 3; j++) {
            if (j <= r) {
                sp = _mm256_fmadd_pd(aPlus[j], _mm256_set1_pd(c->plusPlus[r - j]), sp);
                sm = _mm256_fmadd_pd(aMinus[j], _mm256_set1_pd(c->plusMinus[r - j]), sm);
            } else {
                sp = _mm256_fmadd_pd(aPlus[j], _mm256_set1_pd(c->plusPlus[r - j + 3]), sp);
                sm = _mm256_fnmadd_pd(aMinus[j], _mm256_set1_pd(c->plusMinus[r - j + 3]), sm);
            }
        }
        p3[r] = sp;
        m3[r] = sm;
    }
    _Pragma("clang loop unroll(full)")
    for (int r = 0; r < 6; r++) {
        __m256d sm = _mm256_mul_pd(b[0], _mm256_set1_pd(c->minus[r]));
        _Pragma("clang loop unroll(full)")
        for (int j = 1; j < 6; j++) {
            sm = j <= r ? _mm256_fmadd_pd(b[j], _mm256_set1_pd(c->minus[r - j]), sm)
                        : _mm256_fnmadd_pd(b[j], _mm256_set1_pd(c->minus[r - j + 6]), sm);
        }
        m6[r] = sm;
    }
    // Back through the remainder theorem (the halvings are in the kernel), plus the diagonal
    // (only its first entry may be non-zero), and each exact integer y < 2^52 back to a u64: the
    // bits of 2^52 + y minus those of 2^52.
    __m256d y[12];
    _Pragma("clang loop unroll(full)")
    for (int i = 0; i < 3; i++) {
        a[i] = _mm256_add_pd(p3[i], m3[i]);
        a[i + 3] = _mm256_sub_pd(p3[i], m3[i]);
    }
    _Pragma("clang loop unroll(full)")
    for (int i = 0; i < 6; i++) {
        y[i] = _mm256_add_pd(a[i], m6[i]);
        y[i + 6] = _mm256_sub_pd(a[i], m6[i]);
    }
    y[0] = _mm256_fmadd_pd(x[0], _mm256_set1_pd(c->diagonal), y[0]);
    _Pragma("clang loop unroll(full)")
    for (int i = 0; i < 12; i++) out[i] = _mm256_sub_epi64(_mm256_castpd_si256(_mm256_add_pd(y[i], magic)), magicBits);
}

/// A u64 ≡ lo + hi·2^32 for lo, hi < 2^41: with hi = h1·2^32 + h0 (h1 < 2^9),
/// hi·2^32 = h0·2^32 + h1·2^64 ≡ h0·2^32 + h1·ε. lo + h1·ε < 2^42; adding h0·2^32 may wrap once,
/// and then the sum is below 2^42, so adding ε cannot wrap.
AVX2_TARGET static inline __attribute__((always_inline)) __m256i avx2_combine(__m256i lo, __m256i hi) {
    const __m256i eps = _mm256_set1_epi64x((long long)EPSILON);
    const __m256i u = _mm256_add_epi64(lo, _mm256_mul_epu32(_mm256_srli_epi64(hi, 32), eps));
    const __m256i r = _mm256_add_epi64(_mm256_slli_epi64(hi, 32), u);
    return _mm256_add_epi64(r, _mm256_srli_epi64(avx2_less_unsigned(r, u), 32));
}

/// One subtraction of p suffices for any u64 (2p > 2^64).
AVX2_TARGET static inline __attribute__((always_inline)) __m256i avx2_canonical(__m256i a) {
    const __m256i p = _mm256_set1_epi64x((long long)ORDER);
    return _mm256_sub_epi64(a, _mm256_andnot_si256(avx2_less_unsigned(a, p), p));
}

#define V __m256i
#define LANES 4
#define MDS_CONTEXT avx2_mds_context
#define v_mds_prepare avx2_mds_prepare
#define TARGET AVX2_TARGET
#define NAME(x) avx2_##x
#define v_load(p) _mm256_load_si256((const __m256i *)(p))
#define v_store(p, v) _mm256_store_si256((__m256i *)(p), (v))
#define v_add_const avx2_add_const
#define v_mul avx2_mul
#define v_square avx2_square
#define v_mds_half avx2_mds_half
#define v_combine avx2_combine
#define v_canonical avx2_canonical
#define v_low32(a) _mm256_and_si256((a), _mm256_set1_epi64x((long long)EPSILON))
#define v_high32(a) _mm256_srli_epi64((a), 32)
#include "poseidon_lanes.inc"
#undef V
#undef LANES
#undef MDS_CONTEXT
#undef v_mds_prepare
#undef TARGET
#undef NAME
#undef v_load
#undef v_store
#undef v_add_const
#undef v_mul
#undef v_square
#undef v_mds_half
#undef v_combine
#undef v_canonical
#undef v_low32
#undef v_high32

void porcheck_poseidon_permute_avx2(uint64_t *states, size_t count, const porcheck_poseidon_tables *tables) {
    avx2_permute_many(states, count, tables);
}

// ---------------------------------------------------------------------------------------------
// AVX-512 (F and IFMA): 8 lanes, unsigned comparisons into mask registers and masked
// corrections; the MDS layer's products of 32-bit halves by small coefficients are fused
// multiply-adds on the 52-bit multiplier (vpmadd52luq: acc + the low 52 bits of the product of
// the operands' low 52 bits, exact here because every product is below 2^41).

#define AVX512_TARGET __attribute__((target("avx512f,avx512ifma")))

/// a + c for any lane a and a canonical c (the bound as in avx2_add_const).
AVX512_TARGET static inline __attribute__((always_inline)) __m512i avx512_add_const(__m512i a, const uint64_t *c) {
    const __m512i k = _mm512_set1_epi64((long long)*c);
    const __m512i s = _mm512_add_epi64(a, k);
    return _mm512_mask_add_epi64(s, _mm512_cmplt_epu64_mask(s, k), s, _mm512_set1_epi64((long long)EPSILON));
}

/// The 128-bit product (the bounds as in avx2_mul_wide).
AVX512_TARGET static inline __attribute__((always_inline)) void avx512_mul_wide(__m512i a, __m512i b, __m512i *hi, __m512i *lo) {
    const __m512i aHi = _mm512_srli_epi64(a, 32), bHi = _mm512_srli_epi64(b, 32);
    const __m512i ll = _mm512_mul_epu32(a, b), lh = _mm512_mul_epu32(a, bHi);
    const __m512i hl = _mm512_mul_epu32(aHi, b), hh = _mm512_mul_epu32(aHi, bHi);
    const __m512i t = _mm512_add_epi64(lh, _mm512_srli_epi64(ll, 32));
    const __m512i u = _mm512_add_epi64(hl, _mm512_and_si512(t, _mm512_set1_epi64((long long)EPSILON)));
    *lo = _mm512_mask_blend_epi32(0xAAAA, ll, _mm512_slli_epi64(u, 32));
    *hi = _mm512_add_epi64(_mm512_add_epi64(hh, _mm512_srli_epi64(t, 32)), _mm512_srli_epi64(u, 32));
}

AVX512_TARGET static inline __attribute__((always_inline)) void avx512_square_wide(__m512i a, __m512i *hi, __m512i *lo) {
    const __m512i aHi = _mm512_srli_epi64(a, 32);
    const __m512i ll = _mm512_mul_epu32(a, a), lh = _mm512_mul_epu32(a, aHi), hh = _mm512_mul_epu32(aHi, aHi);
    const __m512i t = _mm512_add_epi64(lh, _mm512_srli_epi64(ll, 32));
    const __m512i u = _mm512_add_epi64(lh, _mm512_and_si512(t, _mm512_set1_epi64((long long)EPSILON)));
    *lo = _mm512_mask_blend_epi32(0xAAAA, ll, _mm512_slli_epi64(u, 32));
    *hi = _mm512_add_epi64(_mm512_add_epi64(hh, _mm512_srli_epi64(t, 32)), _mm512_srli_epi64(u, 32));
}

/// A u64 ≡ hi·2^64 + lo (the reasoning as in avx2_reduce).
AVX512_TARGET static inline __attribute__((always_inline)) __m512i avx512_reduce(__m512i hi, __m512i lo) {
    const __m512i eps = _mm512_set1_epi64((long long)EPSILON);
    const __m512i h1 = _mm512_srli_epi64(hi, 32);
    __m512i t0 = _mm512_sub_epi64(lo, h1);
    t0 = _mm512_mask_sub_epi64(t0, _mm512_cmplt_epu64_mask(lo, h1), t0, eps);
    const __m512i t1 = _mm512_mul_epu32(hi, eps);
    const __m512i t2 = _mm512_add_epi64(t0, t1);
    return _mm512_mask_add_epi64(t2, _mm512_cmplt_epu64_mask(t2, t1), t2, eps);
}

AVX512_TARGET static inline __attribute__((always_inline)) __m512i avx512_mul(__m512i a, __m512i b) {
    __m512i hi, lo;
    avx512_mul_wide(a, b, &hi, &lo);
    return avx512_reduce(hi, lo);
}

AVX512_TARGET static inline __attribute__((always_inline)) __m512i avx512_square(__m512i a) {
    __m512i hi, lo;
    avx512_square_wide(a, &hi, &lo);
    return avx512_reduce(hi, lo);
}

/// The convolution kernel (see porcheck_poseidon_tables.mds_kernel) with the negated entries the
/// negacyclic products subtract, each as a u64 whose low 52 bits the multiplier reads.
typedef struct {
    uint64_t plusPlus[3], plusMinus[3], plusMinusNegated[3], minus[6], minusNegated[6], diagonal;
} avx512_mds_context;

static void avx512_mds_prepare(avx512_mds_context *c, const porcheck_poseidon_tables *t) {
    const int64_t *k = t->mds_kernel;
    _Pragma("clang loop unroll(full)")
    for (int i = 0; i < 3; i++) {
        c->plusPlus[i] = (uint64_t)k[i];
        c->plusMinus[i] = (uint64_t)k[3 + i];
        c->plusMinusNegated[i] = (uint64_t)-k[3 + i];
    }
    _Pragma("clang loop unroll(full)")
    for (int i = 0; i < 6; i++) {
        c->minus[i] = (uint64_t)k[6 + i];
        c->minusNegated[i] = (uint64_t)-k[6 + i];
    }
    c->diagonal = (uint64_t)k[12];
}

#define MASK52 0x000FFFFFFFFFFFFFull

/// acc + x·k modulo 2^52 (in the low 52 bits of the sum): vpmadd52luq adds the low 52 bits of the
/// product of the operands' low 52 bits, and the low 52 bits of a two's-complement u64 are the
/// number modulo 2^52, negative or not; so a sum of such terms is ≡ the true sum (mod 2^52).
#define MADD52(acc, x, k) _mm512_madd52lo_epu64((acc), (x), _mm512_set1_epi64((long long)(k)))

/// (a + b)/2 for a + b ≡ an even number in [0, 2^52) modulo 2^52: that number is exactly the
/// low 52 bits of a + b.
AVX512_TARGET static inline __attribute__((always_inline)) __m512i avx512_half_sum52(__m512i a, __m512i b) {
    return _mm512_srli_epi64(_mm512_and_si512(_mm512_add_epi64(a, b), _mm512_set1_epi64((long long)MASK52)), 1);
}
AVX512_TARGET static inline __attribute__((always_inline)) __m512i avx512_half_difference52(__m512i a, __m512i b) {
    return _mm512_srli_epi64(_mm512_and_si512(_mm512_sub_epi64(a, b), _mm512_set1_epi64((long long)MASK52)), 1);
}

/// out = M·in for 12 values below 2^32, as a cyclic convolution with the circulant's kernel
/// through t^12 − 1 = (t^3 − 1)(t^3 + 1)(t^6 + 1) (as porcheck's Swift `circulantTimesHalves`):
/// the residues of the input modulo t^6 ∓ 1 and t^3 ∓ 1 are sums and differences of its parts,
/// the three small products (cyclic 3, negacyclic 3, negacyclic 6) take 54 multiplications
/// instead of 144, and the Chinese remainder theorem gives the product back as half sums and
/// half differences. Residues can be negative, so everything is computed modulo 2^52 with the
/// 52-bit multiplier (MADD52): every true value here is an integer of magnitude below 2^47
/// (inputs < 2^32, the sums of two and four of them < 2^34, kernel entries < 2^9, at most six
/// products per sum), and the values halved are the true, non-negative doubled sums (each output
/// of a product modulo a factor is a sum of non-negative products), below 2^52, so the halves
/// are exact.
AVX512_TARGET static inline __attribute__((always_inline)) void avx512_mds_half(const __m512i x[12], __m512i y[12], const avx512_mds_context *c) {
    __m512i a[6], b[6], aPlus[3], aMinus[3];
    _Pragma("clang loop unroll(full)")
    for (int i = 0; i < 6; i++) {
        a[i] = _mm512_add_epi64(x[i], x[i + 6]);
        b[i] = _mm512_sub_epi64(x[i], x[i + 6]);
    }
    _Pragma("clang loop unroll(full)")
    for (int i = 0; i < 3; i++) {
        aPlus[i] = _mm512_add_epi64(a[i], a[i + 3]);
        aMinus[i] = _mm512_sub_epi64(a[i], a[i + 3]);
    }
    __m512i p3[3], m3[3], m6[6];
    _Pragma("clang loop unroll(full)")
    for (int r = 0; r < 3; r++) {
        __m512i sp = _mm512_setzero_si512(), sm = _mm512_setzero_si512();
        _Pragma("clang loop unroll(full)")
        for (int j = 0; j < 3; j++) {
            if (j <= r) {
                sp = MADD52(sp, aPlus[j], c->plusPlus[r - j]);
                sm = MADD52(sm, aMinus[j], c->plusMinus[r - j]);
            } else {
                sp = MADD52(sp, aPlus[j], c->plusPlus[r - j + 3]);
                sm = MADD52(sm, aMinus[j], c->plusMinusNegated[r - j + 3]);
            }
        }
        p3[r] = sp;
        m3[r] = sm;
    }
    _Pragma("clang loop unroll(full)")
    for (int r = 0; r < 6; r++) {
        __m512i sm = _mm512_setzero_si512();
        _Pragma("clang loop unroll(full)")
        for (int j = 0; j < 6; j++) {
            sm = j <= r ? MADD52(sm, b[j], c->minus[r - j]) : MADD52(sm, b[j], c->minusNegated[r - j + 6]);
        }
        m6[r] = sm;
    }
    // The product modulo t^6 − 1 (into a), then the whole product, plus the diagonal (only its
    // first entry may be non-zero: see porcheck_poseidon_tables).
    _Pragma("clang loop unroll(full)")
    for (int i = 0; i < 3; i++) {
        a[i] = avx512_half_sum52(p3[i], m3[i]);
        a[i + 3] = avx512_half_difference52(p3[i], m3[i]);
    }
    _Pragma("clang loop unroll(full)")
    for (int i = 0; i < 6; i++) {
        y[i] = avx512_half_sum52(a[i], m6[i]);
        y[i + 6] = avx512_half_difference52(a[i], m6[i]);
    }
    y[0] = MADD52(y[0], x[0], c->diagonal);
}

/// A u64 ≡ lo + hi·2^32 for lo, hi < 2^41 (as in avx2_combine; h1·ε < 2^41 is one exact 52-bit
/// multiply-add).
AVX512_TARGET static inline __attribute__((always_inline)) __m512i avx512_combine(__m512i lo, __m512i hi) {
    const __m512i eps = _mm512_set1_epi64((long long)EPSILON);
    const __m512i u = _mm512_madd52lo_epu64(lo, _mm512_srli_epi64(hi, 32), eps);
    const __m512i r = _mm512_add_epi64(_mm512_slli_epi64(hi, 32), u);
    return _mm512_mask_add_epi64(r, _mm512_cmplt_epu64_mask(r, u), r, eps);
}

AVX512_TARGET static inline __attribute__((always_inline)) __m512i avx512_canonical(__m512i a) {
    const __m512i p = _mm512_set1_epi64((long long)ORDER);
    return _mm512_mask_sub_epi64(a, _mm512_cmpge_epu64_mask(a, p), a, p);
}

#define V __m512i
#define LANES 8
#define MDS_CONTEXT avx512_mds_context
#define v_mds_prepare avx512_mds_prepare
#define TARGET AVX512_TARGET
#define NAME(x) avx512_##x
#define v_load(p) _mm512_load_si512((const void *)(p))
#define v_store(p, v) _mm512_store_si512((void *)(p), (v))
#define v_add_const avx512_add_const
#define v_mul avx512_mul
#define v_square avx512_square
#define v_mds_half avx512_mds_half
#define v_combine avx512_combine
#define v_canonical avx512_canonical
#define v_low32(a) _mm512_and_si512((a), _mm512_set1_epi64((long long)EPSILON))
#define v_high32(a) _mm512_srli_epi64((a), 32)
#include "poseidon_lanes.inc"

void porcheck_poseidon_permute_avx512(uint64_t *states, size_t count, const porcheck_poseidon_tables *tables) {
    avx512_permute_many(states, count, tables);
}

#else
// Never called on other architectures: porcheck_cpu_has_avx2_fma() and
// porcheck_cpu_has_avx512_ifma() are 0 there and the Swift permutation is used.
void porcheck_poseidon_permute_avx2(uint64_t *states, size_t count, const porcheck_poseidon_tables *tables) {
    (void)states; (void)count; (void)tables;
}
void porcheck_poseidon_permute_avx512(uint64_t *states, size_t count, const porcheck_poseidon_tables *tables) {
    (void)states; (void)count; (void)tables;
}
#endif
