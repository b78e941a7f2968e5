import ArgumentParser
import Checks
import Foundation
import History
import Liabilities

// Exit codes are a contract: 0 every check passed (or nothing failed), 1 a check failed,
// 2 usage or input error. ArgumentParser's own usage errors (64) are mapped to 2.
// `porcheck bench` asks each porcheck it times for its own peak memory (PeakMemory.fileVariable).
if getenv(PeakMemory.fileVariable) != nil {
    atexit { PeakMemory.reportIfAsked() }
}
assert(VerifyInvocation.coversCommands, "a command is missing from VerifyInvocation.commandNames")

do {
    if let verify = VerifyInvocation(arguments: Array(CommandLine.arguments.dropFirst())) {
        try VerifyCommand.run(verify)
    } else {
        var command = try Porcheck.parseAsRoot()
        try command.run()
    }
} catch let code as ExitCode {
    exit(code.rawValue)
} catch let error as InputError {
    FileHandle.standardError.write(Data("porcheck: \(error)\n".utf8))
    exit(2)
} catch let error as StoreError {
    FileHandle.standardError.write(Data("porcheck: \(error)\n".utf8))
    exit(2)
} catch {
    let code = Porcheck.exitCode(for: error)
    let message = Porcheck.fullMessage(for: error)
    if code == .success {
        if !message.isEmpty { print(message) }
        exit(0)
    }
    if !message.isEmpty { FileHandle.standardError.write(Data("\(message)\n".utf8)) }
    exit(2)
}
