/// Why a document is not valid JSON, with where it went wrong.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// 1-based line and column of the offending byte.
    public var line: Int
    public var column: Int
    /// True when the text simply stopped early (a truncated file or paste).
    public var truncated: Bool

    public var description: String {
        truncated ? "truncated: \(message)" : "\(message) at line \(line), column \(column)"
    }
}

/// A strict RFC 8259 JSON parser over UTF-8 bytes, written for proof files: fast on long arrays
/// of numbers, exact on numbers of any size, bounded in nesting depth so hostile input cannot
/// exhaust the stack.
public struct JSONParser {
    public static let maximumDepth = 256

    /// Parses a whole document; anything but white space after the value is an error.
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        var result: Result<JSONValue, JSONParseError> = .failure(JSONParseError(message: "empty", line: 1, column: 1, truncated: true))
        bytes.withUnsafeBufferPointer { buffer in result = Result { () throws(JSONParseError) -> JSONValue in try parse(buffer) } }
        return try result.get()
    }

    /// Parses a whole document in memory the caller owns (no copy of the bytes).
    public static func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue {
        try parse(buffer, intercepting: nil).value
    }

    /// One member of a document that the caller reads straight into its own types, without a
    /// tree: the value of the key `path.last` reached from the top-level object through the
    /// keys of `path` (the first occurrence of each, as `JSONValue`'s subscript finds them),
    /// and only once the top-level object has shown the key `after`. `read` starts at the value
    /// and either consumes all of it and returns true, or returns false, and the value is then
    /// parsed as usual from where it starts (so its errors are the parser's own). A value read
    /// this way is `.null` in the tree.
    public struct Interception {
        public var path: [String]
        public var after: String
        public var read: (inout JSONScanner) -> Bool

        public init(path: [String], after: String, read: @escaping (inout JSONScanner) -> Bool) {
            self.path = path
            self.after = after
            self.read = read
        }
    }

    /// Parses a whole document, letting `interception` read one member; `intercepted` says
    /// whether it did (the document is otherwise parsed, and checked, exactly as by `parse`).
    public static func parse(_ buffer: UnsafeBufferPointer<UInt8>, intercepting interception: Interception?) throws(JSONParseError)
        -> (value: JSONValue, intercepted: Bool) {
        var parser = Cursor(buffer)
        if let interception, !interception.path.isEmpty, interception.path.count <= 32 { parser.interception = interception }
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.atEnd else { throw parser.error("unexpected text after the JSON value") }
        return (value, parser.intercepted)
    }

    struct Cursor: ~Copyable {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0
        /// Elements of the lists and objects being read, innermost last: each list is built once
        /// at its exact size when it closes, instead of growing by repeated reallocation.
        var items = ScratchStack<JSONValue>()
        var members = ScratchStack<(key: String, value: JSONValue)>()

        init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        // The interception, if any: the object at depth `onPath + 1` is the one the path runs
        // through; bit m of `entered` is set once the path's m-th key has been entered (later
        // occurrences of that key are parsed as usual).
        var interception: Interception?
        var onPath = 0
        var entered: UInt32 = 0
        var sawAfterKey = false
        var intercepted = false

        /// The value of the member `key` of an object at `depth`.
        @inline(__always)
        mutating func member(_ key: String, depth: Int) throws(JSONParseError) -> JSONValue {
            // Only objects on the path (a handful) pay for the look at the key.
            guard depth == onPath + 1, interception != nil else { return try value(depth: depth) }
            return try memberOnPath(key, depth: depth)
        }

        mutating func memberOnPath(_ key: String, depth: Int) throws(JSONParseError) -> JSONValue {
            guard let interception else { return try value(depth: depth) }
            if depth == 1, key == interception.after { sawAfterKey = true }
            let m = onPath
            guard sawAfterKey, m < interception.path.count, entered & (1 << m) == 0, key == interception.path[m] else {
                return try value(depth: depth)
            }
            entered |= 1 << m
            if m == interception.path.count - 1 {
                var scanner = JSONScanner(bytes: bytes, index: i)
                if interception.read(&scanner), scanner.index > i, scanner.index <= bytes.count {
                    i = scanner.index
                    intercepted = true
                    return .null
                }
                return try value(depth: depth)
            }
            onPath += 1
            defer { onPath -= 1 }
            return try value(depth: depth)
        }

        var atEnd: Bool { i >= bytes.count }

        func error(_ message: String, truncated: Bool = false) -> JSONParseError {
            var line = 1, column = 1
            var k = 0
            let end = min(i, bytes.count)
            while k < end {
                if bytes[k] == 0x0A { line += 1; column = 1 } else { column += 1 }
                k += 1
            }
            return JSONParseError(message: message, line: line, column: column, truncated: truncated || i >= bytes.count)
        }

        @inline(__always)
        mutating func skipSpace() {
            while i < bytes.count {
                let c = bytes[i]
                if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 } else { return }
            }
        }

        mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
            guard i < bytes.count else { throw error("the document ends where a value should be", truncated: true) }
            switch bytes[i] {
            case UInt8(ascii: "{"): return try object(depth: depth + 1)
            case UInt8(ascii: "["): return try array(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw error("unexpected character \(Cursor.show(bytes[i]))")
            }
        }

        static func show(_ c: UInt8) -> String {
            c >= 0x20 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(String(c, radix: 16))"
        }

        mutating func literal(_ word: StaticString) throws(JSONParseError) {
            let n = word.utf8CodeUnitCount
            guard i + n <= bytes.count else { throw error("the document ends inside \(word)", truncated: true) }
            for k in 0..<n where bytes[i + k] != word.utf8Start[k] {
                throw error("unexpected character \(Cursor.show(bytes[i + k]))")
            }
            i += n
        }

        mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
            guard depth <= JSONParser.maximumDepth else { throw error("nested more than \(JSONParser.maximumDepth) levels deep") }
            i += 1
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array([]) }
            let start = items.count
            while true {
                skipSpace()
                items.push(try value(depth: depth))
                skipSpace()
                guard i < bytes.count else { throw error("the document ends inside a list", truncated: true) }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items.pop(from: start)) }
                throw error("expected ',' or ']' in a list, found \(Cursor.show(bytes[i]))")
            }
        }

        mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
            guard depth <= JSONParser.maximumDepth else { throw error("nested more than \(JSONParser.maximumDepth) levels deep") }
            i += 1
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object([]) }
            let start = members.count
            while true {
                skipSpace()
                guard i < bytes.count else { throw error("the document ends inside an object", truncated: true) }
                guard bytes[i] == UInt8(ascii: "\"") else { throw error("expected a quoted key, found \(Cursor.show(bytes[i]))") }
                let key = try string()
                skipSpace()
                guard i < bytes.count else { throw error("the document ends inside an object", truncated: true) }
                guard bytes[i] == UInt8(ascii: ":") else { throw error("expected ':' after a key, found \(Cursor.show(bytes[i]))") }
                i += 1
                skipSpace()
                let member = try member(key, depth: depth)
                members.push((key, member))
                skipSpace()
                guard i < bytes.count else { throw error("the document ends inside an object", truncated: true) }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members.pop(from: start)) }
                throw error("expected ',' or '}' in an object, found \(Cursor.show(bytes[i]))")
            }
        }

        mutating func number() throws(JSONParseError) -> JSONValue {
            let start = i
            var negative = false
            if bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
            guard i < bytes.count else { throw error("the document ends inside a number", truncated: true) }
            guard bytes[i] >= 0x30 && bytes[i] <= 0x39 else { throw error("a number needs digits") }
            var value: UInt64 = 0
            var overflow = false
            if bytes[i] == 0x30 {
                i += 1
                if i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 { throw error("numbers must not have leading zeros") }
            } else {
                // Up to 19 digits cannot overflow 64 bits; only longer numbers are checked. Field
                // elements have 19–20 digits: the first 16 are read eight at a time.
                var digits = 0
                while digits < 16, i + 8 <= bytes.count, let base = bytes.baseAddress {
                    let chunk = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                    guard Cursor.areEightDigits(chunk) else { break }
                    value = value &* 100_000_000 &+ Cursor.valueOfEightDigits(chunk)
                    digits += 8
                    i += 8
                }
                while i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 {
                    let d = UInt64(bytes[i] &- 0x30)
                    if digits < 19 {
                        value = value &* 10 &+ d
                    } else {
                        let (m, o1) = value.multipliedReportingOverflow(by: 10)
                        let (a, o2) = m.addingReportingOverflow(d)
                        overflow = overflow || o1 || o2
                        value = a
                    }
                    digits += 1
                    i += 1
                }
            }
            var plain = !negative && !overflow
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                plain = false
                i += 1
                guard i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 else { throw error("a fraction needs digits", truncated: i >= bytes.count) }
                while i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 { i += 1 }
            }
            if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
                plain = false
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                guard i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 else { throw error("an exponent needs digits", truncated: i >= bytes.count) }
                while i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 { i += 1 }
            }
            if plain { return .unsigned(value) }
            return .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
        }

        /// Whether all eight bytes (first digit in the low byte) are ASCII digits: the high nibble
        /// is 3 and adding 6 to the byte does not leave 0x30…0x3F (no carry crosses bytes).
        @inline(__always)
        static func areEightDigits(_ x: UInt64) -> Bool {
            let high: UInt64 = 0xF0F0_F0F0_F0F0_F0F0, threes: UInt64 = 0x3030_3030_3030_3030
            return x & high == threes && (x &+ 0x0606_0606_0606_0606) & high == threes
        }

        /// The value of eight ASCII digits, combined pairwise: bytes into 2-digit, then 4-digit,
        /// then 8-digit numbers (each step's lanes stay below their width, so nothing carries over).
        @inline(__always)
        static func valueOfEightDigits(_ x: UInt64) -> UInt64 {
            var v = x &- 0x3030_3030_3030_3030
            v = (v &* 10 &+ (v >> 8)) & 0x00FF_00FF_00FF_00FF
            v = (v &* 100 &+ (v >> 16)) & 0x0000_FFFF_0000_FFFF
            return (v &* 10_000 &+ (v >> 32)) & 0xFFFF_FFFF
        }

        mutating func string() throws(JSONParseError) -> String {
            i += 1
            let start = i
            // Fast path: no escapes.
            while i < bytes.count {
                let c = bytes[i]
                if c == UInt8(ascii: "\"") {
                    let s = try validUTF8(start, i)
                    i += 1
                    return s
                }
                if c == UInt8(ascii: "\\") { break }
                if c < 0x20 { throw error("a control character inside a string") }
                i += 1
            }
            var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<i]))
            while i < bytes.count {
                let c = bytes[i]
                if c == UInt8(ascii: "\"") {
                    i += 1
                    guard let s = String(validating: out, as: UTF8.self) else { throw error("a string is not valid UTF-8") }
                    return s
                }
                if c < 0x20 { throw error("a control character inside a string") }
                if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
                i += 1
                guard i < bytes.count else { break }
                switch bytes[i] {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if scalar >= 0xD800 && scalar < 0xDC00 {
                        guard i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "\\"), bytes[i + 2] == UInt8(ascii: "u") else {
                            throw error("a lone UTF-16 surrogate in a string")
                        }
                        i += 2
                        let low = try hex4()
                        guard low >= 0xDC00 && low < 0xE000 else { throw error("a lone UTF-16 surrogate in a string") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw error("an invalid \\u escape") }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default:
                    throw error("an invalid escape \\\(Cursor.show(bytes[i]))")
                }
                i += 1
            }
            throw error("the document ends inside a string", truncated: true)
        }

        /// Reads the 4 hex digits after `\u` (leaves `i` on the last one).
        mutating func hex4() throws(JSONParseError) -> UInt32 {
            guard i + 4 < bytes.count else { throw error("the document ends inside a string", truncated: true) }
            var v: UInt32 = 0
            for _ in 0..<4 {
                i += 1
                let c = bytes[i]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: throw error("an invalid \\u escape")
                }
                v = v << 4 | d
            }
            return v
        }

        func validUTF8(_ start: Int, _ end: Int) throws(JSONParseError) -> String {
            let slice = UnsafeBufferPointer(rebasing: bytes[start..<end])
            // ASCII is the norm in proof files; validate only when a high byte is present.
            if !slice.contains(where: { $0 >= 0x80 }) { return String(decoding: slice, as: UTF8.self) }
            guard let s = String(validating: slice, as: UTF8.self) else { throw error("a string is not valid UTF-8") }
            return s
        }
    }
}

/// A stack of values in manually managed memory, for building the parser's lists: elements are
/// moved in and moved out into an exactly sized array, with no reference counting on the way.
/// Not copyable, so the memory has exactly one owner; what is left (after an error) is destroyed
/// with it.
struct ScratchStack<Element>: ~Copyable {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 256) {
        self.capacity = max(1, capacity)
        base = UnsafeMutablePointer<Element>.allocate(capacity: self.capacity)
    }

    @inline(__always)
    mutating func push(_ element: Element) {
        if count == capacity { grow() }
        (base + count).initialize(to: element)
        count += 1
    }

    mutating func grow() {
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }

    /// Moves the elements above `start` into a new array and drops them from the stack.
    mutating func pop(from start: Int) -> [Element] {
        let n = count - start
        guard n > 0 else { return [] }
        let source = base + start
        let out = [Element](unsafeUninitializedCapacity: n) { buffer, initialized in
            guard let destination = buffer.baseAddress else { return }
            destination.moveInitialize(from: source, count: n)
            initialized = n
        }
        count = start
        return out
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }
}
