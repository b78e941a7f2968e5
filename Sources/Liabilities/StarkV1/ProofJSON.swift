import Foundation
import Hashing

/// A small JSON reader for STARK v1 proof files (hundreds of KB of hex strings). It makes one
/// pass over the bytes and records one flat token per value, pointing into the file's own bytes:
/// no object per string, no tree of boxes to build and free. Hex is decoded where it is used,
/// straight from the file bytes; numbers stay text. Depth and size are bounded.
enum ProofJSON {
    enum Kind: UInt8 { case object, array, string, number, literal }

    struct Token {
        var kind: Kind
        /// Scalars: offset of the first content byte (strings: after the opening quote, with
        /// escapes resolved in place). Containers: offset of the bracket.
        var start: Int32
        /// Scalars: content length in bytes. Containers: number of elements (objects: members).
        var count: Int32
        /// Index of the first token after this value and everything inside it.
        var next: Int32
    }

    static let maximumDepth = 64

    /// A parsed file. Objects are laid out as the object token, then per member its key (a
    /// string token) followed by the value's tokens.
    struct Document {
        let bytes: [UInt8]
        let tokens: [Token]
        let file: String?

        var root: Int { 0 }

        @inline(__always) func kind(_ t: Int) -> Kind { tokens[t].kind }
        @inline(__always) func count(_ t: Int) -> Int { Int(tokens[t].count) }

        /// The element tokens of an array.
        func elements(_ t: Int) -> Elements { Elements(tokens: tokens, first: t + 1, count: count(t)) }

        /// The members of an object as (key token, value token).
        func members(_ t: Int) -> Members { Members(tokens: tokens, first: t + 1, count: count(t)) }

        /// The value token of the first member named `key` (objects only).
        func field(_ object: Int, _ key: String) -> Int? {
            guard kind(object) == .object else { return nil }
            var key = key
            return key.withUTF8 { k in
                for (keyToken, value) in members(object) where equals(keyToken, k) { return value }
                return nil
            }
        }

        func equals(_ t: Int, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
            let tok = tokens[t]
            guard tok.kind == .string, Int(tok.count) == text.count else { return false }
            return bytes.withUnsafeBufferPointer { b in
                guard let base = b.baseAddress, let k = text.baseAddress else { return text.isEmpty }
                return memcmp(base + Int(tok.start), k, text.count) == 0
            }
        }

        /// A scalar's content bytes (strings unescaped, numbers as written).
        func text(_ t: Int) -> ArraySlice<UInt8> {
            let tok = tokens[t]
            return bytes[Int(tok.start)..<Int(tok.start + tok.count)]
        }

        func string(_ t: Int) -> String? {
            guard kind(t) == .string else { return nil }
            return String(decoding: text(t), as: UTF8.self)
        }

        func isLiteral(_ t: Int, _ word: String) -> Bool {
            kind(t) == .literal && text(t).elementsEqual(word.utf8)
        }

        /// A string of exactly 64 hex digits as 32 bytes; nil for anything else.
        func hex32(_ t: Int) -> Bytes32? {
            let tok = tokens[t]
            guard tok.kind == .string, tok.count == 64 else { return nil }
            return bytes.withUnsafeBufferPointer { b in
                guard let base = b.baseAddress else { return nil }
                return ProofJSON.hex32(base + Int(tok.start))
            }
        }

