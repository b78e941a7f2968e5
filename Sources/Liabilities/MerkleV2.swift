import Foundation
import Hashing

/// OKX's second proof generation (Mar 2023 on): `user_info_file.json` (the user's leaves and
/// hash) plus the full liabilities tree file (SPEC §2). porcheck does what OKX's tool does
/// (user hash, leaf hashes, leaf lines found) and what it skips: it rebuilds the whole tree from
/// the file, checking every parent hash and sum up to a single root, and that each of the user's
/// leaves sits in it exactly once.
public enum MerkleV2 {
    public struct UserInfo: Sendable {
        public var hash: String
        public var nodes: [(balances: LegacyBalances, hash: String)]
        public var nonce: String
        public var totalBalances: LegacyBalances
    }

    /// Called while the tree file is read: (bytes read so far, file size).
    public typealias Progress = (_ bytesRead: Int64, _ totalBytes: Int64) -> Void

    /// The user's own total balances (for display and history).
    public static func userBalances(path: String) throws -> [String: String] {
        let u = try readUserInfo(jsonData: try JSONInput.readFile(path), file: path)
        return ["BTC": u.totalBalances.btc, "ETH": u.totalBalances.eth, "USDT": u.totalBalances.usdt]
    }

    public static func readUserInfo(jsonData: Data, file: String?) throws -> UserInfo {
        let top = try JSONObject(try JSONInput.parse(jsonData, file: file), file: file)
        var nodes = [(balances: LegacyBalances, hash: String)]()
        for (i, v) in try top.array("nodes").enumerated() {
            let o = try JSONObject(v, file: file, path: "nodes[\(i)]")
            nodes.append((try LegacyBalances.read(try o.object("balances")), try o.string("hash")))
        }
        return UserInfo(hash: try top.string("hash"), nodes: nodes, nonce: try top.string("nonce"),
                        totalBalances: try LegacyBalances.read(try top.object("totalBalances")))
    }

    /// Go's `json.Marshal` of a string: quotes, backslash escapes and HTML-safe `< > &`.
    static func goJSONString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    out += "\\u00" + String(format: "%02x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// SPEC §2.3 step 1 (`SelfInfo.Check`): nil when it passes, else the reason.
    static func checkUserInfo(_ u: UserInfo) -> String? {
        guard !u.nodes.isEmpty else { return "the user file lists no leaves" }
        for (i, node) in u.nodes.enumerated() {
            let text = u.hash + node.balances.btc + node.balances.eth + node.balances.usdt
            let h = Hex.encode(SHA256.hash(Array(text.utf8)))
            guard h.lowercased() == node.hash.lowercased() else {
                return "leaf \(i) hash mismatch: SHA-256(user hash + balances) is \(h), the file says \(node.hash)"
            }
        }
        let t = u.totalBalances
        let json = "{\"BTC\":\(goJSONString(t.btc)),\"ETH\":\(goJSONString(t.eth)),\"USDT\":\(goJSONString(t.usdt))}"
        let userHash = Hex.encode(SHA256.hash(Array((u.nonce + json).utf8)))
        guard userHash == u.hash.lowercased() else {
            return "user hash mismatch: SHA-256(nonce + total balances) is \(userHash), the file says \(u.hash)"
        }
        var sum = u.nodes[0].balances
        for node in u.nodes.dropFirst() {
            guard let s = sum.okxAdding(node.balances) else { return "a leaf's balances are not decimal numbers" }
            sum = s
        }
        guard sum == t else {
            return "the leaves add up to BTC \(sum.btc) ETH \(sum.eth) USDT \(sum.usdt), the file's total says BTC \(t.btc) ETH \(t.eth) USDT \(t.usdt)"
        }
        return nil
    }

    /// One line of the tree file.
    struct TreeLine {
        var hash: String
        var height: Int64
        var balances: LegacyBalances?
        var lineNumber: Int
    }

    /// Splits `<hash>,<height>,<balances JSON>`; nil when it has fewer than three parts (OKX skips those).
    static func parseLine(_ bytes: ArraySlice<UInt8>, lineNumber: Int) -> TreeLine? {
        guard let c1 = bytes.firstIndex(of: UInt8(ascii: ",")) else { return nil }
        let rest = bytes[(c1 + 1)...]
        guard let c2 = rest.firstIndex(of: UInt8(ascii: ",")) else { return nil }
        let hash = String(decoding: bytes[bytes.startIndex..<c1], as: UTF8.self)
        let height = Int64(String(decoding: bytes[(c1 + 1)..<c2], as: UTF8.self)) ?? 0
        let json = bytes[(c2 + 1)...]
        return TreeLine(hash: hash, height: height, balances: parseBalances(json), lineNumber: lineNumber)
    }

    /// The balances object of a tree line; nil when a coin is missing or not a string.
    static func parseBalances(_ json: ArraySlice<UInt8>) -> LegacyBalances? {
        guard let obj = try? JSONParser.parse(Array(json)),
              case .string(let btc)? = obj["BTC"], case .string(let eth)? = obj["ETH"], case .string(let usdt)? = obj["USDT"]
        else { return nil }
        return LegacyBalances(btc: btc, eth: eth, usdt: usdt)
    }

    /// A buffered reader of lines (without `\n` / `\r\n`), with a cap on line length.
    final class LineReader {
        let handle: FileHandle
        let file: String
        var buffer = [UInt8]()
        var start = 0
        var atEOF = false
        private(set) var bytesRead: Int64 = 0
        private(set) var lineNumber = 0
        /// The line number where each height first appears, and how many height-1 lines were read.
        private(set) var levelStarts = [Int64: Int]()
        private(set) var leafLinesSeen = 0
        static let maximumLineLength = 1 << 16

        init(path: String) throws {
            guard let h = FileHandle(forReadingAtPath: path) else { throw InputError(file: path, "cannot be opened") }
            handle = h
            file = path
        }

        deinit { try? handle.close() }

        func next() throws -> ArraySlice<UInt8>? {
            while true {
                if let nl = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                    var end = nl
                    if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                    let line = buffer[start..<end]
                    start = nl + 1
                    lineNumber += 1
                    return line
                }
                if buffer.count - start > LineReader.maximumLineLength {
                    throw InputError(file: file, "line \(lineNumber + 1) is longer than \(LineReader.maximumLineLength) bytes; not a liabilities tree file")
                }
                if atEOF {
                    guard start < buffer.count else { return nil }
                    let line = buffer[start...]
                    start = buffer.count
                    lineNumber += 1
                    return line
                }
                let chunk: Data
                do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
                    throw InputError(file: file, "cannot be read (\(error.localizedDescription))")
                }
                if chunk.isEmpty { atEOF = true }
                bytesRead += Int64(chunk.count)
                buffer.removeFirst(start)
                start = 0
                buffer.append(contentsOf: chunk)
            }
        }

