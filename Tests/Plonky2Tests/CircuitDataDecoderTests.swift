import Field
import Hashing
import JSONReader
import XCTest
@testable import Plonky2

/// The three root circuits in the fixtures decode to what OKX's own code printed for them
/// (`root_circuit_common_data.txt`, `okx-round-508787475/README.md`).
final class CircuitDataDecoderTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/por-v2")

    static func hexFromSumProof(_ set: String) throws -> String {
        let data = try Data(contentsOf: fixtures.appendingPathComponent("\(set)/sum_proof_data.json"))
        let json = try JSONParser.parse(Array(data))
        guard case .string(let hex)? = json["circuits_info"]?["root_verifier_data_hex"] else {
            throw DecodingError("no root_verifier_data_hex")
        }
        return hex
    }

    func h(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) -> HashOut {
        HashOut(Goldilocks(reducing: a), Goldilocks(reducing: b), Goldilocks(reducing: c), Goldilocks(reducing: d))
    }

    let oneLevelGates: [GateDescriptor] = [
        .noop, .poseidonMds, .publicInput, .baseSum(numLimbs: 63, base: 2), .lowDegreeInterpolation(subgroupBits: 4),
        .randomAccess(bits: 1, numCopies: 20, numExtraConstants: 0), .reducingExtension(numCoeffs: 32), .reducing(numCoeffs: 43),
        .arithmeticExtension(numOps: 10), .arithmetic(numOps: 20), .mulExtension(numOps: 13),
        .randomAccess(bits: 4, numCopies: 4, numExtraConstants: 2), .poseidon,
    ]

    func checkCommonShape(_ c: CommonCircuitData, degreeBits: Int) {
        XCTAssertEqual(c.degreeBits, degreeBits)
        XCTAssertEqual(c.numPublicInputs, 6)
        XCTAssertEqual(c.numConstants, 5)
        XCTAssertEqual(c.quotientDegreeFactor, 8)
        XCTAssertEqual(c.numGateConstraints, 123)
        XCTAssertEqual(c.numPartialProducts, 9)
        XCTAssertEqual(c.kIs.count, 80)
        XCTAssertEqual(c.kIs.prefix(3).map(\.value), [1, 7, 49])
        XCTAssertEqual(c.config.numWires, 135)
        XCTAssertEqual(c.config.numRoutedWires, 80)
        XCTAssertEqual(c.config.numConstants, 2)
        XCTAssertTrue(c.config.useBaseArithmeticGate)
        XCTAssertEqual(c.config.securityBits, 100)
        XCTAssertEqual(c.config.numChallenges, 2)
        XCTAssertTrue(c.config.zeroKnowledge)
        XCTAssertEqual(c.config.maxQuotientDegreeFactor, 8)
        let fri = FriConfig(rateBits: 3, capHeight: 1, proofOfWorkBits: 16, reductionStrategy: .constantArityBits(4, 5), numQueryRounds: 28)
        XCTAssertEqual(c.config.friConfig, fri)
        XCTAssertEqual(c.friParams, FriParams(config: fri, hiding: true, degreeBits: degreeBits, reductionArityBits: [4, 4, 4, 4]))
    }

    func testOneLevelRootCircuit() throws {
        let data = try CircuitDataDecoder.decode(hex: try Self.hexFromSumProof("one-level"))
        checkCommonShape(data.common, degreeBits: 18)
        XCTAssertEqual(data.common.gates, oneLevelGates)
        XCTAssertEqual(data.common.selectorsInfo.groups, [0..<7, 7..<11, 11..<13])
        XCTAssertEqual(data.common.selectorsInfo.selectorIndices.count, 13)
        XCTAssertEqual(data.verifierOnly.circuitDigest, h(17410857638767496792, 12678425423548294871, 11717189599839526263, 5945503340621056052))
        XCTAssertEqual(data.verifierOnly.constantsSigmasCap, [
            h(11680998345674140197, 6037894428839471959, 17617758691816343341, 11346454704862361174),
            h(5684203191583106631, 13295332423233810634, 6999810422532415043, 4683626229406766820)])
    }

    func testTwoLevelRootCircuitHasTheExponentiationGate() throws {
        let data = try CircuitDataDecoder.decode(hex: try Self.hexFromSumProof("two-level"))
        checkCommonShape(data.common, degreeBits: 19)
        var gates = oneLevelGates
        gates.insert(.exponentiation(numPowerBits: 66), at: 11)
        XCTAssertEqual(data.common.gates, gates)
        XCTAssertEqual(data.common.selectorsInfo.groups, [0..<7, 7..<12, 12..<14])
        XCTAssertEqual(data.verifierOnly.circuitDigest, h(5872804808223151168, 9662244456955044120, 7639696313382002044, 2681487210992721476))
    }

    func testOKXRound508787475Circuit() throws {
        let hex = try String(contentsOf: Self.fixtures.appendingPathComponent("okx-round-508787475/root_verifier_data.hex"), encoding: .utf8)
        XCTAssertEqual(Hex.decode(hex.trimmingCharacters(in: .whitespacesAndNewlines))?.count, 1333)
        let data = try CircuitDataDecoder.decode(hex: hex)
        checkCommonShape(data.common, degreeBits: 19)
        var gates = oneLevelGates
        gates.insert(.exponentiation(numPowerBits: 66), at: 11)
        XCTAssertEqual(data.common.gates, gates)
        XCTAssertEqual(data.verifierOnly.circuitDigest, h(12334891077924198050, 2138746491511686090, 18415961294283891919, 4418839560457271489))
        XCTAssertEqual(data.verifierOnly.constantsSigmasCap, [
            h(17071978807030527971, 9768814405914828927, 1723319037493802758, 14284142017426432822),
            h(15576650912583475855, 17720080882555655616, 10284216594459565344, 5433874625223766517)])
    }

    func testMalformedCircuitDataIsAnErrorNotATrap() throws {
        let bytes = try XCTUnwrap(Hex.decode(try Self.hexFromSumProof("one-level")))
        // Every truncation point fails cleanly.
        for cut in stride(from: 0, to: bytes.count, by: 7) {
            XCTAssertThrowsError(try CircuitDataDecoder.decode(bytes: Array(bytes.prefix(cut))), "cut at \(cut)")
        }
        XCTAssertThrowsError(try CircuitDataDecoder.decode(bytes: bytes + [0])) { error in
            XCTAssertTrue("\(error)".contains("unexpected bytes"), "\(error)")
        }
        // An unknown gate tag (the first gate's tag sits right after the gates count).
        var unknown = bytes
        if let at = firstGateTagOffset(bytes) {
            unknown[at] = 99
            XCTAssertThrowsError(try CircuitDataDecoder.decode(bytes: unknown)) { error in
                XCTAssertTrue("\(error)".contains("unknown tag 99"), "\(error)")
            }
            var lookup = bytes
            lookup[at] = 6
            XCTAssertThrowsError(try CircuitDataDecoder.decode(bytes: lookup)) { error in
                XCTAssertTrue("\(error)".contains("lookup gate"), "\(error)")
            }
        } else {
            XCTFail("no gate tag found")
        }
        // A digest limb ≥ p.
        var big = bytes
        for i in 72..<80 { big[i] = 0xFF }
        XCTAssertThrowsError(try CircuitDataDecoder.decode(bytes: big)) { error in
            XCTAssertTrue("\(error)".contains("not below the Goldilocks modulus"), "\(error)")
        }
        XCTAssertThrowsError(try CircuitDataDecoder.decode(hex: "zz"))
    }

    /// The NoopGate (tag 9) is the first gate: find `13 gates` (u64) followed by tag 9 (u32).
    func firstGateTagOffset(_ bytes: [UInt8]) -> Int? {
        let marker: [UInt8] = [13, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0]
        guard bytes.count >= marker.count else { return nil }
        for i in 0...(bytes.count - marker.count) where Array(bytes[i..<(i + marker.count)]) == marker { return i + 8 }
        return nil
    }
}
