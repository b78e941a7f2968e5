import Foundation
import Hashing
import Liabilities

/// Runs the zk-STARK v2 checks on a set of files: the global proof (total sum and non-negative
/// constraint) and every inclusion proof against the global proof's root.
public struct ZkStarkV2Check: Sendable {
    public var resources: ResourceLocator
    public var globalVerifier: ZkStarkV2GlobalVerifier

    public init(resources: ResourceLocator, trustedCircuits: Set<String> = []) {
        self.resources = resources
        self.globalVerifier = ZkStarkV2GlobalVerifier.loadingKnownCircuits(from: resources.url("circuits"), trusted: trustedCircuits)
    }

    /// Verifies `sumProof` (optional: an inclusion proof can be checked against a global proof
    /// kept in the store instead) and `inclusionProofs`.
    public func run(sumProof: (path: String, data: Data, global: ZkStarkV2GlobalProof)?,
                    inclusionProofs: [(path: String, data: Data)]) throws -> Outcome {
        var outcome = Outcome()
        var header: ZkStarkV2SumProofHeader?
        if let sumProof {
            let h = sumProof.global.header
            header = h
            outcome.round = String(h.roundNumber)
            outcome.committedRoots[sumProof.path] = (h.root.hex, String(h.roundNumber))
            outcome.files.append(UsedFile(role: "sum-proof", path: sumProof.path, data: sumProof.data))
            let verdict = globalVerifier.verify(sumProof.global, file: sumProof.path)
            outcome.verdicts.append(verdict)
            outcome.totals = ExchangeTotals(
                equity: String(h.totalEquity.value), debt: String(h.totalDebt.value),
                net: ZkStarkV2Check.signedDifference(h.totalEquity.value, h.totalDebt.value),
                verified: verdict.verdict == .passed)
        }
        for proofFile in inclusionProofs {
            let proof = try ZkStarkV2InclusionProof.parse(proofFile.data, file: proofFile.path)
            outcome.files.append(UsedFile(role: "inclusion-proof", path: proofFile.path, data: proofFile.data))
            outcome.accounts.append(balances(of: proof, file: proofFile.path))
            guard let header else {
                outcome.verdicts.append(Verdict(
                    file: proofFile.path, format: .zkStarkV2, constraint: .inclusion, verdict: .notVerified,
                    reason: "no sum_proof_data.json for this proof's round was given or kept, so there is no root to check it against"))
                continue
            }
            let verifier = ZkStarkV2InclusionVerifier(root: header.root, batchSize: header.batchSize,
                                                      branchOut: Int(clamping: header.branchOut))
            var verdict = verifier.verify(proof, file: proofFile.path)
            if outcome.verdicts.first(where: { $0.constraint == .sum })?.verdict != .passed {
                verdict.warnings.append("the root comes from a global proof porcheck did not verify: inclusion in it proves nothing about the totals")
            }
            if header.tokenCount != UInt64(proof.equity.count) {
                verdict.warnings.append("the proof lists \(proof.equity.count) tokens but the global proof's token_num is \(header.tokenCount)")
            }
            outcome.verdicts.append(verdict)
        }
        return outcome
    }

    func balances(of proof: ZkStarkV2InclusionProof, file: String) -> AccountBalances {
        let names = TokenNames.names(count: proof.equity.count, resources: resources)
        var tokens = [TokenBalance]()
        for (i, name) in names.enumerated() where proof.equity[i] != 0 || proof.debt[i] != 0 {
            tokens.append(TokenBalance(token: name, equity: String(proof.equity[i]), debt: String(proof.debt[i])))
        }
        let totals = proof.totals
        return AccountBalances(file: file, accountID: proof.accountID, tokens: tokens,
                               equityTotal: String(totals.equity), debtTotal: String(totals.debt))
    }

    static func signedDifference(_ a: UInt64, _ b: UInt64) -> String {
        a >= b ? String(a - b) : "-" + String(b - a)
    }
}
