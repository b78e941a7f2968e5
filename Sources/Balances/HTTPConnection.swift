import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why a request to a node got no usable answer. `retryable` errors are tried again (with backoff).
public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing answers at the address (refused, unreachable, name not found).
    case unreachable(String)
    /// The node accepted the request but did not answer in time.
    case timedOut(Double)
    /// The answer is not HTTP, or is cut short, or breaks a limit.
    case badAnswer(String)
    /// The node answered with an HTTP error status.
    case httpStatus(Int, String)
    /// The answer is larger than porcheck accepts for this request (bytes, limit).
    case tooLarge(Int?, Int)
    /// An https node's certificate is not accepted, or TLS itself failed (no request was sent).
    case tls(String)

    public var description: String {
        switch self {
        case .unreachable(let why): return "node unreachable: \(why)"
        case .timedOut(let s): return "no answer within \(Self.seconds(s)) (the node stalls)"
        case .badAnswer(let why): return "garbled answer: \(why)"
        case .httpStatus(let code, let text): return "HTTP \(code)\(text.isEmpty ? "" : ": \(text)")"
        case .tooLarge(let n, let limit):
            return "answer \(n.map { "of \($0) bytes" } ?? "larger than that"), more than the \(limit >> 20) MiB porcheck accepts"
        case .tls(let why): return "TLS: \(why)"
        }
    }

    static func seconds(_ s: Double) -> String { s == s.rounded() ? "\(Int(s)) s" : String(format: "%.1f s", s) }
}

/// One keep-alive HTTP/1.1 connection to a node, over a plain POSIX socket, or for an https
/// node over a local socket to the TLS relay child (`TLSRelay`), which does the TLS.
///
/// Why not URLSession: on Linux it lives in FoundationNetworking, which loads libcurl and its
/// dependencies at start-up; porcheck keeps them out of the process (`porcheck verify` starts in
/// a few milliseconds). Owning the socket gives exact control of what matters here: a deadline
/// for the whole request (a stalled node is detected, not waited on), a cap on the answer's size,
/// and one reused connection per worker (the concurrency limit is the number of connections).
/// Through the relay all of that stays here, in porcheck: the relay only moves bytes.
final class HTTPConnection {
    let host: String
    let port: UInt16
    /// Set for https: the connection is a stream to the relay, plaintext HTTP inside.
    let relay: TLSRelay?
    private var fd: Int32 = -1
    /// A response larger than this is refused (a node answering a balance query with megabytes is
    /// broken); set per request.
    private var maximumBytes = 16 << 20

    init(host: String, port: UInt16, relay: TLSRelay? = nil) {
        self.host = host
        self.port = port
        self.relay = relay
    }

    deinit { close() }

    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    struct Response {
        var status: Int
        var reason: String
        var body: [UInt8]
    }

    /// Sends one request and reads the answer, all within `timeout` seconds. A kept-alive
    /// connection the server closed meanwhile is reopened once (requests here are idempotent reads).
    func send(_ request: [UInt8], timeout: Double, maximumBytes: Int = 16 << 20) throws(TransportError) -> Response {
        self.maximumBytes = maximumBytes
        let deadline = Self.now() + timeout
        let reused = fd >= 0
        do {
            return try attempt(request, deadline: deadline, timeout: timeout)
        } catch let error {
            close()
            guard reused, case .badAnswer(let why) = error, why == Self.closedBeforeAnswer else { throw error }
            return try attempt(request, deadline: deadline, timeout: timeout)
        }
    }

    static let closedBeforeAnswer = "the node closed the connection before answering"

    private func attempt(_ request: [UInt8], deadline: Double, timeout: Double) throws(TransportError) -> Response {
        if fd < 0 { try connect(deadline: deadline, timeout: timeout) }
        try writeAll(request, deadline: deadline, timeout: timeout)
        let response = try readResponse(deadline: deadline, timeout: timeout)
        return response
    }

    static func now() -> Double { Sockets.now() }

    private func connect(deadline: Double, timeout: Double) throws(TransportError) {
        if let relay {
            fd = try relay.open(host: host, port: port, deadline: deadline, timeout: timeout)
        } else {
            fd = try Sockets.connect(host: host, port: port, deadline: deadline, timeout: timeout)
        }
    }

