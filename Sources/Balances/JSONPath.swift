import JSONReader

/// The JSONPath subset OKX's `rpc.json` uses to find a balance in a node's answer:
/// `$.a.b[0].c` (object keys and array indices, no wildcards or filters).
public struct JSONPath: Sendable, Equatable, CustomStringConvertible {
    public enum Step: Sendable, Equatable { case key(String), index(Int) }
    public let steps: [Step]
    public let description: String

    public init(_ text: String) throws {
        description = text
        var chars = Array(text)
        guard chars.first == "$" else { throw NodeConfig.ConfigError(message: "JSONPath \(text) must start with $") }
        chars.removeFirst()
        var steps = [Step]()
        var i = 0
        while i < chars.count {
            switch chars[i] {
            case ".":
                var j = i + 1
                while j < chars.count, chars[j] != ".", chars[j] != "[" { j += 1 }
                guard j > i + 1 else { throw NodeConfig.ConfigError(message: "JSONPath \(text) has an empty key") }
                steps.append(.key(String(chars[(i + 1)..<j])))
                i = j
            case "[":
                guard let close = chars[i...].firstIndex(of: "]"), let n = Int(String(chars[(i + 1)..<close])), n >= 0 else {
                    throw NodeConfig.ConfigError(message: "JSONPath \(text): only [index] steps are supported")
                }
                steps.append(.index(n))
                i = close + 1
            default:
                throw NodeConfig.ConfigError(message: "JSONPath \(text): unexpected '\(chars[i])'")
            }
        }
        self.steps = steps
    }

    /// The value at the path, or nil when any step is missing.
    public func evaluate(_ value: JSONValue) -> JSONValue? {
        var current = value
        for step in steps {
            switch step {
            case .key(let k):
                guard let next = current[k] else { return nil }
                current = next
            case .index(let n):
                guard case .array(let items) = current, n < items.count else { return nil }
                current = items[n]
            }
        }
        return current
    }
}
