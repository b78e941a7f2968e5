import Field
import Hashing

/// plonky2's Fiat–Shamir transcript: a duplex sponge over Poseidon. Observed elements overwrite
/// the rate (8 lanes) and trigger a permutation when it is full; challenges are taken from the
/// last permutation's rate, last lane first; observing anything discards unread outputs.
public struct Challenger: Sendable {
    var state = [UInt64](repeating: 0, count: Poseidon.width)
    var input = [Goldilocks]()
    var output = [Goldilocks]()

    public init() {
        input.reserveCapacity(Poseidon.rate)
        output.reserveCapacity(Poseidon.rate)
    }

    public mutating func observe(_ element: Goldilocks) {
        output.removeAll(keepingCapacity: true)
        input.append(element)
        if input.count == Poseidon.rate { duplex() }
    }

    public mutating func observe(_ elements: [Goldilocks]) {
        for e in elements { observe(e) }
    }

    public mutating func observe(_ element: GoldilocksExt2) {
        observe(element.c0)
        observe(element.c1)
    }

    public mutating func observe(_ elements: [GoldilocksExt2]) {
        for e in elements { observe(e) }
    }

    public mutating func observe(_ hash: HashOut) { observe(hash.elements) }

    public mutating func observe(cap: [HashOut]) {
        for h in cap { observe(h) }
    }

    public mutating func challenge() -> Goldilocks {
        if !input.isEmpty || output.isEmpty { duplex() }
        return output.removeLast()
    }

    public mutating func challenges(_ n: Int) -> [Goldilocks] {
        (0..<n).map { _ in challenge() }
    }

    public mutating func extensionChallenge() -> GoldilocksExt2 {
        let c0 = challenge()
        let c1 = challenge()
        return GoldilocksExt2(c0, c1)
    }

    mutating func duplex() {
        for (i, e) in input.enumerated() { state[i] = e.value }
        input.removeAll(keepingCapacity: true)
        state.withUnsafeMutableBufferPointer { Poseidon.permute(raw: $0) }
        output.removeAll(keepingCapacity: true)
        for i in 0..<Poseidon.rate { output.append(Goldilocks(reducing: state[i])) }
    }
}

/// The verifier's challenges for one proof (plonky2's `ProofChallenges` + `FriChallenges`).
public struct ProofChallenges: Sendable {
    public var betas: [Goldilocks]
    public var gammas: [Goldilocks]
    public var alphas: [Goldilocks]
    public var zeta: GoldilocksExt2
    public var friAlpha: GoldilocksExt2
    public var friBetas: [GoldilocksExt2]
    public var friPowResponse: Goldilocks
    public var friQueryIndices: [Int]

    /// Replays the prover's transcript in the OKX fork's order (no lookup challenges).
    public init(proof p: ProofWithPublicInputs, circuitDigest: HashOut, common: CommonCircuitData) {
        var t = Challenger()
        let k = common.config.numChallenges
        t.observe(circuitDigest)
        t.observe(PoseidonHash.hashNoPad(p.publicInputs))
        t.observe(cap: p.proof.wiresCap)
        betas = t.challenges(k)
        gammas = t.challenges(k)
        t.observe(cap: p.proof.plonkZsPartialProductsCap)
        alphas = t.challenges(k)
        t.observe(cap: p.proof.quotientPolysCap)
        zeta = t.extensionChallenge()
        let o = p.proof.openings
        // FRI openings: the batch at ζ, then the batch at g·ζ.
        for batch in [o.constants, o.plonkSigmas, o.wires, o.plonkZs, o.partialProducts, o.quotientPolys, o.plonkZsNext] {
            t.observe(batch)
        }
        let f = p.proof.openingProof
        friAlpha = t.extensionChallenge()
        friBetas = f.commitPhaseMerkleCaps.map { cap in
            t.observe(cap: cap)
            return t.extensionChallenge()
        }
        t.observe(f.finalPoly)
        t.observe(f.powWitness)
        friPowResponse = t.challenge()
        let ldeSize = UInt64(1) << UInt64(common.ldeBits)
        friQueryIndices = (0..<common.config.friConfig.numQueryRounds).map { _ in Int(t.challenge().value % ldeSize) }
    }
}
