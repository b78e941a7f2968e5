import Field

/// plonky2's Poseidon permutation over Goldilocks: width 12 (rate 8, capacity 4), S-box x^7,
/// 4 full rounds, 22 partial rounds, 4 full rounds, MDS = circulant + diagonal.
///
/// This is the textbook round structure; plonky2 computes the partial rounds with an equivalent
/// "fast" factorisation, which gives the same permutation.
public enum Poseidon {
    public static let width = 12
    public static let rate = 8
    public static let halfFullRounds = 4
    public static let partialRounds = 22
    public static let rounds = 2 * halfFullRounds + partialRounds

    /// Permutes a 12-element state in place. A state of another size is left unchanged.
    public static func permute(_ state: inout [Goldilocks]) {
        guard state.count == width else { return }
        var raw = state.map(\.value)
        raw.withUnsafeMutableBufferPointer { permute(raw: $0) }
        for i in 0..<width { state[i] = Goldilocks(reducing: raw[i]) }
    }

    /// The permutation on u64 lanes (the hot path: no allocation). Lanes may be any u64 (a value
    /// ≥ p stands for its residue); the result is canonical. A buffer of another size is left
    /// unchanged. `permuteReference` is the textbook form this must equal.
    public static func permute(raw s: UnsafeMutableBufferPointer<UInt64>) {
        guard s.count == width, let base = s.baseAddress else { return }
        permute(lanes: base)
    }

    /// The permutation on the 12 lanes at `s` (see `permute(raw:)`).
    ///
    /// Inside, lanes are kept non-canonical (any u64 congruent to the value): every product is
    /// reduced only as far as 64 bits, and the one canonicalisation is at the end. The partial
    /// rounds use plonky2's factorised form: one 11×11 matrix once, then per round a dot product
    /// and an axpy instead of a full MDS layer.
    public static func permute(lanes s: UnsafeMutablePointer<UInt64>) {
        let t = PoseidonTables.shared
        for round in 0..<halfFullRounds { fullRound(s, t.roundConstants + round * width, t.mdsKernel) }
        partialRounds(s, t)
        for round in (halfFullRounds + partialRounds)..<rounds {
            fullRound(s, t.roundConstants + round * width, t.mdsKernel)
        }
        for i in 0..<width { s[i] = Lazy.canonical(s[i]) }
    }

    /// Constants, S-box on every lane, MDS layer.
    @inline(__always)
    static func fullRound(_ s: UnsafeMutablePointer<UInt64>, _ rc: UnsafePointer<UInt64>, _ mdsKernel: UnsafePointer<Int64>) {
        for i in 0..<width { s[i] = Lazy.sbox(Lazy.addCanonical(s[i], rc[i])) }
        Lazy.mds(s, mdsKernel)
    }

    @inline(__always)
    static func partialRounds(_ s: UnsafeMutablePointer<UInt64>, _ t: PoseidonTables) {
        let n = width - 1
        let first = t.partialFirstConstants, matrix = t.partialInitialMatrix
        // The first constants on every lane, then mds_partial_layer_init: lane 0 kept, lanes 1…11
        // through the 11×11 matrix, each output a dot product summed in 192 bits, reduced once.
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: width) { buffer in
            guard let input = buffer.baseAddress else { return }
            for i in 0..<width { input[i] = Lazy.addCanonical(s[i], first[i]) }
            s[0] = input[0]
            for c in 1..<width {
                var acc = Lazy.Accumulator()
                for r in 1..<width { acc.add(input[r], matrix[(r - 1) * n + (c - 1)]) }
                s[c] = acc.reduced
            }
        }
        let rc = t.partialRoundConstants, vs = t.partialVs, wh = t.partialWHats
        let mds00 = t.mds00
        for r in 0..<partialRounds {
            // mds_partial_layer_fast: new s0 = s0·m₀₀ + Σ ŵᵢ·sᵢ (one reduction); sᵢ += s0·vᵢ.
            // The rounds form one dependency chain through s0 (S-box, then the dot product, then
            // the next S-box): the dot product over lanes 1…11 does not need this round's s0, so
            // it is summed first, while the S-box is still being computed.
            let w = wh + r * n, v = vs + r * n
            var d = Lazy.Accumulator()
            for i in 1..<width { d.add(s[i], w[i - 1]) }
            let s0 = Lazy.sboxPlus(s[0], rc[r])
            d.add(s0, mds00)
            for i in 1..<width { s[i] = Lazy.multiplyAdd(s0, v[i - 1], s[i]) }
            s[0] = d.reduced
        }
    }

    /// The textbook permutation (every round a full MDS layer): the reference the fast form is
    /// tested against.
    public static func permuteReference(raw s: UnsafeMutableBufferPointer<UInt64>) {
        var round = 0
        for _ in 0..<halfFullRounds {
            addRoundConstants(s, round)
            for i in 0..<width { s[i] = sbox(s[i]) }
            mds(s)
            round += 1
        }
        for _ in 0..<partialRounds {
            addRoundConstants(s, round)
            s[0] = sbox(s[0])
            mds(s)
            round += 1
        }
        for _ in 0..<halfFullRounds {
            addRoundConstants(s, round)
            for i in 0..<width { s[i] = sbox(s[i]) }
            mds(s)
            round += 1
        }
    }

    @inlinable @inline(__always)
    static func addRoundConstants(_ s: UnsafeMutableBufferPointer<UInt64>, _ round: Int) {
        roundConstants.withUnsafeBufferPointer { rc in
            let base = round * width
            for i in 0..<width {
                s[i] = (Goldilocks(reducing: s[i]) + Goldilocks(reducing: rc[base + i])).value
            }
        }
    }

    @inlinable @inline(__always)
    static func sbox(_ x: UInt64) -> UInt64 {
        let a = Goldilocks(reducing: x)
        let a2 = a * a
        let a4 = a2 * a2
        return (a4 * a2 * a).value
    }

    /// new[r] = Σᵢ s[(i + r) mod 12]·circ[i] + s[r]·diag[r]; the small coefficients let the sum be
    /// accumulated in 128 bits and reduced once.
    @inlinable @inline(__always)
    static func mds(_ s: UnsafeMutableBufferPointer<UInt64>) {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: width) { out in
            mdsCirculant.withUnsafeBufferPointer { circ in
                for r in 0..<width {
                    var acc = UInt128(s[r]) &* UInt128(mdsDiagonal[r])
                    var idx = r
                    for i in 0..<width {
                        acc &+= UInt128(s[idx]) &* UInt128(circ[i])
                        idx = idx == width - 1 ? 0 : idx + 1
                    }
                    out[r] = Goldilocks.reduce128(hi: UInt64(truncatingIfNeeded: acc >> 64),
                                                  lo: UInt64(truncatingIfNeeded: acc)).value
                }
            }
            for r in 0..<width { s[r] = out[r] }
        }
    }
}

