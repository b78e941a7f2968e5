import Balances
import Checks
import Foundation
import History
import Hashing
import Liabilities

/// The guided wizard `porcheck` starts with no arguments: a short menu, and a paste-and-check
/// flow that turns what the user copied from the exchange into a verified verdict.
public final class WizardSession {
    let runner: CheckRunner
    let style: Style
    let reader: LineReader
    var store: Store { runner.store }
    /// The history page the wizard showed last ("more" shows the next one).
    var historyPage = 0
    static let historyPageSize = 20

    public init(runner: CheckRunner, style: Style, reader: LineReader? = nil) {
        self.runner = runner
        self.style = style
        if let reader {
            self.reader = reader
        } else if isatty(STDIN_FILENO) == 1 {
            self.reader = ReadlineLineReader(historyFile: runner.store.directory.appendingPathComponent("wizard_history").path)
        } else {
            self.reader = PlainLineReader()
        }
    }

    static let menu = """
        What would you like to do?
          1) check my inclusion proof   (paste the JSON from OKX's audit page)
          2) check files or a folder    (sum_proof_data.json, *_inclusion_proof.json)
          3) history                    (past checks; "show N", "more")
          4) demo                       (check the sample audit bundled with porcheck)
          5) re-run a past check        ("rerun N", or last month's check)
          6) what changed               ("diff", or "diff N M")
          7) export a report            ("report N [markdown|html|json] [redact]")
          8) check OKX's wallet list    (a CSV, its zip, or an https:// URL)
          9) check balances             (the list's amounts on your own nodes at the snapshot height)
          q) quit                       ("forget N" / "forget all" delete history)
        You can also paste your proof JSON straight here. Tab completes commands and paths,
        help shows this menu, Ctrl-C cancels a step, Ctrl-D leaves.
        """

    /// The words the main prompt understands (for Tab completion).
    public static let commands = ["check", "verify", "history", "show", "more", "demo", "rerun", "diff", "report",
                                  "wallets", "balances", "reserves", "forget", "help", "quit"]

    public func run() {
        say(style.bold("porcheck — check OKX's Proof of Reserves on your own machine"))
        if let last = try? store.checks(Store.Filter(limit: 1)).first {
            say("Last check: #\(last.id ?? 0) \(HistoryView.isoString(last.startedAt)) \(last.kind) \(last.round.map { "round \($0) " } ?? "")— \(last.verdict)")
            say(style.dim(nextStep(after: last)))
        } else {
            say(style.dim("No checks yet: paste your inclusion proof, or try the demo (4)."))
        }
        say(WizardSession.menu)
        while true {
            switch reader.read(prompt: "porcheck> ", commands: WizardSession.commands) {
            case .endOfInput:
                say("Bye.")
                return
            case .interrupted:
                say("(Ctrl-D or q leaves)")
            case .line(let line):
                if handleCommand(line) == .quit {
                    say("Bye.")
                    return
                }
            }
        }
    }

    /// The most useful thing to do next, given the last check.
    func nextStep(after last: CheckRecord) -> String {
        let age = Date().timeIntervalSince(last.startedAt)
        if last.verdict == "failed" {
            return "It failed: \"show \(last.id ?? 0)\" says which check and why; \"rerun \(last.id ?? 0)\" checks it again."
        }
        if age >= Rerun.lastMonthAge {
            return "It is over four weeks old: OKX publishes monthly — paste this month's proof, or \"rerun\" to re-check last month's."
        }
        if last.verdict == "not-verified" {
            return "Some constraints were not verified by porcheck: \"show \(last.id ?? 0)\" lists them."
        }
        return "Next: \"diff\" shows what changed since the check before; \"report \(last.id ?? 0)\" exports it."
    }

    enum Next { case stay, quit }

