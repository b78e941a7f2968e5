/// Collects a pasted JSON document line by line until its brackets balance outside strings.
///
/// A paste may arrive as one line (bracketed paste) or many (typed, or a terminal without
/// bracketed paste); either way it is complete when every `{`/`[` opened outside a string has been
/// closed. Strings and escapes are tracked so brackets inside account ids or messages do not count.
public struct JSONPaste: Sendable {
    public enum State: Equatable, Sendable {
        case complete
        /// Still waiting: this many brackets are open.
        case incomplete(open: Int)
        case invalid(String)
    }

    /// The largest paste accepted (an inclusion proof is ~10 KB; a v2 global proof ~600 KB).
    public static let maximumBytes = 16 << 20

    public private(set) var bytes: [UInt8] = []
    var stack: [UInt8] = []
    var inString = false
    var escaped = false
    var started = false
    var finished = false

    public init() {}

    /// Whether a line looks like the start of a JSON paste.
    public static func startsJSON(_ line: String) -> Bool {
        guard let first = line.utf8.first(where: { $0 != 0x20 && $0 != 0x09 }) else { return false }
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
    }

    public mutating func feed(_ line: String) -> State {
        if bytes.count + line.utf8.count > JSONPaste.maximumBytes {
            return .invalid("the paste is larger than \(JSONPaste.maximumBytes >> 20) MB; save it as a file and give its path instead")
        }
        if !bytes.isEmpty { bytes.append(0x0A) }
        for c in line.utf8 {
            bytes.append(c)
            if finished {
                if c != 0x20 && c != 0x09 && c != 0x0D { return .invalid("unexpected text after the end of the JSON document") }
                continue
            }
            if inString {
                if escaped { escaped = false } else if c == UInt8(ascii: "\\") { escaped = true } else if c == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch c {
            case UInt8(ascii: "\""):
                guard started else { return .invalid("a JSON proof starts with { or [") }
                inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                started = true
                stack.append(c)
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                let opener: UInt8 = c == UInt8(ascii: "}") ? UInt8(ascii: "{") : UInt8(ascii: "[")
                guard stack.last == opener else { return .invalid("brackets do not match (a \(Character(Unicode.Scalar(c))) closes nothing open)") }
                stack.removeLast()
                if stack.isEmpty { finished = true }
            case 0x20, 0x09, 0x0D:
                break
            default:
                guard started else { return .invalid("a JSON proof starts with { or [") }
            }
        }
        if finished { return .complete }
        return .incomplete(open: stack.count + (inString ? 1 : 0))
    }
}
