import Foundation
import History
import Liabilities

/// Re-running an old check from the files the store kept, with today's verifier.
public struct Rerun: Sendable {
    public let runner: CheckRunner

    public init(runner: CheckRunner) { self.runner = runner }

    public struct Result: Sendable {
        public var original: CheckRecord
        public var outcome: Outcome
        /// `nil` when the verdict is the same as the original's.
        public var change: (from: String, to: String)?
    }

    /// How old a check must be for `--last-month`: at least 28 days, i.e. the same day of the
    /// previous month or earlier for every month length (OKX publishes about monthly).
    public static let lastMonthAge: TimeInterval = 28 * 86_400

    /// The most recent check started at least `lastMonthAge` before `now`.
    public static func lastMonthCheck(in store: Store, now: Date = Date()) throws -> CheckRecord? {
        try store.checks(Store.Filter(until: now.addingTimeInterval(-lastMonthAge), limit: 1)).first
    }

    /// Re-verifies check `id`. Throws an `InputError` when the check does not exist, kept no
    /// files, or a kept file is missing or no longer matches its hash.
    public func run(id: Int64) throws -> Result {
        guard let detail = try runner.store.detail(id: id) else { throw InputError("no check #\(id) in the history") }
        guard detail.check.kind != "balances", detail.check.kind != "reserves" else {
            throw InputError("check #\(id) is a \(detail.check.kind) check: it asked your nodes, so run porcheck \(detail.check.kind) again (its answers stay in the history)")
        }
        guard !detail.files.isEmpty else { throw InputError("check #\(id) kept no files, so it cannot be re-run") }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("porcheck-rerun-\(getpid())-\(UUID().uuidString)")
        try Store.makePrivateDirectory(scratch)
        defer { try? FileManager.default.removeItem(at: scratch) }
        // Lay the files out again under their recorded names (relative paths keep a zk-STARK v1
        // data set's folder tree); a name used twice gets a folder of its own.
        var paths = [String]()
        var labels = [String: String]()
        var used = Set<String>()
        var folderLabels = [String: String]()
        for (i, file) in detail.files.enumerated() {
            let name = file.name.split(separator: "/").filter { $0 != ".." && $0 != "." }.joined(separator: "/")
            guard !name.isEmpty else { throw InputError(file: file.originalPath, "the kept file has no usable name") }
            let root = used.contains(name) ? scratch.appendingPathComponent("copy-\(i)") : scratch.appendingPathComponent("set")
            used.insert(name)
            let url = root.appendingPathComponent(name)
            try Store.makePrivateDirectory(url.deletingLastPathComponent())
            do { try runner.store.copyKept(sha256: file.sha256, to: url) } catch {
                throw InputError(file: file.originalPath, "cannot re-run check #\(id): \(error)")
            }
            labels[url.path] = file.originalPath
            let first = String(name.split(separator: "/")[0])
            let top = root.appendingPathComponent(first).path
            if !paths.contains(top) { paths.append(top) }
            if name.contains("/"), file.originalPath.hasSuffix("/" + name) {
                folderLabels[top] = String(file.originalPath.dropLast(name.count)) + first
            }
        }
        let started = Date()
        var outcome = try runner.verify(paths: paths, origin: "rerun", record: false)
        outcome.relabel(labels)
        if !folderLabels.isEmpty {
            outcome.relabel(prefixes: folderLabels)
            outcome.relabel(folderLabels)
        }
        outcome.historyID = try runner.record(outcome, origin: "rerun", started: started, rerunOf: id)
        let now = outcome.overall.rawValue
        return Result(original: detail.check, outcome: outcome,
                      change: now == detail.check.verdict ? nil : (detail.check.verdict, now))
    }
}

extension Outcome {
    /// Replaces the folder prefixes of file paths (e.g. a zip's scratch folder by the zip's path).
    mutating func relabel(prefixes: [String: String]) {
        func map(_ path: String) -> String {
            for (prefix, label) in prefixes where path.hasPrefix(prefix + "/") {
                return label + path.dropFirst(prefix.count)
            }
            return path
        }
        var exact = [String: String]()
        for path in verdicts.map(\.file) + accounts.map(\.file) + files.map(\.path) + committedRoots.keys { exact[path] = map(path) }
        relabel(exact)
    }

    /// Replaces file paths (e.g. a re-run's scratch copies) by the names the user knows.
    mutating func relabel(_ labels: [String: String]) {
        for i in verdicts.indices { verdicts[i].file = labels[verdicts[i].file] ?? verdicts[i].file }
        for i in accounts.indices { accounts[i].file = labels[accounts[i].file] ?? accounts[i].file }
        for i in files.indices { files[i].path = labels[files[i].path] ?? files[i].path }
        var roots = [String: (root: String, round: String)]()
        for (path, value) in committedRoots { roots[labels[path] ?? path] = value }
        committedRoots = roots
    }
}
