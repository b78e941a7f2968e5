import Foundation
import Hashing
import XCTest

/// A Merkle v2 liabilities tree far larger than the fixture's (OKX's real one was hundreds of MB):
/// `porcheck verify` rebuilds it, passes the user's leaf, records the check with the tree kept
/// in the store, and its peak memory does not grow with the file.
final class LargeMerkleTreeTests: XCTestCase {
    var porcheck: PorcheckProcess!
    var folder: URL!

    override func setUpWithError() throws {
        porcheck = PorcheckProcess()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("porcheck-large-tree-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        porcheck.cleanUp()
        try? FileManager.default.removeItem(at: folder)
    }

    static func sha256Hex(_ text: String) -> String { Hex.encode(SHA256.hash(Array(text.utf8))) }

    static func balances(_ b: (Int, Int, Int)) -> String { "{\"BTC\":\"\(b.0)\",\"ETH\":\"\(b.1)\",\"USDT\":\"\(b.2)\"}" }

    /// Writes a valid tree of `leafCount` (a power of two) leaves with the user's single leaf at
    /// `userIndex`, by SPEC §2.2: parents SHA256(L || R || B.BTC || B.ETH || B.USDT || height), root
    /// first, each level right to left. Returns the user file's and the tree file's URLs.
    func writeTree(leafCount: Int, userIndex: Int) throws -> (user: URL, tree: URL) {
        let nonce = "5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed"
        let userBalances = (7, 3, 1_000_000)
        let userHash = Self.sha256Hex(nonce + Self.balances(userBalances))
        let userLeaf = Self.sha256Hex(userHash + "\(userBalances.0)\(userBalances.1)\(userBalances.2)")
        let userFile = folder.appendingPathComponent("user_info_file.json")
        try Data("""
        {"hash": "\(userHash)", "nodes": [{"balances": \(Self.balances(userBalances)), "hash": "\(userLeaf)"}],
         "nonce": "\(nonce)", "totalBalances": \(Self.balances(userBalances))}
        """.utf8).write(to: userFile)

        // Levels bottom-up, left to right: hashes and balances.
        var levels: [[(hash: String, b: (Int, Int, Int))]] = []
        levels.append((0..<leafCount).map { k in
            k == userIndex ? (userLeaf, userBalances) : (Self.sha256Hex("leaf \(k)"), (k % 1000, k % 7, 1 + k % 13))
        })
        while let below = levels.last, below.count > 1 {
            let height = levels.count + 1
            levels.append(stride(from: 0, to: below.count, by: 2).map { i in
                let l = below[i], r = below[i + 1]
                let b = (l.b.0 + r.b.0, l.b.1 + r.b.1, l.b.2 + r.b.2)
                return (Self.sha256Hex(l.hash + r.hash + "\(b.0)\(b.1)\(b.2)\(height)"), b)
            })
        }
        let treeFile = folder.appendingPathComponent("full-liabilities-merkle-tree.txt")
        guard FileManager.default.createFile(atPath: treeFile.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: treeFile.path) else { throw CocoaError(.fileWriteUnknown) }
        defer { handle.closeFile() }
        for (depth, level) in levels.enumerated().reversed() {
            var text = ""
            for node in level.reversed() { text += "\(node.hash),\(depth + 1),\(Self.balances(node.b))\n" }
            handle.write(Data(text.utf8))
        }
        return (userFile, treeFile)
    }

    /// Peak resident memory of one porcheck run, in KiB, measured by a fresh Python process whose
    /// only child it is (getrusage of its children), and the run's result.
    func peakOfRun(_ arguments: [String]) throws -> (kib: Int, status: Int32, stdout: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let script = "import resource, subprocess, sys\n" +
            "r = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)\n" +
            "sys.stdout.write('%d %d\\n' % (resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode))\n" +
            "sys.stdout.write(r.stdout.decode('utf-8', 'replace'))\n"
        process.arguments = ["python3", "-c", script, PorcheckProcess.binary.path] + arguments + ["--data-dir", porcheck.dataDir.path]
        process.environment = PorcheckProcess.environment()
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let first = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        let fields = first.split(separator: " ").compactMap { Int($0) }
        guard process.terminationStatus == 0, fields.count == 2 else { throw CocoaError(.executableLoad) }
        return (fields[0], Int32(fields[1]), text)
    }

    func testALargeTreeIsVerifiedRecordedAndKeptInBoundedMemory() throws {
        // 2^18 leaves: 524,287 lines, about 54 MB.
        let (user, tree) = try writeTree(leafCount: 1 << 18, userIndex: 200_001)
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: tree.path)[.size] as? Int)
        XCTAssertGreaterThan(size, 50 << 20)

        let run = try peakOfRun(["verify", "--json", user.path, tree.path])
        XCTAssertEqual(run.status, 0, run.stdout)
        XCTAssertTrue(run.stdout.contains("\"verdict\":\"passed\"") || run.stdout.contains("\"verdict\" : \"passed\""), run.stdout)
        XCTAssertFalse(run.stdout.contains("\"failed\""), run.stdout)
        // A run that held the tree file in memory (to verify it or to keep its copy) would need at
        // least its 54 MB on top of the ~31 MB a small tree takes.
        print("porcheck verify on a \(size >> 20) MB tree: peak RSS \(run.kib >> 10) MiB")
        XCTAssertLessThan(run.kib, 60 * 1024, "peak memory grew with the tree file's size")

        // Recorded, with the tree kept by its hash: the copy is the file.
        let history = try porcheck.run(["history", "--json"])
        let entries = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(entries.count, 1)
        let digest = Hex.encode(SHA256.hash(try Data(contentsOf: tree)))
        let kept = porcheck.dataDir.appendingPathComponent("files").appendingPathComponent(String(digest.prefix(2)))
            .appendingPathComponent(digest)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: kept.path)[.size] as? Int, size)

        // A leaf changed anywhere in the large tree fails the structural check.
        var bytes = try Data(contentsOf: tree)
        let target = bytes.count - 70_000
        let lineStart = (bytes[..<target].lastIndex(of: UInt8(ascii: "\n")) ?? 0) + 1
        bytes[lineStart] = bytes[lineStart] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        try bytes.write(to: tree)
        let damaged = try porcheck.run(["verify", "--no-record", user.path, tree.path])
        XCTAssertEqual(damaged.status, 1, damaged.stdout + damaged.stderr)
    }
}
