import Foundation
import Liabilities
import Plonky2

/// The proof files found in what the user pointed porcheck at, sorted by what they are.
///
/// Like OKX's validators, a folder is searched (not recursively) for `sum_proof_data.json` and
/// every `*_inclusion_proof.json`; a file given directly is recognised by its content, whatever
/// its name.
public struct ProofFiles: Sendable, Equatable {
    /// zk-STARK v2 global proofs (`sum_proof_data.json`).
    public var v2SumProofs: [String] = []
    /// zk-STARK v2 inclusion proofs.
    public var v2InclusionProofs: [String] = []
    /// Files or folders of an earlier OKX format, with the kind recognised.
    public var legacy: [(path: String, kind: LegacyFormat.Kind)] = []

    /// The bytes and parsed JSON of files already read while recognising them (not compared);
    /// for a global proof, its FRI query rounds too when they were read without the tree.
    public var documents: [String: (data: [UInt8], json: JSONValue, queryRounds: [FriQueryRound]?)] = [:]
    /// With `hashing`, the SHA-256 of the JSON files given directly, computed in the background
    /// while they are parsed (for the history store, which keeps files under their hash).
    var digests: [String: BackgroundSHA256] = [:]
    var hashing = false

    public var isEmpty: Bool { v2SumProofs.isEmpty && v2InclusionProofs.isEmpty && legacy.isEmpty }

    public static func == (a: ProofFiles, b: ProofFiles) -> Bool {
        a.v2SumProofs == b.v2SumProofs && a.v2InclusionProofs == b.v2InclusionProofs
            && a.legacy.elementsEqual(b.legacy) { $0.path == $1.path && $0.kind == $1.kind }
    }

    public init() {}

    /// Sorts the given files and folders. Throws an `InputError` for a path that does not exist,
    /// a file of no OKX format, or a folder holding no proof file.
    public static func discover(_ paths: [String], hashing: Bool = false) throws -> ProofFiles {
        var found = ProofFiles()
        found.hashing = hashing
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputError(file: path, "no such file or folder")
            }
            if isDirectory.boolValue {
                let before = found
                if try LegacyFormat.detect(path: path) == .starkV1SumProofFolder {
                    found.legacy.append((path, .starkV1SumProofFolder))
                    // Inclusion proofs of the same audit often sit beside `sum_proof_data/`.
                    try found.addFolder(path)
                } else {
                    try found.addFolder(path)
                }
                if found == before {
                    throw InputError(file: path, "no proof files in this folder (looked for sum_proof_data.json, *_inclusion_proof.json, sum_proof_data/, merkle_proof_file.json, user_info_file.json and tree files)")
                }
            } else {
                try found.addFile(path, sniff: true)
            }
        }
        found.v2SumProofs = unique(found.v2SumProofs)
        found.v2InclusionProofs = unique(found.v2InclusionProofs)
        return found
    }

    mutating func addFolder(_ folder: String) throws {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted() } catch {
            throw InputError(file: folder, "cannot list the folder (\(error.localizedDescription))")
        }
        let base = URL(fileURLWithPath: folder)
        for name in names where !name.hasPrefix(".") {
            let path = base.appendingPathComponent(name).path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                // A zk-STARK v1 data set's sum proof is a folder.
                if name == "sum_proof_data", !legacy.contains(where: { $0.kind == .starkV1SumProofFolder }),
                   try LegacyFormat.detect(path: folder) == .starkV1SumProofFolder {
                    legacy.append((folder, .starkV1SumProofFolder))
                }
                continue
            }
            if name == "sum_proof_data.json" || name.hasSuffix("_inclusion_proof.json") {
                try addFile(path, sniff: true)
            } else if name.hasSuffix(".json") || name.hasSuffix(".txt") {
                // Earlier formats' files have no fixed name: keep whatever is recognised, skip the rest.
                if let read = try? FormatSniffer.read(path: path) {
                    if let data = read.data, let json = read.json { documents[path] = (data, json, read.queryRounds) }
                    add(path, read.kind)
                }
            }
        }
    }

    mutating func addFile(_ path: String, sniff: Bool) throws {
        var digest: BackgroundSHA256?
        let hashing = self.hashing
        let read = try FormatSniffer.read(path: path) { data in if hashing { digest = BackgroundSHA256(data) } }
        if let digest { digests[path] = digest }
        if let data = read.data, let json = read.json { documents[path] = (data, json, read.queryRounds) }
        add(path, read.kind)
    }

    mutating func add(_ path: String, _ kind: FormatSniffer.Kind) {
        switch kind {
        case .v2SumProof: v2SumProofs.append(path)
        case .v2InclusionProof: v2InclusionProofs.append(path)
        case .legacy(let k):
            if k == .starkV1SumProofPart { return }  // parts of a sum_proof_data/ folder, checked with it
            legacy.append((path, k))
        }
    }

    static func unique(_ paths: [String]) -> [String] {
        var seen = Set<String>()
        return paths.filter { seen.insert(URL(fileURLWithPath: $0).standardizedFileURL.path).inserted }
    }
}
