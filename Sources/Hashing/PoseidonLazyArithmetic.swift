import CAccel
import Field

/// Goldilocks arithmetic on non-canonical u64 lanes, for the inside of the Poseidon permutation.
///
/// A lane is any u64 congruent to the field element it stands for (it may be ≥ p). Skipping the
/// canonicalisation after every operation, and fusing the additions into the products' 128-bit
/// values, is what makes the permutation cheap; `canonical` is applied once at the end. Each
/// function states what it accepts: every bound below is checked in its comment.
enum Lazy {
    /// 2^64 mod p = 2^32 − 1.
    static let epsilon: UInt64 = 0xFFFF_FFFF
    static let order: UInt64 = 0xFFFF_FFFF_0000_0001

    /// The canonical residue of any u64 (one subtraction suffices: 2p > 2^64).
    @inline(__always)
    static func canonical(_ x: UInt64) -> UInt64 { x >= order ? x &- order : x }

    /// A u64 congruent to hi·2^64 + lo, for any hi and lo (2^64 ≡ 2^32 − 1, 2^96 ≡ −1).
    @inline(__always)
    static func reduce(hi: UInt64, lo: UInt64) -> UInt64 {
        let hiHi = hi >> 32
        let hiLo = hi & epsilon
        let (t0, borrow) = lo.subtractingReportingOverflow(hiHi)
        // After a borrow t0 = lo − hiHi + 2^64 ≥ 2^64 − 2^32 + 1, so taking ε off cannot wrap; and
        // 2^64 − ε = p, so the result is ≡ lo − hiHi.
        let t0r = borrow ? t0 &- epsilon : t0
        let t1 = hiLo &* epsilon  // ≤ (2^32 − 1)², fits
        let (t2, carry) = t0r.addingReportingOverflow(t1)
        // After a carry t2 < t1 < 2^64 − 2^33, so adding ε back (2^64 ≡ ε) cannot wrap.
        return carry ? t2 &+ epsilon : t2
    }

    /// a + c for any lane `a` and a canonical `c` (a round constant). After a carry the sum is
    /// at most 2^64 − 2^32 − 1, so adding ε cannot wrap.
    @inline(__always)
    static func addCanonical(_ a: UInt64, _ c: UInt64) -> UInt64 {
        let (s, carry) = a.addingReportingOverflow(c)
        return carry ? s &+ epsilon : s
    }

    @inline(__always)
    static func multiply(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (hi, lo) = a.multipliedFullWidth(by: b)
        return reduce(hi: hi, lo: lo)
    }

    /// a·b + c for any lanes, reduced once: the high word of a 64×64 product is at most 2^64 − 2,
    /// so the carry of the low addition fits in it.
    @inline(__always)
    static func multiplyAdd(_ a: UInt64, _ b: UInt64, _ c: UInt64) -> UInt64 {
        let (hi, lo) = a.multipliedFullWidth(by: b)
        let (l, carry) = lo.addingReportingOverflow(c)
        return reduce(hi: carry ? hi &+ 1 : hi, lo: l)
    }

    /// x^7 = x³·x⁴ (depth 3).
    @inline(__always)
    static func sbox(_ x: UInt64) -> UInt64 {
        let x2 = multiply(x, x)
        let x3 = multiply(x2, x)
        let x4 = multiply(x2, x2)
        return multiply(x3, x4)
    }

    /// x^7 + c, the addition fused into the last product.
    @inline(__always)
    static func sboxPlus(_ x: UInt64, _ c: UInt64) -> UInt64 {
        let x2 = multiply(x, x)
        let x3 = multiply(x2, x)
        let x4 = multiply(x2, x2)
        return multiplyAdd(x3, x4, c)
    }

    /// A sum of at most a few thousand 64×64-bit products in 192 bits, reduced once.
    struct Accumulator {
        var lo: UInt64 = 0
        var mid: UInt64 = 0
        /// Carries out of 2^128: one per product at most.
        var hi: UInt64 = 0

        @inline(__always)
        mutating func add(_ a: UInt64, _ b: UInt64) {
            let (ph, pl) = a.multipliedFullWidth(by: b)
            let (l, c1) = lo.addingReportingOverflow(pl)
            lo = l
            // ph ≤ 2^64 − 2, so ph + c1 cannot wrap.
            let (m, c2) = mid.addingReportingOverflow(c1 ? ph &+ 1 : ph)
            mid = m
            if c2 { hi &+= 1 }
        }

        /// hi·2^128 + mid·2^64 + lo with 2^128 ≡ −2^32: r − hi·2^32 borrows at most past
        /// 2^64 − hi·2^32 > ε, so taking ε off after the borrow cannot wrap.
        @inline(__always)
        var reduced: UInt64 {
            let r = Lazy.reduce(hi: mid, lo: lo)
            let (d, borrow) = r.subtractingReportingOverflow(hi << 32)
            return borrow ? d &- Lazy.epsilon : d
        }
    }

