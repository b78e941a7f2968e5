#if canImport(Glibc)
import Glibc
#endif
@_exported import JSONReader
import Plonky2

/// Reading JSON input files safely: size caps before parsing, and typed accessors that turn a
/// wrong shape into an `InputError` naming the file and the field instead of a trap.
public enum JSONInput {
    /// Larger inputs are refused before parsing (OKX's largest JSON file, a STARK v1 batch proof,
    /// is under 1 MB; a v2 global proof is about 600 KB).
    public static let defaultMaximumSize = 64 << 20

    /// Reads a file with a size cap, as plain bytes, with three system calls (open, fstat, read)
    /// instead of Foundation's existence, attribute and contents round trips: the STARK v1 path
    /// reads dozens of small files per data set. Errors name the file.
    public static func readBytes(_ path: String, maximumSize: Int = defaultMaximumSize) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw InputError(file: path, "no such file") }
            throw InputError(file: path, "cannot be read (\(String(cString: strerror(code))))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw InputError(file: path, "cannot be read (\(String(cString: strerror(errno))))") }
        if info.st_mode & S_IFMT == S_IFDIR { throw InputError(file: path, "is a folder, not a file") }
        let size = Int(info.st_size)
        if size > maximumSize {
            throw InputError(file: path, "file is \(size) bytes, more than the \(maximumSize >> 20) MB porcheck accepts for this kind of file")
        }
        // The size is a hint (the file may change while read): read until end of file, within
        // the cap. Bytes go straight into the array's storage (no zero-fill first); only the
        // bytes read are counted as initialized.
        var readError: Int32 = 0
        var out = [UInt8]()
        var atEnd = false
        while !atEnd {
            let chunk = max(size + 1 - out.count, 64 << 10)
            guard out.count <= maximumSize else {
                throw InputError(file: path, "file is more than the \(maximumSize >> 20) MB porcheck accepts for this kind of file")
            }
            let piece = [UInt8](unsafeUninitializedCapacity: chunk) { buffer, count in
                count = 0
                guard let base = buffer.baseAddress else { return }
                while count < chunk {
                    let n = read(fd, base + count, chunk - count)
                    if n < 0 {
                        if errno == EINTR { continue }
                        readError = errno
                        return
                    }
                    if n == 0 { atEnd = true; return }
                    count += n
                }
            }
            if readError != 0 { throw InputError(file: path, "cannot be read (\(String(cString: strerror(readError))))") }
            if out.isEmpty { out = piece } else { out += piece }
        }
        guard out.count <= maximumSize else {
            throw InputError(file: path, "file is more than the \(maximumSize >> 20) MB porcheck accepts for this kind of file")
        }
        return out
    }

    /// Parses JSON bytes, mapping parser errors to a one-line message naming the file.
    public static func parse(_ bytes: [UInt8], file: String?) throws -> JSONValue {
        try bytes.withUnsafeBufferPointer { try parse(buffer: $0, file: file, interception: nil).value }
    }

    /// A parsed document and, when it is a zk-STARK v2 global proof of the usual shape, its FRI
    /// query rounds, read straight into the proof model while it was parsed (`QueryRoundReader`;
    /// `null` in the tree then). Errors are `parse`'s.
    public static func parseDocument(_ bytes: [UInt8], file: String?) throws -> (json: JSONValue, queryRounds: [FriQueryRound]?) {
        try bytes.withUnsafeBufferPointer { try parseDocument(buffer: $0, file: file) }
    }

    /// `parseDocument` on bytes in place (a caller's `Data`, without copying them into an array first).
    public static func parseDocument(buffer: UnsafeBufferPointer<UInt8>, file: String?) throws -> (json: JSONValue, queryRounds: [FriQueryRound]?) {
        let box = QueryRoundReader.Box()
        let parsed = try parse(buffer: buffer, file: file, interception: QueryRoundReader.interception(into: box))
        return (parsed.value, parsed.intercepted ? box.rounds : nil)
    }

    public static func parse(buffer data: UnsafeBufferPointer<UInt8>, file: String?, interception: JSONParser.Interception?) throws -> (value: JSONValue, intercepted: Bool) {
        guard !data.isEmpty else { throw InputError(file: file, "is empty") }
        do throws(JSONParseError) {
            return try JSONParser.parse(data, intercepting: interception)
        } catch {
            let first = data.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 && $0 != 0xEF && $0 != 0xBB && $0 != 0xBF }
            if let first, first != UInt8(ascii: "{") && first != UInt8(ascii: "[") {
                let text = TextTrimming.trimmingWhitespaceAndNewlines(String(decoding: data.prefix(64), as: UTF8.self))
                throw InputError(file: file, "is not JSON (it starts with \(String(text.prefix(20)).debugDescription))")
            }
            throw InputError(file: file, "is not valid JSON (\(error.truncated ? "truncated? " : "")\(error))")
        }
    }
}

