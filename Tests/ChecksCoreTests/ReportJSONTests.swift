import Foundation
import XCTest
import ChecksCore
import LiabilitiesCore

/// `verify --json` is a contract; it used to be written by `JSONSerialization` from dictionaries.
/// The Foundation-free writer must give the same bytes for real outcomes.
final class ReportJSONTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The earlier rendering, kept here as the reference.
    static func reference(_ outcome: Outcome) throws -> String {
        var checks = [[String: Any]]()
        for v in outcome.verdicts {
            var c: [String: Any] = [
                "file": v.file, "format": v.format.rawValue, "constraint": v.constraint.rawValue,
                "verdict": v.verdict.rawValue, "reason": v.reason, "steps": v.steps, "warnings": v.warnings,
            ]
            if let okx = v.okxVerdict { c["okx_verdict"] = okx.rawValue }
            checks.append(c)
        }
        var top: [String: Any] = ["checks": checks, "overall": outcome.overall.rawValue]
        if let round = outcome.round { top["round"] = round }
        if let id = outcome.historyID { top["history_id"] = id }
        if let t = outcome.totals { top["totals"] = ["equity": t.equity, "debt": t.debt, "net": t.net, "verified": t.verified] }
        top["accounts"] = outcome.accounts.map { a -> [String: Any] in
            ["file": a.file, "account_prefix": a.accountPrefix, "equity_total": a.equityTotal, "debt_total": a.debtTotal,
             "tokens": a.tokens.map { ["token": $0.token, "equity": $0.equity, "debt": $0.debt] }]
        }
        if !outcome.notes.isEmpty { top["notes"] = outcome.notes }
        let data = try JSONSerialization.data(withJSONObject: top, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    func testReportJSONIsTheEarlierJSONSerializationOutput() throws {
        let folder = Self.repository.appendingPathComponent("Tests/Fixtures/por-v2/one-level").path
        let resources = ResourceLocator(root: Self.repository.appendingPathComponent("Resources").path)
        let check = ZkStarkV2Check(resources: resources)
        let inclusion = ["idx050_batch3_middle_inclusion_proof.json", "tampered/idx050_debt_plus1_inclusion_proof.json"]
            .map { folder + "/" + $0 }
        var outcomes = [Outcome()]
        for sum in ["sum_proof_data.json", "tampered/sum_proof_data.pi_equity_plus1.json", "tampered/sum_proof_data.no_circuits_info.json"] {
            let path = folder + "/" + sum
            let bytes = try JSONInput.readBytes(path)
            let proofs = try inclusion.map { path in
                let bytes = try JSONInput.readBytes(path)
                return (path, bytes, try ZkStarkV2InclusionProof.parse(bytes, file: path))
            }
            var outcome = try check.run(sumProof: (path, bytes, try ZkStarkV2GlobalProof.parse(bytes, file: path)), inclusionProofs: proofs)
            outcomes.append(outcome)
            outcome.historyID = 7
            outcome.notes = ["a note with / and \"quotes\"\t"]
            outcomes.append(outcome)
        }
        let lone = try JSONInput.readBytes(inclusion[0])
        outcomes.append(try check.run(sumProof: nil, inclusionProofs: [(inclusion[0], lone, try ZkStarkV2InclusionProof.parse(lone, file: inclusion[0]))]))
        for outcome in outcomes {
            XCTAssertEqual(Report.json(outcome), try Self.reference(outcome))
        }
        XCTAssertEqual(outcomes[1].verdicts.map(\.verdict), [.passed, .passed, .failed])
    }
}
