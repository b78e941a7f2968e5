import Foundation
import Liabilities

/// Recognises which OKX proof file a JSON document is, from its fields (not its name).
public enum FormatSniffer {
    public enum Kind: Equatable, Sendable {
        case v2SumProof
        case v2InclusionProof
        case legacy(ProofFormat)
    }

    public static func sniff(path: String) throws -> Kind {
        let data = try JSONInput.readFile(path)
        return try sniff(data: data, file: path)
    }

    /// Recognises a document already in memory (a paste, a downloaded file).
    public static func sniff(data: Data, file: String?) throws -> Kind {
        let value = try JSONInput.parse(data, file: file)
        return try sniff(json: value, file: file)
    }

    public static func sniff(json value: Any, file: String?) throws -> Kind {
        guard let object = value as? [String: Any] else {
            throw InputError(file: file, "is JSON but not an OKX proof (expected an object at the top level)")
        }
        if object["general"] != nil, object["proof"] != nil { return .v2SumProof }
        if let account = object["account"] as? [String: Any], account["equity"] != nil,
           object["sum_tree_siblings"] != nil || object["recursive_tree_siblings"] != nil {
            return .v2InclusionProof
        }
        let keys = object.keys.sorted().joined(separator: ", ")
        throw InputError(file: file, "is JSON but not a proof format porcheck knows (top-level fields: \(keys.prefix(120)))")
    }
}
