import Foundation
import Liabilities

/// Recognises which OKX proof file a JSON document is, from its fields (not its name).
public enum FormatSniffer {
    public enum Kind: Equatable, Sendable {
        case v2SumProof
        case v2InclusionProof
        case legacy(LegacyFormat.Kind)
    }

    public static func sniff(path: String) throws -> Kind { try read(path: path).kind }

    /// Recognises a file and returns what it read, so that the file is parsed only once.
    /// `whenRead` sees the bytes of a JSON file before they are parsed.
    public static func read(path: String, whenRead: ((Data) -> Void)? = nil) throws -> (kind: Kind, data: Data?, json: JSONValue?) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            guard let kind = try LegacyFormat.detect(path: path) else { throw InputError(file: path, "is a folder of no OKX proof format") }
            return (.legacy(kind), nil, nil)
        }
        // A Merkle v2 tree file is text, possibly hundreds of MB: recognised from its first bytes;
        // anything else is parsed once.
        if let handle = FileHandle(forReadingAtPath: path) {
            let head = (try? handle.read(upToCount: 4096)) ?? Data()
            try? handle.close()
            if let kind = LegacyFormat.detectTreeFile(head: head) { return (.legacy(kind), nil, nil) }
        }
        let data = try JSONInput.readFile(path)
        whenRead?(data)
        let json = try JSONInput.parse(data, file: path)
        return (try sniff(json: json, file: path), data, json)
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
        if value["general"] != nil, value["proof"] != nil { return .v2SumProof }
        if let account = value["account"], account["equity"] != nil,
           value["sum_tree_siblings"] != nil || value["recursive_tree_siblings"] != nil {
            return .v2InclusionProof
        }
        if let kind = LegacyFormat.detect(json: value) { return .legacy(kind) }
        let keys = fields.map(\.key).sorted().joined(separator: ", ")
        throw InputError(file: file, "is JSON but not a proof format porcheck knows (top-level fields: \(keys.prefix(120)))")
    }
}
