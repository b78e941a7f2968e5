import Foundation

/// Reading JSON input files safely: size caps before parsing, and typed accessors that turn a
/// wrong shape into an `InputError` naming the file and the field instead of a trap.
public enum JSONInput {
    /// Larger inputs are refused before parsing (OKX's largest JSON file, a STARK v1 batch proof,
    /// is under 1 MB; a v2 global proof is about 600 KB).
    public static let defaultMaximumSize = 64 << 20

    /// Reads a file with a size cap. Errors name the file.
    public static func readFile(_ path: String, maximumSize: Int = defaultMaximumSize) throws -> Data {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(file: path, "no such file")
        }
        if isDirectory.boolValue { throw InputError(file: path, "is a folder, not a file") }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes?[.size] as? NSNumber, size.intValue > maximumSize {
            throw InputError(file: path, "file is \(size.intValue) bytes, more than the \(maximumSize >> 20) MB porcheck accepts for this kind of file")
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw InputError(file: path, "cannot be read (\(error.localizedDescription))")
        }
    }

    /// Parses JSON bytes into Foundation objects, mapping parser errors to a one-line message.
    public static func parse(_ data: Data, file: String?) throws -> Any {
        guard !data.isEmpty else { throw InputError(file: file, "is empty") }
        do {
            return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            let text = String(decoding: data.prefix(512), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if let first = text.first, first != "{" && first != "[" {
                throw InputError(file: file, "is not JSON (it starts with \(String(text.prefix(20)).debugDescription))")
            }
            throw InputError(file: file, "is not valid JSON (truncated or malformed: \(JSONInput.shortReason(error)))")
        }
    }

    /// A JSON number (not a boolean: Foundation hands both over as NSNumber, and Swift's
    /// `is Bool` says yes to 0 and 1; JSON's true/false are the ones stored as C `char`).
    public static func number(_ value: Any) -> NSNumber? {
        guard let n = value as? NSNumber, String(cString: n.objCType) != "c" else { return nil }
        return n
    }

    static func shortReason(_ error: Error) -> String {
        let ns = error as NSError
        if let detail = ns.userInfo[NSDebugDescriptionErrorKey] as? String { return detail }
        return ns.localizedDescription
    }
}

/// A typed view of one JSON object, for decoding OKX's files with precise error messages.
public struct JSONObject {
    public let fields: [String: Any]
    public let file: String?
    /// Where this object sits in the file, e.g. `account` or `recursive_tree_siblings[1]`.
    public let path: String

    public init(_ value: Any, file: String?, path: String = "") throws {
        guard let dict = value as? [String: Any] else {
            throw InputError(file: file, "\(path.isEmpty ? "top level" : path) is not a JSON object")
        }
        self.fields = dict
        self.file = file
        self.path = path
    }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    public func has(_ key: String) -> Bool { fields[key] != nil && !(fields[key] is NSNull) }

    public func value(_ key: String) throws -> Any {
        guard let v = fields[key], !(v is NSNull) else { throw InputError(file: file, "missing field \(name(key))") }
        return v
    }

    public func object(_ key: String) throws -> JSONObject {
        try JSONObject(try value(key), file: file, path: name(key))
    }

    public func array(_ key: String) throws -> [Any] {
        guard let a = try value(key) as? [Any] else { throw InputError(file: file, "field \(name(key)) is not a list") }
        return a
    }

    public func string(_ key: String) throws -> String {
        guard let s = try value(key) as? String else { throw InputError(file: file, "field \(name(key)) is not a string") }
        return s
    }

    public func strings(_ key: String) throws -> [String] {
        let items = try array(key)
        var out = [String]()
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            guard let s = item as? String else { throw InputError(file: file, "\(name(key))[\(i)] is not a string") }
            out.append(s)
        }
        return out
    }

    /// A non-negative JSON integer that fits in a UInt64 (no fractions, no exponent tricks).
    public func uint64(_ key: String) throws -> UInt64 {
        try JSONObject.uint64(try value(key), file: file, what: name(key))
    }

    public static func uint64(_ value: Any, file: String?, what: String) throws -> UInt64 {
        guard let n = JSONInput.number(value) else {
            throw InputError(file: file, "\(what) is not a number")
        }
        // NSNumber keeps integers exactly; a fraction or a negative or a value past UInt64 is refused.
        let text = n.stringValue
        guard let v = UInt64(text) else {
            throw InputError(file: file, "\(what) is \(text), not a whole number from 0 to \(UInt64.max)")
        }
        return v
    }
}
