import Field
import Hashing

/// Poseidon's MDS layer on extension values: new[r] = Σᵢ v[(i + r) mod 12]·circ[i] + v[r]·diag[r].
func poseidonMDS<T>(_ v: [T], zero: T, add: (T, T) -> T, scale: (T, UInt64) -> T) -> [T] {
    (0..<Poseidon.width).map { r in
        var acc = scale(v[r], Poseidon.mdsDiagonal[r])
        for i in 0..<Poseidon.width { acc = add(acc, scale(v[(i + r) % Poseidon.width], Poseidon.mdsCirculant[i])) }
        return acc
    }
}

/// Inputs in wires 0‥23 (12 algebra elements), outputs in 24‥47: outputs = MDS(inputs)
/// (`PoseidonMdsGate`).
struct PoseidonMdsGate: Gate {
    var numConstraints: Int { 2 * Poseidon.width }
    func evalUnfiltered(_ vars: EvaluationVars) -> [GoldilocksExt2] {
        let inputs = (0..<Poseidon.width).map { vars.algebra(2 * $0) }
        let computed = poseidonMDS(inputs, zero: .zero, add: +, scale: { $0.scalarMul(ext($1)) })
        var out = [GoldilocksExt2]()
        for i in 0..<Poseidon.width { out += (vars.algebra(2 * (Poseidon.width + i)) - computed[i]).components }
        return out
    }
}

/// One Poseidon permutation in a row (`PoseidonGate`): inputs 0‥11, outputs 12‥23, a swap bit
/// (24) with deltas (25‥28) that optionally exchange the two input halves, and the S-box inputs
/// of every round after the first as wires.
///
/// plonky2 evaluates the partial rounds in their "fast" factorised form; this evaluates them in
/// the textbook form. Both are the same affine maps of the input and S-box wires, so every
/// constraint has the same value (the fixtures' proofs confirm it).
struct PoseidonGate: Gate {
    static let width = Poseidon.width
    static let wireSwap = 2 * width
    static let startDelta = 2 * width + 1
    static let startFull0 = startDelta + 4
    static let startPartial = startFull0 + width * (Poseidon.halfFullRounds - 1)
    static let startFull1 = startPartial + Poseidon.partialRounds

    var numConstraints: Int {
        Self.width * (Poseidon.halfFullRounds - 1) + Poseidon.partialRounds + Self.width * Poseidon.halfFullRounds + Self.width + 1 + 4
    }

    func evalUnfiltered(_ vars: EvaluationVars) -> [GoldilocksExt2] {
        let w = vars.localWires
        let width = Self.width
        var out = [GoldilocksExt2]()
        out.reserveCapacity(numConstraints)
        let swap = w[Self.wireSwap]
        out.append(swap * (swap - .one))
        for i in 0..<4 { out.append(swap * (w[i + 4] - w[i]) - w[Self.startDelta + i]) }
        var state = [GoldilocksExt2](repeating: .zero, count: width)
        for i in 0..<4 {
            let delta = w[Self.startDelta + i]
            state[i] = w[i] + delta
            state[i + 4] = w[i + 4] - delta
        }
        for i in 8..<width { state[i] = w[i] }

        var round = 0
        func addConstants() {
            for i in 0..<width { state[i] += ext(Poseidon.roundConstants[round * width + i]) }
        }
        func mds() { state = poseidonMDS(state, zero: .zero, add: +, scale: { $0 * ext($1) }) }
        func sbox(_ x: GoldilocksExt2) -> GoldilocksExt2 {
            let x2 = x * x, x4 = x2 * x2
            return x4 * x2 * x
        }
        for r in 0..<Poseidon.halfFullRounds {
            addConstants()
            if r != 0 {
                for i in 0..<width {
                    let sboxIn = w[Self.startFull0 + width * (r - 1) + i]
                    out.append(state[i] - sboxIn)
                    state[i] = sboxIn
                }
            }
            for i in 0..<width { state[i] = sbox(state[i]) }
            mds()
            round += 1
        }
        for r in 0..<Poseidon.partialRounds {
            addConstants()
            let sboxIn = w[Self.startPartial + r]
            out.append(state[0] - sboxIn)
            state[0] = sbox(sboxIn)
            mds()
            round += 1
        }
        for r in 0..<Poseidon.halfFullRounds {
            addConstants()
            for i in 0..<width {
                let sboxIn = w[Self.startFull1 + width * r + i]
                out.append(state[i] - sboxIn)
                state[i] = sboxIn
            }
            for i in 0..<width { state[i] = sbox(state[i]) }
            mds()
            round += 1
        }
        for i in 0..<width { out.append(state[i] - w[width + i]) }
        return out
    }
}
