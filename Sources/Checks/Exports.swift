import Foundation

// Outcomes, reports and the zk-STARK v2 check live in ChecksCore (no Foundation, for the lean
// `porcheck` front); every user of Checks sees them as before.
@_exported import ChecksCore

extension Report {
    /// Any JSON object (the history's and the export's reports) as `JSONSerialization` writes it:
    /// sorted keys, slashes as they are.
    public static func jsonString(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}

extension ResourceLocator {
    /// The running executable (`/proc/self/exe`).
    public static func currentExecutable() -> URL? { currentExecutablePath().map { URL(fileURLWithPath: $0) } }
}
