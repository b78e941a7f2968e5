import Foundation
import JSONReader

/// Why a node gave no balance, after retries.
public enum NodeError: Error, Sendable, Equatable, CustomStringConvertible {
    case transport(TransportError)
    /// The node answered with a JSON-RPC error object.
    case rpc(code: Int64?, message: String)
    /// The answer is HTTP but not a JSON-RPC answer, or its result is not what the method returns.
    case garbage(String)

    public var description: String {
        switch self {
        case .transport(let t): return t.description
        case .rpc(let code, let message): return "the node answered an error\(code.map { " \($0)" } ?? ""): \(message)"
        case .garbage(let why): return "garbled answer: \(why)"
        }
    }

    /// Whether trying again may help: a node that is down, stalls, or answers garbage may recover;
    /// an error object is the node's considered answer, except "still starting" and "busy scanning".
    public var retryable: Bool {
        switch self {
        case .transport(.httpStatus(let code, _)): return code == 429 || code >= 500
        case .transport(.tooLarge): return false
        // A certificate that is not accepted now will not be in a second.
        case .transport(.tls): return false
        case .transport: return true
        case .garbage: return true
        case .rpc(let code, let message): return code == -28 || message.lowercased().contains("scan already in progress")
        }
    }
}

/// A JSON-RPC client for one endpoint over one keep-alive connection (one per worker thread).
final class RPCClient {
    let endpoint: NodeConfig.Endpoint
    let connection: HTTPConnection
    let path: String
    let fixedHeaders: String
    private var nextID: UInt64 = 1

    /// `relay` carries the connection for an https endpoint (nil: plain http).
    init(endpoint: NodeConfig.Endpoint, relay: TLSRelay? = nil) {
        self.endpoint = endpoint
        let host = endpoint.url.host ?? "127.0.0.1"
        let https = endpoint.url.scheme?.lowercased() == "https"
        let port = UInt16(endpoint.url.port ?? (https ? 443 : 80))
        connection = HTTPConnection(host: host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host, port: port,
                                    relay: https ? (relay ?? TLSRelay.unavailable) : nil)
        var p = endpoint.url.path.isEmpty ? "/" : endpoint.url.path
        if let q = endpoint.url.query { p += "?" + q }
        path = p
        var h = "Host: \(host)\(endpoint.url.port.map { ":\($0)" } ?? "")\r\n"
        h += "Content-Type: application/json\r\nAccept: application/json\r\nConnection: keep-alive\r\nUser-Agent: porcheck\r\n"
        let reserved: Set<String> = ["host", "content-type", "content-length", "connection", "transfer-encoding"]
        // Credentials in the URL (https://user:key@provider/…, as some RPC providers give them)
        // count as basic authentication when the configuration names none.
        let user = endpoint.user ?? endpoint.url.user(percentEncoded: false).flatMap { $0.isEmpty ? nil : $0 }
        let password = endpoint.user != nil ? endpoint.password : endpoint.url.password(percentEncoded: false)
        var hasAuthorization = false
        for (k, v) in endpoint.headers.sorted(by: { $0.key < $1.key }) where !reserved.contains(k.lowercased()) {
            if k.lowercased() == "authorization" {
                // Explicit credentials win over a header (OKX's example carries a bare "Basic").
                if user != nil { continue }
                hasAuthorization = true
            }
            h += "\(k): \(v)\r\n"
        }
        if let user, !hasAuthorization {
            let token = Data("\(user):\(password ?? "")".utf8).base64EncodedString()
            h += "Authorization: Basic \(token)\r\n"
        }
        fixedHeaders = h
    }

