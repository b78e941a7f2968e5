/// A parsed JSON document, kept close to the text: numbers stay exact (a whole number that fits
/// in 64 bits is decoded, anything else keeps its literal text), and objects keep their key order.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A non-negative whole number below 2^64 (the common case in proof files).
    case unsigned(UInt64)
    /// Any other number, as written: negative, fractional, exponent, or too large for 64 bits.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.unsigned(x), .unsigned(y)): return x == y
        case let (.number(x), .number(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// The value of `key` in an object (the first, if the key repeats); `nil` otherwise.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let fields) = self else { return nil }
        return fields.first { $0.key == key }?.value
    }

    /// A short name of the value's type, for error messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .unsigned, .number: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }

    /// The literal text of a number (whole or not).
    public var numberText: String? {
        switch self {
        case .unsigned(let v): return String(v)
        case .number(let t): return t
        default: return nil
        }
    }
}
