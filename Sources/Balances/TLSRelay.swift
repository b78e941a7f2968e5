import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// porcheck's side of the TLS relay: https:// nodes are reached through one long-lived child,
/// `porcheck-fetch relay`, started on the first https connection of a run.
///
/// Why a child: TLS needs OpenSSL, and porcheck keeps libssl (and libcurl) out of its own process
/// so that every `porcheck verify` starts in milliseconds. Why not URLSession in the child: on
/// Linux, swift-corelibs-foundation offers no way to trust another CA (its
/// `URLSessionCertificateAuthorityInfoFile` variable is read on Android only, and server-trust
/// challenges are unsupported), so neither `--ca-file` nor a test CA could work.
///
/// How: porcheck and the child share a Unix socket pair (the child's standard input and output).
/// For each connection porcheck makes another socket pair, and sends one end with an `open`
/// frame (host, port, milliseconds left) as SCM_RIGHTS. The child connects, does the TLS
/// handshake (certificate and host name always verified), writes one `status` frame on that
/// socket, and then only moves bytes between it and the TLS stream, a few KiB at a time. HTTP
/// stays in porcheck's own client (`HTTPConnection`): the deadline, the size cap, keep-alive,
/// the error categories and retries are the same as for http://, and the child never sees
/// credentials in a form it could log (they are inside the bytes it moves). The child exits
/// when its standard input closes, so porcheck exiting or crashing ends it.
public final class TLSRelay: @unchecked Sendable {
    let executable: String?
    let caFile: String?
    private let lock = NSLock()
    private var control: Int32 = -1
    private var child: pid_t = 0
    /// Why the relay cannot be used (set once a start failed): every https connection gets it.
    private var failure: String?
    private var starts = 0
    /// Set by `stop()`: a request still in flight after its run ended must not start another child.
    private var stopped = false

    /// A relay that never starts (an https client made without one): https is refused, never sent in plain.
    static let unavailable = TLSRelay(executable: nil, caFile: nil)

    /// `executable`: porcheck-fetch (nil: none available). `caFile`: PEM certificates trusted
    /// besides the system's (`--ca-file`).
    public init(executable: String?, caFile: String?) {
        self.executable = executable
        self.caFile = caFile
    }

    deinit { stop() }

    /// porcheck-fetch next to the running executable (as `porcheck wallets` finds it).
    public static func besideExecutable() -> String? {
        guard let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("porcheck-fetch").path
    }

    /// The child's process id while it runs (tests look for leftovers).
    public var processID: pid_t? { lock.lock(); defer { lock.unlock() }; return control >= 0 ? child : nil }

