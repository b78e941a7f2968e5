import Field
import Hashing

/// A gate's view of one row at the point ζ: its constants (selectors already removed), its wires,
/// and the hash of the public inputs (plonky2's `EvaluationVars`, D = 2).
public struct EvaluationVars {
    public var localConstants: ArraySlice<GoldilocksExt2>
    public var localWires: [GoldilocksExt2]
    public var publicInputsHash: HashOut

    public init(localConstants: ArraySlice<GoldilocksExt2>, localWires: [GoldilocksExt2], publicInputsHash: HashOut) {
        self.localConstants = localConstants
        self.localWires = localWires
        self.publicInputsHash = publicInputsHash
    }

    @inline(__always) func constant(_ i: Int) -> GoldilocksExt2 { localConstants[localConstants.startIndex + i] }

    /// Two consecutive wires read as one element of the extension algebra.
    @inline(__always) func algebra(_ start: Int) -> ExtensionAlgebra {
        ExtensionAlgebra(localWires[start], localWires[start + 1])
    }
}

/// A gate's constraints, evaluated (not filtered) at ζ (plonky2's `Gate::eval_unfiltered`).
public protocol Gate: Sendable {
    var numConstraints: Int { get }
    func evalUnfiltered(_ vars: EvaluationVars) -> [GoldilocksExt2]
}

/// The gate implementation for a decoded descriptor.
public func makeGate(_ d: GateDescriptor, config: CircuitConfig) -> any Gate {
    switch d {
    case .noop: return NoopGate()
    case .publicInput: return PublicInputGate()
    case .constant(let n): return ConstantGate(numConsts: n)
    case .arithmetic(let n): return ArithmeticGate(numOps: n)
    case .arithmeticExtension(let n): return ArithmeticExtensionGate(numOps: n)
    case .mulExtension(let n): return MulExtensionGate(numOps: n)
    case .baseSum(let limbs, let base): return BaseSumGate(numLimbs: limbs, base: base)
    case .reducing(let n): return ReducingGate(numCoeffs: n)
    case .reducingExtension(let n): return ReducingExtensionGate(numCoeffs: n)
    case .randomAccess(let bits, let copies, let extra): return RandomAccessGate(bits: bits, numCopies: copies, numExtraConstants: extra)
    case .poseidonMds: return PoseidonMdsGate()
    case .poseidon: return PoseidonGate()
    case .lowDegreeInterpolation(let bits): return LowDegreeInterpolationGate(subgroupBits: bits)
    case .exponentiation(let bits): return ExponentiationGate(numPowerBits: bits)
    case .cosetInterpolation(let bits, let degree, let weights):
        return CosetInterpolationGate(subgroupBits: bits, degree: degree, weights: weights)
    }
}

/// The wire count a gate reads at most, for checking a circuit before evaluating it.
func ext(_ x: Goldilocks) -> GoldilocksExt2 { GoldilocksExt2(x) }
func ext(_ x: UInt64) -> GoldilocksExt2 { GoldilocksExt2(Goldilocks(reducing: x)) }

/// The wires and (non-selector) constants a gate reads, and whether its parameters are in the
/// range the gate's formulas assume; checked before evaluating, so hostile circuit data cannot
/// make a gate index past the openings or build an impossible subgroup.
func gateRequirements(_ d: GateDescriptor) -> (wires: Int, constants: Int, problem: String?) {
    func bad(_ s: String) -> (Int, Int, String?) { (0, 0, s) }
    switch d {
    case .noop: return (0, 0, nil)
    case .publicInput: return (4, 0, nil)
    case .constant(let n): return (n, n, nil)
    case .arithmetic(let n): return (4 * n, 2, nil)
    case .arithmeticExtension(let n): return (8 * n, 2, nil)
    case .mulExtension(let n): return (6 * n, 1, nil)
    case .baseSum(let limbs, let base):
        guard base >= 2, base <= 64 else { return bad("BaseSum base \(base)") }
        return (1 + limbs, 0, nil)
    case .reducing(let n):
        guard n >= 1 else { return bad("Reducing with no coefficients") }
        return (6 + n + 2 * (n - 1), 0, nil)
    case .reducingExtension(let n):
        guard n >= 1 else { return bad("ReducingExtension with no coefficients") }
        return (6 + 2 * n + 2 * (n - 1), 0, nil)
    case .randomAccess(let bits, let copies, let extra):
        guard bits >= 1, bits <= 16 else { return bad("RandomAccess with \(bits) bits") }
        return ((2 + (1 << bits)) * copies + extra + copies * bits, extra, nil)
    case .poseidonMds: return (4 * Poseidon.width, 0, nil)
    case .poseidon: return (PoseidonGate.startFull1 + Poseidon.width * Poseidon.halfFullRounds, 0, nil)
    case .lowDegreeInterpolation(let bits):
        guard bits >= 1, bits <= 10 else { return bad("LowDegreeInterpolation over 2^\(bits) points") }
        let gate = LowDegreeInterpolationGate(subgroupBits: bits)
        return (gate.numPoints == 2 ? gate.endCoeffs : gate.powerOfPointWire(gate.numPoints - 1) + 2, 0, nil)
    case .exponentiation(let bits):
        guard bits >= 1 else { return bad("Exponentiation with no power bits") }
        return (2 + 2 * bits, 0, nil)
    case .cosetInterpolation(let bits, let degree, let weights):
        guard bits >= 1, bits <= 10 else { return bad("CosetInterpolation over 2^\(bits) points") }
        guard degree >= 2, degree <= 1 << bits else { return bad("CosetInterpolation of degree \(degree) over 2^\(bits) points") }
        // The weights are data in the circuit bytes, but only the subgroup's own weights make the
        // gate an interpolation: anything else would let a circuit redefine what it checks.
        guard weights == CosetInterpolationGate.subgroupWeights(bits: bits) else {
            return bad("CosetInterpolation whose barycentric weights are not those of its subgroup")
        }
        return (CosetInterpolationGate(subgroupBits: bits, degree: degree, weights: weights).endWires, 0, nil)
    }
}
