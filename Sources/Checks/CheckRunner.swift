import Foundation
import Hashing
import History
import Liabilities

/// Runs the checks on what the user pointed porcheck at and records them in the history store.
public struct CheckRunner: Sendable {
    public let store: Store
    public let resources: ResourceLocator
    /// SHA-256 values of root circuits the user trusts besides OKX's known ones.
    public var trustedCircuits: Set<String>
    /// Progress of long reads (a Merkle v2 tree file): bytes read, total bytes.
    public var progress: (@Sendable (Int64, Int64) -> Void)?
    /// For a process that exits after one check (`porcheck verify`): the parsed files (a global
    /// proof's JSON tree and proof model, tens of thousands of small allocations) are left for the
    /// process exit to reclaim instead of being freed one by one first (~0.3 ms).
    public var leavesParsedFilesToExit = false

    public init(store: Store, resources: ResourceLocator, trustedCircuits: Set<String> = []) {
        self.store = store
        self.resources = resources
        self.trustedCircuits = trustedCircuits
    }

    /// Verifies every proof file found in `paths` (files or folders) and records the run.
    /// Throws `InputError` for unusable input; a proof that does not verify is a `failed` verdict.
    public func verify(paths givenPaths: [String], origin: String, rerunOf: Int64? = nil, record shouldRecord: Bool = true) throws -> Outcome {
        let started = Date()
        // Zips (OKX ships its proof files zipped) are unpacked into a private scratch folder and
        // checked like a folder; paths are shown as `archive.zip/entry`.
        var paths = [String]()
        var labels = [String: String]()
        var scratch = [URL]()
        defer { scratch.forEach { try? FileManager.default.removeItem(at: $0) } }
        for path in givenPaths {
            guard ZipInput.isZip(path: path) else { paths.append(path); continue }
            let folder = store.directory.appendingPathComponent("unzipped-\(getpid())-\(scratch.count)")
            try? FileManager.default.removeItem(at: folder)
            try Store.makePrivateDirectory(folder)
            scratch.append(folder)
            let content = try ZipInput.extractAll(from: path, to: folder)
            paths.append(content.path)
            labels[content.path] = path
        }
        // A global proof's FRI queries are checked on all cores, by Dispatch's worker threads.
        // Starting a worker now, while the files are read and parsed, spares the verification
        // the threads' start (about 1 ms measured).
        DispatchQueue.global().async {}
        // The store is opened and the files' copies written on another core meanwhile.
        let preparation = shouldRecord ? RecordingPreparation(store: store) : nil
        defer { preparation?.discardIfNotTaken() }
        let files = try ProofFiles.discover(paths, hashing: shouldRecord)
        defer { if leavesParsedFilesToExit { LeftToExit.keep(files) } }
        guard !files.isEmpty else { throw InputError("no proof files given") }
        preparation?.keep(files.digests.sorted { $0.key < $1.key }.compactMap { path, digest in
            files.documents[path].map { (path, $0.data, digest) }
        })
        var outcome = try verifyZkStarkV2(files)
        if !files.legacy.isEmpty {
            outcome.absorb(try LegacyCheck(progress: progress, keepFiles: shouldRecord).run(files.legacy))
        }
        if !labels.isEmpty { outcome.relabel(prefixes: labels) }
        if shouldRecord {
            outcome.historyID = try record(outcome, origin: origin, started: started, rerunOf: rerunOf,
                                           digests: files.digests, prepared: preparation?.take())
        }
        // The database connection too: closing it only finalises statements (and, with the
        // write-ahead log, would copy the log into the database, which the next process or a
        // later commit does anyway).
        if leavesParsedFilesToExit { LeftToExit.keep(store) }
        return outcome
    }

    /// Groups inclusion proofs with the global proof whose root they reach (or, failing that, the
    /// one in the same folder), and falls back to a global proof kept in the store.
    func verifyZkStarkV2(_ files: ProofFiles) throws -> Outcome {
        var merged = Outcome()
        guard !files.v2SumProofs.isEmpty || !files.v2InclusionProofs.isEmpty else { return merged }
        let check = ZkStarkV2Check(resources: resources, trustedCircuits: trustedCircuits)

        var sums = [ZkStarkV2Check.SumProofFile]()
        for path in files.v2SumProofs {
            if let read = files.documents[path] {
                sums.append((path, read.data, try ZkStarkV2GlobalProof.parse(json: read.json, file: path, queryRounds: read.queryRounds)))
            } else {
                let bytes = try JSONInput.readBytes(path)
                sums.append((path, bytes, try ZkStarkV2GlobalProof.parse(bytes, file: path)))
            }
        }
        var groups = [Int: [ZkStarkV2Check.InclusionProofFile]]()
        var kept = [String: [ZkStarkV2Check.InclusionProofFile]]()  // sha256 of a kept global proof → proofs
        var orphans = [ZkStarkV2Check.InclusionProofFile]()
        for path in files.v2InclusionProofs {
            let data: [UInt8]
            let proof: ZkStarkV2InclusionProof
            if let read = files.documents[path] {
                data = read.data
                proof = try ZkStarkV2InclusionProof.parse(json: read.json, file: path)
            } else {
                data = try JSONInput.readBytes(path, maximumSize: 16 << 20)
                proof = try ZkStarkV2InclusionProof.parse(data, file: path)
            }
            if let i = ZkStarkV2Check.sumProof(for: proof, among: sums) ?? sums.firstIndex(where: { sameFolder($0.path, path) }) {
                groups[i, default: []].append((path, data, proof))
            } else if let root = ZkStarkV2InclusionVerifier.impliedRoot(of: proof), let known = try store.knownRoot(root.hex) {
                kept[known.sumProofSHA256, default: []].append((path, data, proof))
            } else {
                orphans.append((path, data, proof))
            }
        }
        merged.absorb(try check.run(sums: sums, groups: groups))
        for (sha, proofs) in kept.sorted(by: { $0.key < $1.key }) {
            let data = [UInt8](try store.keptData(sha256: sha))
            let label = "kept sum_proof_data.json (\(sha.prefix(12)))"
            let global = try ZkStarkV2GlobalProof.parse(data, file: label)
            var outcome = try check.run(sumProof: (label, data, global), inclusionProofs: proofs)
            outcome.notes.append("used the global proof kept in the history store for round \(outcome.round ?? "?")")
            merged.absorb(outcome)
        }
        if !orphans.isEmpty {
            merged.absorb(try check.run(sumProof: nil, inclusionProofs: orphans))
        }
        if leavesParsedFilesToExit { LeftToExit.keep(sums) }
        return merged
    }