    /// A connected stream to `host:port` with TLS done by the relay: plaintext HTTP from here on.
    func open(host: String, port: UInt16, deadline: Double, timeout: Double) throws(TransportError) -> Int32 {
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw .unreachable("cannot make a socket for the TLS relay: \(String(cString: strerror(errno)))")
        }
        let millis = UInt64(max(1, (deadline - Sockets.now()) * 1000))
        let frame = RelayFrame(kind: .open, [host, String(port), String(millis)])
        do {
            try hand(frame, fd: pair[1])
        } catch {
            Glibc.close(pair[0])
            Glibc.close(pair[1])
            throw error
        }
        Glibc.close(pair[1])
        let s = pair[0]
        _ = fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK)
        do {
            let status = try RelayFrame.read(from: s, deadline: deadline, timeout: timeout)
            try status.throwUnlessOK(timeout: timeout)
            return s
        } catch {
            Glibc.close(s)
            throw error
        }
    }

    /// Sends an open frame with the connection's socket; starts the child when none runs, and
    /// once more if it has died (a crash in one connection is not the end of every https check).
    private func hand(_ frame: RelayFrame, fd: Int32) throws(TransportError) {
        lock.lock()
        defer { lock.unlock() }
        while true {
            if let failure { throw .tls(failure) }
            if stopped { throw .tls("the run is over (its TLS relay has been stopped)") }
            if control < 0 { try startLocked() }
            let sent = FDPassing.send(control, bytes: frame.encoded, fd: fd)
            if sent == 0 { return }
            let why = reapLocked()
            guard starts < 3 else {
                failure = "the TLS relay (porcheck-fetch relay) \(why) (\(String(cString: strerror(sent))))"
                throw .tls(failure ?? "")
            }
        }
    }

    private func startLocked() throws(TransportError) {
        starts += 1
        guard let executable, FileManager.default.isExecutableFile(atPath: executable) else {
            failure = "https:// needs porcheck-fetch (the TLS relay) installed next to porcheck"
            throw .tls(failure ?? "")
        }
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw .unreachable("cannot make a socket for the TLS relay: \(String(cString: strerror(errno)))")
        }
        // dup2 clears close-on-exec on 0 and 1; the original descriptor is closed by exec. Its own
        // process group: Ctrl-C at the terminal reaches porcheck, which stops the run and keeps its
        // answers; the relay ends when porcheck closes its standard input.
        let argv = [executable, "relay"] + (caFile.map { ["--ca-file", $0] } ?? [])
        let pid: pid_t
        do {
            pid = try Spawn.start(argv, [.duplicate(pair[1], as: 0), .duplicate(pair[1], as: 1)], defaultSignals: [SIGPIPE, SIGTERM, SIGINT])
        } catch {
            Glibc.close(pair[0])
            Glibc.close(pair[1])
            failure = "cannot start the TLS relay \(executable): \(error)"
            throw .tls(failure ?? "")
        }
        Glibc.close(pair[1])
        child = pid
        control = pair[0]
        // The child says it is ready (or why not: an unreadable --ca-file) before any connection.
        let started = Sockets.now()
        do {
            let ready = try RelayFrame.read(from: control, message: true, deadline: started + 60, timeout: 60)
            try ready.throwUnlessOK(timeout: 60)
        } catch {
            // A helper that says nothing sensible is not waited for.
            let why = reapLocked(grace: 0)
            failure = "the TLS relay did not start (\(why)): \(error)"
            throw .tls(failure ?? "")
        }
    }

    /// Closes the control socket and reaps the child; says how it ended.
    @discardableResult
    private func reapLocked(grace: Double = 2) -> String {
        guard control >= 0 else { return "is not running" }
        Glibc.close(control)
        control = -1
        var status: Int32 = 0
        let deadline = Sockets.now() + grace
        while waitpid(child, &status, WNOHANG) == 0 {
            if Sockets.now() >= deadline {
                // Its process group: the relay and anything it started.
                kill(-child, SIGKILL)
                waitpid(child, &status, 0)
                return "did not exit and was killed"
            }
            usleep(5_000)
        }
        let signal = status & 0x7f
        return signal == 0 ? "exited with status \((status >> 8) & 0xff)" : "was killed by signal \(signal)"
    }

    /// Ends the child (it exits when its standard input closes) and waits for it.
    public func stop() {
        lock.lock()
        stopped = true
        reapLocked()
        lock.unlock()
    }
}

/// The frames between porcheck and the relay, binary-safe: a 4-byte big-endian length of what
/// follows, a kind byte, then fields, each a 4-byte big-endian length and that many bytes.
public struct RelayFrame: Equatable, Sendable {
    public enum Kind: UInt8, Sendable {
        /// porcheck → relay, with a connection's socket: host, port, milliseconds left.
        case open = 0x4F
        /// relay → porcheck: a `Status` word and a message.
        case status = 0x53
    }

    /// What the relay says of a connection (or of its own start).
    public enum Status: String, Sendable {
        case ok
        case unreachable
        case timedOut = "timed-out"
        case tls
        /// A malformed request or an internal failure in the relay.
        case failed = "error"
    }

    public var kind: Kind
    public var fields: [[UInt8]]

    /// Frames are small (a host name and a message); anything larger is malformed.
    public static let maximumSize = 16 << 10

    public init(kind: Kind, _ fields: [String]) {
        self.kind = kind
        self.fields = fields.map { Array($0.utf8) }
    }

    public static func status(_ status: Status, _ message: String = "") -> RelayFrame {
        RelayFrame(kind: .status, [status.rawValue, String(message.prefix(2000))])
    }

    public var encoded: [UInt8] {
        var body: [UInt8] = [kind.rawValue]
        for f in fields {
            body += Self.bigEndian(UInt32(f.count))
            body += f
        }
        return Self.bigEndian(UInt32(body.count)) + body
    }