        /// The next line with at least three parts (OKX's and the structural scans skip the rest).
        func nextNode() throws -> TreeLine? {
            while let bytes = try next() {
                if let line = MerkleV2.parseLine(bytes, lineNumber: lineNumber) {
                    if levelStarts[line.height] == nil { levelStarts[line.height] = line.lineNumber }
                    if line.height == 1 { leafLinesSeen += 1 }
                    return line
                }
            }
            return nil
        }
    }

    /// Verifies a user file against a tree file. The verdict is porcheck's (OKX's checks plus the
    /// full rebuild); `okxVerdict` is set when OKX's tool would say otherwise.
    public static func verify(userFile: String, treeFile: String, progress: Progress? = nil) throws -> Verdict {
        let user = try readUserInfo(jsonData: try JSONInput.readFile(userFile), file: userFile)
        return try verify(user: user, userFileName: userFile, treeFile: treeFile, progress: progress)
    }

    public static func verify(user: UserInfo, userFileName: String, treeFile: String, progress: Progress? = nil) throws -> Verdict {
        var steps = [String]()
        if let reason = checkUserInfo(user) {
            return Verdict(file: userFileName, format: .merkleV2, constraint: .inclusion, verdict: .failed,
                           reason: "provided data is invalid: \(reason)", steps: steps)
        }
        steps.append("user hash recomputed from nonce and total balances; \(user.nodes.count) leaf hash(es) recomputed; leaves add up to the total")

        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: treeFile, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw InputError(file: treeFile, "no such file")
        }
        let totalBytes = ((try? FileManager.default.attributesOfItem(atPath: treeFile))?[.size] as? NSNumber)?.int64Value ?? 0
        let scan = try TreeScan(user: user, treeFile: treeFile, totalBytes: totalBytes, progress: progress)
        try scan.run()

        // OKX's verdict: every user node counted exactly len(nodes) times among height-1 lines.
        let okxPassed = scan.okxCount == user.nodes.count && !scan.okxWouldPanic
        var structuralFailure = scan.structuralFailure
        if structuralFailure == nil {
            for (i, node) in user.nodes.enumerated() where scan.userLeafMatches[i] != 1 {
                structuralFailure = "the user's leaf \(node.hash) appears \(scan.userLeafMatches[i]) times among the tree's leaves (expected exactly once)"
                break
            }
        }
        let okxValue: VerdictValue = okxPassed ? .passed : .failed
        if let failure = structuralFailure {
            if okxPassed { steps.append("OKX's tool would pass this: it counts the user's leaves but never checks the tree's hashes") }
            return Verdict(file: userFileName, format: .merkleV2, constraint: .inclusion, verdict: .failed,
                           reason: "\(treeFile): \(failure)", steps: steps,
                           okxVerdict: okxPassed ? .passed : nil)
        }
        guard okxPassed else {
            return Verdict(file: userFileName, format: .merkleV2, constraint: .inclusion, verdict: .failed,
                           reason: "found \(scan.okxCount) of the user's \(user.nodes.count) leaves in \(treeFile)", steps: steps,
                           okxVerdict: okxValue == .failed ? nil : okxValue)
        }
        let root = scan.root
        steps.append("each of the user's \(user.nodes.count) leaves found exactly once among \(scan.leafCount) leaves")
        steps.append("tree rebuilt: \(scan.parentCount) parent hashes and sums checked over \(scan.levels) levels up to the single root")
        if let r = scan.leafTotal {
            steps.append("sum of all leaves (OKX's total user holdings): BTC \(r.btc) ETH \(r.eth) USDT \(r.usdt)")
        }
        let rootText = root.map { "\($0.hash) (BTC \($0.balances?.btc ?? "?"), ETH \($0.balances?.eth ?? "?"), USDT \($0.balances?.usdt ?? "?"))" } ?? "?"
        return Verdict(file: userFileName, format: .merkleV2, constraint: .inclusion, verdict: .passed,
                       reason: "the user's leaves are in the liabilities tree and every parent hash and sum checks up to root \(rootText)",
                       steps: steps,
                       warnings: ["Merkle v2 publishes the root in the tree file itself; compare it with the root OKX announced for this audit."])
    }

    /// One pass over the tree file with two readers: the parent reader walks the levels above the
    /// leaves, the child reader walks every level below the root. Because the file is a heap in
    /// reverse (root first, each level right to left), parent k's children are the next two
    /// lines of the child reader (right, then left), fillers aside. Memory stays bounded.
    final class TreeScan {
        let user: UserInfo
        let treeFile: String
        let totalBytes: Int64
        let progress: Progress?
        var okxCount = 0
        var okxWouldPanic = false
        var userLeafMatches: [Int]
        var structuralFailure: String?
        var root: TreeLine?
        var leafCount = 0
        var parentCount = 0
        var levels = 0
        var leafTotal: LegacyBalances?
        let userHashesLower: [String]

        init(user: UserInfo, treeFile: String, totalBytes: Int64, progress: Progress?) throws {
            self.user = user
            self.treeFile = treeFile
            self.totalBytes = totalBytes
            self.progress = progress
            self.userLeafMatches = [Int](repeating: 0, count: user.nodes.count)
            self.userHashesLower = user.nodes.map { $0.hash.lowercased() }
        }

        /// OKX's step 2 on a height-1 line, plus porcheck's exact-once count.
        func countLeaf(_ line: TreeLine) {
            // Go's Add returns nil on an unparseable value and the tool then panics: OKX fails.
            if let b = line.balances, b.parses {
                if let t = leafTotal {
                    leafTotal = t.okxAdding(b)
                } else if !okxWouldPanic {
                    leafTotal = b
                }
            } else {
                okxWouldPanic = true
                leafTotal = nil
            }
            let lower = line.hash.lowercased()
            for (i, h) in userHashesLower.enumerated() where h == lower {
                let node = user.nodes[i]
                if node.hash == line.hash, let b = line.balances, b == node.balances {
                    okxCount += 1
                    userLeafMatches[i] += 1
                }
            }
        }

        func fail(_ message: String) {
            if structuralFailure == nil { structuralFailure = message }
        }

        static let zero = LegacyBalances(btc: "0", eth: "0", usdt: "0")

        func run() throws {
            let parents = try LineReader(path: treeFile)
            let children = try LineReader(path: treeFile)
            var lastReport: Int64 = -1
            func report() {
                guard let progress else { return }
                let read = children.bytesRead
                if read != lastReport, read - lastReport >= (1 << 20) || read == totalBytes { progress(min(read, totalBytes), totalBytes); lastReport = read }
            }
            guard let top = try parents.nextNode() else {
                fail("the tree file has no nodes")
                return
            }
            root = top
            _ = try children.nextNode() // the root has no parent
            guard top.height >= 1, top.height <= 64 else {
                fail("line \(top.lineNumber): root height \(top.height) is not between 1 and 64"); return
            }
            levels = Int(top.height)
            if top.height == 1 { countLeaf(top) }
            var current: TreeLine? = top
            var pendingParent: TreeLine? = nil
            var previousParentHeight = top.height + 1
            var firstOfLevel = true
            // Walk parents in file order until the leaves begin.
            while structuralFailure == nil, let p = current, p.height >= 2 {
                let nextParent: TreeLine?
                if let pending = pendingParent { nextParent = pending; pendingParent = nil } else { nextParent = try parents.nextNode() }
                if p.height != previousParentHeight {
                    guard p.height == previousParentHeight - 1 else {
                        fail("line \(p.lineNumber): height \(p.height) follows height \(previousParentHeight); levels must descend one at a time"); break
                    }
                    firstOfLevel = true
                    previousParentHeight = p.height
                }
                // An unparseable parent never equals the canonical sum below, so it fails there.
                guard let pb = p.balances else { fail("line \(p.lineNumber): balances are not three strings"); break }
                // A filler: rightmost (first listed) of its level, same hash as its left neighbour, zero balances, no children.
                if firstOfLevel, p.lineNumber != top.lineNumber, let n = nextParent, n.height == p.height, n.hash == p.hash {
                    guard pb == TreeScan.zero else { fail("line \(p.lineNumber): a node repeating its neighbour's hash must be a filler with zero balances"); break }
                    firstOfLevel = false
                    current = nextParent
                    continue
                }
                firstOfLevel = false
                let right = try children.nextNode()
                if let r = right, r.height == 1 { countLeaf(r) }
                let left = right == nil ? nil : try children.nextNode()
                if let l = left, l.height == 1 { countLeaf(l) }
                report()
                guard let right, let left else {
                    fail("line \(p.lineNumber): the file ends before this node's children"); break
                }
                guard right.height == p.height - 1, left.height == p.height - 1 else {
                    fail("line \(p.lineNumber): its children (lines \(left.lineNumber), \(right.lineNumber)) are not at height \(p.height - 1)"); break
                }
                guard let lb = left.balances, let rb = right.balances else {
                    fail("line \(left.lineNumber)-\(right.lineNumber): balances are not three decimal strings"); break
                }
                if left.hash == right.hash {
                    guard rb == TreeScan.zero, right.lineNumber == children.levelStarts[right.height] else {
                        fail("line \(right.lineNumber): repeats its neighbour's hash but is not a filler (zero balances, rightmost of its level)"); break
                    }
                }
                guard let sum = lb.okxAdding(rb) else { fail("line \(p.lineNumber): children's balances do not add"); break }
                // Every node below the root is someone's child: none may be negative (OKX never checks signs).
                if lb.hasNegative || rb.hasNegative {
                    fail("line \(lb.hasNegative ? left.lineNumber : right.lineNumber): a negative balance; a sum tree with negative entries can hide liabilities"); break
                }
                guard sum == pb else {
                    fail("line \(p.lineNumber): balances BTC \(pb.btc) ETH \(pb.eth) USDT \(pb.usdt) are not the sum of its children (BTC \(sum.btc) ETH \(sum.eth) USDT \(sum.usdt))"); break
                }
                let h = MerkleV1.parentHash(left: left.hash, right: right.hash, sum: sum, height: p.height)
                guard h == p.hash else {
                    fail("line \(p.lineNumber): hash \(p.hash) is not SHA-256 of its children and sum (computed \(h))"); break
                }
                parentCount += 1
                current = nextParent
            }
            if structuralFailure == nil, let p = current, p.height != 1 {
                fail("line \(p.lineNumber): height \(p.height) where the leaves (height 1) should begin")
            }
            if structuralFailure == nil, let extra = try children.nextNode() {
                if extra.height == 1 { countLeaf(extra) }
                fail("line \(extra.lineNumber): a node no parent covers (the leaf level has more nodes than its parents)")
            }
            // OKX counts every height-1 line in the file; finish its scan whatever happened above.
            while let c = try children.nextNode() {
                if c.height == 1 { countLeaf(c) }
                report()
            }
            leafCount = children.leafLinesSeen
            progress?(totalBytes, totalBytes)
        }
    }
}

