import Foundation
import Plonky2

// `Data` forms of LiabilitiesCore's JSON input (which has no Foundation: the lean `porcheck`
// front reads through it), for the formats and callers that hold `Data`.
extension JSONInput {
    /// Reads a file with a size cap. Errors name the file.
    public static func readFile(_ path: String, maximumSize: Int = defaultMaximumSize) throws -> Data {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(file: path, "no such file")
        }
        if isDirectory.boolValue { throw InputError(file: path, "is a folder, not a file") }
        // stat(2) for the size: FileManager's attributes also look up the owner's user and group
        // names (reading /etc/passwd and /etc/group), which costs more than reading the file.
        var info = stat()
        if stat(path, &info) == 0, Int(info.st_size) > maximumSize {
            throw InputError(file: path, "file is \(Int(info.st_size)) bytes, more than the \(maximumSize >> 20) MB porcheck accepts for this kind of file")
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw InputError(file: path, "cannot be read (\(error.localizedDescription))")
        }
    }

    /// Parses JSON bytes, mapping parser errors to a one-line message naming the file.
    public static func parse(_ data: Data, file: String?) throws -> JSONValue {
        try data.withUnsafeBytes { raw in
            try parse(buffer: raw.bindMemory(to: UInt8.self), file: file, interception: nil).value
        }
    }

    /// `parseDocument` on `Data`, parsed in place.
    public static func parseDocument(_ data: Data, file: String?) throws -> (json: JSONValue, queryRounds: [FriQueryRound]?) {
        try data.withUnsafeBytes { raw in try parseDocument(buffer: raw.bindMemory(to: UInt8.self), file: file) }
    }
}

extension ZkStarkV2GlobalProof {
    public static func parse(_ data: Data, file: String) throws -> ZkStarkV2GlobalProof {
        let document = try JSONInput.parseDocument(data, file: file)
        return try parse(json: document.json, file: file, queryRounds: document.queryRounds)
    }
}

extension ZkStarkV2InclusionProof {
    public static func parse(_ data: Data, file: String?) throws -> ZkStarkV2InclusionProof {
        try parse(json: try JSONInput.parse(data, file: file), file: file)
    }
}

extension ZkStarkV2SumProofHeader {
    public static func parse(_ data: Data, file: String?) throws -> ZkStarkV2SumProofHeader {
        try parse(json: try JSONInput.parse(data, file: file), file: file)
    }
}

extension KnownRootCircuit {
    public static func list(fromJSON data: Data) -> [KnownRootCircuit]? { list(fromJSON: [UInt8](data)) }
}

extension ZkStarkV2GlobalVerifier {
    public static func loadingKnownCircuits(from folder: URL?, trusted: Set<String> = []) -> ZkStarkV2GlobalVerifier {
        loadingKnownCircuits(from: folder?.path, trusted: trusted)
    }
}
