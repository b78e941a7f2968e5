import Checks
import Foundation
import History
import JSONReader
import XCTest
@testable import Balances

/// Real nodes on loopback for the balance tests: litecoind in regtest and an eth-tester/py-evm EVM
/// behind JSON-RPC (Nodes/evm_node.py). `bash install.sh --test` installs both; a missing one is
/// a test failure, never a skip.
enum TestTools {
    static let nodesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Nodes")
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The Python of the test virtualenv install.sh makes (PORCHECK_TEST_PYTHON overrides).
    static func python() throws -> String {
        let env = ProcessInfo.processInfo.environment
        if let p = env["PORCHECK_TEST_PYTHON"], !p.isEmpty { return p }
        let cache = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.cache")
        let path = cache + "/porcheck/test-venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Missing("the EVM test node's Python (eth-tester, py-evm, vyper) is not installed at \(path): run `bash install.sh --test`")
        }
        return path
    }

    static func litecoind() throws -> String {
        for dir in ["/usr/bin", "/usr/local/bin"] where FileManager.default.isExecutableFile(atPath: dir + "/litecoind") {
            return dir + "/litecoind"
        }
        throw Missing("litecoind is not installed (Debian package litecoind): run `bash install.sh --test`")
    }

    struct Missing: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    /// A port nothing listens on right now.
    static func freePort() -> UInt16 {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(s) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &len) } }
        return UInt16(bigEndian: addr.sin_port)
    }

    static func temporaryFolder(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("porcheck-\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Calls a JSON-RPC method on a test node (through porcheck's own client).
    /// `https`: through a TLS relay of its own that trusts the test CA.
    static func rpc(port: UInt16, user: String? = nil, password: String? = nil, https: Bool = false, _ method: String, _ params: [JSONValue] = [],
                    timeout: Double = 60) throws -> JSONValue {
        guard let url = URL(string: "\(https ? "https" : "http")://127.0.0.1:\(port)/") else { throw Missing("bad url") }
        let endpoint = NodeConfig.Endpoint(kind: .evm, url: url, user: user, password: password, headers: [:], concurrency: 1,
                                           timeout: timeout, scanTimeout: timeout, retries: 0, resultPath: nil, label: "test")
        let relay = https ? TLSRelay(executable: TLSRelay.besideExecutable(), caFile: try TestCertificates.shared().ca) : nil
        defer { relay?.stop() }
        return try RPCClient(endpoint: endpoint, relay: relay).result(method, params, timeout: timeout)
    }

    /// Children of this process named porcheck-fetch, zombies included (a relay not reaped is left over too).
    static func childHelpers() -> [pid_t] {
        let me = getpid()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { name -> pid_t? in
            guard let pid = pid_t(name), let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                  let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { return nil }
            let comm = stat[stat.index(after: open)..<close]
            let rest = stat[stat.index(after: close)...].split(separator: " ")
            guard comm == "porcheck-fetch", rest.count > 2, pid_t(rest[1]) == me else { return nil }
            return pid
        }
    }

    /// Running `porcheck-fetch relay` processes whose command line contains `marker` (whoever their parent is).
    static func relays(mentioning marker: String) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { name -> pid_t? in
            guard let pid = pid_t(name) else { return nil }
            let argv = procFile("/proc/\(name)/cmdline").split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            guard argv.count >= 2, argv[0].hasSuffix("porcheck-fetch"), argv[1] == "relay", argv.contains(where: { $0.contains(marker) }) else { return nil }
            return pid
        }
    }

    /// A /proc file read to its end (they say their size is 0, which some readers take at its word).
    static func procFile(_ path: String) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var out = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return out }
            out += chunk[0..<n]
        }
    }

    /// The shared libraries mapped into a process.
    static func mappedLibraries(_ pid: pid_t) -> Set<String> {
        let maps = String(decoding: procFile("/proc/\(pid)/maps"), as: UTF8.self)
        return Set(maps.split(separator: "\n").compactMap { line in
            line.split(separator: " ", omittingEmptySubsequences: true).last.flatMap { $0.hasPrefix("/") ? String($0.split(separator: "/").last ?? "") : nil }
        })
    }
}

/// A child process started with a clean signal mask and default handlers (a Swift test's
/// threads may block SIGTERM, and children inherit the mask), in its own process group, with
/// its standard input a pipe this process holds open (evm_node.py exits when it closes), and
/// output in files. `stop()` (also on deinit) ends the whole group and reaps it.
final class ChildProcess {
    let pid: pid_t
    let stdoutPath: String
    let stderrPath: String
    private var stdinWriter: Int32
    private var reaped = false

