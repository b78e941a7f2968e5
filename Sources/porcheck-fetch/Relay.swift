import Balances
import COpenSSL
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `porcheck-fetch relay [--ca-file FILE]`: TLS for porcheck's https:// nodes (`TLSRelay` in
/// Balances describes the protocol and why it is a child process).
///
/// Standard input and output are one Unix seqpacket socket shared with porcheck. The relay says
/// it is ready with one status frame, then takes `open` frames, each with a connection's socket:
/// it connects, does the TLS handshake (the certificate must chain to the system's CAs or the
/// `--ca-file`, and name the host), answers one status frame on that socket, and moves bytes
/// both ways until either side closes. It never parses or keeps what it moves. It exits as soon
/// as standard input ends: porcheck has exited, crashed or finished its run.
enum Relay {
    static func run(_ arguments: [String]) -> Never {
        // Writes to a connection porcheck already closed must fail, not kill the relay.
        signal(SIGPIPE, SIG_IGN)
        let control: Int32 = 0
        // Run by hand (a terminal, a file) there is nobody to answer: say so instead of exiting silently.
        var type: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(control, SOL_SOCKET, SO_TYPE, &type, &size) == 0, type == Int32(SOCK_SEQPACKET.rawValue) else {
            FileHandle.standardError.write(Data("error: porcheck-fetch relay is started by porcheck balances (its standard input must be porcheck's socket)\n".utf8))
            exit(2)
        }
        var caFile: String?
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            guard argument == "--ca-file", let file = rest.popFirst() else {
                answer(control, .status(.failed, "usage: porcheck-fetch relay [--ca-file FILE]"))
                exit(2)
            }
            caFile = file
        }
        let context: TLSContext
        do { context = try TLSContext(caFile: caFile) } catch {
            answer(control, .status(.tls, "\(error)"))
            exit(2)
        }
        answer(control, .status(.ok))
        while true {
            // nil: porcheck closed its end (it exited, crashed or finished the run).
            guard let message = FDPassing.receive(control, maximum: RelayFrame.maximumSize) else { exit(0) }
            guard let fd = message.fd else { continue }  // nowhere to answer: nothing to do
            guard !message.truncated, let frame = try? RelayFrame.decode(message.bytes), frame.kind == .open,
                  let host = frame.text(0), !host.isEmpty, host.count <= 255, !host.contains("\0"),
                  let port = frame.text(1).flatMap({ UInt16($0) }), port > 0,
                  let millis = frame.text(2).flatMap({ UInt64($0) }), millis > 0, millis <= 86_400_000 else {
                answer(fd, .status(.failed, "malformed open frame"))
                Glibc.close(fd)
                continue
            }
            let connection = Connection(local: fd, host: host, port: port, timeout: Double(millis) / 1000, context: context)
            let thread = Thread { connection.run() }
            thread.stackSize = 512 << 10
            thread.start()
        }
    }

    /// One frame on a socket (status answers are small: one send, or nothing if porcheck is gone).
    static func answer(_ fd: Int32, _ frame: RelayFrame) {
        let bytes = frame.encoded
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// What OpenSSL queued on this thread, as short reasons ("certificate verify failed").
    static func opensslErrors() -> String {
        var parts = [String]()
        while true {
            let e = ERR_get_error()
            if e == 0 { break }
            if let reason = ERR_reason_error_string(e) {
                parts.append(String(cString: reason))
            } else {
                var text = [CChar](repeating: 0, count: 256)
                ERR_error_string_n(e, &text, text.count)
                parts.append(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
        }
        return parts.isEmpty ? "no detail from OpenSSL" : parts.joined(separator: "; ")
    }
}

/// The TLS settings every connection shares: TLS 1.2 or later, the peer always verified.
final class TLSContext: @unchecked Sendable {
    let ctx: OpaquePointer

    struct Failure: Error, CustomStringConvertible { var description: String }

    init(caFile: String?) throws {
        guard let ctx = SSL_CTX_new(TLS_client_method()) else { throw Failure(description: "OpenSSL: \(Relay.opensslErrors())") }
        self.ctx = ctx
        _ = porcheck_ctx_minimum_tls12(ctx)
        _ = porcheck_ctx_partial_writes(ctx)
        // SSL_VERIFY_PEER: a certificate that does not verify ends the handshake. There is
        // deliberately no switch to turn this off: a balance from an unauthenticated node proves nothing.
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
        // The system's CAs (Debian: /etc/ssl/certs), as curl and URLSession use them.
        guard SSL_CTX_set_default_verify_paths(ctx) == 1 else {
            throw Failure(description: "cannot load the system's CA certificates: \(Relay.opensslErrors())")
        }
        if let caFile {
            // Added to the system's, not instead of them.
            guard SSL_CTX_load_verify_locations(ctx, caFile, nil) == 1 else {
                throw Failure(description: "\(caFile): cannot be read as PEM CA certificates (\(Relay.opensslErrors()))")
            }
        }
    }

    deinit { SSL_CTX_free(ctx) }
}

/// One https connection: TLS to the node, plaintext to porcheck.
final class Connection: @unchecked Sendable {
    let local: Int32
    let host: String
    let port: UInt16
    let timeout: Double
    let context: TLSContext

    init(local: Int32, host: String, port: UInt16, timeout: Double, context: TLSContext) {
        self.local = local
        self.host = host
        self.port = port
        self.timeout = timeout
        self.context = context
    }

    var peer: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    func run() {
        defer { Glibc.close(local) }
        ERR_clear_error()
        let deadline = Sockets.now() + timeout
        let s: Int32
        do { s = try Sockets.connect(host: host, port: port, deadline: deadline, timeout: timeout) } catch {
            switch error {
            case .timedOut: Relay.answer(local, .status(.timedOut))
            case .unreachable(let why): Relay.answer(local, .status(.unreachable, why))
            default: Relay.answer(local, .status(.unreachable, error.description))
            }
            return
        }
        defer { Glibc.close(s) }
        guard let ssl = SSL_new(context.ctx) else {
            Relay.answer(local, .status(.failed, "OpenSSL: \(Relay.opensslErrors())"))
            return
        }
        defer { SSL_free(ssl) }
        guard configure(ssl, socket: s) else {
            Relay.answer(local, .status(.failed, "cannot set up TLS for \(peer): \(Relay.opensslErrors())"))
            return
        }
        let (status, message) = handshake(ssl, socket: s, deadline: deadline)
        Relay.answer(local, .status(status, message))
        guard status == .ok else { return }
        pump(ssl, socket: s)
        // A polite close_notify, without waiting for the node's.
        _ = SSL_shutdown(ssl)
    }

    /// The name the certificate must carry (or the IP address), SNI, and HTTP/1.1 by ALPN.
    private func configure(_ ssl: OpaquePointer, socket s: Int32) -> Bool {
        guard SSL_set_fd(ssl, s) == 1 else { return false }
        var v4 = in_addr(), v6 = in6_addr()
        let isAddress = inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
        if isAddress {
            // No SNI for an address (RFC 6066); the certificate must list it as an IP SAN.
            guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) == 1 else { return false }
        } else {
            guard porcheck_ssl_set_sni(ssl, host) == 1, SSL_set1_host(ssl, host) == 1 else { return false }
        }
        let alpn: [UInt8] = [8] + Array("http/1.1".utf8)
        // SSL_set_alpn_protos returns 0 on success.
        guard SSL_set_alpn_protos(ssl, alpn, UInt32(alpn.count)) == 0 else { return false }
        SSL_set_connect_state(ssl)
        return true
    }

    private func handshake(_ ssl: OpaquePointer, socket s: Int32, deadline: Double) -> (RelayFrame.Status, String) {
        while true {
            let r = SSL_do_handshake(ssl)
            if r == 1 { return (.ok, "") }
            let error = SSL_get_error(ssl, r)
            let events: Int16
            switch error {
            case SSL_ERROR_WANT_READ: events = Int16(POLLIN)
            case SSL_ERROR_WANT_WRITE: events = Int16(POLLOUT)
            default:
                let verify = SSL_get_verify_result(ssl)
                if verify != X509_V_OK {
                    let why = String(cString: X509_verify_cert_error_string(verify))
                    ERR_clear_error()
                    return (.tls, "the certificate of \(peer) is not accepted: \(why)")
                }
                if error == SSL_ERROR_SYSCALL || error == SSL_ERROR_ZERO_RETURN, ERR_peek_error() == 0 {
                    return (.unreachable, "\(peer) closed the connection during the TLS handshake")
                }
                return (.tls, "the TLS handshake with \(peer) failed: \(Relay.opensslErrors())")
            }
            do { try Sockets.wait(s, events: events, deadline: deadline, timeout: timeout) } catch {
                return (.timedOut, "")
            }
        }
    }

    /// Moves bytes until either side closes, holding at most one 16 KiB piece per direction:
    /// porcheck reads (and caps) the answer, so a huge one waits in the node's socket, not here.
    private func pump(_ ssl: OpaquePointer, socket s: Int32) {
        _ = fcntl(local, F_SETFL, fcntl(local, F_GETFL) | O_NONBLOCK)
        var toNode = [UInt8](), toNodeSent = 0
        var toPorcheck = [UInt8](), toPorcheckSent = 0
        var scratch = [UInt8](repeating: 0, count: 16 << 10)
        var nodeClosed = false
        var nodeHungUp = false
        while true {
            var progressed = false
            var localEvents: Int16 = 0, nodeEvents: Int16 = 0
            if toNode.isEmpty {
                let n = scratch.withUnsafeMutableBytes { recv(local, $0.baseAddress, $0.count, 0) }
                if n > 0 {
                    toNode = Array(scratch[0..<n])
                    toNodeSent = 0
                    progressed = true
                } else if n == 0 {
                    return  // porcheck is done with this connection
                } else if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                    localEvents |= Int16(POLLIN)
                } else {
                    return
                }
            }
            if !toNode.isEmpty {
                let left = toNode.count - toNodeSent
                let r = toNode.withUnsafeBytes { SSL_write(ssl, $0.baseAddress.map { $0 + toNodeSent }, Int32(left)) }
                if r > 0 {
                    toNodeSent += Int(r)
                    if toNodeSent == toNode.count { toNode.removeAll(keepingCapacity: true) }
                    progressed = true
                } else {
                    switch SSL_get_error(ssl, r) {
                    case SSL_ERROR_WANT_READ where !nodeHungUp: nodeEvents |= Int16(POLLIN)
                    case SSL_ERROR_WANT_WRITE where !nodeHungUp: nodeEvents |= Int16(POLLOUT)
                    default: return  // the node's side broke: closing tells porcheck
                    }
                }
            }
            if toPorcheck.isEmpty && !nodeClosed {
                let r = scratch.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
                if r > 0 {
                    toPorcheck = Array(scratch[0..<Int(r)])
                    toPorcheckSent = 0
                    progressed = true
                } else {
                    switch SSL_get_error(ssl, r) {
                    // After a hang-up everything readable has been read: that is the end.
                    case SSL_ERROR_WANT_READ where !nodeHungUp: nodeEvents |= Int16(POLLIN)
                    case SSL_ERROR_WANT_WRITE where !nodeHungUp: nodeEvents |= Int16(POLLOUT)
                    default:
                        nodeClosed = true
                        ERR_clear_error()
                    }
                }
            }
            if !toPorcheck.isEmpty {
                let left = toPorcheck.count - toPorcheckSent
                let n = toPorcheck.withUnsafeBytes { send(local, $0.baseAddress.map { $0 + toPorcheckSent }, left, Int32(MSG_NOSIGNAL)) }
                if n > 0 {
                    toPorcheckSent += n
                    if toPorcheckSent == toPorcheck.count { toPorcheck.removeAll(keepingCapacity: true) }
                    progressed = true
                } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                    localEvents |= Int16(POLLOUT)
                } else {
                    return
                }
            }
            // The node closed and porcheck has everything it sent: closing says so (end of stream).
            if nodeClosed && toPorcheck.isEmpty { return }
            if progressed { continue }
            // A node that hung up is not polled again (it would report the hang-up for ever).
            var fds = [pollfd(fd: local, events: localEvents, revents: 0), pollfd(fd: nodeHungUp ? -1 : s, events: nodeEvents, revents: 0)]
            let r = poll(&fds, 2, -1)
            if r < 0 && errno != EINTR { return }
            let hangUp = Int16(POLLHUP) | Int16(POLLERR) | Int16(POLLNVAL)
            // porcheck closed its end (done, timed out, or over the size cap): drop the node's connection.
            if fds[0].revents & hangUp != 0 { return }
            if fds[1].revents & hangUp != 0 { nodeHungUp = true }
        }
    }
}
