import Foundation
import XCTest

/// The wizard in a real terminal: tmux gives it a pseudo-terminal, `paste-buffer -p` pastes with
/// bracketed paste as a terminal emulator would, and `capture-pane` reads the screen.
final class WizardTerminalTests: XCTestCase {
    var porcheck: PorcheckProcess!
    var tmux: Tmux!
    let v2 = PorcheckProcess.fixtures.appendingPathComponent("por-v2")

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else {
            throw XCTSkip("tmux is not installed (install.sh installs it)")
        }
        porcheck = PorcheckProcess()
        tmux = Tmux()
    }

    override func tearDownWithError() throws {
        tmux?.kill()
        porcheck?.cleanUp()
    }

    func testPasteCompleteAPathCancelAndLeave() throws {
        let resources = PorcheckProcess.repositoryRoot.appendingPathComponent("Resources").path
        try tmux.start("env NO_COLOR=1 PORCHECK_RESOURCES='\(resources)' '\(PorcheckProcess.binary.path)' --data-dir '\(porcheck.dataDir.path)'")
        try tmux.waitFor("porcheck> ")

        // Paste the proof as a terminal does (bracketed paste), straight at the main prompt.
        try tmux.paste(file: v2.appendingPathComponent("one-level/idx016_batch1_first_inclusion_proof.json").path)
        try tmux.waitFor("Path to sum_proof_data.json")
        XCTAssertTrue(tmux.screen().contains("Saved your proof as"))

        // Tab completes the file name.
        let folder = v2.appendingPathComponent("one-level").path
        try tmux.type("\(folder)/sum_proof_d")
        try tmux.keys("Tab")
        try tmux.waitFor("sum_proof_data.json ")
        try tmux.keys("Enter")
        try tmux.waitFor("Inclusion constraint validation passed")
        try tmux.waitFor("porcheck> ", after: "Recorded in history")

        // Ctrl-C cancels the step in progress, and the wizard goes on.
        try tmux.type("1")
        try tmux.keys("Enter")
        try tmux.waitFor("paste> ")
        try tmux.keys("C-c")
        try tmux.waitFor("Paste cancelled; nothing was saved.")
        try tmux.keys("C-c")
        try tmux.waitFor("(Ctrl-D or q leaves)")

        // History is there (Tab completes the command), a re-run, a diff and a report.
        try tmux.type("hist")
        try tmux.keys("Tab")
        try tmux.waitFor("porcheck> history ", after: "(Ctrl-D or q leaves)")
        try tmux.keys("Enter")
        try tmux.waitFor("inclusion  1001")
        try tmux.type("rerun 1")
        try tmux.keys("Enter")
        try tmux.waitFor("The verdict is unchanged", after: "porcheck> rerun 1")
        try tmux.type("diff")
        try tmux.keys("Enter")
        try tmux.waitFor("Changes from #1", after: "porcheck> diff")
        try tmux.waitFor("Account f507753e…: equity", after: "porcheck> diff")
        try tmux.type("report 2 html redact")
        try tmux.keys("Enter")
        try tmux.waitFor("check-2-redacted.html", after: "porcheck> report")
        let report = porcheck.dataDir.appendingPathComponent("reports/check-2-redacted.html")
        XCTAssertTrue(try String(contentsOf: report, encoding: .utf8).contains("<h2>Check #2: inclusion"))
        try tmux.keys("C-d")
        try tmux.waitFor("Bye.")
        try tmux.waitForExit()
    }
}

/// A private tmux server running one program in a detached session.
final class Tmux {
    let socket = "porcheck-test-\(UUID().uuidString.prefix(8))"
    var lastScreen = ""

    /// Runs tmux with posix_spawn and waitpid. Foundation's Process is not used here: the tmux
    /// server daemonizes and inherits whatever Process uses to notice the child's exit, so
    /// `waitUntilExit()` would never return.
    @discardableResult
    func tmux(_ args: [String]) throws -> String {
        let outPath = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-out-\(UUID().uuidString)").path
        defer { unlink(outPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = (["/usr/bin/tmux", "-L", socket] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, "/usr/bin/tmux", &actions, nil, argv, environ)
        guard rc == 0 else { throw NSError(domain: "tmux", code: Int(rc)) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    }

    func start(_ command: String) throws {
        try tmux(["-f", "/dev/null", "new-session", "-d", "-x", "200", "-y", "50", "-s", "w", command + "; sleep 30"])
        try tmux(["set-option", "-g", "history-limit", "5000"])
    }

    func screen() -> String {
        (try? tmux(["capture-pane", "-p", "-J", "-S", "-5000", "-t", "w"])) ?? ""
    }

    func type(_ text: String) throws { try tmux(["send-keys", "-t", "w", "-l", text]) }
    func keys(_ key: String) throws { try tmux(["send-keys", "-t", "w", key]) }

    func paste(file: String) throws {
        try tmux(["load-buffer", "-b", "proof", file])
        try tmux(["paste-buffer", "-p", "-b", "proof", "-t", "w"])
    }

    /// Waits until `text` shows on the screen (after the last occurrence of `after`, if given).
    func waitFor(_ text: String, after: String? = nil, timeout: TimeInterval = 20) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var s = screen()
            if let after, let r = s.range(of: after, options: .backwards) { s = String(s[r.upperBound...]) } else if after != nil { s = "" }
            if s.contains(text) { lastScreen = s; return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTFail("timed out waiting for \(text.debugDescription); screen:\n\(screen().suffix(1500))")
        throw XCTSkip("stopped after a timeout")
    }

    /// Waits for porcheck to exit (the session then runs `sleep`, so look for the shell's absence
    /// of porcheck through the pane's current command).
    func waitForExit(timeout: TimeInterval = 10) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let command = (try? tmux(["display-message", "-p", "-t", "w", "#{pane_current_command}"])) ?? ""
            if command.trimmingCharacters(in: .whitespacesAndNewlines) != "porcheck" { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTFail("porcheck did not exit")
    }

    func kill() { _ = try? tmux(["kill-server"]) }
}
