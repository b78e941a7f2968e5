import Field
import Hashing

/// How FRI's arities are chosen (plonky2's `FriReductionStrategy`).
public enum FriReductionStrategy: Equatable, Sendable {
    case fixed([Int])
    /// ConstantArityBits(arityBits, finalPolyBits).
    case constantArityBits(Int, Int)
    case minSize(Int?)
}

public struct FriConfig: Equatable, Sendable {
    public var rateBits: Int
    public var capHeight: Int
    public var proofOfWorkBits: Int
    public var reductionStrategy: FriReductionStrategy
    public var numQueryRounds: Int
}

public struct CircuitConfig: Equatable, Sendable {
    public var numWires: Int
    public var numRoutedWires: Int
    public var numConstants: Int
    public var useBaseArithmeticGate: Bool
    public var securityBits: Int
    public var numChallenges: Int
    public var zeroKnowledge: Bool
    public var maxQuotientDegreeFactor: Int
    public var friConfig: FriConfig
}

public struct FriParams: Equatable, Sendable {
    public var config: FriConfig
    public var hiding: Bool
    public var degreeBits: Int
    public var reductionArityBits: [Int]
}

/// Which selector polynomial each gate uses, and the gate ranges each selector covers.
public struct SelectorsInfo: Equatable, Sendable {
    public var selectorIndices: [Int]
    public var groups: [Range<Int>]
    public var numSelectors: Int { groups.count }
}

/// plonky2's `CommonCircuitData` as the OKX fork serializes it (no lookup fields).
public struct CommonCircuitData: Equatable, Sendable {
    public var config: CircuitConfig
    public var friParams: FriParams
    public var gates: [GateDescriptor]
    public var selectorsInfo: SelectorsInfo
    public var quotientDegreeFactor: Int
    public var numGateConstraints: Int
    public var numConstants: Int
    public var numPublicInputs: Int
    public var kIs: [Goldilocks]
    public var numPartialProducts: Int

    public var degreeBits: Int { friParams.degreeBits }
    public var degree: Int { 1 << degreeBits }
}

/// plonky2's `VerifierOnlyCircuitData`.
public struct VerifierOnlyCircuitData: Equatable, Sendable {
    public var constantsSigmasCap: [HashOut]
    public var circuitDigest: HashOut
}

/// plonky2's `VerifierCircuitData`: what `root_verifier_data_hex` holds.
public struct VerifierCircuitData: Equatable, Sendable {
    public var verifierOnly: VerifierOnlyCircuitData
    public var common: CommonCircuitData
}
