import ArgumentParser
import Checks
import Foundation
import History

struct RerunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerun",
        abstract: "Re-verify a past check from the files the store kept, with today's verifier.",
        discussion: "--last-month picks the most recent check started at least 28 days ago.")

    @OptionGroup var common: CommonOptions
    @Flag(name: .customLong("last-month"), help: "Re-run the most recent check started at least 28 days ago.") var lastMonth = false
    @Flag(help: "Print JSON (the re-run's checks, like verify --json, plus rerun_of and changed).") var json = false
    @Argument(help: "The check's id.") var id: Int64?

    mutating func run() throws {
        let context = try common.context()
        let target: Int64
        if lastMonth {
            guard id == nil else { throw ValidationError("give an id or --last-month, not both") }
            guard let check = try Rerun.lastMonthCheck(in: context.store), let found = check.id else {
                throw ValidationError("no check in the history is 28 days old or older")
            }
            target = found
        } else {
            guard let id else { throw ValidationError("give a check id (see porcheck history) or --last-month") }
            target = id
        }
        let result = try Rerun(runner: context.runner).run(id: target)
        if json {
            var top = (try? JSONSerialization.jsonObject(with: Data(Report.json(result.outcome).utf8))) as? [String: Any] ?? [:]
            top["rerun_of"] = target
            top["changed"] = result.change != nil
            top["previous_verdict"] = result.original.verdict
            print(Report.jsonString(top))
        } else {
            print("Re-running check #\(target) from \(HistoryView.isoString(result.original.startedAt)) with today's verifier.\n")
            print(Report.text(result.outcome, style: Style.forStandardOutput()))
            if let change = result.change {
                print("\nThe verdict CHANGED: it was \(change.from), it is now \(change.to).")
            } else {
                print("\nThe verdict is unchanged: \(result.original.verdict).")
            }
        }
        throw ExitCode(result.outcome.exitCode)
    }
}

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What changed between two checks (default: the two latest of the same kind).")

    @OptionGroup var common: CommonOptions
    @Argument(help: "Two check ids, older first.") var ids: [Int64] = []

    mutating func run() throws {
        let context = try common.context()
        let pair: (older: Int64, newer: Int64)
        switch ids.count {
        case 0:
            guard let p = try HistoryDiff.defaultPair(in: context.store) else {
                throw ValidationError("the history has no two checks of the same kind yet")
            }
            pair = p
        case 2: pair = (ids[0], ids[1])
        default: throw ValidationError("give two check ids, or none for the two latest of the same kind")
        }
        guard let a = try context.store.detail(id: pair.older) else { throw ValidationError("no check #\(pair.older)") }
        guard let b = try context.store.detail(id: pair.newer) else { throw ValidationError("no check #\(pair.newer)") }
        let trend = try HistoryDiff.trend(in: context.store, account: b.accounts.first?.accountPrefix)
        print(HistoryDiff.text(older: a, newer: b, trend: trend, style: Style.forStandardOutput(), store: context.store))
    }
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained report of past checks.")

    @OptionGroup var common: CommonOptions
    @Option(help: "markdown, html or json.") var format = "markdown"
    @Flag(help: "Leave out account ids and balances.") var redact = false
    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?
    @Argument(help: "Check ids.") var ids: [Int64] = []

    mutating func run() throws {
        guard let f = ReportExport.Format(rawValue: format) else { throw ValidationError("--format is markdown, html or json") }
        guard !ids.isEmpty else { throw ValidationError("give at least one check id (see porcheck history)") }
        let store = try common.context().store
        var details = [Store.CheckDetail]()
        for id in ids {
            guard let d = try store.detail(id: id) else { throw ValidationError("no check #\(id) in the history") }
            details.append(d)
        }
        let text = ReportExport.render(details, format: f, redact: redact)
        if let output {
            try Store.writeAtomically(Data((text + "\n").utf8), to: URL(fileURLWithPath: output))
            print("Wrote \(output)")
        } else {
            print(text)
        }
    }
}

struct ForgetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Delete a check (or everything) from the history, with the files it kept.")

    @OptionGroup var common: CommonOptions
    @Flag(help: "Delete every check, every kept file and every saved audit folder.") var all = false
    @Flag(help: "Do not ask for confirmation.") var yes = false
    @Argument(help: "The check's id.") var id: Int64?

    mutating func run() throws {
        let store = try common.context().store
        guard all != (id != nil) else { throw ValidationError("give a check id or --all") }
        let what = all ? "every check, kept file and saved proof in \(store.directory.path)" : "check #\(id ?? 0) and the files only it kept"
        if !yes {
            guard isatty(STDIN_FILENO) == 1 else { throw ValidationError("refusing to delete without --yes when not on a terminal") }
            print("Delete \(what)? Type yes to confirm: ", terminator: "")
            fflush(nil)
            guard readLine()?.trimmingCharacters(in: .whitespaces).lowercased() == "yes" else {
                print("Nothing deleted.")
                return
            }
        }
        if all {
            try store.deleteEverything()
            print("Deleted \(what).")
        } else if let id {
            guard try store.delete(id: id) else { throw ValidationError("no check #\(id) in the history") }
            print("Deleted check #\(id).")
        }
    }
}
