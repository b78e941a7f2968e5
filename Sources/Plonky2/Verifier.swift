import Field
import Hashing

/// Why a plonky2 proof was rejected, by step.
public enum VerificationFailure: Error, Equatable, Sendable, CustomStringConvertible {
    case shape(String)
    case unsupportedGate(String)
    case vanishingIdentity(challenge: Int)
    case fri(FriFailure)

    public var description: String {
        switch self {
        case .shape(let s): return s
        case .unsupportedGate(let s): return s
        case .vanishingIdentity(let i):
            return "the constraints do not hold at ζ: vanishing polynomial ≠ Z_H(ζ)·quotient for challenge \(i)"
        case .fri(let f): return f.description
        }
    }
}

/// plonky2's verifier for OKX's fork: shape, challenges, the vanishing identity at ζ, FRI.
public enum Plonky2Verifier {
    public static func verify(_ proof: ProofWithPublicInputs, circuit: VerifierCircuitData) throws(VerificationFailure) {
        let common = circuit.common
        do { try proof.validateShape(common) } catch { throw .shape(error.message) }
        guard common.quotientDegreeFactor >= 1, common.config.numChallenges >= 1,
              common.ldeBits <= Goldilocks.twoAdicity,
              common.friParams.reductionArityBits.allSatisfy({ $0 >= 1 && $0 <= 16 })
        else { throw .shape("the circuit's FRI parameters are out of range") }
        guard common.selectorsInfo.selectorIndices.count == common.gates.count,
              common.numConstants >= common.selectorsInfo.numSelectors,
              common.kIs.count >= common.config.numRoutedWires,
              common.numPartialProducts + 1 == (common.config.numRoutedWires + common.quotientDegreeFactor - 1) / common.quotientDegreeFactor
        else { throw .shape("the circuit data is inconsistent (selectors, k_is or partial products)") }
        var gates = [any Gate]()
        let gateConstants = common.numConstants - common.selectorsInfo.numSelectors
        for d in common.gates {
            let needs = gateRequirements(d)
            if let problem = needs.problem { throw .unsupportedGate("the circuit has an impossible gate: \(problem)") }
            guard needs.wires <= common.config.numWires, needs.constants <= gateConstants else {
                throw .shape("the circuit's gate \(d) needs more wires or constants than the circuit has")
            }
            gates.append(makeGate(d, config: common.config))
        }

        let challenges = ProofChallenges(proof: proof, circuitDigest: circuit.verifierOnly.circuitDigest, common: common)
        let o = proof.proof.openings
        let vanishing = VanishingPolynomial.evaluate(
            common: common, gates: gates, zeta: challenges.zeta, openings: o,
            publicInputsHash: PoseidonHash.hashNoPad(proof.publicInputs),
            betas: challenges.betas, gammas: challenges.gammas, alphas: challenges.alphas)
        let zetaPowN = challenges.zeta.exp2(common.degreeBits)
        let zH = zetaPowN - .one
        let factor = common.quotientDegreeFactor
        for i in 0..<common.config.numChallenges {
            var combined = GoldilocksExt2.zero
            for q in o.quotientPolys[(i * factor)..<((i + 1) * factor)].reversed() { combined = combined * zetaPowN + q }
            guard vanishing[i] == zH * combined else { throw .vanishingIdentity(challenge: i) }
        }
        do {
            try FriVerifier(common: common).verify(
                proof: proof, challenges: challenges,
                initialCaps: [circuit.verifierOnly.constantsSigmasCap, proof.proof.wiresCap,
                              proof.proof.plonkZsPartialProductsCap, proof.proof.quotientPolysCap])
        } catch {
            throw .fri(error)
        }
    }
}
