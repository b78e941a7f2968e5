import Foundation
import XCTest

/// Runs the built `porcheck` binary as a user would, with its own data directory.
struct PorcheckProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = repositoryRoot.appendingPathComponent("Tests/Fixtures")

    /// The binary SwiftPM built next to the test bundle, or the one `PORCHECK_TEST_BINARY` names
    /// (to run these tests against the release build install.sh makes, which links differently).
    static var binary: URL {
        if let chosen = ProcessInfo.processInfo.environment["PORCHECK_TEST_BINARY"], !chosen.isEmpty {
            return URL(fileURLWithPath: chosen)
        }
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("porcheck"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("porcheck"),
            repositoryRoot.appendingPathComponent(".build/debug/porcheck"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[2]
    }

    let dataDir: URL

    init() {
        dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("porcheck-cli-\(UUID().uuidString)")
    }

    func cleanUp() { try? FileManager.default.removeItem(at: dataDir) }

    /// The environment porcheck runs in under the tests: this one, no colour, the repository's
    /// resources, no backtracer, and `extra`.
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        // A crashing child fails its test at once: Swift's backtracer would symbolicate the whole
        // debug binary first, which takes minutes on two cores.
        env["SWIFT_BACKTRACE"] = "enable=no"
        env["PORCHECK_RESOURCES"] = repositoryRoot.appendingPathComponent("Resources").path
        for (k, v) in extra { env[k] = v }
        return env
    }

    @discardableResult
    func run(_ arguments: [String], stdin: Data? = nil, environment extra: [String: String] = [:], withDataDir: Bool = true) throws -> Result {
        let process = Process()
        process.executableURL = PorcheckProcess.binary
        // Options may follow the subcommand and its arguments, so --data-dir goes last.
        process.arguments = arguments + (withDataDir ? ["--data-dir", dataDir.path] : [])
        process.environment = PorcheckProcess.environment(extra)
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        // Read both pipes while writing stdin, so a large paste cannot deadlock on full buffers.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data(), errData = Data()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        if let stdin { try? input.fileHandleForWriting.write(contentsOf: stdin) }
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    static func json(_ text: String) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try XCTUnwrap(value as? [String: Any], "not a JSON object: \(text.prefix(200))")
    }
}