/// A sum of 64×64-bit products kept in 160 bits (a 128-bit low part and a carry count), reduced
/// modulo p once: 2^128 ≡ −2^32 (mod p).
struct Accumulator160 {
    var low: UInt128 = 0
    var carries: UInt64 = 0

    @inline(__always)
    mutating func add(_ a: UInt64, _ b: UInt64) {
        let (sum, overflow) = low.addingReportingOverflow(UInt128(a) &* UInt128(b))
        low = sum
        if overflow { carries &+= 1 }
    }

    @inline(__always)
    var reduced: Goldilocks {
        let base = Goldilocks.reduce128(hi: UInt64(truncatingIfNeeded: low >> 64), lo: UInt64(truncatingIfNeeded: low))
        // carries · 2^128 ≡ carries · (p − 2^32).
        return base + Goldilocks(reducing: carries) * Goldilocks(reducing: Goldilocks.order &- (1 << 32))
    }
}

/// plonky2's hashing with Poseidon (`PoseidonHash`): the sponge without padding, two-to-one
/// compression, and the leaf rule of its Merkle trees. The state lives on the stack.
public enum PoseidonHash {
    /// `hash_no_pad`: absorb in chunks of 8 by overwriting the rate, permute after each chunk,
    /// squeeze 4 elements.
    public static func hashNoPad(_ inputs: [Goldilocks]) -> HashOut {
        inputs.withUnsafeBufferPointer { hashNoPad($0) }
    }

    public static func hashNoPad(_ inputs: UnsafeBufferPointer<Goldilocks>) -> HashOut {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: Poseidon.width) { buffer in
            guard let s = buffer.baseAddress else { return .zero }
            s.initialize(repeating: 0, count: Poseidon.width)
            var i = 0
            while i < inputs.count {
                let end = min(i + Poseidon.rate, inputs.count)
                for j in i..<end { s[j - i] = inputs[j].value }
                Poseidon.permute(lanes: s)
                i = end
            }
            return HashOut(canonicalLanes: s)
        }
    }

    /// `two_to_one` (compress): left ‖ right in the rate, zero capacity, one permutation.
    public static func twoToOne(_ left: HashOut, _ right: HashOut) -> HashOut {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: Poseidon.width) { buffer in
            guard let s = buffer.baseAddress else { return .zero }
            s[0] = left.e0.value; s[1] = left.e1.value; s[2] = left.e2.value; s[3] = left.e3.value
            s[4] = right.e0.value; s[5] = right.e1.value; s[6] = right.e2.value; s[7] = right.e3.value
            for i in Poseidon.rate..<Poseidon.width { s[i] = 0 }
            Poseidon.permute(lanes: s)
            return HashOut(canonicalLanes: s)
        }
    }

    /// `hash_or_noop`: a leaf of at most 4 elements is its own hash (zero-padded); longer leaves
    /// are hashed.
    public static func hashOrNoop(_ inputs: [Goldilocks]) -> HashOut {
        inputs.withUnsafeBufferPointer { hashOrNoop($0) }
    }

    public static func hashOrNoop(_ inputs: UnsafeBufferPointer<Goldilocks>) -> HashOut {
        if inputs.count <= 4 {
            func at(_ i: Int) -> Goldilocks { i < inputs.count ? inputs[i] : .zero }
            return HashOut(at(0), at(1), at(2), at(3))
        }
        return hashNoPad(inputs)
    }
}
