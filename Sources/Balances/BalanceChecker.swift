import Foundation
import JSONReader
import Reserves

/// Asks the configured nodes for every address's balance at its snapshot height, concurrently
/// (at most `concurrency` requests in flight per endpoint), with retries, timeouts and a result
/// for every address whatever happens to the nodes.
public final class BalanceChecker: @unchecked Sendable {
    public struct Options: Sendable {
        /// Addresses per `scantxoutset` (each scan reads the whole UTXO set once).
        public var scanChunk = 1000
        /// Largest `scantxoutset` answer read, in bytes; a chunk whose unspent outputs do not fit is
        /// scanned again in halves.
        public var scanAnswerLimit = 64 << 20
        /// First retry delay in seconds (doubled each time).
        public var retryBaseDelay = 0.2
        /// Replaces every endpoint's concurrency (benchmarks: 1 is one request at a time).
        public var concurrency: Int?
        /// PEM certificates trusted for https:// nodes besides the system's (`--ca-file`).
        public var caFile: String?
        /// The TLS relay for https:// nodes (`porcheck-fetch relay`); nil: next to the executable.
        public var relayExecutable: String?
        public init() {}
    }

    public let config: NodeConfig
    public let options: Options
    let cancelled = Flag()

    public init(config: NodeConfig, options: Options = Options()) {
        self.config = config
        self.options = options
    }

    /// Stops asking: requests in flight finish, nothing new is sent.
    public func cancel() { cancelled.set() }

    /// Checks `checks`, calling `onResult` on the calling thread as answers arrive, and `tick`
    /// about ten times a second; returns false when `tick` returned false (the run was stopped
    /// and some checks have no result).
    @discardableResult
    public func run(_ checks: [AddressCheck], onResult: (AddressResult) -> Void, tick: () -> Bool = { true }) -> Bool {
        let sink = ResultSink()
        var byEndpoint = [Int: [(AddressCheck, NodeConfig.Asset)]]()
        for check in checks {
            switch classify(check) {
            case .left(let result): sink.push(result)
            case .right(let asset): byEndpoint[asset.endpoint, default: []].append((check, asset))
            }
        }
        // One relay child for every https endpoint of the run, started only when one connects,
        // and gone when the run is: no TLS helper outlives the check.
        let relay = TLSRelay(executable: options.relayExecutable ?? TLSRelay.besideExecutable(), caFile: options.caFile)
        defer { relay.stop() }
        var threads = [Thread]()
        for (index, items) in byEndpoint.sorted(by: { $0.key < $1.key }) {
            var endpoint = config.endpoints[index]
            if let c = options.concurrency { endpoint.concurrency = c }
            let run = EndpointRun(endpoint: endpoint, items: items, sink: sink, options: options, cancelled: cancelled, relay: relay)
            let thread = Thread {
                run.run()
                sink.endpointFinished()
            }
            thread.stackSize = 1 << 20
            threads.append(thread)
            thread.start()
        }
        var answered = Set<String>()
        while answered.count < checks.count {
            let finished = sink.finishedEndpoints
            for result in sink.take(timeout: 0.1) where answered.insert(result.check.key).inserted {
                onResult(result)
            }
            if !tick() {
                cancel()
                return false
            }
            // Every endpoint is done: an address without a result would be a bug; say so rather than wait forever.
            if finished == threads.count, answered.count < checks.count, sink.isEmpty {
                for check in checks where answered.insert(check.key).inserted {
                    onResult(AddressResult(check: check, verdict: .error, reason: "porcheck got no result for this address (a bug: please report it)", errorKind: "internal"))
                }
            }
        }
        return true
    }

    enum Either<L, R> { case left(L), right(R) }

    /// Results porcheck knows without asking a node, or the asset to ask for.
    func classify(_ check: AddressCheck) -> Either<AddressResult, NodeConfig.Asset> {
        func notChecked(_ why: String) -> Either<AddressResult, NodeConfig.Asset> { .left(AddressResult(check: check, verdict: .notChecked, reason: why)) }
        if let problem = check.problem { return notChecked("row unusable: \(problem)") }
        guard check.height != nil else {
            return notChecked("the snapshot height '\(HTTPConnection.printable(check.heightText.prefix(30)))' is not a block number")
        }
        if let project = config.whitelisted["\(check.coin):\(check.address.lowercased())"] {
            return notChecked("rpc.json white-lists this address (funds in \(project)): a node cannot see them, OKX's tool copies the listed amount")
        }
        let entry = CoinTable.byKey[check.coin]
        let omni = "\(check.coin) is an Omni token on bitcoin: a Bitcoin node's scantxoutset sees only bitcoin itself"
        guard let asset = config.asset(coin: check.coin, network: check.network) else {
            if entry?.verifyType == "UTXO", let unit = entry?.unit, !unit.isEmpty, unit != check.coin { return notChecked("not supported: \(omni)") }
            switch entry?.verifyType {
            case "EVM": return notChecked("no node configured for \(check.coin) (an EVM chain or token: add an evm node, or a token to one)")
            case "UTXO": return notChecked("no node configured for \(check.coin) (a Bitcoin-family chain: add a bitcoin node)")
            default:
                return notChecked("not supported: porcheck reads balances at a height from EVM archive nodes and Bitcoin Core-compatible nodes only; \(check.coin) is neither")
            }
        }
        if case .unsupported(let why) = asset.source { return notChecked("not supported: \(why)") }
        if asset.source == .bitcoinNative, let unit = entry?.unit, !unit.isEmpty, unit != check.coin { return notChecked("not supported: \(omni)") }
        return .right(asset)
    }
}

