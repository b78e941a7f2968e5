import Field
import Hashing

/// Decodes plonky2's binary `VerifierCircuitData` as OKX's fork writes it
/// (`root_verifier_data_hex` in `sum_proof_data.json`): verifier-only data, then
/// `CommonCircuitData` without any lookup fields, gates tagged by the fork's `DefaultGateSerializer`.
public enum CircuitDataDecoder {
    /// The fork's gate tags, in `DefaultGateSerializer` order (see `GateDescriptor`).
    enum GateTag: UInt32 {
        case arithmetic = 0, arithmeticExtension, baseSum2, cosetInterpolation, lowDegreeInterpolation, exponentiation
        case lookup, lookupTable, mulExtension, noop, constant, poseidonMds, publicInput, poseidon, randomAccess
        case reducingExtension, reducing
    }

    /// Decodes hex text (as in `circuits_info.root_verifier_data_hex`).
    public static func decode(hex: String) throws(DecodingError) -> VerifierCircuitData {
        let trimmed = hex.utf8.filter { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        guard let bytes = Hex.decode(String(decoding: trimmed, as: UTF8.self)) else {
            throw DecodingError("root_verifier_data_hex is not hexadecimal")
        }
        return try decode(bytes: bytes)
    }

    /// Decodes the bytes; anything left over after the last gate is an error.
    public static func decode(bytes: [UInt8]) throws(DecodingError) -> VerifierCircuitData {
        var r = ByteReader(bytes)
        let capHeight = try r.size("constants/sigmas cap height", limit: 16)
        var cap = [HashOut]()
        for i in 0..<(1 << capHeight) { cap.append(try r.hash("constants/sigmas cap[\(i)]")) }
        let digest = try r.hash("circuit digest")
        let common = try commonCircuitData(&r)
        guard r.remaining == 0 else {
            throw DecodingError("\(r.remaining) unexpected bytes after the circuit data (not OKX's layout?)")
        }
        return VerifierCircuitData(verifierOnly: VerifierOnlyCircuitData(constantsSigmasCap: cap, circuitDigest: digest),
                                   common: common)
    }

    static func commonCircuitData(_ r: inout ByteReader) throws(DecodingError) -> CommonCircuitData {
        let config = try circuitConfig(&r)
        let friConfig = try self.friConfig(&r)
        let arityBits = try r.sizes("FRI reduction arity bits")
        let degreeBits = try r.size("degree bits", limit: 32)
        let hiding = try r.bool("FRI hiding")
        let selectorIndices = try r.sizes("selector indices")
        let groupCount = try r.size("number of selector groups", limit: 64)
        var groups = [Range<Int>]()
        for i in 0..<groupCount {
            let start = try r.size("selector group \(i) start"), end = try r.size("selector group \(i) end")
            guard start <= end else { throw DecodingError("selector group \(i) ends (\(end)) before it starts (\(start))") }
            groups.append(start..<end)
        }
        let quotientDegreeFactor = try r.size("quotient degree factor", limit: 64)
        let numGateConstraints = try r.size("number of gate constraints", limit: 4096)
        let numConstants = try r.size("number of constants", limit: 4096)
        let numPublicInputs = try r.size("number of public inputs", limit: 1 << 16)
        let kCount = try r.size("number of k_is", limit: 4096)
        var kIs = [Goldilocks]()
        for i in 0..<kCount { kIs.append(try r.field("k_is[\(i)]")) }
        let numPartialProducts = try r.size("number of partial products", limit: 4096)
        let gateCount = try r.size("number of gates", limit: 256)
        var gates = [GateDescriptor]()
        for i in 0..<gateCount { gates.append(try gate(&r, index: i)) }

        guard selectorIndices.count == gates.count else {
            throw DecodingError("\(selectorIndices.count) selector indices for \(gates.count) gates")
        }
        for (i, s) in selectorIndices.enumerated() where s >= groups.count {
            throw DecodingError("gate \(i) uses selector \(s), but there are \(groups.count) selector groups")
        }
        return CommonCircuitData(
            config: config,
            friParams: FriParams(config: friConfig, hiding: hiding, degreeBits: degreeBits, reductionArityBits: arityBits),
            gates: gates,
            selectorsInfo: SelectorsInfo(selectorIndices: selectorIndices, groups: groups),
            quotientDegreeFactor: quotientDegreeFactor, numGateConstraints: numGateConstraints,
            numConstants: numConstants, numPublicInputs: numPublicInputs, kIs: kIs,
            numPartialProducts: numPartialProducts)
    }

    static func circuitConfig(_ r: inout ByteReader) throws(DecodingError) -> CircuitConfig {
        let numWires = try r.size("number of wires", limit: 4096)
        let numRoutedWires = try r.size("number of routed wires", limit: 4096)
        let numConstants = try r.size("config number of constants", limit: 4096)
        let securityBits = try r.size("security bits", limit: 1024)
        let numChallenges = try r.size("number of challenges", limit: 64)
        let maxQuotientDegreeFactor = try r.size("max quotient degree factor", limit: 64)
        let useBaseArithmeticGate = try r.bool("use base arithmetic gate")
        let zeroKnowledge = try r.bool("zero knowledge")
        let fri = try friConfig(&r)
        guard numRoutedWires <= numWires else { throw DecodingError("\(numRoutedWires) routed wires but only \(numWires) wires") }
        return CircuitConfig(numWires: numWires, numRoutedWires: numRoutedWires, numConstants: numConstants,
                             useBaseArithmeticGate: useBaseArithmeticGate, securityBits: securityBits,
                             numChallenges: numChallenges, zeroKnowledge: zeroKnowledge,
                             maxQuotientDegreeFactor: maxQuotientDegreeFactor, friConfig: fri)
    }

    static func friConfig(_ r: inout ByteReader) throws(DecodingError) -> FriConfig {
        let rateBits = try r.size("FRI rate bits", limit: 16)
        let capHeight = try r.size("FRI cap height", limit: 16)
        let numQueryRounds = try r.size("FRI query rounds", limit: 1024)
        let powBits = Int(try r.u32("FRI proof-of-work bits"))
        guard powBits <= 64 else { throw DecodingError("FRI proof-of-work bits is \(powBits), more than 64") }
        let strategy: FriReductionStrategy
        switch try r.u8("FRI reduction strategy") {
        case 0: strategy = .fixed(try r.sizes("fixed FRI arities"))
        case 1: strategy = .constantArityBits(try r.size("arity bits", limit: 32), try r.size("final poly bits", limit: 32))
        case 2:
            switch try r.u8("min-size option") {
            case 0: strategy = .minSize(nil)
            case 1: strategy = .minSize(try r.size("min size"))
            case let b: throw DecodingError("min-size option tag \(b) is not 0 or 1")
            }
        case let b: throw DecodingError("FRI reduction strategy tag \(b) is unknown")
        }
        return FriConfig(rateBits: rateBits, capHeight: capHeight, proofOfWorkBits: powBits,
                         reductionStrategy: strategy, numQueryRounds: numQueryRounds)
    }

    static func gate(_ r: inout ByteReader, index: Int) throws(DecodingError) -> GateDescriptor {
        let raw = try r.u32("gate \(index) tag")
        guard let tag = GateTag(rawValue: raw) else { throw DecodingError("gate \(index) has unknown tag \(raw)") }
        func param(_ name: String) throws(DecodingError) -> Int { try r.size("gate \(index) \(name)", limit: 1 << 16) }
        switch tag {
        case .arithmetic: return .arithmetic(numOps: try param("num_ops"))
        case .arithmeticExtension: return .arithmeticExtension(numOps: try param("num_ops"))
        case .baseSum2: return .baseSum(numLimbs: try param("num_limbs"), base: 2)
        case .cosetInterpolation:
            let bits = try param("subgroup_bits"), degree = try param("degree"), n = try param("weights length")
            var weights = [Goldilocks]()
            for i in 0..<n { weights.append(try r.field("gate \(index) barycentric weight \(i)")) }
            return .cosetInterpolation(subgroupBits: bits, degree: degree, barycentricWeights: weights)
        case .lowDegreeInterpolation: return .lowDegreeInterpolation(subgroupBits: try param("subgroup_bits"))
        case .exponentiation: return .exponentiation(numPowerBits: try param("num_power_bits"))
        case .lookup, .lookupTable:
            throw DecodingError("gate \(index) is a lookup gate, which OKX's fork removed: this is not an OKX circuit")
        case .mulExtension: return .mulExtension(numOps: try param("num_ops"))
        case .noop: return .noop
        case .constant: return .constant(numConsts: try param("num_consts"))
        case .poseidonMds: return .poseidonMds
        case .publicInput: return .publicInput
        case .poseidon: return .poseidon
        case .randomAccess:
            let bits = try param("bits"), copies = try param("num_copies"), extra = try param("num_extra_constants")
            return .randomAccess(bits: bits, numCopies: copies, numExtraConstants: extra)
        case .reducingExtension: return .reducingExtension(numCoeffs: try param("num_coeffs"))
        case .reducing: return .reducing(numCoeffs: try param("num_coeffs"))
        }
    }
}
