import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starting a child with posix_spawn, as porcheck's helpers (and the tests' nodes) need it: a
/// clean signal mask (a thread here may block signals, and children inherit the mask), default
/// handlers for the signals given, and a process group of its own (Ctrl-C at the terminal goes
/// to porcheck, which decides what its children do).
public enum Spawn {
    public enum FileAction: Sendable {
        /// The child's descriptor `as` is a copy of this process's `fd` (close-on-exec cleared).
        case duplicate(Int32, as: Int32)
        /// The child's descriptor `as` is this file, created or truncated, mode 0600.
        case write(String, as: Int32)
    }

    public struct Failure: Error, CustomStringConvertible {
        public var code: Int32
        public var description: String { String(cString: strerror(code)) }
    }

    /// Starts `argv` (`searchPath`: argv[0] is looked up on PATH); `environment` nil keeps this
    /// process's. Returns the child's pid.
    public static func start(_ argv: [String], _ actions: [FileAction], defaultSignals: [Int32],
                             environment: [String: String]? = nil, searchPath: Bool = false) throws(Failure) -> pid_t {
        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        for action in actions {
            switch action {
            case .duplicate(let fd, let target): posix_spawn_file_actions_adddup2(&fileActions, fd, target)
            case .write(let path, let target): posix_spawn_file_actions_addopen(&fileActions, target, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            }
        }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in defaultSignals { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setpgroup(&attr, 0)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer {
            cArgs.forEach { free($0) }
            cEnv?.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status: Int32
        if let cEnv {
            status = searchPath ? posix_spawnp(&pid, argv[0], &fileActions, &attr, cArgs, cEnv) : posix_spawn(&pid, argv[0], &fileActions, &attr, cArgs, cEnv)
        } else {
            status = searchPath ? posix_spawnp(&pid, argv[0], &fileActions, &attr, cArgs, environ) : posix_spawn(&pid, argv[0], &fileActions, &attr, cArgs, environ)
        }
        guard status == 0 else { throw Failure(code: status) }
        return pid
    }
}