    private func wait(_ s: Int32, events: Int16, deadline: Double, timeout: Double) throws(TransportError) {
        try Sockets.wait(s, events: events, deadline: deadline, timeout: timeout)
    }

    private func writeAll(_ bytes: [UInt8], deadline: Double, timeout: Double) throws(TransportError) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return Glibc.send(fd, base + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
            }
            if n > 0 { sent += n; continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                try wait(fd, events: Int16(POLLOUT), deadline: deadline, timeout: timeout)
                continue
            }
            if n < 0 && (errno == EPIPE || errno == ECONNRESET) { throw .badAnswer(Self.closedBeforeAnswer) }
            throw .unreachable(String(cString: strerror(errno)))
        }
    }

    /// Bytes read but not yet consumed.
    private var buffer = [UInt8]()
    private var scratch = [UInt8](repeating: 0, count: 64 << 10)

    /// Reads more bytes into `buffer`; false at end of stream.
    private func fill(deadline: Double, timeout: Double) throws(TransportError) -> Bool {
        while true {
            let n = scratch.withUnsafeMutableBytes { raw in recv(fd, raw.baseAddress, raw.count, 0) }
            if n > 0 {
                buffer.append(contentsOf: scratch[0..<n])
                return true
            }
            if n == 0 { return false }
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                try wait(fd, events: Int16(POLLIN), deadline: deadline, timeout: timeout)
                continue
            }
            if errno == ECONNRESET { return false }
            throw .unreachable(String(cString: strerror(errno)))
        }
    }

    private func readResponse(deadline: Double, timeout: Double) throws(TransportError) -> Response {
        buffer.removeAll(keepingCapacity: true)
        // Status line and headers.
        var headerEnd: Int?
        while headerEnd == nil {
            if let end = Self.find([13, 10, 13, 10], in: buffer) { headerEnd = end; break }
            guard buffer.count <= 64 << 10 else { throw .badAnswer("HTTP headers longer than 64 KiB") }
            guard try fill(deadline: deadline, timeout: timeout) else {
                throw .badAnswer(buffer.isEmpty ? Self.closedBeforeAnswer : "the answer ends inside its HTTP headers")
            }
        }
        guard let end = headerEnd else { throw .badAnswer("no HTTP headers") }
        let head = String(decoding: buffer[0..<end], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]), (100...599).contains(status) else {
            throw .badAnswer("not an HTTP answer (\(Self.printable(statusLine.prefix(60))))")
        }
        var contentLength: Int?
        var chunked = false
        var keepAlive = parts[0] == "HTTP/1.1"
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch name {
            case "content-length":
                guard let n = Int(value), n >= 0 else { throw .badAnswer("Content-Length \(Self.printable(value.prefix(30))) is not a number") }
                contentLength = n
            case "transfer-encoding": chunked = value.lowercased().contains("chunked")
            case "connection":
                if value.lowercased().contains("close") { keepAlive = false }
                if value.lowercased().contains("keep-alive") { keepAlive = true }
            default: break
            }
        }
        buffer.removeSubrange(0..<(end + 4))
        var body: [UInt8]
        if chunked {
            body = try readChunked(deadline: deadline, timeout: timeout)
        } else if let n = contentLength {
            guard n <= maximumBytes else { throw .tooLarge(n, maximumBytes) }
            while buffer.count < n {
                guard try fill(deadline: deadline, timeout: timeout) else { throw .badAnswer("the answer is cut short (\(buffer.count) of \(n) bytes)") }
            }
            body = Array(buffer[0..<n])
            buffer.removeSubrange(0..<n)
        } else {
            while try fill(deadline: deadline, timeout: timeout) {
                guard buffer.count <= maximumBytes else { throw .tooLarge(nil, maximumBytes) }
            }
            body = buffer
            buffer.removeAll()
            keepAlive = false
        }
        if !keepAlive { close() }
        let reason = parts.count > 2 ? String(parts[2]) : ""
        return Response(status: status, reason: reason, body: body)
    }

    private func readChunked(deadline: Double, timeout: Double) throws(TransportError) -> [UInt8] {
        var body = [UInt8]()
        while true {
            var lineEnd = Self.find([13, 10], in: buffer)
            while lineEnd == nil {
                guard buffer.count < 1024 else { throw .badAnswer("chunk size line too long") }
                guard try fill(deadline: deadline, timeout: timeout) else { throw .badAnswer("the answer is cut short inside a chunk") }
                lineEnd = Self.find([13, 10], in: buffer)
            }
            guard let le = lineEnd else { throw .badAnswer("chunk size missing") }
            let sizeText = String(decoding: buffer[0..<le], as: UTF8.self).split(separator: ";").first.map(String.init) ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else {
                throw .badAnswer("chunk size \(Self.printable(sizeText.prefix(20))) is not hex")
            }
            buffer.removeSubrange(0..<(le + 2))
            guard body.count + size <= maximumBytes else { throw .tooLarge(nil, maximumBytes) }
            if size == 0 {
                // Trailers, then the final empty line.
                while Self.find([13, 10], in: buffer) == nil {
                    guard try fill(deadline: deadline, timeout: timeout) else { return body }
                }
                if let e = Self.find([13, 10], in: buffer) { buffer.removeSubrange(0..<(e + 2)) }
                return body
            }
            while buffer.count < size + 2 {
                guard try fill(deadline: deadline, timeout: timeout) else { throw .badAnswer("the answer is cut short inside a chunk") }
            }
            body.append(contentsOf: buffer[0..<size])
            buffer.removeSubrange(0..<(size + 2))
        }
    }

    static func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        var i = 0
        while i <= hay.count - needle.count {
            if hay[i] == needle[0] {
                var match = true
                for k in 1..<needle.count where hay[i + k] != needle[k] { match = false; break }
                if match { return i }
            }
            i += 1
        }
        return nil
    }

    /// Text safe to put in a one-line message.
    static func printable(_ text: some StringProtocol) -> String {
        String(text.map { $0.isASCII && !$0.isNewline && ($0.asciiValue ?? 0) >= 0x20 ? $0 : "?" })
    }
}

