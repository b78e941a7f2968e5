import Foundation
import Liabilities
import Plonky2

/// Recognises which OKX proof file a JSON document is, from its fields (not its name).
public enum FormatSniffer {
    public enum Kind: Equatable, Sendable {
        case v2SumProof
        case v2InclusionProof
        case legacy(LegacyFormat.Kind)
    }

    public static func sniff(path: String) throws -> Kind { try read(path: path).kind }

    /// What `read` found in a file: its kind and, for a JSON file, its bytes and parsed tree (and
    /// a global proof's FRI query rounds, read without the tree: see `JSONInput.parseDocument`).
    public struct Read {
        public var kind: Kind
        public var data: [UInt8]?
        public var json: JSONValue?
        public var queryRounds: [FriQueryRound]?
    }

    /// Recognises a file and returns what it read, so that the file is parsed only once.
    /// `whenRead` sees the bytes of a JSON file before they are parsed.
    public static func read(path: String, whenRead: (([UInt8]) -> Void)? = nil) throws -> Read {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            guard let kind = try LegacyFormat.detect(path: path) else { throw InputError(file: path, "is a folder of no OKX proof format") }
            return Read(kind: .legacy(kind))
        }
        // A Merkle v2 tree file is text, possibly hundreds of MB: recognised from its first bytes;
        // anything else is parsed once.
        if let handle = FileHandle(forReadingAtPath: path) {
            let head = (try? handle.read(upToCount: 4096)) ?? Data()
            try? handle.close()
            if let kind = LegacyFormat.detectTreeFile(head: head) { return Read(kind: .legacy(kind)) }
        }
        // Held as a byte array, the form the checks and the report's kept files take (the `Data`
        // read is released at once, so the file is not held twice).
        let data = [UInt8](try JSONInput.readFile(path))
        whenRead?(data)
        let document = try JSONInput.parseDocument(data, file: path)
        let kind = try sniff(json: document.json, file: path)
        // Rounds are read only where the top level has "general" and "proof", which is a global proof.
        return Read(kind: kind, data: data, json: document.json, queryRounds: kind == .v2SumProof ? document.queryRounds : nil)
    }

    /// Recognises a document already in memory (a paste, a downloaded file).
    public static func sniff(data: Data, file: String?) throws -> Kind {
        let value = try JSONInput.parse(data, file: file)
        return try sniff(json: value, file: file)
    }

    public static func sniff(json value: JSONValue, file: String?) throws -> Kind {
        guard case .object(let fields) = value else {
            throw InputError(file: file, "is JSON but not an OKX proof (expected an object at the top level)")
        }
        switch ZkStarkV2FileKind(json: value) {
        case .sumProof?: return .v2SumProof
        case .inclusionProof?: return .v2InclusionProof
        case nil: break
        }
        if let kind = LegacyFormat.detect(json: value) { return .legacy(kind) }
        let keys = fields.map(\.key).sorted().joined(separator: ", ")
        throw InputError(file: file, "is JSON but not a proof format porcheck knows (top-level fields: \(keys.prefix(120)))")
    }
}