        /// A list of Merkle branches whose entries are all 64-digit hex strings (or "" after the
        /// leaf, an omitted sibling), decoded in one pass over the tokens and bytes; nil for
        /// anything else, which the caller then reads item by item to name what is wrong.
        /// Both arrays are borrowed once for the whole list instead of once per item.
        func branches(_ t: Int) -> [StarkV1SumProof.Branch]? {
            tokens.withUnsafeBufferPointer { tk -> [StarkV1SumProof.Branch]? in
                bytes.withUnsafeBufferPointer { by -> [StarkV1SumProof.Branch]? in
                    guard let base = by.baseAddress, t < tk.count, tk[t].kind == .array else { return nil }
                    var out = [StarkV1SumProof.Branch]()
                    out.reserveCapacity(Int(tk[t].count))
                    var b = t + 1
                    for _ in 0..<Int(tk[t].count) {
                        guard b < tk.count else { return nil }
                        let list = tk[b]
                        guard list.kind == .array, list.count > 0, list.count <= 40 else { return nil }
                        var nodes = [Bytes32]()
                        nodes.reserveCapacity(Int(list.count))
                        var present: UInt64 = 0
                        var item = b + 1
                        for j in 0..<Int(list.count) {
                            guard item < tk.count else { return nil }
                            let token = tk[item]
                            guard token.kind == .string else { return nil }
                            if token.count == 64, let v = ProofJSON.hex32(base + Int(token.start)) {
                                nodes.append(v)
                                present |= 1 << UInt64(j)
                            } else if token.count == 0, j > 0 {
                                nodes.append(.zero)
                            } else {
                                return nil
                            }
                            item = Int(token.next)
                        }
                        out.append(StarkV1SumProof.Branch(nodes: nodes, present: present))
                        b = Int(list.next)
                    }
                    return out
                }
            }
        }

        /// The byte length a hex string decodes to; nil when the token is not a string of hex length.
        func hexLength(_ t: Int) -> Int? {
            let tok = tokens[t]
            guard tok.kind == .string, tok.count % 2 == 0 else { return nil }
            return Int(tok.count) / 2
        }

        /// A hex string decoded; nil when it is not a string of hex digits.
        func hexBytes(_ t: Int) -> [UInt8]? {
            let tok = tokens[t]
            guard tok.kind == .string else { return nil }
            return ProofJSON.hex(text(t))
        }

        /// Appends a hex string's bytes to `out`; false (nothing appended) when it is not hex.
        func appendHex(_ t: Int, to out: inout [UInt8]) -> Bool {
            let tok = tokens[t]
            guard tok.kind == .string, tok.count % 2 == 0 else { return false }
            let n = Int(tok.count) / 2
            let old = out.count
            out.append(contentsOf: repeatElement(0, count: n))
            let ok = bytes.withUnsafeBufferPointer { b -> Bool in
                out.withUnsafeMutableBufferPointer { o -> Bool in
                    guard let src = b.baseAddress, let dst = o.baseAddress else { return n == 0 }
                    return ProofJSON.decodeHex(src + Int(tok.start), count: n, into: dst + old)
                }
            }
            if !ok { out.removeLast(n) }
            return ok
        }
    }

    struct Elements: Sequence, IteratorProtocol {
        let tokens: [Token]
        var index: Int
        var remaining: Int
        init(tokens: [Token], first: Int, count: Int) { self.tokens = tokens; index = first; remaining = count }
        mutating func next() -> Int? {
            guard remaining > 0 else { return nil }
            remaining -= 1
            let t = index
            index = Int(tokens[t].next)
            return t
        }
        var underestimatedCount: Int { remaining }
    }

    struct Members: Sequence, IteratorProtocol {
        let tokens: [Token]
        var index: Int
        var remaining: Int
        init(tokens: [Token], first: Int, count: Int) { self.tokens = tokens; index = first; remaining = count }
        mutating func next() -> (key: Int, value: Int)? {
            guard remaining > 0 else { return nil }
            remaining -= 1
            let k = index, v = Int(tokens[k].next)
            index = Int(tokens[v].next)
            return (k, v)
        }
    }

    static func parse(_ data: Data, file: String?) throws -> Document {
        try parse(bytes: [UInt8](data), file: file)
    }

    /// `bytes` is consumed: escaped strings are rewritten in place, and taking the caller's
    /// buffer (a file just read) avoids copying a file of hundreds of KB.
    static func parse(bytes: consuming [UInt8], file: String?) throws -> Document {
        guard !bytes.isEmpty else { throw InputError(file: file, "is empty") }
        guard bytes.count < Int(Int32.max) else { throw InputError(file: file, "is too large") }
        var tokens = [Token]()
        // Proof files are mostly 64-hex-digit strings: about one token per 70 bytes.
        tokens.reserveCapacity(bytes.count / 48 + 16)
        try bytes.withUnsafeMutableBufferPointer { buffer in
            var reader = Reader(bytes: buffer, file: file)
            reader.skipSpace()
            try reader.value(depth: 0, into: &tokens)
            reader.skipSpace()
            guard reader.i == buffer.count else { throw reader.error("trailing data after the JSON value") }
        }
        return Document(bytes: bytes, tokens: tokens, file: file)
    }