    func handleCommand(_ line: String) -> Next {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .stay }
        if JSONPaste.startsJSON(trimmed) {
            pasteFlow(firstLine: line)
            return .stay
        }
        reader.remember(trimmed)
        let words = trimmed.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        switch words[0].lowercased() {
        case "1", "check", "paste":
            say("Paste the proof data you copied from OKX's audit page (it ends when the JSON's brackets close):")
            pasteFlow(firstLine: nil)
        case "2", "verify", "files":
            verifyFlow(arguments: Array(words.dropFirst()))
        case "3", "history":
            historyFlow(arguments: Array(words.dropFirst()))
        case "show", "more", "n":
            historyFlow(arguments: words)
        case "4", "demo":
            demoFlow()
        case "5", "rerun":
            rerunFlow(arguments: Array(words.dropFirst()))
        case "6", "diff":
            diffFlow(arguments: Array(words.dropFirst()))
        case "7", "report":
            reportFlow(arguments: Array(words.dropFirst()))
        case "8", "wallets":
            walletsFlow(arguments: Array(words.dropFirst()))
        case "9", "balances":
            balancesFlow(arguments: Array(words.dropFirst()))
        case "reserves":
            reservesFlow(arguments: Array(words.dropFirst()))
        case "forget":
            forgetFlow(arguments: Array(words.dropFirst()))
        case "help", "?", "h", "menu":
            say(WizardSession.menu)
        case "q", "quit", "exit", "bye":
            return .quit
        default:
            say(style.yellow("\"\(trimmed.prefix(40))\" is neither a menu choice nor JSON. Type help for the menu."))
        }
        return .stay
    }

    // MARK: pasting a proof

    func pasteFlow(firstLine: String?) {
        var paste = JSONPaste()
        var pending = firstLine
        var blankLines = 0
        while true {
            let line: String
            if let p = pending {
                line = p
                pending = nil
            } else {
                switch reader.read(prompt: paste.bytes.isEmpty ? "paste> " : "...> ") {
                case .endOfInput, .interrupted:
                    say("Paste cancelled; nothing was saved.")
                    return
                case .line(let l): line = l
                }
            }
            if paste.bytes.isEmpty, ["help", "?"].contains(line.trimmingCharacters(in: .whitespaces).lowercased()) {
                say("Paste the JSON you copied with \"Copy data\" on OKX's audit page (Assets → Audits → Details). It ends by itself when its brackets close. Ctrl-C cancels.")
                continue
            }
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                if paste.bytes.isEmpty { continue }
                blankLines += 1
                if blankLines >= 2 {
                    say(style.red("The paste is incomplete (truncated?): its brackets never closed. Nothing was saved."))
                    return
                }
                say("The JSON is not complete yet (brackets still open). Paste the rest, or press Enter again to cancel.")
                continue
            }
            blankLines = 0
            switch paste.feed(line) {
            case .incomplete: continue
            case .invalid(let why):
                say(style.red("That is not a proof porcheck can read: \(why). Nothing was saved."))
                return
            case .complete:
                handlePasted(Data(paste.bytes))
                return
            }
        }
    }

    func handlePasted(_ data: Data) {
        do {
            switch try FormatSniffer.sniff(data: data, file: "the paste") {
            case .v2InclusionProof:
                try checkPastedInclusionProof(data)
            case .v2SumProof:
                try checkPastedSumProof(data)
            case .legacy(let kind):
                try checkPastedLegacyProof(data, kind: kind)
            }
        } catch let error as InputError {
            say(style.red("✗ \(error). Nothing was saved."))
        } catch {
            say(style.red("✗ \(error)"))
        }
    }

    func checkPastedInclusionProof(_ data: Data) throws {
        let proof = try ZkStarkV2InclusionProof.parse(data, file: "the paste")
        say("Recognised: a zk-STARK v2 inclusion proof for account \(proof.accountID.prefix(8))… (\(proof.equity.count) tokens).")
        let root = ZkStarkV2InclusionVerifier.impliedRoot(of: proof)
        let known = try root.flatMap { try store.knownRoot($0.hex) }
        let folder = AuditFolders.folder(in: store, round: known?.round, root: root)
        let name = AuditFolders.inclusionFileName(accountID: proof.accountID, round: known?.round)
        let proofURL = folder.appendingPathComponent(name)
        try Store.makePrivateDirectory(folder)
        try Store.writeAtomically(data, to: proofURL)
        say("Saved your proof as \(proofURL.path)")

        let sumURL = folder.appendingPathComponent("sum_proof_data.json")
        if let known {
            say("The exchange-wide proof for round \(known.round) is already in porcheck's store; using it.")
            if !FileManager.default.fileExists(atPath: sumURL.path) {
                try Store.writeAtomically(try store.keptData(sha256: known.sumProofSHA256), to: sumURL)
            }
        } else if FileManager.default.fileExists(atPath: sumURL.path) {
            say("Using \(sumURL.path).")
        } else {
            guard let sumData = askForSumProof() else {
                say("Check cancelled. Your proof stays saved; give the exchange-wide file later with: porcheck verify \(folder.path)")
                return
            }
            try Store.writeAtomically(sumData, to: sumURL)
        }
        try runAndShow(paths: [sumURL.path, proofURL.path])
    }

    func checkPastedSumProof(_ data: Data) throws {
        let header = try ZkStarkV2SumProofHeader.parse(data, file: "the paste")
        let folder = AuditFolders.folder(in: store, round: String(header.roundNumber), root: header.root)
        try Store.makePrivateDirectory(folder)
        let url = folder.appendingPathComponent("sum_proof_data.json")
        try Store.writeAtomically(data, to: url)
        say("Recognised the exchange-wide proof of round \(header.roundNumber); saved as \(url.path)")
        try runAndShow(paths: [url.path])
    }

    /// An earlier generation's proof: saved under a name OKX's tools recognise, then checked
    /// (a Merkle v2 user file also needs the full liabilities tree, which porcheck asks for).
    func checkPastedLegacyProof(_ data: Data, kind: LegacyFormat.Kind) throws {
        let folder = store.auditsDirectory.appendingPathComponent("\(kind.format.rawValue)-\(Hex.encode(SHA256.hash(data)).prefix(12))")
        let name: String
        switch kind {
        case .merkleV1Proof: name = "merkle_proof_file.json"
        case .merkleV2UserInfo: name = "user_info_file.json"
        case .starkV1InclusionProof: name = "pasted_inclusion_proof.json"
        default:
            say(style.yellow("This is part of an exchange-wide \(kind.format.rawValue) file; give its folder with \"verify PATH\" instead. Nothing was saved."))
            return
        }
        say("Recognised: a \(kind.format.rawValue) proof.")
        try Store.makePrivateDirectory(folder)
        let url = folder.appendingPathComponent(name)
        try Store.writeAtomically(data, to: url)
        say("Saved your proof as \(url.path)")
        var paths = [url.path]
        if kind == .merkleV2UserInfo {
            say("Now the full liabilities tree file of that audit (OKX's Merkle tree v2 download).")
            guard case .line(let raw) = reader.read(prompt: "Path to the tree file (Tab completes): ") else {
                say("Check cancelled. Your proof stays saved.")
                return
            }
            let tree = AuditFolders.expandPath(raw)
            guard !tree.isEmpty else { return say("No tree file given; check cancelled. Your proof stays saved.") }
            paths.append(tree)
        } else if kind == .starkV1InclusionProof {
            say(style.dim("Checked on its own, as OKX's validator does; \"verify FOLDER\" with the round's sum_proof_data/ folder also ties it to the exchange-wide proof."))
        }
        try runAndShow(paths: paths)
    }

    /// Asks for `sum_proof_data.json` (or the zip it came in) until a usable one is given.
    func askForSumProof() -> Data? {
        say("Now the exchange-wide proof: download the zk-STARK file from OKX's \"Liability report\" tab.")
        while true {
            switch reader.read(prompt: "Path to sum_proof_data.json or its .zip (Tab completes): ") {
            case .endOfInput, .interrupted:
                return nil
            case .line(let raw):
                let path = AuditFolders.expandPath(raw)
                if path.isEmpty { continue }
                if path.lowercased() == "help" || path == "?" {
                    say("""
                        Give the path of sum_proof_data.json, the exchange-wide proof of this round, or of the zip \
                        OKX ships it in (Proof of Reserves page → Liability report → zk-STARK file). Tab completes \
                        file names; a quoted path (as a terminal pastes a dragged file) is fine. Ctrl-C stops; your \
                        pasted proof stays saved.
                        """)
                    continue
                }
                do {
                    let data: Data
                    if ZipInput.isZip(path: path) {
                        data = try ZipInput.extract(named: "sum_proof_data.json", from: path)
                    } else {
                        data = try JSONInput.readFile(path)
                    }
                    guard try FormatSniffer.sniff(data: data, file: path) == .v2SumProof else {
                        say(style.yellow("\(path) is not a zk-STARK v2 sum_proof_data.json. Try again, or Ctrl-C to stop."))
                        continue
                    }
                    return data
                } catch let error as InputError {
                    say(style.yellow("\(error). Try again, or Ctrl-C to stop."))
                } catch {
                    say(style.yellow("\(path): \(error). Try again, or Ctrl-C to stop."))
                }
            }
        }
    }

    // MARK: other steps

    func verifyFlow(arguments: [String]) {
        var paths = arguments.map(AuditFolders.expandPath)
        if paths.isEmpty {
            switch reader.read(prompt: "File or folder to check (Tab completes): ") {
            case .endOfInput, .interrupted: return
            case .line(let l):
                paths = l.split(separator: " ").map { AuditFolders.expandPath(String($0)) }
            }
        }
        guard !paths.isEmpty else { return }
        do { try runAndShow(paths: paths) } catch { say(style.red("✗ \(error)")) }
    }

    func demoFlow() {
        guard let folder = runner.resources.demoFolder else {
            say(style.red("The bundled sample audit was not found."))
            return
        }
        do { try runAndShow(paths: [folder], origin: "demo") } catch { say(style.red("✗ \(error)")) }
    }

    func historyFlow(arguments: [String]) {
        do {
            if arguments.first?.lowercased() == "show", arguments.count > 1, let id = Int64(arguments[1]) {
                guard let detail = try store.detail(id: id) else {
                    say("No check #\(id).")
                    return
                }
                say(HistoryView.text(detail, store: store, style: style))
                return
            }
            let command = arguments.first?.lowercased()
            historyPage = (command == "more" || command == "n") ? historyPage + 1 : 0
            let size = WizardSession.historyPageSize
            let page = try store.checks(Store.Filter(limit: size, offset: historyPage * size))
            if page.isEmpty && historyPage > 0 {
                say("No older checks.")
                return
            }
            say(HistoryView.table(page, style: style))
            let total = try store.count()
            let shownSoFar = historyPage * size + page.count
            say(style.dim("Checks \(historyPage * size + 1)-\(shownSoFar) of \(total). \(shownSoFar < total ? "Type \"more\" for older ones, " : "Type ")\"show N\" for one check."))
        } catch {
            say(style.red("✗ \(error)"))
        }
    }

    func rerunFlow(arguments: [String]) {
        do {
            let id: Int64
            if let text = arguments.first {
                guard let n = Int64(text) else { return say("rerun takes a check number, e.g. rerun 3") }
                id = n
            } else {
                guard let check = try Rerun.lastMonthCheck(in: store), let found = check.id else {
                    return say("No check is four weeks old yet. \"rerun N\" re-runs check N.")
                }
                say("Last month's check is #\(found) (\(HistoryView.isoString(check.startedAt))).")
                id = found
            }
            let result = try Rerun(runner: runner).run(id: id)
            say("")
            say(Report.text(result.outcome, style: style))
            if let change = result.change {
                say(style.yellow("The verdict CHANGED: it was \(change.from), it is now \(change.to)."))
            } else {
                say("The verdict is unchanged: \(result.original.verdict).")
            }
        } catch {
            say(style.red("✗ \(error)"))
        }
    }

    func diffFlow(arguments: [String]) {
        do {
            let ids = arguments.compactMap(Int64.init)
            let pair: (older: Int64, newer: Int64)
            if ids.count == 2 {
                pair = (ids[0], ids[1])
            } else if let p = try HistoryDiff.defaultPair(in: store) {
                pair = p
            } else {
                return say("There are no two checks of the same kind to compare yet.")
            }
            guard let a = try store.detail(id: pair.older), let b = try store.detail(id: pair.newer) else {
                return say("No such checks.")
            }
            let trend = try HistoryDiff.trend(in: store, account: b.accounts.first?.accountPrefix)
            say(HistoryDiff.text(older: a, newer: b, trend: trend, style: style, store: store))
        } catch {
            say(style.red("✗ \(error)"))
        }
    }

    func reportFlow(arguments: [String]) {
        guard let idText = arguments.first, let id = Int64(idText) else {
            return say("report N [markdown|html|json] [redact]: writes a report of check N into the data folder.")
        }
        let format = arguments.dropFirst().compactMap { ReportExport.Format(rawValue: $0.lowercased()) }.first ?? .markdown
        let redact = arguments.contains { $0.lowercased() == "redact" }
        do {
            guard let detail = try store.detail(id: id) else { return say("No check #\(id).") }
            let ext = format == .markdown ? "md" : format.rawValue
            let url = store.directory.appendingPathComponent("reports/check-\(id)\(redact ? "-redacted" : "").\(ext)")
            try Store.makePrivateDirectory(url.deletingLastPathComponent())
            try Store.writeAtomically(Data(ReportExport.render([detail], format: format, redact: redact).utf8), to: url)
            say("Wrote \(url.path)")
        } catch {
            say(style.red("✗ \(error)"))
        }
    }

    func walletsFlow(arguments: [String]) {
        var source = arguments.joined(separator: " ")
        if source.isEmpty {
            say("OKX publishes its reserve addresses on the Proof of Reserves page (\"Download\" of the wallet list).")
            guard case .line(let raw) = reader.read(prompt: "Wallet list (CSV path, zip, or https:// URL; Tab completes): ") else { return }
            source = raw.trimmingCharacters(in: .whitespaces)
        }
        guard !source.isEmpty else { return }
        if !source.hasPrefix("http") { source = AuditFolders.expandPath(source) }
        do {
            var rows = 0
            let result = try WalletCheck(store: store).run(source: source) { _ in
                rows += 1
                if rows % 5000 == 0, self.reader.isInteractive { print("\rverified \(rows) rows", terminator: ""); fflush(nil) }
            }
            if rows >= 5000, reader.isInteractive { say("") }
            say(WalletCheck.text(result.summary, historyID: result.historyID, style: style))
        } catch {
            say(style.red("✗ \(error)"))
        }
    }

    /// Set by Ctrl-C while a balance run is in progress: the run stops, keeps its answers, and
    /// the same step continues it later.
    nonisolated(unsafe) static var balancesInterrupted: sig_atomic_t = 0

    /// The wallet list of the latest wallet-list or balance check, to offer it again.
    func lastWalletList() -> String? {
        for kind in ["balances", "wallets"] {
            guard let check = try? store.checks(Store.Filter(kind: kind, limit: 1)).first, let id = check.id,
                  let file = try? store.detail(id: id)?.files.first(where: { $0.role == "wallet-list" }) else { continue }
            return file.originalPath
        }
        return nil
    }

    func ask(_ prompt: String, default value: String?) -> String? {
        let shown = value.map { "\(prompt) [\($0)]: " } ?? "\(prompt): "
        guard case .line(let raw) = reader.read(prompt: shown) else { return nil }
        let answer = raw.trimmingCharacters(in: .whitespaces)
        return answer.isEmpty ? value : answer
    }

    func balancesFlow(arguments: [String]) {
        say("porcheck asks your own nodes for each address's balance at the snapshot height: an EVM archive node, and a")
        say("Bitcoin Core-compatible node rolled back to the snapshot height (Docs/balances.md). OKX's rpc.json works too.")
        guard var list = arguments.first ?? ask("Wallet list (CSV path, zip, or https:// URL)", default: lastWalletList()), !list.isEmpty else { return }
        guard var nodes = arguments.dropFirst().first ?? ask("Node configuration (nodes.json or OKX's rpc.json)", default: nil), !nodes.isEmpty else { return }
        if !list.hasPrefix("http") { list = AuditFolders.expandPath(list) }
        nodes = AuditFolders.expandPath(nodes)
        let previous = signal(SIGINT) { _ in WizardSession.balancesInterrupted = 1 }
        WizardSession.balancesInterrupted = 0
        defer { signal(SIGINT, previous) }
        let interactive = reader.isInteractive
        var shown = 0
        do {
            let summary = try BalancesCheck(store: store).run(list: list, nodes: nodes, onStart: { total, resumed, run in
                if resumed > 0 { self.say("Continuing run #\(run): \(resumed) of \(total) addresses already answered.") }
                self.say(self.style.dim("Asking for \(total - resumed) addresses; Ctrl-C stops (the answers are kept, this step continues later)."))
            }, onResult: { r in
                guard r.verdict != .matched else { return }
                shown += 1
                if shown <= 20 {
                    if interactive { print("\r\u{1B}[K", terminator: "") }
                    self.say(BalancesCheck.line(r, style: self.style))
                } else if shown == 21 {
                    self.say(self.style.dim("(more: porcheck balances \(list) --nodes \(nodes) --json lists every address)"))
                }
            }, progress: { done, total in
                if interactive, done % 50 == 0 || done == total { print("\rchecked \(done) of \(total) addresses", terminator: ""); fflush(nil) }
            }, tick: { WizardSession.balancesInterrupted == 0 })
            if interactive { print("\r\u{1B}[K", terminator: "") }
            say(BalancesCheck.text(summary, style: style))
            if !summary.interrupted { say(style.dim("Next: \"reserves\" puts what is verified beside the liabilities.")) }
        } catch {
            say(style.red("✗ \(error)"))
        }
    }

    func reservesFlow(arguments: [String]) {
        guard var list = arguments.first ?? ask("Wallet list (CSV path, zip, or https:// URL)", default: lastWalletList()), !list.isEmpty else { return }
        if !list.hasPrefix("http") { list = AuditFolders.expandPath(list) }
        let liabilities = arguments.dropFirst().first ?? ask("Per-unit liabilities file (JSON or CSV; empty for none)", default: nil)
        do {
            let summary = try ReservesSummary.build(list: list, liabilities: liabilities.map { AuditFolders.expandPath($0) }, store: store)
            say(summary.text(style: style))
        } catch {
            say(style.red("✗ \(error)"))
        }
    }

    func forgetFlow(arguments: [String]) {
        let all = arguments.first?.lowercased() == "all"
        let id = arguments.first.flatMap(Int64.init)
        guard all || id != nil else { return say("forget N deletes check N; forget all deletes the whole history.") }
        let what = all ? "the whole history, every kept file and saved proof" : "check #\(id ?? 0) and the files only it kept"
        guard case .line(let answer) = reader.read(prompt: "Delete \(what)? Type yes to confirm: "),
              answer.trimmingCharacters(in: .whitespaces).lowercased() == "yes" else {
            return say("Nothing deleted.")
        }
        do {
            if all {
                try store.deleteEverything()
                say("Deleted.")
            } else if let id {
                say(try store.delete(id: id) ? "Deleted check #\(id)." : "No check #\(id).")
            }
        } catch {
            say(style.red("✗ \(error)"))
        }
    }

    func runAndShow(paths: [String], origin: String = "wizard") throws {
        let outcome = try runner.verify(paths: paths, origin: origin)
        say("")
        say(Report.text(outcome, style: style))
        say("")
    }

    func say(_ text: String) { print(text) }
}

