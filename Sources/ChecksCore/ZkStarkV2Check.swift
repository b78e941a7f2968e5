import Hashing
import LiabilitiesCore

/// Runs the zk-STARK v2 checks on a set of files: the global proof (total sum and non-negative
/// constraint) and every inclusion proof against the global proof's root.
public struct ZkStarkV2Check: Sendable {
    /// A global proof file read for checking: its path, bytes and decoded proof.
    public typealias SumProofFile = (path: String, data: [UInt8], global: ZkStarkV2GlobalProof)
    /// An inclusion proof file: its path, bytes and decoded proof.
    public typealias InclusionProofFile = (path: String, data: [UInt8], proof: ZkStarkV2InclusionProof)

    public var resources: ResourceLocator
    public var globalVerifier: ZkStarkV2GlobalVerifier

    public init(resources: ResourceLocator, trustedCircuits: Set<String> = []) {
        self.resources = resources
        self.globalVerifier = ZkStarkV2GlobalVerifier.loadingKnownCircuits(from: resources.path("circuits"), trusted: trustedCircuits)
    }

    /// Verifies `sumProof` (optional: an inclusion proof can be checked against a global proof
    /// kept in the store instead) and `inclusionProofs`.
    public func run(sumProof: SumProofFile?, inclusionProofs: [InclusionProofFile]) throws -> Outcome {
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
        // The token list is read once for all the proofs (when there are any).
        let tokenList = inclusionProofs.isEmpty ? nil : resources.okxDefaultTokens()
        for proofFile in inclusionProofs {
            let proof = proofFile.proof
            outcome.files.append(UsedFile(role: "inclusion-proof", path: proofFile.path, data: proofFile.data))
            outcome.accounts.append(balances(of: proof, file: proofFile.path, tokenList: tokenList))
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

    /// The global proof an inclusion proof goes with, when that follows from the proofs alone:
    /// the one whose root its path reaches, else the only one given. `nil` leaves the choice to
    /// the caller (the one in the same folder, or a global proof kept in the history store).
    public static func sumProof(for proof: ZkStarkV2InclusionProof, among sums: [SumProofFile]) -> Int? {
        let implied = ZkStarkV2InclusionVerifier.impliedRoot(of: proof)
        if let i = sums.firstIndex(where: { $0.global.header.root == implied }) { return i }
        return sums.count == 1 ? 0 : nil
    }

    /// Checks each global proof with the inclusion proofs grouped with it (by index in `sums`),
    /// in the order of `sums`.
    public func run(sums: [SumProofFile], groups: [Int: [InclusionProofFile]]) throws -> Outcome {
        var merged = Outcome()
        for (i, sum) in sums.enumerated() {
            merged.absorb(try run(sumProof: sum, inclusionProofs: groups[i] ?? []))
        }
        return merged
    }

    func balances(of proof: ZkStarkV2InclusionProof, file: String, tokenList: [String]?) -> AccountBalances {
        let names = TokenNames.names(count: proof.equity.count, list: tokenList)
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
