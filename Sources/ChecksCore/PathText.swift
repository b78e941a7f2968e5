#if canImport(Glibc)
import Glibc
#endif

/// The few path and text operations the reports need, as Foundation does them, without Foundation
/// (the lean `porcheck` front renders reports too).
public enum PathText {
    /// `URL(fileURLWithPath: path).lastPathComponent`: the last component, trailing slashes
    /// ignored ("/" for the root).
    public static func lastComponent(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        if trimmed == "/" { return "/" }
        guard let slash = trimmed.lastIndex(of: "/") else { return String(trimmed) }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// The current directory (`getcwd`, as `FileManager.currentDirectoryPath`).
    public static func currentDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        return String(cString: buffer)
    }

    /// `text.padding(toLength: length, withPad: " ", startingAt: 0)`: padded with spaces, or cut,
    /// to `length` UTF-16 code units (Foundation counts them, not characters).
    public static func padded(_ text: String, toLength length: Int) -> String {
        let units = Array(text.utf16)
        if units.count >= length { return String(decoding: units.prefix(length), as: UTF16.self) }
        return text + String(repeating: " ", count: length - units.count)
    }
}
