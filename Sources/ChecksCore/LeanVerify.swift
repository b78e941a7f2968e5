#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import LiabilitiesCore
import Plonky2

/// `porcheck verify --no-record` on zk-STARK v2 files, in a process without Foundation: the lean
/// `porcheck` front runs it, and starts the full porcheck for anything else.
///
/// Why: the Foundation the full porcheck links costs ~4 MiB of memory at start before any check
/// runs, as much as OKX's whole verifier uses (Docs/performance.md, "Lean front"). The usual check
/// (a global proof and inclusion proofs, given as files or in OKX's folders) needs none of it.
///
/// The rule: this path gives the full porcheck's output byte for byte, or gives nothing. It
/// declines (`nil`, before printing anything) wherever the full porcheck would do something it
/// does not: record the check, read `trusted-circuits.txt`, a zip, an earlier OKX format's file
/// or folder, a file given that is no v2 proof, an inclusion proof that needs the history store
/// or the folder rule to find its global proof, the same file named twice, or any error (the
/// full porcheck words errors). The full porcheck then does the whole check from the start.
public enum LeanVerify {
    public struct Result {
        public var output: String
        public var exitCode: Int32
    }

    public static func run(_ invocation: VerifyInvocation) -> Result? {
        guard invocation.noRecord, !invocation.paths.isEmpty, invocation.malformedTrustedCircuit == nil else { return nil }
        let trusted = Set(invocation.trustCircuit.map { $0.lowercased() })
        guard let dataDir = invocation.dataDir ?? defaultDataDirectory(),
              access(dataDir + "/trusted-circuits.txt", F_OK) != 0 else { return nil }
        // As in the full check: a Dispatch worker started now, while the files are read, spares
        // the parallel FRI queries the threads' start.
        DispatchQueue.global().async {}
        guard let files = discover(invocation.paths) else { return nil }
        let resources = ResourceLocator()
        let check = ZkStarkV2Check(resources: resources, trustedCircuits: trusted)
        do {
            var sums = [ZkStarkV2Check.SumProofFile]()
            for file in files where file.kind == .sumProof {
                sums.append((file.path, file.bytes, try ZkStarkV2GlobalProof.parse(json: file.json, file: file.path, queryRounds: file.queryRounds)))
            }
            guard !sums.isEmpty else { return nil }
            var groups = [Int: [ZkStarkV2Check.InclusionProofFile]]()
            for file in files where file.kind == .inclusionProof {
                let proof = try ZkStarkV2InclusionProof.parse(json: file.json, file: file.path)
                guard let i = ZkStarkV2Check.sumProof(for: proof, among: sums) else { return nil }
                groups[i, default: []].append((file.path, file.bytes, proof))
            }
            let outcome = try check.run(sums: sums, groups: groups)
            LeftToExit.keep((files, sums))
            let output = invocation.json ? Report.json(outcome) : Report.text(outcome, style: Style.forStandardOutput())
            return Result(output: output, exitCode: outcome.exitCode)
        } catch {
            return nil
        }
    }