    public struct Malformed: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// A whole frame, length prefix included.
    public static func decode(_ bytes: [UInt8]) throws(Malformed) -> RelayFrame {
        guard bytes.count >= 5 else { throw Malformed(description: "\(bytes.count) bytes, shorter than a frame") }
        let length = Int(readBigEndian(bytes, at: 0))
        guard length == bytes.count - 4 else { throw Malformed(description: "its length says \(length) bytes, it has \(bytes.count - 4)") }
        guard let kind = Kind(rawValue: bytes[4]) else { throw Malformed(description: "unknown kind \(bytes[4])") }
        var fields = [[UInt8]]()
        var i = 5
        while i < bytes.count {
            guard bytes.count - i >= 4 else { throw Malformed(description: "a field length cut short") }
            let n = Int(readBigEndian(bytes, at: i))
            i += 4
            guard n <= bytes.count - i else { throw Malformed(description: "a field of \(n) bytes runs past the frame") }
            fields.append(Array(bytes[i..<(i + n)]))
            i += n
        }
        return RelayFrame(kind: kind, fields: fields)
    }

    init(kind: Kind, fields: [[UInt8]]) {
        self.kind = kind
        self.fields = fields
    }

    /// Field `i` as text (nil when missing or not UTF-8).
    public func text(_ i: Int) -> String? {
        guard i < fields.count else { return nil }
        return String(validating: fields[i], as: UTF8.self)
    }

    /// Reads exactly one frame within the deadline: from a stream socket byte-exact (what follows
    /// is the connection's own data), or as one message from a seqpacket socket (`message`).
    static func read(from s: Int32, message: Bool = false, deadline: Double, timeout: Double) throws(TransportError) -> RelayFrame {
        var bytes = [UInt8]()
        var wanted = 4
        var scratch = [UInt8](repeating: 0, count: maximumSize + 8)
        while bytes.count < wanted {
            let n = scratch.withUnsafeMutableBytes { raw in
                recv(s, raw.baseAddress, message ? raw.count : wanted - bytes.count, Int32(MSG_DONTWAIT))
            }
            if message, n > 0 {
                bytes = Array(scratch[0..<n])
                break
            }
            if n > 0 {
                bytes += scratch[0..<n]
                if bytes.count >= 4 && wanted == 4 {
                    let length = Int(readBigEndian(bytes, at: 0))
                    guard length >= 1, length <= maximumSize else {
                        throw .badAnswer("the TLS relay sent a malformed frame (length \(length))")
                    }
                    wanted = 4 + length
                }
                continue
            }
            if n == 0 { throw .badAnswer("the TLS relay closed the connection without a status (did it exit?)") }
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                // A stalled relay is a stalled request: porcheck's deadline holds here too.
                try Sockets.wait(s, events: Int16(POLLIN), deadline: deadline, timeout: timeout)
                continue
            }
            throw .badAnswer("cannot read from the TLS relay: \(String(cString: strerror(errno)))")
        }
        do { return try decode(bytes) } catch { throw .badAnswer("the TLS relay sent a malformed frame (\(error))") }
    }

    /// A status frame's meaning for porcheck's client: nothing for ok, else its transport error.
    func throwUnlessOK(timeout: Double) throws(TransportError) {
        guard kind == .status, let word = text(0), let status = Status(rawValue: word) else {
            throw .badAnswer("the TLS relay sent a malformed frame (not a status)")
        }
        let message = HTTPConnection.printable((text(1) ?? "").prefix(500))
        switch status {
        case .ok: return
        case .unreachable: throw .unreachable(message)
        case .timedOut: throw .timedOut(timeout)
        case .tls: throw .tls(message)
        case .failed: throw .badAnswer("the TLS relay failed: \(message)")
        }
    }

    static func bigEndian(_ n: UInt32) -> [UInt8] { [UInt8(n >> 24), UInt8((n >> 16) & 0xff), UInt8((n >> 8) & 0xff), UInt8(n & 0xff)] }

    static func readBigEndian(_ b: [UInt8], at i: Int) -> UInt32 {
        UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
    }
}

