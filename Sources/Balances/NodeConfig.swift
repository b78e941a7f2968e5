import Foundation
import JSONReader
import Reserves

/// Where porcheck asks for balances at the snapshot height: the user's own nodes, per coin.
///
/// Three layouts are read, recognised by their shape (`Docs/balances.md`):
/// - porcheck's own (`Resources/nodes.example.json`):
///   `{"nodes": [{"coin", "network", "kind": "evm"|"bitcoin", "url", "user", "password", "headers": {…},
///   "decimals", "tokens": [{"coin", "contract", "decimals"}], "concurrency", "timeout", "scan_timeout",
///   "retries"}]}`;
/// - OKX's CheckBalance `rpc.json` as it ships: `{"coins": [{"name": "usdt-erc20", "coin": "eth",
///   "rpc": {"endpoint", "jsonPattern", "defaultUnit", "customHeaders", "authUser", "authPassword",
///   "tokenAddress", "enabled"}, "api": {…}, "whiteList": [{"project", "address", …}]}]}`;
/// - the same entries keyed by coin, as OKX's documentation shows them: `{"BTC": {"rpc": {…}}, …}`.
public struct NodeConfig: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable { case evm, bitcoin }

    /// One node: a JSON-RPC endpoint with its credentials and limits.
    public struct Endpoint: Sendable, Equatable {
        public var kind: Kind
        public var url: URL
        public var user: String?
        public var password: String?
        public var headers: [String: String]
        /// Requests in flight at once to this endpoint.
        public var concurrency: Int
        /// Seconds one request may take (connect, send, answer) before it counts as stalled.
        public var timeout: Double
        /// Seconds one `scantxoutset` may take (it reads the whole UTXO set: minutes on mainnet).
        public var scanTimeout: Double
        /// Further attempts after a failed request (with backoff).
        public var retries: Int
        /// Where the balance is in the node's answer (OKX's `jsonPattern`); `$.result` by default.
        public var resultPath: JSONPath?
        /// A name for messages: `nodes[0]` or `rpc.json eth`.
        public var label: String
    }

    /// How a coin of the wallet list is read from its endpoint.
    public enum Source: Sendable, Equatable {
        /// The chain's own coin: `eth_getBalance` (wei, scaled by `decimals`).
        case evmNative(decimals: Int)
        /// An ERC-20 token: `balanceOf` through `eth_call`; decimals configured or read with `decimals()`.
        case evmToken(contract: String, decimals: Int?)
        /// A Bitcoin Core-compatible node's own coin: `scantxoutset` at the node's height.
        case bitcoinNative
        /// Named in the configuration but not something porcheck can ask a node for (why).
        case unsupported(String)
    }

    public struct Asset: Sendable, Equatable {
        public var coin: String
        /// When set, only rows of this network use the asset.
        public var network: String?
        public var endpoint: Int
        public var source: Source
    }

    public var endpoints: [Endpoint]
    public var assets: [Asset]
    /// `COIN:address` (upper-cased coin, address as listed) → why a node cannot see its funds
    /// (OKX's `whiteList`: e.g. USDT lent to Compound).
    public var whitelisted: [String: String] = [:]

    public struct ConfigError: Error, CustomStringConvertible, Equatable {
        public var message: String
        public var description: String { message }
        public init(message: String) { self.message = message }
    }

    public static func load(path: String) throws -> NodeConfig {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigError(message: "\(path): cannot be read") }
        guard data.count <= 8 << 20 else { throw ConfigError(message: "\(path): larger than 8 MiB, not a node configuration") }
        do { return try parse(Array(data)) } catch let e as ConfigError {
            throw ConfigError(message: "\(path): \(e.message)")
        }
    }

    public static func parse(_ bytes: [UInt8]) throws -> NodeConfig {
        let json: JSONValue
        do { json = try JSONParser.parse(bytes) } catch { throw ConfigError(message: "not valid JSON (\(error))") }
        guard case .object(let fields) = json else { throw ConfigError(message: "expected a JSON object at the top level") }
        var config = NodeConfig(endpoints: [], assets: [])
        if let list = json["nodes"] {
            guard case .array(let items) = list else { throw ConfigError(message: "\"nodes\" is not a list") }
            for (i, item) in items.enumerated() { try config.addNode(item, index: i) }
            guard !config.assets.isEmpty else { throw ConfigError(message: "\"nodes\" is empty") }
            return config
        }
        // OKX's rpc.json: a "coins" list, or (as its documentation shows it) entries keyed by coin.
        var entries = [(name: String, value: JSONValue, at: String)]()
        if let list = json["coins"] {
            guard case .array(let items) = list else { throw ConfigError(message: "\"coins\" is not a list") }
            for (i, item) in items.enumerated() {
                guard case .object = item else { throw ConfigError(message: "coins[\(i)] is not an object") }
                guard let name = nonEmpty(item["name"]) else { throw ConfigError(message: "coins[\(i)].name is missing") }
                entries.append((name, item, "coins[\(i)] (\(name))"))
            }
        } else {
            for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
                guard case .object = value, case .object? = value["rpc"] else { continue }
                entries.append((name, value, name))
            }
        }
        for entry in entries { try config.addOKXEntry(name: entry.name, entry.value, at: entry.at) }
        guard !config.assets.isEmpty else { throw ConfigError(message: "no \"nodes\" list and no enabled OKX rpc entries") }
        return config
    }

    /// The asset a wallet-list row of `coin` (and `network`) is read from.
    public func asset(coin: String, network: String? = nil) -> Asset? {
        assets.first { a in
            guard a.coin.caseInsensitiveCompare(coin) == .orderedSame else { return false }
            guard let wanted = a.network else { return true }
            return network.map { wanted.caseInsensitiveCompare($0) == .orderedSame } ?? false
        }
    }

    // MARK: porcheck's layout

    mutating func addNode(_ v: JSONValue, index i: Int) throws {
        let at = "nodes[\(i)]"
        guard case .object = v else { throw ConfigError(message: "\(at) is not an object") }
        guard let coin = NodeConfig.nonEmpty(v["coin"]) else { throw ConfigError(message: "\(at).coin is missing") }
        let url = try NodeConfig.url(NodeConfig.string(v["url"]), at: "\(at).url")
        let kind: Kind
        if let k = NodeConfig.string(v["kind"]) {
            guard let parsed = Kind(rawValue: k) else { throw ConfigError(message: "\(at).kind is \"\(k)\", not evm or bitcoin") }
            kind = parsed
        } else {
            switch CoinTable.byKey[coin.uppercased()]?.verifyType {
            case "EVM": kind = .evm
            case "UTXO": kind = .bitcoin
            default: throw ConfigError(message: "\(at).kind is missing (evm or bitcoin) and cannot be told from the coin \(coin)")
            }
        }
        var endpoint = Endpoint(kind: kind, url: url, user: NodeConfig.nonEmpty(v["user"]), password: NodeConfig.nonEmpty(v["password"]),
                                headers: try NodeConfig.headers(v["headers"], "\(at).headers"),
                                concurrency: try NodeConfig.integer(v["concurrency"], "\(at).concurrency", 1...64) ?? 8,
                                timeout: try NodeConfig.seconds(v["timeout"], "\(at).timeout") ?? 30,
                                scanTimeout: try NodeConfig.seconds(v["scan_timeout"], "\(at).scan_timeout") ?? 3600,
                                retries: try NodeConfig.integer(v["retries"], "\(at).retries", 0...10) ?? 2,
                                resultPath: nil, label: at)
        if let path = NodeConfig.nonEmpty(v["result_path"]) { endpoint.resultPath = try JSONPath(path) }
        let index = endpoints.count
        endpoints.append(endpoint)
        let decimals = try NodeConfig.integer(v["decimals"], "\(at).decimals", 0...77)
        switch kind {
        case .evm: assets.append(Asset(coin: coin, network: NodeConfig.nonEmpty(v["network"]), endpoint: index, source: .evmNative(decimals: decimals ?? 18)))
        case .bitcoin:
            guard decimals == nil else { throw ConfigError(message: "\(at).decimals: a bitcoin node's amounts are in coins already") }
            assets.append(Asset(coin: coin, network: NodeConfig.nonEmpty(v["network"]), endpoint: index, source: .bitcoinNative))
        }
        if let list = v["tokens"] {
            guard case .array(let items) = list else { throw ConfigError(message: "\(at).tokens is not a list") }
            guard kind == .evm || items.isEmpty else { throw ConfigError(message: "\(at).tokens: tokens need an evm node (balanceOf through eth_call)") }
            for (j, t) in items.enumerated() {
                guard let symbol = NodeConfig.nonEmpty(t["coin"]), let contract = NodeConfig.string(t["contract"]) else {
                    throw ConfigError(message: "\(at).tokens[\(j)] needs coin and contract")
                }
                guard ChainAmounts.balanceOfCallData(address: contract) != nil else {
                    throw ConfigError(message: "\(at).tokens[\(j)].contract is not a 20-byte hex address")
                }
                let d = try NodeConfig.integer(t["decimals"], "\(at).tokens[\(j)].decimals", 0...77)
                assets.append(Asset(coin: symbol, network: NodeConfig.nonEmpty(t["network"]) ?? NodeConfig.nonEmpty(v["network"]),
                                    endpoint: index, source: .evmToken(contract: contract, decimals: d)))
            }
        }
    }

    // MARK: OKX's rpc.json

    /// Chains OKX's rpc.json names (its `coin` field) that speak Ethereum JSON-RPC.
    static let okxEVMChains: Set<String> = ["eth", "arbitrum", "optimism", "polygon", "avaxc", "okc", "bsc", "base", "linea", "zksync"]
    /// Entries OKX's CheckBalance reads with `eth_getBalance` (the chain's own coin).
    static let okxEVMNative: Set<String> = ["eth", "eth-optimism", "eth-arbitrum", "okt"]

    mutating func addOKXEntry(name: String, _ value: JSONValue, at: String) throws {
        guard case .object? = value["rpc"], let rpc = value["rpc"] else { return }
        let coin = name.uppercased()
        if let list = value["whiteList"], case .array(let items) = list {
            for item in items {
                guard let address = NodeConfig.nonEmpty(item["address"]) else { continue }
                let project = NodeConfig.nonEmpty(item["projectFullName"]) ?? NodeConfig.nonEmpty(item["project"]) ?? "a project"
                whitelisted["\(coin):\(address.lowercased())"] = project
            }
        }
        if case .bool(false)? = rpc["enabled"] { return }
        guard let endpointText = NodeConfig.nonEmpty(rpc["endpoint"]) else { return }
        let url = try NodeConfig.url(endpointText, at: "\(at).rpc.endpoint")
        let chain = (NodeConfig.nonEmpty(value["coin"]) ?? name).lowercased()
        let lower = name.lowercased()
        let token = NodeConfig.nonEmpty(rpc["tokenAddress"])
        let pattern = NodeConfig.nonEmpty(rpc["jsonPattern"])
        let kind: Kind
        let source: Source
        if chain == "btc" || chain == "ltc" || chain == "bch" || chain == "doge" || chain == "dash" {
            kind = .bitcoin
            if lower != chain {
                source = .unsupported("\(coin) is a token on \(chain.uppercased()) (Omni): a Bitcoin Core node's scantxoutset sees only \(chain.uppercased()) itself")
            } else {
                source = .bitcoinNative
                if let pattern, pattern != "$.result.total_amount" {
                    throw ConfigError(message: "\(at).rpc.jsonPattern is \(pattern): porcheck reads scantxoutset's answer itself ($.result.total_amount and its unspents); remove the pattern or use that one")
                }
            }
        } else if NodeConfig.okxEVMChains.contains(chain) {
            kind = .evm
            if let token {
                guard ChainAmounts.balanceOfCallData(address: token) != nil else {
                    throw ConfigError(message: "\(at).rpc.tokenAddress is not a 20-byte hex address")
                }
                source = .evmToken(contract: token, decimals: nil)
            } else if NodeConfig.okxEVMNative.contains(lower) {
                source = .evmNative(decimals: 18)
            } else {
                source = .unsupported("rpc.json gives no tokenAddress for \(coin), and it is not the native coin of \(chain.uppercased())")
            }
        } else {
            kind = .evm
            source = .unsupported("\(chain.uppercased()) is not an Ethereum JSON-RPC or Bitcoin Core-compatible chain; porcheck cannot ask its node for a balance at the snapshot height")
        }
        var endpoint = Endpoint(kind: kind, url: url, user: NodeConfig.nonEmpty(rpc["authUser"]), password: NodeConfig.nonEmpty(rpc["authPassword"]),
                                headers: try NodeConfig.headers(rpc["customHeaders"], "\(at).rpc.customHeaders"),
                                concurrency: 4, timeout: 30, scanTimeout: 3600, retries: 2, resultPath: nil, label: "rpc.json \(name)")
        if kind == .evm, let pattern { endpoint.resultPath = try JSONPath(pattern) }
        // Entries naming the same node share it (and its concurrency limit).
        let index: Int
        if let same = endpoints.firstIndex(where: { $0.url == url && $0.user == endpoint.user && $0.password == endpoint.password
                && $0.headers == endpoint.headers && $0.kind == kind && $0.resultPath == endpoint.resultPath }) {
            index = same
        } else {
            index = endpoints.count
            endpoints.append(endpoint)
        }
        assets.append(Asset(coin: coin, network: nil, endpoint: index, source: source))
    }

    // MARK: field readers

    static func string(_ v: JSONValue?) -> String? { if case .string(let s)? = v { return s } else { return nil } }
    static func nonEmpty(_ v: JSONValue?) -> String? { string(v).flatMap { $0.isEmpty ? nil : $0 } }

    static func url(_ text: String?, at: String) throws -> URL {
        guard let text, let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty,
              scheme == "http" || scheme == "https" else {
            throw ConfigError(message: "\(at) must be an http:// or https:// URL")
        }
        if let port = url.port, !(1...65535).contains(port) { throw ConfigError(message: "\(at) has port \(port), not 1…65535") }
        return url
    }

    static func integer(_ v: JSONValue?, _ at: String, _ range: ClosedRange<Int>) throws -> Int? {
        guard let v else { return nil }
        guard case .unsigned(let n) = v, n <= UInt64(range.upperBound), Int(n) >= range.lowerBound else {
            throw ConfigError(message: "\(at) must be \(range.lowerBound)…\(range.upperBound)")
        }
        return Int(n)
    }

    static func seconds(_ v: JSONValue?, _ at: String) throws -> Double? {
        guard let v else { return nil }
        guard let text = v.numberText, let s = Double(text), s >= 0.1, s <= 86_400 else {
            throw ConfigError(message: "\(at) must be a number of seconds, 0.1…86400")
        }
        return s
    }

    static func headers(_ v: JSONValue?, _ at: String) throws -> [String: String] {
        guard let v else { return [:] }
        guard case .object(let fields) = v else { throw ConfigError(message: "\(at) is not an object") }
        var out = [String: String]()
        for (k, value) in fields {
            guard case .string(let s) = value else { throw ConfigError(message: "\(at).\(k) is not a string") }
            guard !k.isEmpty, !k.contains(":"), !k.contains(where: { $0.isNewline || $0 == " " }), !s.contains(where: \.isNewline) else {
                throw ConfigError(message: "\(at).\(k) contains a line break or is not a header name")
            }
            out[k] = s
        }
        return out
    }
}
