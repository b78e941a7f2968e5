import Foundation
import Liabilities

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
    /// Files or folders of an earlier OKX format, with the format recognised.
    public var legacy: [(path: String, format: ProofFormat)] = []

    public var isEmpty: Bool { v2SumProofs.isEmpty && v2InclusionProofs.isEmpty && legacy.isEmpty }

    public static func == (a: ProofFiles, b: ProofFiles) -> Bool {
        a.v2SumProofs == b.v2SumProofs && a.v2InclusionProofs == b.v2InclusionProofs
            && a.legacy.elementsEqual(b.legacy) { $0.path == $1.path && $0.format == $1.format }
    }

    public init() {}

    /// Sorts the given files and folders. Throws an `InputError` for a path that does not exist,
    /// a file of no OKX format, or a folder holding no proof file.
    public static func discover(_ paths: [String]) throws -> ProofFiles {
        var found = ProofFiles()
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputError(file: path, "no such file or folder")
            }
            if isDirectory.boolValue {
                let before = found
                try found.addFolder(path)
                if found == before {
                    throw InputError(file: path, "no proof files in this folder (looked for sum_proof_data.json and *_inclusion_proof.json)")
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
        for name in names {
            let path = base.appendingPathComponent(name).path
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            if isDirectory.boolValue { continue }
            if name == "sum_proof_data.json" || name.hasSuffix("_inclusion_proof.json") {
                try addFile(path, sniff: true)
            }
        }
    }

    mutating func addFile(_ path: String, sniff: Bool) throws {
        switch try FormatSniffer.sniff(path: path) {
        case .v2SumProof: v2SumProofs.append(path)
        case .v2InclusionProof: v2InclusionProofs.append(path)
        case .legacy(let format): legacy.append((path, format))
        }
    }

    static func unique(_ paths: [String]) -> [String] {
        var seen = Set<String>()
        return paths.filter { seen.insert(URL(fileURLWithPath: $0).standardizedFileURL.path).inserted }
    }
}