/// One message with one file descriptor over a Unix socket (SCM_RIGHTS).
public enum FDPassing {
    /// The control-message header, and where its data starts (aligned as CMSG_DATA aligns it).
    static let headerSize = MemoryLayout<cmsghdr>.size
    static let dataOffset = (headerSize + MemoryLayout<Int>.size - 1) & ~(MemoryLayout<Int>.size - 1)
    static let space = dataOffset + MemoryLayout<Int>.size

    /// Sends `bytes` with `fd` attached; 0, or the errno (EPIPE: the other side is gone).
    public static func send(_ socket: Int32, bytes: [UInt8], fd: Int32) -> Int32 {
        var payload = bytes
        var control = [UInt8](repeating: 0, count: space)
        control.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            let header = base.assumingMemoryBound(to: cmsghdr.self)
            header.pointee.cmsg_len = dataOffset + MemoryLayout<Int32>.size
            header.pointee.cmsg_level = SOL_SOCKET
            header.pointee.cmsg_type = Int32(SCM_RIGHTS)
            (base + dataOffset).storeBytes(of: fd, as: Int32.self)
        }
        return withMessage(&payload, &control) { message, _ in
            while true {
                if sendmsg(socket, &message, Int32(MSG_NOSIGNAL)) >= 0 { return 0 }
                if errno != EINTR { return errno }
            }
        }
    }

    /// A msghdr over `payload` (one iovec) and `control`, valid inside `body`.
    private static func withMessage<T>(_ payload: inout [UInt8], _ control: inout [UInt8],
                                       _ body: (inout msghdr, UnsafeMutableRawBufferPointer) -> T) -> T {
        payload.withUnsafeMutableBytes { data in
            control.withUnsafeMutableBytes { ctl in
                var iov = iovec(iov_base: data.baseAddress, iov_len: data.count)
                return withUnsafeMutablePointer(to: &iov) { iovp in
                    var message = msghdr()
                    message.msg_iov = iovp
                    message.msg_iovlen = 1
                    message.msg_control = ctl.baseAddress
                    message.msg_controllen = ctl.count
                    return body(&message, ctl)
                }
            }
        }
    }

    public struct Received {
        public var bytes: [UInt8]
        /// The descriptor that came with the message (close-on-exec), if any.
        public var fd: Int32?
        /// The message or its control data did not fit: treat it as malformed.
        public var truncated: Bool
    }

    /// Receives one message (blocking); nil at the end of the stream (the other side closed).
    public static func receive(_ socket: Int32, maximum: Int) -> Received? {
        var payload = [UInt8](repeating: 0, count: maximum + 1)
        // Room for more than one descriptor, so that extra ones can be seen and closed.
        var control = [UInt8](repeating: 0, count: space * 4)
        var flags: Int32 = 0
        var fds = [Int32]()
        let n = withMessage(&payload, &control) { message, ctl -> Int in
            var r = -1
            repeat { r = recvmsg(socket, &message, Int32(MSG_CMSG_CLOEXEC)) } while r < 0 && errno == EINTR
            flags = message.msg_flags
            // Walk the control messages by hand (CMSG_NXTHDR is a macro).
            var offset = 0
            let end = min(message.msg_controllen, ctl.count)
            while r >= 0, let base = ctl.baseAddress, offset + headerSize <= end {
                let header = (base + offset).assumingMemoryBound(to: cmsghdr.self).pointee
                guard header.cmsg_len >= headerSize, offset + header.cmsg_len <= end else { break }
                if header.cmsg_level == SOL_SOCKET, header.cmsg_type == Int32(SCM_RIGHTS) {
                    let count = (header.cmsg_len - dataOffset) / MemoryLayout<Int32>.size
                    for k in 0..<count {
                        fds.append((base + offset + dataOffset + k * MemoryLayout<Int32>.size).loadUnaligned(as: Int32.self))
                    }
                }
                offset += (header.cmsg_len + MemoryLayout<Int>.size - 1) & ~(MemoryLayout<Int>.size - 1)
            }
            return r
        }
        guard n > 0 else { return nil }
        fds.dropFirst().forEach { Glibc.close($0) }
        let truncated = n > maximum || flags & Int32(MSG_TRUNC) != 0 || flags & Int32(MSG_CTRUNC) != 0 || fds.count > 1
        return Received(bytes: Array(payload[0..<min(n, maximum)]), fd: fds.first, truncated: truncated)
    }
}