/// Foundation's `trimmingCharacters(in:)` for its two common sets, without Foundation.
public enum TextTrimming {
    /// `CharacterSet.whitespacesAndNewlines`: the Unicode White_Space property, and (as
    /// CoreFoundation has it) the zero-width space.
    public static func trimmingWhitespaceAndNewlines(_ s: String) -> String {
        trimming(s) { $0.properties.isWhitespace || $0 == "\u{200B}" }
    }

    /// `CharacterSet.whitespaces`: space separators (Zs), tab and the zero-width space, not line breaks.
    public static func trimmingWhitespace(_ s: String) -> String {
        trimming(s) { $0 == "\t" || $0 == "\u{200B}" || $0.properties.generalCategory == .spaceSeparator }
    }

    static func trimming(_ s: String, _ drop: (Unicode.Scalar) -> Bool) -> String {
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !drop($0) }), let last = scalars.lastIndex(where: { !drop($0) }) else { return "" }
        return String(scalars[first...last])
    }
}

/// A typed view of one JSON object, for decoding OKX's files with precise error messages.
public struct JSONObject {
    public let fields: [(key: String, value: JSONValue)]
    public let file: String?
    /// Where this object sits in the file, e.g. `account` or `recursive_tree_siblings[1]`.
    public let path: String

    public init(_ value: JSONValue, file: String?, path: String = "") throws {
        guard case .object(let fields) = value else {
            throw InputError(file: file, "\(path.isEmpty ? "top level" : path) is not a JSON object")
        }
        self.fields = fields
        self.file = file
        self.path = path
    }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    public var keys: [String] { fields.map(\.key) }

    public func has(_ key: String) -> Bool {
        guard let v = fields.first(where: { $0.key == key })?.value else { return false }
        return v != .null
    }

    public func value(_ key: String) throws -> JSONValue {
        guard let v = fields.first(where: { $0.key == key })?.value, v != .null else {
            throw InputError(file: file, "missing field \(name(key))")
        }
        return v
    }

    public func object(_ key: String) throws -> JSONObject {
        try JSONObject(try value(key), file: file, path: name(key))
    }

    public func array(_ key: String) throws -> [JSONValue] {
        guard case .array(let a) = try value(key) else { throw InputError(file: file, "field \(name(key)) is not a list") }
        return a
    }

    public func string(_ key: String) throws -> String {
        guard case .string(let s) = try value(key) else { throw InputError(file: file, "field \(name(key)) is not a string") }
        return s
    }

    public func strings(_ key: String) throws -> [String] {
        let items = try array(key)
        var out = [String]()
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item else { throw InputError(file: file, "\(name(key))[\(i)] is not a string") }
            out.append(s)
        }
        return out
    }

    /// A non-negative JSON integer that fits in a UInt64 (no fractions, no exponents, no sign).
    public func uint64(_ key: String) throws -> UInt64 {
        try JSONObject.uint64(try value(key), file: file, what: name(key))
    }

    public static func uint64(_ value: JSONValue, file: String?, what: String) throws -> UInt64 {
        switch value {
        case .unsigned(let v): return v
        case .number(let text): throw InputError(file: file, "\(what) is \(text.prefix(40)), not a whole number from 0 to \(UInt64.max)")
        default: throw InputError(file: file, "\(what) is not a number")
        }
    }
}
