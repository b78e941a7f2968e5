import Field

/// A gate of a circuit as `CommonCircuitData` serializes it: which gate, and its parameters.
///
/// This is the contract between the circuit-data decoder (which produces descriptors from the
/// OKX fork's `DefaultGateSerializer` tags) and the gate implementations (which evaluate the
/// constraints of a descriptor). Tags in the OKX fork: 0 Arithmetic, 1 ArithmeticExtension,
/// 2 BaseSum<2>, 3 CosetInterpolation, 4 LowDegreeInterpolation, 5 Exponentiation, 6 Lookup,
/// 7 LookupTable, 8 MulExtension, 9 Noop, 10 Constant, 11 PoseidonMds, 12 PublicInput,
/// 13 Poseidon, 14 RandomAccess, 15 ReducingExtension, 16 Reducing.
public enum GateDescriptor: Equatable, Sendable {
    case arithmetic(numOps: Int)
    case arithmeticExtension(numOps: Int)
    /// The fork registers only base 2 (`BaseSumGate<2>`).
    case baseSum(numLimbs: Int, base: Int)
    case cosetInterpolation(subgroupBits: Int, degree: Int, barycentricWeights: [Goldilocks])
    case lowDegreeInterpolation(subgroupBits: Int)
    case exponentiation(numPowerBits: Int)
    case mulExtension(numOps: Int)
    case noop
    case constant(numConsts: Int)
    case poseidonMds
    case publicInput
    case poseidon
    case randomAccess(bits: Int, numCopies: Int, numExtraConstants: Int)
    case reducingExtension(numCoeffs: Int)
    case reducing(numCoeffs: Int)
}
