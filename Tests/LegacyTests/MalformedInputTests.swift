import XCTest
@testable import Liabilities

/// Cut every kind of legacy file at many points and flip bytes: each attempt must end in a
/// verdict or an `InputError`, never a trap (the test process would die).
final class MalformedInputTests: XCTestCase {
    func mutations(of data: Data) -> [Data] {
        var out = [Data]()
        let n = data.count
        for cut in stride(from: 0, to: n, by: max(1, n / 40)) { out.append(data.prefix(cut)) }
        var bytes = [UInt8](data)
        for k in stride(from: 1, to: n, by: max(1, n / 25)) {
            let saved = bytes[k]
            for replacement in [UInt8(ascii: "\""), UInt8(ascii: "]"), UInt8(ascii: "9"), UInt8(ascii: "-"), 0] {
                bytes[k] = replacement
                out.append(Data(bytes))
            }
            bytes[k] = saved
        }
        return out
    }

    func survives(_ body: () throws -> Verdict) {
        do { _ = try body() } catch is InputError {} catch { XCTFail("unexpected error type: \(error)") }
    }

    func testMerkleV1AndInclusionAndSumValues() throws {
        let v1 = try Data(contentsOf: URL(fileURLWithPath: legacyFixtures + "/merkle-v1/merkle_proof_file.json"))
        for m in mutations(of: v1) { survives { try MerkleV1.verify(jsonData: m, file: "m.json") } }
        let inclusion = try Data(contentsOf: URL(fileURLWithPath: starkFixtures + "/valid/stark_small3/inclusion_proof_data/a0/user_2_inclusion_proof.json"))
        for m in mutations(of: inclusion) {
            survives { StarkV1.verifyInclusion(try StarkV1InclusionProof.parse(m, file: "i.json"), file: "i.json", dataSet: nil) }
        }
        let values = try Data(contentsOf: URL(fileURLWithPath: starkFixtures + "/valid/stark_mixed5/sum_proof_data/batches/a0/sum_values.json"))
        for m in mutations(of: values) {
            do { _ = try StarkV1SumValues.parse(m, file: "s.json") } catch is InputError {} catch { XCTFail("\(error)") }
        }
    }

    func testSumProofMutations() throws {
        let set = try StarkV1DataSet.load(folder: starkFixtures + "/valid/stark_small3")
        let data = try Data(contentsOf: URL(fileURLWithPath: starkFixtures + "/valid/stark_small3/sum_proof_data/batches/a0/sum_proof.json"))
        var changed = 0
        for m in mutations(of: data) {
            guard let proof = try? StarkV1SumProof.parse(m, file: "p.json") else { continue }
            var copy = set
            copy.batches[0].proof = proof
            let v = StarkV1.verifySumProof(copy)
            if m != data {
                changed += 1
                XCTAssertEqual(v.verdict, .failed, "a changed proof passed")
            }
        }
        XCTAssertGreaterThan(changed, 10)
    }

    func testMerkleV2TreeMutations() throws {
        let tree = try Data(contentsOf: URL(fileURLWithPath: legacyFixtures + "/merkle-v2/full-liabilities-merkle-tree.txt"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("porcheck-mut-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("tree.txt")
        for m in mutations(of: tree) where m != tree {
            try m.write(to: path)
            survives { try MerkleV2.verify(userFile: legacyFixtures + "/merkle-v2/user_info_file.json", treeFile: path.path) }
        }
    }
}
