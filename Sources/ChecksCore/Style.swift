#if canImport(Glibc)
import Glibc
#endif

/// Terminal styling: colour only when writing to a terminal and `NO_COLOR` is not set.
public struct Style: Sendable {
    public var color: Bool

    public init(color: Bool) { self.color = color }

    /// Colour for standard output, decided the usual way (TTY and no `NO_COLOR`, `TERM` not dumb).
    public static func forStandardOutput() -> Style {
        func variable(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
        let noColor = variable("NO_COLOR").map { !$0.isEmpty } ?? false
        let dumb = variable("TERM") == "dumb"
        return Style(color: isatty(STDOUT_FILENO) == 1 && !noColor && !dumb)
    }

    func wrap(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    public func green(_ t: String) -> String { wrap(t, "32") }
    public func red(_ t: String) -> String { wrap(t, "31") }
    public func yellow(_ t: String) -> String { wrap(t, "33") }
    public func bold(_ t: String) -> String { wrap(t, "1") }
    public func dim(_ t: String) -> String { wrap(t, "2") }
}