    /// Calls `method` once; returns the whole answer object (the result is found with the
    /// endpoint's result path, `$.result` by default).
    func call(_ method: String, _ params: [JSONValue], timeout: Double, maximumBytes: Int = 16 << 20) throws(NodeError) -> JSONValue {
        let id = nextID
        nextID += 1
        let body = JSONValue.object([("jsonrpc", .string("2.0")), ("id", .unsigned(id)), ("method", .string(method)), ("params", .array(params))]).text
        var request = Array("POST \(path) HTTP/1.1\r\n\(fixedHeaders)Content-Length: \(body.utf8.count)\r\n\r\n".utf8)
        request.append(contentsOf: body.utf8)
        let response: HTTPConnection.Response
        do { response = try connection.send(request, timeout: timeout, maximumBytes: maximumBytes) } catch { throw .transport(error) }
        let answer: JSONValue
        do { answer = try JSONParser.parse(response.body) } catch {
            if response.status != 200 { throw .transport(.httpStatus(response.status, HTTPConnection.printable(response.reason.prefix(60)))) }
            throw .garbage("not JSON (\(response.body.count) bytes starting \(HTTPConnection.printable(String(decoding: response.body.prefix(40), as: UTF8.self))))")
        }
        guard case .object = answer else {
            if response.status != 200 { throw .transport(.httpStatus(response.status, HTTPConnection.printable(response.reason.prefix(60)))) }
            throw .garbage("the answer is \(answer.typeName), not a JSON-RPC object")
        }
        if let error = answer["error"], error != .null {
            let code: Int64?
            switch error["code"] {
            case .unsigned(let n)?: code = n <= UInt64(Int64.max) ? Int64(n) : nil
            case .number(let t)?: code = Int64(t)
            default: code = nil
            }
            var message: String
            if case .string(let m)? = error["message"] { message = m } else { message = String(error.text.prefix(200)) }
            message = HTTPConnection.printable(message.prefix(300))
            throw .rpc(code: code, message: message)
        }
        if response.status != 200 { throw .transport(.httpStatus(response.status, HTTPConnection.printable(response.reason.prefix(60)))) }
        return answer
    }

    /// The result of `method` (at the endpoint's result path).
    func result(_ method: String, _ params: [JSONValue], timeout: Double, maximumBytes: Int = 16 << 20) throws(NodeError) -> JSONValue {
        let answer = try call(method, params, timeout: timeout, maximumBytes: maximumBytes)
        if let path = endpoint.resultPath {
            guard let value = path.evaluate(answer) else { throw .garbage("nothing at \(path) in the answer to \(method)") }
            return value
        }
        guard let value = answer["result"] else { throw .garbage("the answer to \(method) has no result") }
        return value
    }
}

/// A node error after all the attempts porcheck made.
public struct NodeFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var error: NodeError
    public var attempts: Int
    public var description: String { attempts > 1 ? "\(error) (after \(attempts) attempts)" : error.description }

    /// A short category for scripts: unreachable, stalled, garbage, http, tls, node-error.
    public var kind: String {
        switch error {
        case .transport(.unreachable): return "unreachable"
        case .transport(.timedOut): return "stalled"
        case .transport(.badAnswer), .transport(.tooLarge), .garbage: return "garbage"
        case .transport(.httpStatus): return "http"
        case .transport(.tls): return "tls"
        case .rpc: return "node-error"
        }
    }
}

/// Tries a call again after retryable failures, waiting 0.2 s, 0.4 s, 0.8 s … (at most 5 s, with jitter).
struct RetryPolicy: Sendable {
    var retries: Int
    var baseDelay = 0.2
    var cancelled: @Sendable () -> Bool = { false }

    func run<T>(_ body: () throws(NodeError) -> T) throws(NodeFailure) -> (value: T, attempts: Int) {
        var attempt = 0
        while true {
            attempt += 1
            do { return (try body(), attempt) } catch {
                guard error.retryable, attempt <= retries, !cancelled() else { throw NodeFailure(error: error, attempts: attempt) }
                let delay = min(5, baseDelay * pow(2, Double(attempt - 1))) * Double.random(in: 0.8...1.2)
                usleep(useconds_t(delay * 1_000_000))
            }
        }
    }
}
