import Foundation
import Liabilities

/// Runs the checks of OKX's earlier proof generations (Merkle v1, Merkle v2, zk-STARK v1) on the
/// files `ProofFiles` recognised, pairing what belongs together.
struct LegacyCheck {
    var progress: (@Sendable (Int64, Int64) -> Void)?
    /// Whether to read STARK v1 files back for the history store; a run that records nothing
    /// (`--no-record`) skips reading the data set a second time.
    var keepFiles = true

    func run(_ items: [(path: String, kind: LegacyFormat.Kind)]) throws -> Outcome {
        var outcome = Outcome()
        let trees = items.filter { $0.kind == .merkleV2Tree }.map(\.path)
        let starkFolders = items.filter { $0.kind == .starkV1SumProofFolder }.map(\.path)
        let starkInclusions = items.filter { $0.kind == .starkV1InclusionProof }.map(\.path)

        for (path, kind) in items {
            switch kind {
            case .merkleV1Proof:
                outcome.verdicts.append(try MerkleV1.verify(path: path))
                try keep(path, role: "merkle-v1-proof", in: &outcome)
                outcome.accounts.append(try balances(path))
            case .merkleV2UserInfo:
                try keep(path, role: "merkle-v2-user-info", in: &outcome)
                outcome.accounts.append(try balances(path))
                guard let tree = trees.first else {
                    outcome.verdicts.append(Verdict(
                        file: path, format: .merkleV2, constraint: .inclusion, verdict: .notVerified,
                        reason: "give the full liabilities tree file too: porcheck checks your leaves against the whole rebuilt tree"))
                    continue
                }
                let report = progress
                outcome.verdicts.append(try MerkleV2.verify(userFile: path, treeFile: tree, progress: report.map { p in { p($0, $1) } }))
            case .merkleV2Tree:
                try keep(path, role: "merkle-v2-tree", in: &outcome)
            case .starkV1SumProofFolder, .starkV1InclusionProof, .starkV1SumProofPart:
                continue
            }
        }
        for folder in starkFolders {
            let mine = starkInclusions.filter { URL(fileURLWithPath: $0).path.hasPrefix(URL(fileURLWithPath: folder).path + "/") }
            outcome.verdicts += try StarkV1.verifyAll(folder: folder, inclusionFiles: mine.isEmpty ? nil : mine)
            try keepFolder(folder, in: &outcome)
        }
        // Inclusion proofs with no data set beside them: checked on their own (as OKX does).
        for file in starkInclusions where !starkFolders.contains(where: { file.hasPrefix($0 + "/") }) {
            outcome.verdicts.append(try StarkV1.verifyInclusion(file: file, dataSet: nil))
            if keepFiles { try keep(file, role: "stark-v1-inclusion-proof", in: &outcome) }
            outcome.accounts.append(try balances(file))
        }
        return outcome
    }

    func keep(_ path: String, role: String, layoutName: String? = nil, in outcome: inout Outcome) throws {
        // Tree files can be very large: they are kept by hash like any other (the store dedupes),
        // copied from disk in pieces when the check is recorded.
        guard FileManager.default.isReadableFile(atPath: path) else { throw InputError(file: path, "cannot be read") }
        outcome.files.append(UsedFile(role: role, path: path, content: .file(atPath: path), layoutName: layoutName))
    }

    /// Keeps the files a STARK v1 verification reads (config, sum proofs, sum values, inclusion files).
    func keepFolder(_ folder: String, in outcome: inout Outcome) throws {
        guard keepFiles else { return }
        let base = URL(fileURLWithPath: folder).standardizedFileURL
        let parent = base.deletingLastPathComponent().path
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return }
        for case let url as URL in walker where url.pathExtension == "json" {
            let name = url.lastPathComponent
            guard ["config.json", "sum_proof.json", "sum_values.json"].contains(name) || name.hasSuffix("_inclusion_proof.json") else { continue }
            let full = url.standardizedFileURL.path
            let relative = full.hasPrefix(parent + "/") ? String(full.dropFirst(parent.count + 1)) : name
            try keep(full, role: "stark-v1", layoutName: relative, in: &outcome)
        }
    }

    /// The user's balances from a legacy proof, shown per coin; legacy formats have no single
    /// account id, so the file name stands for it.
    func balances(_ path: String) throws -> AccountBalances {
        let map = (try LegacyFormat.userBalances(path: path)) ?? [:]
        return AccountBalances(file: path, accountID: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent,
                               tokens: map.sorted { $0.key < $1.key }.map { TokenBalance(token: $0.key, equity: $0.value, debt: "0") },
                               equityTotal: "-", debtTotal: "-")
    }
}