    init(_ argv: [String], folder: URL, name: String, environment: [String: String] = [:]) throws {
        stdoutPath = folder.appendingPathComponent("\(name).out").path
        stderrPath = folder.appendingPathComponent("\(name).err").path
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw TestTools.Missing("pipe failed") }
        // Only the child's standard input keeps the read end; no other child inherits the write end.
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        stdinWriter = fds[1]
        var env = ProcessInfo.processInfo.environment
        // A crashing child fails its test at once instead of waiting for the backtracer.
        env["SWIFT_BACKTRACE"] = "enable=no"
        for (k, v) in environment { env[k] = v }
        let child: pid_t
        do {
            child = try Spawn.start(argv, [.duplicate(fds[0], as: 0), .write(stdoutPath, as: 1), .write(stderrPath, as: 2)],
                                    defaultSignals: [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGQUIT], environment: env, searchPath: true)
        } catch {
            close(fds[0])
            close(fds[1])
            throw TestTools.Missing("cannot start \(argv[0]): \(error)")
        }
        close(fds[0])
        pid = child
    }

    deinit { stop() }

    var isRunning: Bool {
        guard !reaped else { return false }
        var status: Int32 = 0
        let r = waitpid(pid, &status, WNOHANG)
        if r == pid { reaped = true; return false }
        return true
    }

    /// SIGTERM to the group, SIGKILL after `grace` seconds, then reaped.
    func stop(grace: Double = 5) {
        if stdinWriter >= 0 { close(stdinWriter); stdinWriter = -1 }
        guard !reaped else { return }
        kill(-pid, SIGTERM)
        let deadline = Date().addingTimeInterval(grace)
        while Date() < deadline {
            if !isRunning { kill(-pid, SIGKILL); return }
            usleep(20_000)
        }
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        reaped = true
    }

    /// Waits for the process to exit and returns its exit status (or 128 + signal).
    func wait(timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var status: Int32 = 0
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid {
                reaped = true
                if stdinWriter >= 0 { close(stdinWriter); stdinWriter = -1 }
                let signal = status & 0x7f
                return signal == 0 ? (status >> 8) & 0xff : 128 + signal
            }
            usleep(10_000)
        }
        return nil
    }

    func signal(_ s: Int32) { kill(pid, s) }

    /// Writes to the child's standard input, then closes it.
    func type(_ text: String) {
        guard stdinWriter >= 0 else { return }
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(stdinWriter, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            sent += n
        }
        close(stdinWriter)
        stdinWriter = -1
    }

    var output: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var errors: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
}

/// The EVM test node: eth-tester + py-evm, the plan run before it serves.
final class EVMNode {
    let process: ChildProcess
    let port: UInt16
    let marks: [String: UInt64]
    let tokens: [String: String]
    /// Address (lower case) → OKX-style ownership signature, from the plan's sign steps.
    let signed: [String: String]
    let isTLS: Bool

    /// `tls`: serve https with this certificate and key (TestCertificates).
    init(plan: String, faults: [String: String] = [:], delay: Double = 0, folder: URL, port fixedPort: UInt16? = nil,
         tls: TestCertificates.Identity? = nil) throws {
        let planURL = folder.appendingPathComponent("plan-\(UUID().uuidString.prefix(6)).json")
        try Data(plan.utf8).write(to: planURL)
        var argv = [try TestTools.python(), TestTools.nodesFolder.appendingPathComponent("evm_node.py").path, "--plan", planURL.path]
        if !faults.isEmpty {
            let f = folder.appendingPathComponent("faults.json")
            try JSONSerialization.data(withJSONObject: faults).write(to: f)
            argv += ["--faults", f.path]
        }
        if delay > 0 { argv += ["--delay", String(delay)] }
        if let fixedPort { argv += ["--port", String(fixedPort)] }
        if let tls { argv += ["--tls-cert", tls.certificate, "--tls-key", tls.key] }
        isTLS = tls != nil
        process = try ChildProcess(argv, folder: folder, name: "evm-\(UUID().uuidString.prefix(6))")
        // The first stdout line says the node is ready.
        let deadline = Date().addingTimeInterval(90)
        var ready: [String: Any]?
        while Date() < deadline, ready == nil {
            if let line = process.output.split(separator: "\n").first,
               let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] {
                ready = object
                break
            }
            guard process.isRunning else { break }
            usleep(50_000)
        }
        guard let ready, let p = ready["port"] as? Int else {
            let why = process.errors
            process.stop()
            throw TestTools.Missing("the EVM test node did not start: \(why.suffix(2000))")
        }
        port = UInt16(p)
        marks = ((ready["marks"] as? [String: Int]) ?? [:]).mapValues { UInt64($0) }
        tokens = (ready["tokens"] as? [String: String]) ?? [:]
        signed = (ready["signed"] as? [String: String]) ?? [:]
    }

    func stop() { process.stop() }

    /// How often each `method address` was asked (the node counts).
    func requests() throws -> [String: UInt64] {
        guard case .object(let fields) = try TestTools.rpc(port: port, https: isTLS, "porcheck_requests") else { return [:] }
        var out = [String: UInt64]()
        for (k, v) in fields { if case .unsigned(let n) = v { out[k] = n } }
        return out
    }
}