    /// The history store's default folder (`Store.defaultDirectory`), or `nil` where that takes
    /// Foundation (no usable `$HOME`).
    public static func defaultDataDirectory() -> String? {
        func variable(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
        if let xdg = variable("XDG_DATA_HOME"), !xdg.isEmpty, xdg.hasPrefix("/") { return xdg + "/porcheck" }
        guard let home = variable("HOME"), !home.isEmpty else { return nil }
        return home + "/.local/share/porcheck"
    }

    struct File: Sendable {
        var path: String
        var kind: ZkStarkV2FileKind
        var bytes: [UInt8]
        var json: JSONValue
        var queryRounds: [FriQueryRound]?
    }

    /// `ProofFiles.discover` for the files this path takes, in its order; `nil` where that
    /// would find anything else.
    static func discover(_ paths: [String]) -> [File]? {
        var sums = [File]()
        var inclusions = [File]()
        func add(_ path: String) -> Bool {
            guard let file = read(path) else { return false }
            if file.kind == .sumProof { sums.append(file) } else { inclusions.append(file) }
            return true
        }
        for path in paths {
            guard let kind = fileKind(path) else { return nil }
            if kind == S_IFDIR {
                let before = sums.count + inclusions.count
                guard let names = folderNames(path), let base = entryBase(path) else { return nil }
                for name in names where !name.hasPrefix(".") {
                    // A zk-STARK v1 data set (its sum proof is a folder with a config.json).
                    if name == "sum_proof_data" || name == "config.json" { return nil }
                    let entry = base + name
                    let entryKind = fileKind(entry)
                    if entryKind == S_IFDIR { continue }
                    if name == "sum_proof_data.json" || name.hasSuffix("_inclusion_proof.json") {
                        guard entryKind == S_IFREG, add(entry) else { return nil }
                    } else if name.hasSuffix(".json") || name.hasSuffix(".txt") {
                        // Any other file an earlier format may have: what the full porcheck
                        // keeps of it, it keeps here; an earlier format's file is declined.
                        switch other(entry, kind: entryKind) {
                        case .skipped: continue
                        case .declined: return nil
                        case .proof(let file):
                            if file.kind == .sumProof { sums.append(file) } else { inclusions.append(file) }
                        }
                    }
                }
                guard sums.count + inclusions.count > before else { return nil }
            } else {
                guard kind == S_IFREG, add(path) else { return nil }
            }
        }
        // The full porcheck drops a file named twice; here the same file twice is declined.
        for list in [sums, inclusions] {
            var seen = Set<String>()
            for file in list { guard seen.insert(standardized(file.path)).inserted else { return nil } }
        }
        return sums + inclusions
    }

    /// What the full porcheck puts before a folder's entry names, `URL(fileURLWithPath: folder)`
    /// with a "/": an absolute path as it is, a relative one after the current directory (which
    /// Foundation also standardizes, hence `nil` for `.`, `..`, `~` or an empty component).
    static func entryBase(_ folder: String) -> String? {
        if folder.hasPrefix("/") { return folder.hasSuffix("/") ? folder : folder + "/" }
        var relative = Substring(folder)
        if relative.hasSuffix("/") { relative = relative.dropLast() }
        let parts = relative.split(separator: "/", omittingEmptySubsequences: false)
        guard !parts.isEmpty, !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }),
              parts[0].first != "~", let cwd = PathText.currentDirectory() else { return nil }
        return (cwd == "/" ? "" : cwd) + "/" + relative + "/"
    }

    /// A file's type (`S_IFDIR`, `S_IFREG`, …), following symbolic links; `nil` if it does not exist.
    static func fileKind(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }

    /// A folder's entries (without `.` and `..`), sorted as Swift sorts strings.
    static func folderNames(_ folder: String) -> [String]? {
        guard let dir = opendir(folder) else { return nil }
        defer { closedir(dir) }
        var names = [String]()
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// A v2 global or inclusion proof, read and parsed once; `nil` for anything else.
    static func read(_ path: String) -> File? {
        guard let bytes = try? JSONInput.readBytes(path) else { return nil }
        // What the full porcheck tells apart before parsing: a zip, a Merkle v2 tree file.
        if ZipSignature.matches(bytes) || MerkleTreeFileHead.matches(bytes.prefix(4096)) { return nil }
        guard let document = try? JSONInput.parseDocument(bytes, file: path) else { return nil }
        return v2File(path, bytes, document)
    }

    static func v2File(_ path: String, _ bytes: [UInt8], _ document: (json: JSONValue, queryRounds: [FriQueryRound]?)) -> File? {
        switch ZkStarkV2FileKind(json: document.json) {
        case .sumProof?: return File(path: path, kind: .sumProof, bytes: bytes, json: document.json, queryRounds: document.queryRounds)
        case .inclusionProof?: return File(path: path, kind: .inclusionProof, bytes: bytes, json: document.json, queryRounds: nil)
        case nil: return nil
        }
    }

    enum OtherFile {
        case skipped
        case declined
        case proof(File)
    }

    /// A folder's `.json` or `.txt` file of no v2 name, as the full porcheck's `addFolder` takes
    /// it (`try? FormatSniffer.read`): a file it cannot parse or recognise is skipped, a v2 proof
    /// is kept (whatever its name), a part of a v1 sum proof is skipped; any other earlier
    /// format is declined (the full porcheck checks it).
    /// `kind`: its `fileKind` (`nil` when it does not exist, e.g. a broken link).
    static func other(_ path: String, kind: mode_t?) -> OtherFile {
        guard let kind else { return .skipped }
        guard kind == S_IFREG else { return .declined }
        // Unreadable or too large (a Merkle v2 tree file can be hundreds of MB): the full porcheck
        // looks at its head.
        guard let bytes = try? JSONInput.readBytes(path) else { return .declined }
        if MerkleTreeFileHead.matches(bytes.prefix(4096)) { return .declined }
        guard let document = try? JSONInput.parseDocument(bytes, file: path) else { return .skipped }
        if let file = v2File(path, bytes, document) { return .proof(file) }
        switch LegacyFormat.detect(json: document.json) {
        case nil, .starkV1SumProofPart?: return .skipped
        default: return .declined
        }
    }

    /// An absolute path with `.`, `..` and repeated slashes resolved by name (at least as coarse
    /// as `URL.standardizedFileURL`, so that two names it would take as one file are one here).
    static func standardized(_ path: String) -> String {
        var full = path
        if !path.hasPrefix("/"), let cwd = PathText.currentDirectory() { full = cwd + "/" + path }
        var parts = [Substring]()
        for part in full.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }
}

/// How a zip archive starts (a local file header), which both programs check before reading a
/// file as JSON (OKX ships its proof files zipped).
public enum ZipSignature {
    public static let bytes: [UInt8] = [0x50, 0x4B, 0x03, 0x04]

    public static func matches<Head: Collection<UInt8>>(_ head: Head) -> Bool { head.starts(with: bytes) }
}