    func sameFolder(_ a: String, _ b: String) -> Bool {
        URL(fileURLWithPath: a).deletingLastPathComponent().standardizedFileURL
            == URL(fileURLWithPath: b).deletingLastPathComponent().standardizedFileURL
    }

    /// Writes the run, its verdicts, kept files, the user's balances and the roots the global
    /// proofs commit to in one transaction. `digests` are SHA-256 values of files already being
    /// computed, by path.
    public func record(_ outcome: Outcome, origin: String, started: Date, rerunOf: Int64?) throws -> Int64 {
        try record(outcome, origin: origin, started: started, rerunOf: rerunOf, digests: [:])
    }

    /// `prepared`: copies of the files already written (`RecordingPreparation`), by path; the
    /// temporary files are swept then too. Copies not used are discarded.
    func record(_ outcome: Outcome, origin: String, started: Date, rerunOf: Int64?, digests: [String: BackgroundSHA256],
                prepared: [String: Store.PreparedKeep]? = nil) throws -> Int64 {
        var unused = prepared ?? [:]
        defer { unused.values.forEach(store.discard) }
        if prepared == nil { store.sweepAbandonedTemporaryFiles() }
        var fileRecords = [FileRecord]()
        var sumProofHashes = [String: String]()
        for file in outcome.files {
            let kept: (sha256: String, size: Int64)
            switch file.content {
            case .bytes(let data):
                if let copy = unused.removeValue(forKey: file.path), copy.size == Int64(data.count) {
                    kept = try store.place(copy)
                } else {
                    kept = try store.keep(data: data, sha256: digests[file.path]?.hex)
                }
            case .file(let source):
                kept = try store.keep(fileAt: source)
            }
            sumProofHashes[file.path] = file.role == "sum-proof" ? kept.sha256 : nil
            fileRecords.append(FileRecord(checkID: 0, role: file.role, originalPath: file.path,
                                          name: file.layoutName,
                                          sha256: kept.sha256, size: kept.size))
        }
        let results = outcome.verdicts.enumerated().map { i, v in
            ResultRecord(checkID: 0, position: i, file: v.file, format: v.format.rawValue, constraint: v.constraint.rawValue,
                         verdict: v.verdict.rawValue, reason: v.reason, steps: v.steps, warnings: v.warnings)
        }
        let accounts = outcome.accounts.map { a in
            AccountRecord(checkID: 0, accountPrefix: a.accountPrefix, equityTotal: a.equityTotal, debtTotal: a.debtTotal,
                          perToken: Dictionary(a.tokens.map { ($0.token, [$0.equity, $0.debt]) }, uniquingKeysWith: { x, _ in x }))
        }
        let formats = Set(outcome.verdicts.map(\.format.rawValue)).sorted()
        let kind: String
        if formats.count == 1, let only = formats.first, only != ProofFormat.zkStarkV2.rawValue {
            kind = only
        } else {
            kind = outcome.verdicts.contains { $0.constraint == .inclusion } ? "inclusion" : "global"
        }
        let check = CheckRecord(kind: kind, format: formats.joined(separator: ","), round: outcome.round,
                                startedAt: started, finishedAt: Date(), verdict: outcome.overall.rawValue,
                                rerunOf: rerunOf, origin: origin, summary: summaryLine(outcome))
        let totals = outcome.totals.map {
            [TotalsRecord(checkID: 0, round: outcome.round, equity: $0.equity, debt: $0.debt, net: $0.net, verified: $0.verified)]
        } ?? []
        // Remember which root each global proof commits to, so a later pasted proof finds its round.
        var roots = [Store.KnownRoot]()
        for (path, committed) in outcome.committedRoots {
            if let sha = sumProofHashes[path] {
                roots.append(Store.KnownRoot(root: committed.root, format: ProofFormat.zkStarkV2.rawValue,
                                             round: committed.round, sumProofSHA256: sha))
            }
        }
        return try store.record(Store.NewCheck(check: check, results: results, files: fileRecords, accounts: accounts,
                                               totals: totals, knownRoots: roots))
    }

    func summaryLine(_ outcome: Outcome) -> String {
        let counts = Dictionary(grouping: outcome.verdicts, by: \.verdict).mapValues(\.count)
        var parts = [String]()
        for value in [VerdictValue.passed, .failed, .notVerified] {
            if let n = counts[value] { parts.append("\(n) \(value.rawValue)") }
        }
        return parts.joined(separator: ", ")
    }
}