    struct Reader {
        let bytes: UnsafeMutableBufferPointer<UInt8>
        let file: String?
        var i = 0

        init(bytes: UnsafeMutableBufferPointer<UInt8>, file: String?) {
            self.bytes = bytes
            self.file = file
        }

        func error(_ what: String) -> InputError {
            InputError(file: file, "is not valid JSON (truncated or malformed: \(what) at byte \(i))")
        }

        @inline(__always) func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }

        mutating func skipSpace() {
            while i < bytes.count, isSpace(bytes[i]) { i += 1 }
        }

        mutating func value(depth: Int, into tokens: inout [Token]) throws {
            guard depth < ProofJSON.maximumDepth else { throw error("nesting deeper than \(ProofJSON.maximumDepth)") }
            guard i < bytes.count else { throw error("unexpected end") }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                let me = tokens.count
                tokens.append(Token(kind: .object, start: Int32(i), count: 0, next: 0))
                i += 1
                var members: Int32 = 0
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
                    i += 1
                } else {
                    while true {
                        skipSpace()
                        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a key") }
                        try string(into: &tokens)
                        skipSpace()
                        guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':'") }
                        i += 1
                        skipSpace()
                        try value(depth: depth + 1, into: &tokens)
                        members += 1
                        skipSpace()
                        guard i < bytes.count else { throw error("unexpected end") }
                        if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                        if bytes[i] == UInt8(ascii: "}") { i += 1; break }
                        throw error("expected ',' or '}'")
                    }
                }
                tokens[me].count = members
                tokens[me].next = Int32(tokens.count)
            case UInt8(ascii: "["):
                let me = tokens.count
                tokens.append(Token(kind: .array, start: Int32(i), count: 0, next: 0))
                i += 1
                var items: Int32 = 0
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
                    i += 1
                } else {
                    while true {
                        skipSpace()
                        try value(depth: depth + 1, into: &tokens)
                        items += 1
                        skipSpace()
                        guard i < bytes.count else { throw error("unexpected end") }
                        if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                        if bytes[i] == UInt8(ascii: "]") { i += 1; break }
                        throw error("expected ',' or ']'")
                    }
                }
                tokens[me].count = items
                tokens[me].next = Int32(tokens.count)
            case UInt8(ascii: "\""):
                try string(into: &tokens)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = i
                while i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: ".")
                        || bytes[i] | 0x20 == UInt8(ascii: "e") || (bytes[i] >= 48 && bytes[i] <= 57) { i += 1 }
                tokens.append(Token(kind: .number, start: Int32(start), count: Int32(i - start), next: Int32(tokens.count + 1)))
            default:
                for word in ["true", "false", "null"] {
                    let w = Array(word.utf8)
                    if i + w.count <= bytes.count, bytes[i..<(i + w.count)].elementsEqual(w) {
                        tokens.append(Token(kind: .literal, start: Int32(i), count: Int32(w.count), next: Int32(tokens.count + 1)))
                        i += w.count
                        return
                    }
                }
                throw error("unexpected character")
            }
        }

        /// Skips string bytes that are neither a quote nor a backslash, eight at a time (the files
        /// are mostly long hex strings). A byte of a word equals c when (w ^ c·0x01…01) has a zero
        /// byte there; the lowest flagged byte of the usual zero-byte test is always a true match,
        /// so the first stop is found exactly. Sixteen bytes a step while they last (one branch
        /// for two words: when the first word has no stop, the second's lowest flag is a true
        /// one), then eight; the byte loop after this finishes the last bytes.
        @inline(__always) mutating func skipPlainStringBytes() {
            guard let base = bytes.baseAddress else { return }
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            let quotes = ones &* UInt64(UInt8(ascii: "\"")), backslashes = ones &* UInt64(UInt8(ascii: "\\"))
            @inline(__always) func stops(_ offset: Int) -> UInt64 {
                let w = UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self))
                let q = w ^ quotes, b = w ^ backslashes
                return ((q &- ones) & ~q & highs) | ((b &- ones) & ~b & highs)
            }
            let scanned = i + 80
            while i + 16 <= bytes.count {
                let first = stops(i), second = stops(i + 8)
                if first | second != 0 {
                    i += first != 0 ? first.trailingZeroBitCount / 8 : 8 + second.trailingZeroBitCount / 8
                    return
                }
                i += 16
                // A string longer than 64 bytes and its quote (the entries' hex, 10–13 KB each
                // with 156 coins; the other strings are 64 hex digits): the rest is left to
                // memchr, which glibc runs with the widest vector instructions the CPU has:
                // the closing quote, then a backslash before it.
                if i >= scanned {
                    let rest = bytes.count - i
                    guard let quote = memchr(base + i, Int32(UInt8(ascii: "\"")), rest) else { break }
                    let end = UnsafeMutablePointer<UInt8>(OpaquePointer(quote)) - base
                    if let backslash = memchr(base + i, Int32(UInt8(ascii: "\\")), end - i) {
                        i = UnsafeMutablePointer<UInt8>(OpaquePointer(backslash)) - base
                    } else {
                        i = end
                    }
                    return
                }
            }
            while i + 8 <= bytes.count {
                let hits = stops(i)
                if hits != 0 {
                    i += hits.trailingZeroBitCount / 8
                    return
                }
                i += 8
            }
        }

        /// A string token; escapes other than \" \\ \/ are refused (OKX's files have none). An
        /// escaped string is rewritten in place (it only gets shorter), so tokens stay ranges.
        mutating func string(into tokens: inout [Token]) throws {
            i += 1
            let start = i
            skipPlainStringBytes()
            while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\") { i += 1 }
            guard i < bytes.count else { throw error("unterminated string") }
            if bytes[i] == UInt8(ascii: "\"") {
                tokens.append(Token(kind: .string, start: Int32(start), count: Int32(i - start), next: Int32(tokens.count + 1)))
                i += 1
                return
            }
            var out = i
            while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
                if bytes[i] == UInt8(ascii: "\\") {
                    i += 1
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "\\") || bytes[i] == UInt8(ascii: "/") else {
                        throw error("unsupported string escape")
                    }
                }
                bytes[out] = bytes[i]
                out += 1
                i += 1
            }
            guard i < bytes.count else { throw error("unterminated string") }
            tokens.append(Token(kind: .string, start: Int32(start), count: Int32(out - start), next: Int32(tokens.count + 1)))
            i += 1
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

    /// Decodes 2·count hex digits at `src` into `dst`; false when one is not a hex digit. With
    /// AVX2, CAccel's kernel (64 digits a step) for strings of 64 bytes and more; otherwise, and
    /// with `accelerated: false` (tests compare both), the table below.
    static func decodeHex(_ src: UnsafePointer<UInt8>, count: Int, into dst: UnsafeMutablePointer<UInt8>,
                          accelerated: Bool = true) -> Bool {
        if accelerated, count >= 32, Hex.hasAcceleratedDecoder { return Hex.decodeAccelerated(src, count: count, into: dst) }
        return nibbles.withUnsafeBufferPointer { table in
            var bad: UInt8 = 0
            for j in 0..<count {
                let hi = table[Int(src[2 * j])], lo = table[Int(src[2 * j + 1])]
                // A non-digit maps to 0xFF, whose high bits survive the OR.
                bad |= hi | lo
                dst[j] = hi << 4 | (lo & 0x0F)
            }
            return bad & 0xF0 == 0
        }
    }

    /// 64 hex digits at `src` as 32 bytes; nil when one is not a hex digit. With AVX2, CAccel's
    /// decoder; otherwise, and with `accelerated: false` (tests compare both), the table.
    static func hex32(_ src: UnsafePointer<UInt8>, accelerated: Bool = true) -> Bytes32? {
        if accelerated, Hex.hasAcceleratedDecoder { return Hex.decode32Accelerated(src) }
        return nibbles.withUnsafeBufferPointer { table -> Bytes32? in
            var bad: UInt8 = 0
            @inline(__always) func word(_ k: Int) -> UInt64 {
                var w: UInt64 = 0
                for j in 0..<8 {
                    let hi = table[Int(src[16 * k + 2 * j])], lo = table[Int(src[16 * k + 2 * j + 1])]
                    bad |= hi | lo
                    w |= UInt64(hi << 4 | (lo & 0x0F)) << UInt64(8 * j)
                }
                return w
            }
            let v = Bytes32(words: word(0), word(1), word(2), word(3))
            return bad & 0xF0 == 0 ? v : nil
        }
    }

    /// Lower- or upper-case hex bytes to binary; nil for odd length or a non-hex character.
    static func hex<Text: Collection>(_ text: Text) -> [UInt8]? where Text.Element == UInt8 {
        guard text.count % 2 == 0 else { return nil }
        let count = text.count / 2
        let decoded = text.withContiguousStorageIfAvailable { t -> [UInt8]? in
            guard let src = t.baseAddress else { return [] }
            var valid = true
            let out = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                if let dst = buffer.baseAddress { valid = decodeHex(src, count: count, into: dst) }
                initialized = count
            }
            return valid ? out : nil
        }
        if let decoded { return decoded }
        return hex(Array(text))
    }
}

