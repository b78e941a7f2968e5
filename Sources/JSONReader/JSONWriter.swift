extension JSONValue {
    /// Compact JSON text (keys in the order given, strings escaped per RFC 8259).
    public var text: String {
        var out = [UInt8]()
        out.reserveCapacity(256)
        write(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Compact JSON text as Foundation's `JSONSerialization` writes it with `.sortedKeys` and
    /// `.withoutEscapingSlashes` (porcheck's `verify --json` before it had its own writer, and
    /// the contract since): every object's keys sorted, `\b` and `\f` escaped by name. The keys
    /// are sorted by code point, which is Foundation's order for lowercase ASCII names with
    /// underscores (it compares case-insensitively, digits as numbers).
    public var serializationText: String {
        var out = [UInt8]()
        out.reserveCapacity(1024)
        write(into: &out, serializationStyle: true)
        return String(decoding: out, as: UTF8.self)
    }

    public func write(into out: inout [UInt8]) { write(into: &out, serializationStyle: false) }

    func write(into out: inout [UInt8], serializationStyle sorted: Bool) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .unsigned(let v): out.append(contentsOf: String(v).utf8)
        case .number(let t): out.append(contentsOf: t.utf8)
        case .string(let s): JSONValue.writeString(s, into: &out, namedControlEscapes: sorted)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.write(into: &out, serializationStyle: sorted)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            for (i, field) in (sorted ? fields.sorted { $0.key < $1.key } : fields).enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.writeString(field.key, into: &out, namedControlEscapes: sorted)
                out.append(UInt8(ascii: ":"))
                field.value.write(into: &out, serializationStyle: sorted)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func writeString(_ s: String, into out: inout [UInt8], namedControlEscapes: Bool = false) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for c in s.utf8 {
            switch c {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08 where namedControlEscapes: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C where namedControlEscapes: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0..<0x20:
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 0xF)]])
            default: out.append(c)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
