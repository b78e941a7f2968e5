import Foundation
import XCTest
import Hashing
@testable import Reserves
import WalletDownload

/// Downloads from servers started on 127.0.0.1 by the test: a real file, a server that stalls
/// (timeout), an unreachable port, an http URL to a non-loopback host (refused).
final class DownloadTests: XCTestCase {
    var folder: URL!
    var servers: [Process] = []

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("reserves-dl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        for server in servers where server.isRunning {
            server.terminate()
            server.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }

    /// A free TCP port on loopback (bind to 0, read it back, close).
    func freePort() throws -> Int {
        let script = "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1]); s.close()"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        p.waitUntilExit()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw XCTSkip("no python3 for a free port") }
        return port
    }

    /// Starts python3 with `code`; SIGTERM is unblocked in the child (test runners block it and
    /// children inherit the mask), so tearDown's terminate() really stops it.
    func startPython(_ code: String, directory: URL, port: Int) throws -> Process {
        let prelude = "import signal; signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM]); signal.signal(signal.SIGTERM, signal.SIG_DFL)\n"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", prelude + code, String(port)]
        p.currentDirectoryURL = directory
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        servers.append(p)
        // Wait until the port accepts connections.
        for _ in 0..<50 {
            let probe = Process()
            probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            probe.arguments = ["python3", "-c", "import socket,sys; socket.create_connection(('127.0.0.1',\(port)),0.2)"]
            probe.standardError = FileHandle.nullDevice
            try probe.run(); probe.waitUntilExit()
            if probe.terminationStatus == 0 { return p }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw XCTSkip("test server did not start")
    }

    func testDownloadStreamsToContentHashNameAndVerifies() throws {
        let served = folder.appendingPathComponent("served")
        try FileManager.default.createDirectory(at: served, withIntermediateDirectories: true)
        let source = ExpectedVerdictTests.fixtures.appendingPathComponent("por_11col.csv")
        try FileManager.default.copyItem(at: source, to: served.appendingPathComponent("list.csv"))
        let port = try freePort()
        _ = try startPython("import http.server, sys; http.server.test(HandlerClass=http.server.SimpleHTTPRequestHandler, port=int(sys.argv[1]), bind='127.0.0.1')",
                            directory: served, port: port)
        let progressCalls = ProgressCounter()
        let url = try XCTUnwrap(URL(string: "http://127.0.0.1:\(port)/list.csv"))
        let local = try WalletListSource.url(url).resolve(workFolder: folder.appendingPathComponent("dl")) { url, into in
            try WalletListDownload.download(url, to: into) { bytes, _ in progressCalls.record(bytes) }
        }
        let original = try Data(contentsOf: source)
        XCTAssertEqual(try Data(contentsOf: local), original)
        XCTAssertEqual(local.deletingPathExtension().lastPathComponent, Hex.encode(SHA256.hash([UInt8](original))))
        XCTAssertEqual(progressCalls.last, Int64(original.count))
        let summary = try WalletListVerifier.verify(file: local)
        XCTAssertEqual(summary.rows, 172)

        // The size cap stops a download that is too large.
        var small = WalletListDownload.Options()
        small.maximumBytes = 1000
        XCTAssertThrowsError(try WalletListDownload.download(url, to: folder, options: small)) { error in
            XCTAssertTrue("\(error)".contains("cap"), "\(error)")
        }
        // A missing file is an HTTP error, not a CSV.
        let missing = try XCTUnwrap(URL(string: "http://127.0.0.1:\(port)/nothing.csv"))
        XCTAssertThrowsError(try WalletListDownload.download(missing, to: folder)) { error in
            XCTAssertTrue("\(error)".contains("HTTP status 404"), "\(error)")
        }
    }

    func testStallingServerTimesOut() throws {
        let port = try freePort()
        // Accepts connections and never answers.
        _ = try startPython("import socket, sys, time\ns=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen(5)\nconns=[]\nwhile True:\n    c,_=s.accept(); conns.append(c)",
                            directory: folder, port: port)
        var options = WalletListDownload.Options()
        options.timeout = 1.5
        let url = try XCTUnwrap(URL(string: "http://127.0.0.1:\(port)/list.csv"))
        XCTAssertThrowsError(try WalletListDownload.download(url, to: folder, options: options)) { error in
            XCTAssertTrue("\(error)".contains("timed out"), "\(error)")
        }
    }

    func testUnreachablePortAndInsecureHost() throws {
        let port = try freePort()
        let url = try XCTUnwrap(URL(string: "http://127.0.0.1:\(port)/list.csv"))
        XCTAssertThrowsError(try WalletListDownload.download(url, to: folder)) { error in
            XCTAssertTrue("\(error)".contains("failed"), "\(error)")
            XCTAssertTrue("\(error)".contains("connect"), "\(error)")
        }
        let remote = try XCTUnwrap(URL(string: "http://example.com/list.csv"))
        XCTAssertThrowsError(try WalletListDownload.download(remote, to: folder)) { error in
            XCTAssertTrue("\(error)".contains("refusing plain http"), "\(error)")
        }
        let ftp = try XCTUnwrap(URL(string: "ftp://127.0.0.1/list.csv"))
        XCTAssertThrowsError(try WalletListDownload.download(ftp, to: folder))
    }
}

final class ProgressCounter: @unchecked Sendable {
    let lock = NSLock()
    var last: Int64 = 0
    func record(_ bytes: Int64) { lock.lock(); last = bytes; lock.unlock() }
}
