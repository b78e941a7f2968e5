@preconcurrency import CReadline
import Foundation

/// What reading one line gave.
public enum LineInput: Equatable, Sendable {
    case line(String)
    /// Ctrl-C: cancel the current step.
    case interrupted
    /// Ctrl-D on an empty line, or the end of piped input: leave.
    case endOfInput
}

/// Where the wizard's input comes from: readline on a terminal, plain lines from a pipe.
public protocol LineReader: AnyObject {
    func read(prompt: String) -> LineInput
    /// Reads a line where Tab completes these command words at the start of the line (and file
    /// names after them).
    func read(prompt: String, commands: [String]) -> LineInput
    /// Remembers a command line for the up-arrow history.
    func remember(_ line: String)
    /// Whether path completion should be offered (changes nothing for plain input).
    var isInteractive: Bool { get }
}

extension LineReader {
    public func read(prompt: String, commands: [String]) -> LineInput { read(prompt: prompt) }
}

/// Lines from standard input when it is not a terminal: prompts are printed plainly, no escape
/// codes, and the end of the input leaves the wizard.
public final class PlainLineReader: LineReader {
    public init() {}
    public var isInteractive: Bool { false }

    public func read(prompt: String) -> LineInput {
        // Same stream as the wizard's print(), flushed, so prompts and messages keep their order.
        print(prompt, terminator: "")
        fflush(stdout)
        guard let line = Swift.readLine(strippingNewline: true) else {
            print("")
            return .endOfInput
        }
        return .line(line)
    }

    public func remember(_ line: String) {}
}

/// SIGINT arrived while reading (set by the signal handler, read by the reading loop).
nonisolated(unsafe) private var interruptReceived: sig_atomic_t = 0
/// The line readline's callback delivered, and whether it has delivered anything.
nonisolated(unsafe) private var deliveredLine: String?
nonisolated(unsafe) private var lineDelivered = false
/// Command words Tab may complete at the start of the line (empty: file names only).
nonisolated(unsafe) private var completionWords: [String] = []
nonisolated(unsafe) private var completionMatches: [String] = []
nonisolated(unsafe) private var completionNext = 0

/// The word being completed: the line buffer up to the cursor (only used at the line's start).
private func currentCompletionPrefix() -> String {
    guard let buffer = rl_line_buffer else { return "" }
    let line = String(cString: buffer)
    return String(line.prefix(Int(rl_point)))
}

/// GNU readline through its callback interface, so that Ctrl-C can abandon the line being edited
/// (and the step it belongs to) instead of killing the process. Bracketed paste (on by default in
/// readline 8) delivers a multi-line paste as one line; tab completes file names.
public final class ReadlineLineReader: LineReader {
    let historyFile: String?

    public init(historyFile: String?) {
        self.historyFile = historyFile
        rl_catch_signals = 0
        rl_readline_name = UnsafePointer(strdup("porcheck"))
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in interruptReceived = 1 }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0  // no SA_RESTART: poll() must return EINTR
        sigaction(SIGINT, &action, nil)
        rl_attempted_completion_function = { text, start, _ in
            // At the start of the main prompt, complete command words; elsewhere readline's own
            // file-name completion (returning nil lets it run).
            guard start == 0, !completionWords.isEmpty, let text else { return nil }
            let prefix = String(cString: text)
            guard !prefix.hasPrefix("/"), !prefix.hasPrefix("."), !prefix.hasPrefix("~") else { return nil }
            return rl_completion_matches(text) { _, state in
                if state == 0 {
                    completionMatches = completionWords.filter { $0.hasPrefix(currentCompletionPrefix()) }
                    completionNext = 0
                }
                guard completionNext < completionMatches.count else { return nil }
                defer { completionNext += 1 }
                return strdup(completionMatches[completionNext])
            }
        }
        using_history()
        stifle_history(1000)
        if let historyFile { read_history(historyFile) }
    }

    public var isInteractive: Bool { true }

    public func read(prompt: String, commands: [String]) -> LineInput {
        completionWords = commands
        defer { completionWords = [] }
        return read(prompt: prompt)
    }

    public func read(prompt: String) -> LineInput {
        fflush(stdout)
        lineDelivered = false
        deliveredLine = nil
        interruptReceived = 0
        rl_callback_handler_install(prompt) { cLine in
            if let cLine {
                deliveredLine = String(cString: cLine)
                free(cLine)
            } else {
                deliveredLine = nil
            }
            lineDelivered = true
            rl_callback_handler_remove()
        }
        while !lineDelivered {
            var fds = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let ready = poll(&fds, 1, -1)
            if interruptReceived != 0 {
                interruptReceived = 0
                rl_free_line_state()
                rl_callback_sigcleanup()
                rl_cleanup_after_signal()
                rl_callback_handler_remove()
                print("^C")
                return .interrupted
            }
            if ready < 0 {
                if errno == EINTR { continue }
                rl_callback_handler_remove()
                return .endOfInput
            }
            if fds.revents & Int16(POLLIN | POLLHUP) != 0 {
                rl_callback_read_char()
                if !lineDelivered { acceptCompletePaste() }
            }
        }
        guard let line = deliveredLine else { return .endOfInput }
        return .line(line)
    }

    /// A bracketed paste lands in the edit buffer without a newline. When the buffer holds a
    /// whole JSON document (brackets balanced), take it as entered: the user need not press Enter.
    func acceptCompletePaste() {
        guard let buffer = rl_line_buffer, rl_end > 0 else { return }
        let text = String(cString: buffer)
        guard JSONPaste.startsJSON(text) else { return }
        var paste = JSONPaste()
        guard paste.feed(text) == .complete else { return }
        deliveredLine = text
        lineDelivered = true
        rl_replace_line("", 0)
        rl_callback_handler_remove()
        print("")
    }

    public func remember(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count < 4096 else { return }
        add_history(trimmed)
        if let historyFile {
            write_history(historyFile)
            chmod(historyFile, 0o600)
        }
    }
}