/// A test CA and server certificates, made once per test run with the openssl command (Debian's
/// openssl package, installed by `install.sh --test`). Only the tests trust this CA, by giving
/// its file to the relay (`--ca-file`); nothing is added to the system's trust store.
final class TestCertificates: @unchecked Sendable {
    struct Identity {
        var certificate: String
        var key: String
    }

    /// The CA's certificate (PEM): what `--ca-file` gets.
    let ca: String
    /// For 127.0.0.1 and localhost, signed by the CA.
    let server: Identity
    /// Signed by the CA, but for node.example only: served on 127.0.0.1 its name does not match.
    let wrongName: Identity
    /// Self-signed, trusted by nobody.
    let selfSigned: Identity

    private nonisolated(unsafe) static var made: TestCertificates?
    private static let lock = NSLock()

    static func shared() throws -> TestCertificates {
        lock.lock()
        defer { lock.unlock() }
        if let made { return made }
        let folder = try TestTools.temporaryFolder("certificates")
        let certificates = try TestCertificates(folder: folder)
        made = certificates
        return certificates
    }

    private init(folder: URL) throws {
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try Self.openssl(["req", "-x509"] + curve + ["-keyout", path("ca.key"), "-out", path("ca.pem"), "-days", "3", "-subj", "/CN=porcheck test CA"])
        func signed(_ name: String, names: String) throws -> Identity {
            try Data("subjectAltName=\(names)\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n".utf8).write(to: URL(fileURLWithPath: path("\(name).ext")))
            try Self.openssl(["req"] + curve + ["-keyout", path("\(name).key"), "-out", path("\(name).csr"), "-subj", "/CN=\(name)"])
            try Self.openssl(["x509", "-req", "-in", path("\(name).csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
                              "-set_serial", String(Int.random(in: 2...1_000_000)), "-days", "3", "-extfile", path("\(name).ext"), "-out", path("\(name).pem")])
            return Identity(certificate: path("\(name).pem"), key: path("\(name).key"))
        }
        server = try signed("server", names: "IP:127.0.0.1,DNS:localhost")
        wrongName = try signed("wrong-name", names: "DNS:node.example")
        try Self.openssl(["req", "-x509"] + curve + ["-keyout", path("self.key"), "-out", path("self.pem"), "-days", "3",
                                                      "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"])
        selfSigned = Identity(certificate: path("self.pem"), key: path("self.key"))
        ca = path("ca.pem")
    }

    private static func openssl(_ arguments: [String]) throws {
        guard let exe = ["/usr/bin/openssl", "/usr/local/bin/openssl"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TestTools.Missing("openssl is not installed (Debian package openssl): run `bash install.sh --test`")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: exe)
        process.arguments = arguments
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestTools.Missing("openssl \(arguments.prefix(2).joined(separator: " ")) failed: \(message)") }
    }
}

/// litecoind (a Bitcoin Core 0.21 fork, the same RPC) in regtest, in a temporary data directory.
final class LitecoinNode {
    let process: ChildProcess
    let rpcPort: UInt16
    let user = "porcheck"
    let password = "regtest-\(UUID().uuidString.prefix(8))"

    init(folder: URL) throws {
        let data = folder.appendingPathComponent("litecoin")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        rpcPort = TestTools.freePort()
        let p2p = TestTools.freePort()
        // setpriv: the kernel ends litecoind if this test process dies first.
        process = try ChildProcess(["setpriv", "--pdeathsig", "KILL", try TestTools.litecoind(), "-regtest", "-datadir=\(data.path)",
                                    "-rpcport=\(rpcPort)", "-port=\(p2p)", "-rpcbind=127.0.0.1", "-rpcallowip=127.0.0.1", "-listen=0",
                                    "-rpcuser=\(user)", "-rpcpassword=\(password)", "-server=1", "-fallbackfee=0.0001",
                                    "-printtoconsole=0", "-dnsseed=0", "-discover=0", "-upnp=0"],
                                   folder: folder, name: "litecoind")
        let deadline = Date().addingTimeInterval(60)
        while true {
            if (try? call("getblockcount")) != nil { break }
            guard process.isRunning, Date() < deadline else {
                let why = process.errors
                process.stop()
                throw TestTools.Missing("litecoind did not start: \(why.suffix(2000))")
            }
            usleep(100_000)
        }
    }