/// Where the wizard saves what the user pastes: one folder per audit, laid out the way OKX's
/// validator expects (`sum_proof_data.json` beside the `*_inclusion_proof.json` files).
public enum AuditFolders {
    public static func folder(in store: Store, round: String?, root: HashOut?) -> URL {
        if let round { return store.auditsDirectory.appendingPathComponent("round-\(round)") }
        if let root { return store.auditsDirectory.appendingPathComponent("root-\(root.hex.prefix(12))") }
        return store.auditsDirectory.appendingPathComponent("unsorted")
    }

    /// `<first 8 hex of the account id>[_round<N>]_inclusion_proof.json`.
    public static func inclusionFileName(accountID: String, round: String?) -> String {
        let prefix = String(accountID.prefix(8).filter(\.isHexDigit))
        return "\(prefix)\(round.map { "_round\($0)" } ?? "")_inclusion_proof.json"
    }

    /// Expands `~` and strips the quotes a terminal adds when a path is dragged in.
    public static func expandPath(_ raw: String) -> String {
        var path = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if path.count >= 2, let f = path.first, let l = path.last, (f == "'" && l == "'") || (f == "\"" && l == "\"") {
            path = String(path.dropFirst().dropLast())
        }
        return (path as NSString).expandingTildeInPath
    }
}
