#if canImport(Glibc)
import Glibc
#endif
import LiabilitiesCore

/// Finds porcheck's bundled `Resources/` folder (sample audit, token list, known circuits).
///
/// Looked for, in order: `$PORCHECK_RESOURCES`; `<prefix>/share/porcheck/Resources` next to an
/// installed binary (`<prefix>/bin/porcheck`); a `Resources` folder in a parent of the binary's
/// folder (a build inside the source tree); the current directory's `Resources`. Paths are
/// plain strings, read with system calls: the lean `porcheck` front has no Foundation.
public struct ResourceLocator: Sendable {
    public let root: String?

    /// Looks the folder up from the environment and the running executable.
    public init() {
        root = ResourceLocator.find(explicit: getenv("PORCHECK_RESOURCES").map { String(cString: $0) },
                                    executable: ResourceLocator.currentExecutablePath())
    }

    public init(root: String?) { self.root = root }

    /// The running executable, symbolic links resolved (`/proc/self/exe`).
    public static func currentExecutablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The folder holding `path` (`URL.deletingLastPathComponent` for an absolute file path).
    public static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func find(explicit: String?, executable: String?) -> String? {
        func isResources(_ path: String) -> Bool { access(path + "/demo", F_OK) == 0 }
        if let explicit, !explicit.isEmpty { return explicit }
        if let exe = executable {
            let binDir = folder(of: exe)
            let installed = folder(of: binDir) + "/share/porcheck/Resources"
            if isResources(installed) { return installed }
            var dir = binDir
            for _ in 0..<6 {
                let candidate = (dir == "/" ? "" : dir) + "/Resources"
                if isResources(candidate) { return candidate }
                dir = folder(of: dir)
            }
        }
        guard let cwd = PathText.currentDirectory().map({ $0 + "/Resources" }) else { return nil }
        return isResources(cwd) ? cwd : nil
    }

    public func path(_ relative: String) -> String? { root.map { $0 + "/" + relative } }

    public var demoFolder: String? { path("demo") }

    /// OKX's default token list (a JSON list of strings), read with porcheck's own parser.
    public func okxDefaultTokens() -> [String]? {
        guard let file = path("tokens/okx-default.json"), let bytes = try? JSONInput.readBytes(file),
              case .array(let items)? = try? JSONParser.parse(bytes) else { return nil }
        var list = [String]()
        for item in items {
            guard case .string(let name) = item else { return nil }
            list.append(name)
        }
        return list
    }
}