    /// The MDS layer, new[r] = Σᵢ s[(i + r) mod 12]·circ[i] + s[r]·diag[r]. `kernel` is the
    /// circulant's convolution kernel in split form (`PoseidonTables.mdsKernel`).
    ///
    /// The coefficients are small (their sum with the largest diagonal entry is below 2^9, checked
    /// when the tables are built), so each lane is split into 32-bit halves, and each half's 12
    /// output sums (below 2^41) are computed exactly in Int64 by `circulantTimesHalves`. One
    /// reduction per lane recombines them.
    @inline(__always)
    static func mds(_ s: UnsafeMutablePointer<UInt64>, _ kernel: UnsafePointer<Int64>) {
        withUnsafeTemporaryAllocation(of: Int64.self, capacity: 48) { buffer in
            guard let lo = buffer.baseAddress else { return }
            let hi = lo + 12, outLo = lo + 24, outHi = lo + 36
            for i in 0..<12 {
                lo[i] = Int64(truncatingIfNeeded: s[i] & epsilon)
                hi[i] = Int64(truncatingIfNeeded: s[i] >> 32)
            }
            circulantTimesHalves(lo, outLo, kernel)
            circulantTimesHalves(hi, outHi, kernel)
            // The sums are non-negative (sums of products of non-negative numbers).
            for r in 0..<12 { s[r] = combine(UInt64(bitPattern: outLo[r]), UInt64(bitPattern: outHi[r])) }
        }
    }

    /// y = C·x for the MDS matrix C (circulant plus diagonal) and 12 values below 2^32, exactly.
    ///
    /// The circulant product is a cyclic convolution y = x ⊛ k of length 12, i.e. a product of
    /// polynomials modulo t^12 − 1, and it is computed through the factorisation
    /// t^12 − 1 = (t^6 − 1)(t^6 + 1) = (t^3 − 1)(t^3 + 1)(t^6 + 1): the residues of x modulo each
    /// factor are sums and differences of its halves, the three small products (cyclic 3,
    /// negacyclic 3, negacyclic 6: 54 products instead of 144), and the Chinese remainder
    /// theorem gives y back as half sums and half differences (exact: the true sums are integers).
    /// Every intermediate stays below 2^45 in magnitude.
    @inline(__always)
    static func circulantTimesHalves(_ x: UnsafePointer<Int64>, _ y: UnsafeMutablePointer<Int64>, _ kernel: UnsafePointer<Int64>) {
        let kPlusPlus = kernel, kPlusMinus = kernel + 3, kMinus = kernel + 6, diagonal = kernel + 12
        withUnsafeTemporaryAllocation(of: Int64.self, capacity: 30) { buffer in
            guard let a = buffer.baseAddress else { return }
            let b = a + 6, aPlus = a + 12, aMinus = a + 15, p3 = a + 18, m3 = a + 21, m6 = a + 24
            // Residues modulo t^6 − 1 (a) and t^6 + 1 (b), then of a modulo t^3 ∓ 1.
            for i in 0..<6 {
                a[i] = x[i] &+ x[i + 6]
                b[i] = x[i] &- x[i + 6]
            }
            for i in 0..<3 {
                aPlus[i] = a[i] &+ a[i + 3]
                aMinus[i] = a[i] &- a[i + 3]
            }
            // Cyclic and negacyclic products of length 3, negacyclic of length 6.
            for r in 0..<3 {
                var sp: Int64 = 0, sm: Int64 = 0
                for j in 0..<3 {
                    if j <= r {
                        sp &+= aPlus[j] &* kPlusPlus[r - j]
                        sm &+= aMinus[j] &* kPlusMinus[r - j]
                    } else {
                        sp &+= aPlus[j] &* kPlusPlus[r - j + 3]
                        sm &-= aMinus[j] &* kPlusMinus[r - j + 3]
                    }
                }
                p3[r] = sp
                m3[r] = sm
            }
            for r in 0..<6 {
                var sm: Int64 = 0
                for j in 0..<6 {
                    if j <= r { sm &+= b[j] &* kMinus[r - j] } else { sm &-= b[j] &* kMinus[r - j + 6] }
                }
                m6[r] = sm
            }
            // Back through the remainder theorem: the product modulo t^6 − 1 (into a), then the
            // whole product, plus the diagonal.
            for i in 0..<3 {
                a[i] = (p3[i] &+ m3[i]) >> 1
                a[i + 3] = (p3[i] &- m3[i]) >> 1
            }
            for i in 0..<6 {
                y[i] = (a[i] &+ m6[i]) >> 1 &+ x[i] &* diagonal[i]
                y[i + 6] = (a[i] &- m6[i]) >> 1 &+ x[i + 6] &* diagonal[i + 6]
            }
        }
    }

    /// A lane ≡ sumLo + sumHi·2^32 for sums below 2^41 (the value is below 2^74).
    @inline(__always)
    static func combine(_ sumLo: UInt64, _ sumHi: UInt64) -> UInt64 {
        let (low, carry) = sumLo.addingReportingOverflow(sumHi << 32)
        let high = (sumHi >> 32) &+ (carry ? 1 : 0)  // < 2^10
        // low + high·ε: after a carry the sum is below high·ε < 2^42, so adding ε cannot wrap.
        let (r, c2) = low.addingReportingOverflow(high &* epsilon)
        return c2 ? r &+ epsilon : r
    }
}

