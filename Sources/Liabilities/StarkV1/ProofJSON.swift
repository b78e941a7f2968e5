import Foundation
import Hashing

/// A small JSON reader over the bytes for STARK v1 proof files (hundreds of KB of hex strings):
/// Foundation's parser would build and bridge an object per string. Strings stay raw bytes
/// (hex is decoded where it is used); numbers stay text. Depth and size are bounded.
enum ProofJSON {
    indirect enum Node {
        case object([(key: String, value: Node)])
        case array([Node])
        case string([UInt8])
        case number([UInt8])
        case literal(String)
    }

    static let maximumDepth = 64

    static func parse(_ data: Data, file: String?) throws -> Node {
        let bytes = [UInt8](data)
        guard !bytes.isEmpty else { throw InputError(file: file, "is empty") }
        return try bytes.withUnsafeBufferPointer { buffer in
            var reader = Reader(bytes: buffer, file: file)
            reader.skipSpace()
            let node = try reader.value(depth: 0)
            reader.skipSpace()
            guard reader.i == buffer.count else { throw reader.error("trailing data after the JSON value") }
            return node
        }
    }

    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        let file: String?
        var i = 0

        init(bytes: UnsafeBufferPointer<UInt8>, file: String?) {
            self.bytes = bytes
            self.file = file
        }

        func error(_ what: String) -> InputError {
            InputError(file: file, "is not valid JSON (truncated or malformed: \(what) at byte \(i))")
        }

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        mutating func value(depth: Int) throws -> Node {
            guard depth < ProofJSON.maximumDepth else { throw error("nesting deeper than \(ProofJSON.maximumDepth)") }
            guard i < bytes.count else { throw error("unexpected end") }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var fields = [(key: String, value: Node)]()
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(fields) }
                while true {
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a key") }
                    let key = String(decoding: try string(), as: UTF8.self)
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':'") }
                    i += 1
                    skipSpace()
                    fields.append((key, try value(depth: depth + 1)))
                    skipSpace()
                    guard i < bytes.count else { throw error("unexpected end") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(fields) }
                    throw error("expected ',' or '}'")
                }
            case UInt8(ascii: "["):
                i += 1
                var items = [Node]()
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard i < bytes.count else { throw error("unexpected end") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                    throw error("expected ',' or ']'")
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = i
                while i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: ".")
                        || bytes[i] | 0x20 == UInt8(ascii: "e") || (bytes[i] >= 48 && bytes[i] <= 57) { i += 1 }
                return .number(Array(bytes[start..<i]))
            default:
                for word in ["true", "false", "null"] {
                    let w = Array(word.utf8)
                    if i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w { i += w.count; return .literal(word) }
                }
                throw error("unexpected character")
            }
        }

        /// A string's bytes; escapes other than \" \\ \/ are refused (OKX's files have none).
        mutating func string() throws -> [UInt8] {
            i += 1
            let start = i
            while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\") { i += 1 }
            guard i < bytes.count else { throw error("unterminated string") }
            if bytes[i] == UInt8(ascii: "\"") {
                let out = Array(bytes[start..<i])
                i += 1
                return out
            }
            var out = Array(bytes[start..<i])
            while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
                if bytes[i] == UInt8(ascii: "\\") {
                    i += 1
                    guard i < bytes.count, [UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/")].contains(bytes[i]) else {
                        throw error("unsupported string escape")
                    }
                }
                out.append(bytes[i])
                i += 1
            }
            guard i < bytes.count else { throw error("unterminated string") }
            i += 1
            return out
        }
    }

    /// Nibble values by ASCII code; 0xFF for anything that is not a hex digit.
    static let nibbles: [UInt8] = (0..<256).map { c -> UInt8 in
        switch c {
        case 48...57: return UInt8(c - 48)
        case 97...102: return UInt8(c - 87)
        case 65...70: return UInt8(c - 55)
        default: return 0xFF
        }
    }

    /// Lower- or upper-case hex bytes to binary; nil for odd length or a non-hex character.
    static func hex(_ text: [UInt8]) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        let count = text.count / 2
        var valid = true
        let out = nibbles.withUnsafeBufferPointer { table in
            text.withUnsafeBufferPointer { t in
                [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                    for j in 0..<count {
                        let hi = table[Int(t[2 * j])], lo = table[Int(t[2 * j + 1])]
                        if hi | lo == 0xFF || hi > 15 || lo > 15 { valid = false }
                        buffer[j] = hi << 4 | (lo & 0x0F)
                    }
                    initialized = count
                }
            }
        }
        return valid ? out : nil
    }
}

/// Typed access to one object of a `ProofJSON` tree, with errors naming the file and field.
struct ProofJSONObject {
    let fields: [(key: String, value: ProofJSON.Node)]
    /// First occurrence of each key (files with 156 coins are looked up key by key).
    let index: [String: Int]
    let file: String?
    let path: String

    init(_ node: ProofJSON.Node, file: String?, path: String = "") throws {
        guard case .object(let f) = node else {
            throw InputError(file: file, "\(path.isEmpty ? "top level" : path) is not a JSON object")
        }
        fields = f
        var index = [String: Int]()
        for (i, field) in f.enumerated() where index[field.key] == nil { index[field.key] = i }
        self.index = index
        self.file = file
        self.path = path
    }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func value(_ key: String) throws -> ProofJSON.Node {
        guard let i = index[key] else { throw InputError(file: file, "missing field \(name(key))") }
        let v = fields[i].value
        if case .literal("null") = v { throw InputError(file: file, "missing field \(name(key))") }
        return v
    }

    func object(_ key: String) throws -> ProofJSONObject { try ProofJSONObject(try value(key), file: file, path: name(key)) }

    func string(_ key: String) throws -> String {
        guard case .string(let b) = try value(key) else { throw InputError(file: file, "field \(name(key)) is not a string") }
        return String(decoding: b, as: UTF8.self)
    }

    func strings(_ key: String) throws -> [String] {
        guard case .array(let items) = try value(key) else { throw InputError(file: file, "field \(name(key)) is not a list") }
        return try items.enumerated().map { i, item in
            guard case .string(let b) = item else { throw InputError(file: file, "\(name(key))[\(i)] is not a string") }
            return String(decoding: b, as: UTF8.self)
        }
    }

    func count(_ key: String) throws -> Int {
        guard case .number(let text) = try value(key), let v = Int(String(decoding: text, as: UTF8.self)), v >= 0, v < 1 << 40 else {
            throw InputError(file: file, "field \(name(key)) is not a whole number from 0 to 2^40")
        }
        return v
    }
}
