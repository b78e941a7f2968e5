import Foundation
import JSONReader

/// Finds porcheck's bundled `Resources/` folder (sample audit, token list, known circuits).
///
/// Looked for, in order: `$PORCHECK_RESOURCES`; `<prefix>/share/porcheck/Resources` next to an
/// installed binary (`<prefix>/bin/porcheck`); a `Resources` folder in a parent of the binary's
/// folder (a build inside the source tree); the current directory's `Resources`.
public struct ResourceLocator: Sendable {
    public let root: URL?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                executable: URL? = ResourceLocator.currentExecutable()) {
        root = ResourceLocator.find(environment: environment, executable: executable)
    }

    public init(root: URL?) { self.root = root }

    public static func currentExecutable() -> URL? {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        return Bundle.main.executableURL
    }

    static func find(environment: [String: String], executable: URL?) -> URL? {
        let fm = FileManager.default
        func isResources(_ url: URL) -> Bool { fm.fileExists(atPath: url.appendingPathComponent("demo").path) }
        if let explicit = environment["PORCHECK_RESOURCES"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit)
        }
        if let exe = executable?.resolvingSymlinksInPath() {
            let binDir = exe.deletingLastPathComponent()
            let installed = binDir.deletingLastPathComponent().appendingPathComponent("share/porcheck/Resources")
            if isResources(installed) { return installed }
            var dir = binDir
            for _ in 0..<6 {
                let candidate = dir.appendingPathComponent("Resources")
                if isResources(candidate) { return candidate }
                dir = dir.deletingLastPathComponent()
            }
        }
        let cwd = URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent("Resources")
        return isResources(cwd) ? cwd : nil
    }

    public func url(_ relative: String) -> URL? { root?.appendingPathComponent(relative) }

    public var demoFolder: URL? { url("demo") }

    /// OKX's default token list (a JSON list of strings), read with porcheck's own parser.
    public func okxDefaultTokens() -> [String]? {
        guard let url = url("tokens/okx-default.json"), let data = try? Data(contentsOf: url),
              case .array(let items)? = try? JSONParser.parse(Array(data)) else { return nil }
        var list = [String]()
        for item in items {
            guard case .string(let name) = item else { return nil }
            list.append(name)
        }
        return list
    }
}
