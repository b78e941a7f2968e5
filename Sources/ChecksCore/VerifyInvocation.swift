import Hashing

/// What a `verify` command line asks for.
public struct VerifyInvocation: Equatable, Sendable {
    public var dataDir: String?
    public var json = false
    public var noRecord = false
    public var trustCircuit: [String] = []
    public var paths: [String] = []

    public init(dataDir: String? = nil, json: Bool = false, noRecord: Bool = false, trustCircuit: [String] = [], paths: [String] = []) {
        self.dataDir = dataDir
        self.json = json
        self.noRecord = noRecord
        self.trustCircuit = trustCircuit
        self.paths = paths
    }

    /// Reads the plain forms of a `verify` command line without ArgumentParser, whose reflection
    /// costs about 1 ms at every start (a tenth of a verification), and which the lean `porcheck`
    /// front does not link:
    /// `[--data-dir DIR] verify (--json | --no-record | --trust-circuit SHA | --data-dir DIR | PATH)…`
    /// with at least one path. Anything else (help, `--option=value`, a value or path that starts
    /// with `-` or is a command's name, a repeated flag or directory, no path) gives `nil`, and
    /// ArgumentParser reads the line as before; these forms mean the same to both.
    public init?(arguments: [String]) {
        func plain(_ s: String) -> Bool {
            !s.isEmpty && !s.hasPrefix("-") && !VerifyInvocation.commandNames.contains(s)
        }
        var i = 0
        if arguments.count >= 2, arguments[0] == "--data-dir" {
            guard plain(arguments[1]) else { return nil }
            dataDir = arguments[1]
            i = 2
        }
        guard i < arguments.count, arguments[i] == "verify" else { return nil }
        i += 1
        while i < arguments.count {
            let a = arguments[i]
            switch a {
            case "--json":
                guard !json else { return nil }
                json = true
            case "--no-record":
                guard !noRecord else { return nil }
                noRecord = true
            case "--trust-circuit", "--data-dir":
                guard i + 1 < arguments.count, plain(arguments[i + 1]) else { return nil }
                i += 1
                if a == "--trust-circuit" {
                    trustCircuit.append(arguments[i])
                } else {
                    guard dataDir == nil else { return nil }
                    dataDir = arguments[i]
                }
            default:
                guard plain(a) else { return nil }
                paths.append(a)
            }
            i += 1
        }
        guard !paths.isEmpty else { return nil }
    }

    /// The first `--trust-circuit` value that is not a SHA-256 in hex (64 hex digits), if any.
    public var malformedTrustedCircuit: String? {
        trustCircuit.first { $0.count != 64 || Hex.decode($0) == nil }
    }

    /// Words ArgumentParser may read as a command rather than a value. Spelled out, because
    /// asking ArgumentParser builds every command's configuration; the full porcheck checks, in
    /// debug builds (the tests), that the list covers its commands.
    public static let commandNames: Set<String> = ["verify", "wallets", "balances", "reserves", "history", "rerun", "diff", "report", "forget", "demo", "bench", "help"]
}