/// A flag set once from any thread.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}

/// Results handed from the endpoint threads to the calling thread.
final class ResultSink: @unchecked Sendable {
    private let condition = NSCondition()
    private var results = [AddressResult]()

    func push(_ r: AddressResult) { push([r]) }

    func push(_ rs: [AddressResult]) {
        condition.lock()
        results.append(contentsOf: rs)
        condition.signal()
        condition.unlock()
    }

    private var finished = 0

    func endpointFinished() {
        condition.lock()
        finished += 1
        condition.signal()
        condition.unlock()
    }

    var finishedEndpoints: Int { condition.lock(); defer { condition.unlock() }; return finished }
    var isEmpty: Bool { condition.lock(); defer { condition.unlock() }; return results.isEmpty }

    func take(timeout: Double) -> [AddressResult] {
        condition.lock()
        defer { condition.unlock() }
        if results.isEmpty { _ = condition.wait(until: Date().addingTimeInterval(timeout)) }
        let out = results
        results.removeAll()
        return out
    }
}

/// `width` threads, each with its own connection to the endpoint, running the jobs of one phase.
final class WorkerPool: @unchecked Sendable {
    typealias Job = @Sendable (RPCClient) -> Void
    private let condition = NSCondition()
    private var jobs = [Job]()
    private var next = 0
    private var running = 0
    private var stopped = false

    init(width: Int, endpoint: NodeConfig.Endpoint, relay: TLSRelay) {
        for _ in 0..<max(1, width) {
            let thread = Thread { [self] in
                let client = RPCClient(endpoint: endpoint, relay: relay)
                while let job = self.take() {
                    job(client)
                    self.finished()
                }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    private func take() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while next >= jobs.count && !stopped { condition.wait() }
        guard next < jobs.count else { return nil }
        let job = jobs[next]
        next += 1
        running += 1
        return job
    }

    private func finished() {
        condition.lock()
        running -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Runs the jobs and returns when all have finished.
    func perform(_ batch: [Job]) {
        condition.lock()
        jobs = batch
        next = 0
        condition.broadcast()
        while next < jobs.count || running > 0 { condition.wait() }
        jobs = []
        next = 0
        condition.unlock()
    }

    func shutdown() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Everything asked of one endpoint, on its own thread.
final class EndpointRun: @unchecked Sendable {
    let endpoint: NodeConfig.Endpoint
    let items: [(AddressCheck, NodeConfig.Asset)]
    let sink: ResultSink
    let options: BalanceChecker.Options
    let cancelled: Flag
    let policy: RetryPolicy
    let relay: TLSRelay

    init(endpoint: NodeConfig.Endpoint, items: [(AddressCheck, NodeConfig.Asset)], sink: ResultSink, options: BalanceChecker.Options,
         cancelled: Flag, relay: TLSRelay) {
        self.endpoint = endpoint
        self.relay = relay
        self.items = items
        self.sink = sink
        self.options = options
        self.cancelled = cancelled
        let flag = cancelled
        policy = RetryPolicy(retries: endpoint.retries, baseDelay: options.retryBaseDelay, cancelled: { flag.isSet })
    }

    func run() {
        let pool = WorkerPool(width: endpoint.concurrency, endpoint: endpoint, relay: relay)
        defer { pool.shutdown() }
        let coordinator = RPCClient(endpoint: endpoint, relay: relay)
        switch endpoint.kind {
        case .evm: EVMReader(run: self, pool: pool, client: coordinator).read(items)
        case .bitcoin: BitcoinReader(run: self, pool: pool, client: coordinator).read(items)
        }
    }

    func fail(_ checks: [AddressCheck], _ what: String, _ failure: NodeFailure, source: String) {
        sink.push(checks.map {
            AddressResult(check: $0, verdict: .error, reason: "\(what): \(failure)", source: source, errorKind: failure.kind, attempts: failure.attempts)
        })
    }

    /// The node's block height (`method` answers it), with retries; nil after giving every item an error.
    func height(of items: [(AddressCheck, NodeConfig.Asset)], _ method: String, client: RPCClient,
                parse: (JSONValue) throws(NodeError) -> UInt64) -> UInt64? {
        do throws(NodeFailure) {
            return try policy.run { () throws(NodeError) -> UInt64 in
                try parse(try client.result(method, [], timeout: endpoint.timeout))
            }.value
        } catch {
            fail(items.map(\.0), "\(method) failed", error, source: endpoint.label)
            return nil
        }
    }

    func notChecked(_ checks: [AddressCheck], _ why: String, source: String = "") {
        sink.push(checks.map { AddressResult(check: $0, verdict: .notChecked, reason: why, source: source) })
    }

    /// A `0x…` quantity as a whole number.
    static func quantity(_ v: JSONValue, what: String) throws(NodeError) -> String {
        guard case .string(let text) = v, let n = ChainAmounts.decimalString(hexQuantity: text) else {
            throw .garbage("\(what) answered \(HTTPConnection.printable(v.text.prefix(80))), not a hex quantity of at most 256 bits")
        }
        return n
    }

    static func unsignedHeight(_ decimal: String, what: String) throws(NodeError) -> UInt64 {
        guard let n = UInt64(decimal) else { throw .garbage("\(what) answered \(decimal), more than a block height can be") }
        return n
    }
}