/// Typed access to one object of a `ProofJSON.Document`, with errors naming the file and field.
struct ProofJSONObject {
    let document: ProofJSON.Document
    let token: Int
    /// First occurrence of each key, for objects large enough that scanning per lookup would
    /// cost more (files with 156 coins are looked up key by key).
    let index: [String: Int]?
    var file: String? { document.file }
    let path: String

    init(_ document: ProofJSON.Document, token: Int, path: String = "") throws {
        guard document.kind(token) == .object else {
            throw InputError(file: document.file, "\(path.isEmpty ? "top level" : path) is not a JSON object")
        }
        self.document = document
        self.token = token
        self.path = path
        if document.count(token) > 16 {
            var index = [String: Int]()
            index.reserveCapacity(document.count(token))
            for (k, v) in document.members(token) {
                let key = String(decoding: document.text(k), as: UTF8.self)
                if index[key] == nil { index[key] = v }
            }
            self.index = index
        } else {
            index = nil
        }
    }

    init(_ document: ProofJSON.Document) throws { try self.init(document, token: document.root) }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The value token, or nil when the key is absent.
    func lookup(_ key: String) -> Int? {
        if let index { return index[key] }
        return document.field(token, key)
    }

    func value(_ key: String) throws -> Int {
        guard let v = lookup(key), !document.isLiteral(v, "null") else { throw InputError(file: file, "missing field \(name(key))") }
        return v
    }

    func object(_ key: String) throws -> ProofJSONObject { try ProofJSONObject(document, token: try value(key), path: name(key)) }

    func string(_ key: String) throws -> String {
        guard let s = document.string(try value(key)) else { throw InputError(file: file, "field \(name(key)) is not a string") }
        return s
    }

    func strings(_ key: String) throws -> [String] {
        let list = try value(key)
        guard document.kind(list) == .array else { throw InputError(file: file, "field \(name(key)) is not a list") }
        var out = [String]()
        out.reserveCapacity(document.count(list))
        for (i, item) in document.elements(list).enumerated() {
            guard let s = document.string(item) else { throw InputError(file: file, "\(name(key))[\(i)] is not a string") }
            out.append(s)
        }
        return out
    }

    func count(_ key: String) throws -> Int {
        let v = try value(key)
        guard document.kind(v) == .number, let n = Int(String(decoding: document.text(v), as: UTF8.self)), n >= 0, n < 1 << 40 else {
            throw InputError(file: file, "field \(name(key)) is not a whole number from 0 to 2^40")
        }
        return n
    }
}