    @discardableResult
    func call(_ method: String, _ params: [JSONValue] = []) throws -> JSONValue {
        try TestTools.rpc(port: rpcPort, user: user, password: password, method, params)
    }

    func string(_ method: String, _ params: [JSONValue] = []) throws -> String {
        guard case .string(let s) = try call(method, params) else { throw TestTools.Missing("\(method) gave no string") }
        return s
    }

    func height() throws -> UInt64 {
        guard case .unsigned(let n) = try call("getblockcount") else { throw TestTools.Missing("no height") }
        return n
    }

    /// The regtest address of a descriptor (`wpkh(<pubkey>)`, …), derived by the node.
    func address(_ descriptor: String) throws -> String {
        guard case .string(let full)? = try call("getdescriptorinfo", [.string(descriptor)])["descriptor"],
              case .array(let list) = try call("deriveaddresses", [.string(full)]), case .string(let a)? = list.first else {
            throw TestTools.Missing("cannot derive \(descriptor)")
        }
        return a
    }

    func mine(_ n: Int, to address: String) throws { try call("generatetoaddress", [.unsigned(UInt64(n)), .string(address)]) }

    func stop() {
        _ = try? call("stop")
        if process.wait(timeout: 20) == nil { process.stop() }
    }
}

/// A test with real nodes: a temporary folder, and every node it starts stopped in tearDown.
class NodeTestCase: XCTestCase {
    var folder: URL!
    private var stoppers: [() -> Void] = []

    override func setUpWithError() throws {
        folder = try TestTools.temporaryFolder(String(describing: type(of: self)))
    }

    override func tearDown() {
        stoppers.reversed().forEach { $0() }
        stoppers = []
        try? FileManager.default.removeItem(at: folder)
    }

    func startEVM(plan: String, faults: [String: String] = [:], delay: Double = 0, tls: TestCertificates.Identity? = nil) throws -> EVMNode {
        let node = try EVMNode(plan: plan, faults: faults, delay: delay, folder: folder, tls: tls)
        stoppers.append { node.stop() }
        return node
    }

    func startLitecoin() throws -> LitecoinNode {
        let node = try LitecoinNode(folder: folder)
        stoppers.append { node.stop() }
        return node
    }
}

/// Runs the balance check of `list` against `nodes` (texts written to files in `folder`); the
/// results by address.
func checkBalances(folder: URL, list: String, nodes: String, store: Store, scope: BalanceScope = .everything,
                   resume: BalancesCheck.Resume = .restart, concurrency: Int? = nil,
                   configure: (inout BalanceChecker.Options) -> Void = { _ in }) throws -> (BalancesCheck.Summary, [String: AddressResult]) {
    let listURL = folder.appendingPathComponent("list-\(UUID().uuidString.prefix(6)).csv")
    try Data(list.utf8).write(to: listURL)
    let nodesURL = folder.appendingPathComponent("nodes-\(UUID().uuidString.prefix(6)).json")
    try Data(nodes.utf8).write(to: nodesURL)
    var options = BalancesCheck.Options()
    options.scope = scope
    options.resume = resume
    options.checker.retryBaseDelay = 0.05
    options.checker.concurrency = concurrency
    configure(&options.checker)
    var byAddress = [String: AddressResult]()
    let summary = try BalancesCheck(store: store).run(list: listURL.path, nodes: nodesURL.path, options: options) { r in
        byAddress[r.check.coin + " " + r.check.address + " " + r.check.heightText] = r
        byAddress[r.check.address] = r
    }
    return (summary, byAddress)
}

/// `result` is an error of `kind` whose reason contains `text` (after `attempts` attempts, when given).
func assertError(_ result: AddressResult?, _ kind: String, _ text: String, attempts: Int? = nil,
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(result?.verdict, .error, file: file, line: line)
    XCTAssertEqual(result?.errorKind, kind, result?.reason ?? "", file: file, line: line)
    XCTAssertTrue(result?.reason.contains(text) ?? false, result?.reason ?? "no result", file: file, line: line)
    if let attempts { XCTAssertEqual(result?.attempts, attempts, file: file, line: line) }
}

/// A wallet list in OKX's 11-column POR layout.
func porList(summary: [(String, String)], rows: [(coin: String, height: String, address: String, amount: String)],
             signatures: [String: String] = [:]) -> String {
    var text = "coin,snapshot height,amount\n"
    for (coin, amount) in summary { text += "\(coin),-,\(amount)\n" }
    text += "\ncoin,Network,Snapshot Height,address,amount,message,signature1,signature2,redeem script/ public key, eoa1, eoa2\n"
    for r in rows {
        text += "\(r.coin),\(r.coin),\(r.height),\(r.address),\(r.amount),I am an OKX address,\(signatures[r.address.lowercased()] ?? "unsigned"),,,,\n"
    }
    return text
}