/// Poseidon's constants copied once into one block of raw memory, laid out as the rounds read
/// them: the hot loops index plain pointers (no bounds checks, no array retains). The block lives
/// as long as the process, like the arrays it is copied from.
struct PoseidonTables: @unchecked Sendable {
    let roundConstants: UnsafePointer<UInt64>        // 30 × 12
    /// The MDS layer's kernel for `Lazy.circulantTimesHalves`: with k[m] = circ[(12 − m) mod 12]
    /// (so that the circulant is x ↦ x ⊛ k) and k = k₀ + t^6·k₁: (k₀ + k₁) reduced modulo
    /// t^3 − 1 and t^3 + 1 (3 each), k₀ − k₁ (6), then the 12 diagonal entries.
    let mdsKernel: UnsafePointer<Int64>
    let partialFirstConstants: UnsafePointer<UInt64> // 12
    let partialInitialMatrix: UnsafePointer<UInt64>  // 11 × 11
    let partialRoundConstants: UnsafePointer<UInt64> // 22
    let partialVs: UnsafePointer<UInt64>             // 22 × 11
    let partialWHats: UnsafePointer<UInt64>          // 22 × 11
    let mds00: UInt64
    /// The constants as porcheck's C kernels read them (`permuteMany`): the round constants
    /// above, the MDS layer as a 12×12 matrix and `mdsKernel`.
    let kernelTables: UnsafePointer<porcheck_poseidon_tables>

    static let shared = PoseidonTables()

    private init() {
        let parts: [[UInt64]] = [
            Poseidon.roundConstants,
            Poseidon.fastPartialFirstRoundConstant, Poseidon.fastPartialRoundInitialMatrix,
            Poseidon.fastPartialRoundConstants, Poseidon.fastPartialRoundVs, Poseidon.fastPartialRoundWHats,
        ]
        // The MDS layer's 32-bit split relies on small coefficients (see `Lazy.mds`); the
        // constants are fixed data, so this can only fail if the tables themselves are edited.
        precondition(Poseidon.mdsCirculant.reduce(0, +) + (Poseidon.mdsDiagonal.max() ?? 0) < 1 << 9,
                     "Poseidon MDS coefficients too large for the split MDS layer")
        // The C kernels add the diagonal of the first row only (plonky2's is diag(8, 0, …, 0)).
        precondition(Poseidon.mdsDiagonal.dropFirst().allSatisfy { $0 == 0 }, "Poseidon MDS diagonal beyond the first entry")
        let block = UnsafeMutablePointer<UInt64>.allocate(capacity: parts.reduce(0) { $0 + $1.count })
        var offsets = [Int]()
        var at = 0
        for part in parts {
            offsets.append(at)
            for (i, v) in part.enumerated() { (block + at + i).initialize(to: v) }
            at += part.count
        }
        let base = UnsafePointer(block)
        let c = Poseidon.mdsCirculant.map { Int64($0) }
        let k = (0..<12).map { c[(12 - $0) % 12] }
        let kPlus = (0..<6).map { k[$0] + k[$0 + 6] }, kMinus = (0..<6).map { k[$0] - k[$0 + 6] }
        let kernel = (0..<3).map { kPlus[$0] + kPlus[$0 + 3] } + (0..<3).map { kPlus[$0] - kPlus[$0 + 3] } + kMinus
            + Poseidon.mdsDiagonal.map { Int64($0) }
        let kernelBlock = UnsafeMutablePointer<Int64>.allocate(capacity: kernel.count)
        kernelBlock.initialize(from: kernel, count: kernel.count)
        mdsKernel = UnsafePointer(kernelBlock)
        roundConstants = base + offsets[0]
        partialFirstConstants = base + offsets[1]
        partialInitialMatrix = base + offsets[2]
        partialRoundConstants = base + offsets[3]
        partialVs = base + offsets[4]
        partialWHats = base + offsets[5]
        mds00 = Poseidon.mdsCirculant[0] + Poseidon.mdsDiagonal[0]
        // new[r] = Σⱼ circ[(j − r) mod 12]·old[j] + diag[r]·old[r] (see `Poseidon.mds`).
        let matrix = UnsafeMutablePointer<UInt64>.allocate(capacity: 144)
        for r in 0..<12 {
            for j in 0..<12 { (matrix + 12 * r + j).initialize(to: Poseidon.mdsCirculant[(j - r + 12) % 12] + (j == r ? Poseidon.mdsDiagonal[r] : 0)) }
        }
        let forKernels = UnsafeMutablePointer<porcheck_poseidon_tables>.allocate(capacity: 1)
        forKernels.initialize(to: porcheck_poseidon_tables(round_constants: roundConstants, mds_matrix: UnsafePointer(matrix),
                                                  mds_kernel: mdsKernel))
        kernelTables = UnsafePointer(forKernels)
    }
}
