import Foundation
import JSONReader

/// Where porcheck asks for balances at the snapshot height: the user's own nodes, per coin.
///
/// Two layouts are read, recognised by their shape:
/// - porcheck's own (`Resources/nodes.example.json`, `Docs/balances.md`):
///   `{"nodes": [{"coin", "network", "kind": "evm"|"bitcoin", "url", "user", "password",
///   "headers": {…}, "tokens": [{"coin", "contract", "decimals"}], "concurrency"}]}`;
/// - OKX's CheckBalance `rpc.json`: `{"BTC": {"rpc": {"endpoint", "jsonPattern", "defaultUnit",
///   "customHeaders", "authUser", "authPassword", "tokenAddress", "enabled"}, "api": {…}}, …}`.
public struct NodeConfig: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable { case evm, bitcoin }

    public struct Token: Sendable, Equatable {
        public var coin: String
        public var contract: String
        public var decimals: Int?
    }

    public struct Node: Sendable, Equatable {
        public var coin: String
        public var network: String?
        public var kind: Kind?
        public var url: URL
        public var user: String?
        public var password: String?
        public var headers: [String: String]
        public var tokens: [Token]
        /// JSONPath of the balance in the node's answer (OKX's `jsonPattern`), when given.
        public var resultPath: JSONPath?
        public var unit: String?
        /// Requests in flight at once to this endpoint.
        public var concurrency: Int
    }

    public var nodes: [Node]

    public struct ConfigError: Error, CustomStringConvertible, Equatable {
        public var message: String
        public var description: String { message }
    }

    public static func load(path: String) throws -> NodeConfig {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigError(message: "\(path): cannot be read") }
        do { return try parse(Array(data)) } catch let e as ConfigError {
            throw ConfigError(message: "\(path): \(e.message)")
        }
    }

    public static func parse(_ bytes: [UInt8]) throws -> NodeConfig {
        let json: JSONValue
        do { json = try JSONParser.parse(bytes) } catch { throw ConfigError(message: "not valid JSON (\(error))") }
        guard case .object(let fields) = json else { throw ConfigError(message: "expected a JSON object at the top level") }
        if case .array(let items)? = json["nodes"] { return NodeConfig(nodes: try items.enumerated().map { try node($1, index: $0) }) }
        // OKX's rpc.json: one object per coin, each with an "rpc" (node) and maybe an "api" part.
        var nodes = [Node]()
        for (coin, value) in fields {
            guard case .object = value, let rpc = value["rpc"], case .object = rpc else { continue }
            if case .bool(false)? = rpc["enabled"] { continue }
            guard let endpoint = string(rpc["endpoint"]), !endpoint.isEmpty else { continue }
            guard let url = URL(string: endpoint), url.scheme != nil else { throw ConfigError(message: "\(coin).rpc.endpoint is not a URL") }
            var token = [Token]()
            if let address = string(rpc["tokenAddress"]), !address.isEmpty { token.append(Token(coin: coin, contract: address, decimals: nil)) }
            let pattern = string(rpc["jsonPattern"]).flatMap { $0.isEmpty ? nil : $0 }
            nodes.append(Node(coin: coin, network: nil, kind: nil, url: url, user: nonEmpty(rpc["authUser"]),
                              password: nonEmpty(rpc["authPassword"]), headers: try headers(rpc["customHeaders"], "\(coin).rpc.customHeaders"),
                              tokens: token, resultPath: try pattern.map { try JSONPath($0) }, unit: nonEmpty(rpc["defaultUnit"]),
                              concurrency: 4))
        }
        guard !nodes.isEmpty else { throw ConfigError(message: "no \"nodes\" list and no enabled OKX rpc entries") }
        return NodeConfig(nodes: nodes.sorted { $0.coin < $1.coin })
    }

    static func node(_ v: JSONValue, index i: Int) throws -> Node {
        let at = "nodes[\(i)]"
        guard case .object = v else { throw ConfigError(message: "\(at) is not an object") }
        guard let coin = string(v["coin"]), !coin.isEmpty else { throw ConfigError(message: "\(at).coin is missing") }
        guard let text = string(v["url"]), let url = URL(string: text), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https" else { throw ConfigError(message: "\(at).url must be an http(s) URL") }
        var kind: Kind?
        if let k = string(v["kind"]) {
            guard let parsed = Kind(rawValue: k) else { throw ConfigError(message: "\(at).kind is \"\(k)\", not evm or bitcoin") }
            kind = parsed
        }
        var tokens = [Token]()
        if case .array(let items)? = v["tokens"] {
            for (j, t) in items.enumerated() {
                guard let symbol = string(t["coin"]), let contract = string(t["contract"]) else {
                    throw ConfigError(message: "\(at).tokens[\(j)] needs coin and contract")
                }
                var decimals: Int?
                if let d = t["decimals"] {
                    guard case .unsigned(let n) = d, n <= 77 else { throw ConfigError(message: "\(at).tokens[\(j)].decimals must be 0…77") }
                    decimals = Int(n)
                }
                tokens.append(Token(coin: symbol, contract: contract, decimals: decimals))
            }
        }
        var concurrency = 8
        if let c = v["concurrency"] {
            guard case .unsigned(let n) = c, n >= 1, n <= 64 else { throw ConfigError(message: "\(at).concurrency must be 1…64") }
            concurrency = Int(n)
        }
        return Node(coin: coin, network: string(v["network"]), kind: kind, url: url, user: nonEmpty(v["user"]),
                    password: nonEmpty(v["password"]), headers: try headers(v["headers"], "\(at).headers"), tokens: tokens,
                    resultPath: try string(v["result_path"]).map { try JSONPath($0) }, unit: nonEmpty(v["unit"]),
                    concurrency: concurrency)
    }

    static func string(_ v: JSONValue?) -> String? { if case .string(let s)? = v { return s } else { return nil } }
    static func nonEmpty(_ v: JSONValue?) -> String? { string(v).flatMap { $0.isEmpty ? nil : $0 } }

    static func headers(_ v: JSONValue?, _ at: String) throws -> [String: String] {
        guard let v else { return [:] }
        guard case .object(let fields) = v else { throw ConfigError(message: "\(at) is not an object") }
        var out = [String: String]()
        for (k, value) in fields {
            guard case .string(let s) = value else { throw ConfigError(message: "\(at).\(k) is not a string") }
            guard !k.contains("\r"), !k.contains("\n"), !s.contains("\r"), !s.contains("\n") else {
                throw ConfigError(message: "\(at).\(k) contains a line break")
            }
            out[k] = s
        }
        return out
    }

    /// The node for a coin (exact match on the coin, then on the network).
    public func node(coin: String, network: String? = nil) -> Node? {
        nodes.first { $0.coin.caseInsensitiveCompare(coin) == .orderedSame }
            ?? network.flatMap { n in nodes.first { $0.network?.caseInsensitiveCompare(n) == .orderedSame } }
    }
}