/// Socket steps shared by porcheck's HTTP client and its TLS relay child (`porcheck-fetch relay`).
public enum Sockets {
    /// Seconds on the monotonic clock.
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// A non-blocking TCP connection to `host:port` (every address it resolves to, in order),
    /// within the deadline. A connect that does not complete in time is an unreachable node.
    public static func connect(host: String, port: UInt16, deadline: Double, timeout: Double) throws(TransportError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw .unreachable("cannot resolve \(host) (\(String(cString: gai_strerror(status))))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address for \(host)"
        var current: UnsafeMutablePointer<addrinfo>? = first
        while let info = current {
            current = info.pointee.ai_next
            let s = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard s >= 0 else { lastError = String(cString: strerror(errno)); continue }
            var one: Int32 = 1
            setsockopt(s, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            if Glibc.connect(s, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return s }
            guard errno == EINPROGRESS else {
                lastError = "\(host):\(port): \(String(cString: strerror(errno)))"
                Glibc.close(s)
                continue
            }
            do {
                try wait(s, events: Int16(POLLOUT), deadline: deadline, timeout: timeout)
            } catch {
                Glibc.close(s)
                // A connect that never completes is an unreachable node, not a stalled one.
                throw .unreachable("\(host):\(port): connection not accepted within \(TransportError.seconds(timeout))")
            }
            var err: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len)
            if err == 0 { return s }
            lastError = "\(host):\(port): \(String(cString: strerror(err)))"
            Glibc.close(s)
        }
        throw .unreachable(lastError)
    }

    /// Waits until `s` is ready for `events`, or throws `timedOut` at the deadline.
    public static func wait(_ s: Int32, events: Int16, deadline: Double, timeout: Double) throws(TransportError) {
        while true {
            let left = deadline - now()
            guard left > 0 else { throw .timedOut(timeout) }
            var p = pollfd(fd: s, events: events, revents: 0)
            let r = poll(&p, 1, Int32(min(left * 1000, 60_000).rounded(.up)))
            if r > 0 { return }
            if r < 0 && errno != EINTR { throw .unreachable(String(cString: strerror(errno))) }
        }
    }
}
