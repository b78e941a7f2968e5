import XCTest
import Field
import Hashing
@testable import Liabilities

/// The fast paths of the STARK v1 verifier against the simple forms they replace.
final class StarkV1FastPathTests: XCTestCase {
    /// Decimal amounts: the 64-bit fast path agrees with ExactInteger on every shape of input.
    func testDecimalAmountsMatchExactInteger() {
        var g = Generator(state: 1)
        var texts = ["0", "-0", "00", "-007", "1", "-1", "18446744073709551615", "18446744073709551616", "-18446744073709551615",
                     "-18446744073709551616", "99999999999999999999", "3618502788666131213697322783095070105623107215331596699973092056135872008193",
                     "3618502788666131213697322783095070105623107215331596699973092056135872008192",
                     "-3618502788666131213697322783095070105623107215331596699973092056135872008192",
                     "115792089237316195423570985008687907853269984665640564039457584007913129639935",
                     "115792089237316195423570985008687907853269984665640564039457584007913129639936",
                     "", "-", "+1", "1.5", "1e3", " 1", "1 ", "--1", "0x10", "12a"]
        for _ in 0..<2000 {
            let v = g.next() >> (g.next() % 64)
            texts.append((g.next() & 1 == 0 ? "-" : "") + String(v))
        }
        for text in texts {
            let bytes = Array(text.utf8)
            let exact = ExactInteger(decimal: bytes)
            let residue = DecimalAmount.residue(bytes)
            XCTAssertEqual(residue?.bytes, exact.map { $0.reduced.bigEndian32 }, text)
            XCTAssertEqual(residue?.isSignedAmount, exact?.isSignedFieldAmount, text)
            let unsigned = DecimalAmount.unsigned256(bytes)
            let expected = exact?.bigEndian32.flatMap { Bytes32($0) }
            XCTAssertEqual(unsigned?.bytes, expected, text)
            if unsigned != nil { XCTAssertEqual(unsigned?.isFieldElement, exact?.isFieldElement, text) }
        }
    }

    /// Field elements from and to inline big-endian bytes equal the byte-array forms.
    func testFieldBytesMatchTheArrayForms() throws {
        var g = Generator(state: 2)
        let p = Stark252.modulusBigEndian
        var samples: [[UInt8]] = [[UInt8](repeating: 0, count: 32), p, [UInt8](repeating: 0xFF, count: 32)]
        var pMinus1 = p; pMinus1[31] -= 1
        samples.append(pMinus1)
        for _ in 0..<500 {
            var words = [g.next(), g.next(), g.next(), g.next()]
            if g.next() & 1 == 0 { words[0] &= 0x0FFF_FFFF_FFFF_FFFF }
            samples.append(words.flatMap { w in (0..<8).map { UInt8(truncatingIfNeeded: w >> UInt64(56 - 8 * $0)) } })
        }
        for bytes in samples {
            let b = try XCTUnwrap(Bytes32(bytes))
            let slow = Stark252(bigEndianSlice: bytes[...])
            XCTAssertEqual(Stark252(bigEndian: b), slow)
            if let v = slow { XCTAssertEqual(v.bigEndian32.bytes, v.bigEndianBytes) }
            XCTAssertEqual(b.reducedBigEndian, Stark252(reducingBigEndian: bytes))
        }
    }

    /// Hex: the 64-digit decoder and the general one agree, and both refuse non-digits.
    func testHex32MatchesHex() throws {
        var g = Generator(state: 3)
        for _ in 0..<200 {
            let bytes = (0..<32).map { _ in UInt8(truncatingIfNeeded: g.next()) }
            var text = Array(Hex.encode(bytes).utf8)
            if g.next() & 1 == 0 { text = text.map { $0 >= 97 ? $0 - 32 : $0 } }
            let doc = try ProofJSON.parse(bytes: Array("[\"".utf8) + text + Array("\"]".utf8), file: nil)
            let item = try XCTUnwrap(Array(doc.elements(doc.root)).first)
            XCTAssertEqual(doc.hex32(item)?.bytes, bytes)
            XCTAssertEqual(doc.hexBytes(item), bytes)
            var bad = text
            bad[Int(g.next() % 64)] = [UInt8(ascii: "g"), UInt8(ascii: "x"), UInt8(ascii: " "), 0xFF][Int(g.next() % 4)]
            let badDoc = try ProofJSON.parse(bytes: Array("[\"".utf8) + bad + Array("\"]".utf8), file: nil)
            let badItem = try XCTUnwrap(Array(badDoc.elements(badDoc.root)).first)
            XCTAssertNil(badDoc.hex32(badItem))
            XCTAssertNil(badDoc.hexBytes(badItem))
        }
    }

    /// The multi-branch check over sorted arrays: compressed branches of random index sets pass
    /// and agree with one-by-one branch checks; a changed sibling, leaf or omission fails.
    func testMultiBranchAgreesWithSingleBranches() throws {
        var g = Generator(state: 4)
        let depth = 8, n = 1 << depth
        let leaves = (0..<n).map { _ in Bytes32(words: g.next(), g.next(), g.next(), g.next()) }
        var nodes = [Bytes32](repeating: .zero, count: 2 * n)
        for x in 0..<n { nodes[n + PermutedMerkle.slot(x, leafCount: n)] = leaves[x] }
        for i in stride(from: n - 1, through: 1, by: -1) { nodes[i] = Keccak256.hashPair(nodes[2 * i], nodes[2 * i + 1]) }
        let root = nodes[1]
        func fullBranch(_ x: Int) -> StarkV1SumProof.Branch {
            var pos = n + PermutedMerkle.slot(x, leafCount: n)
            var out = [nodes[pos]]
            while pos > 1 { out.append(nodes[pos ^ 1]); pos >>= 1 }
            return StarkV1SumProof.Branch(nodes: out, present: (1 << UInt64(out.count)) - 1)
        }
        for _ in 0..<50 {
            let indices = (0..<(1 + Int(g.next() % 40))).map { _ in Int(g.next() % UInt64(n)) }
            // Compress as OKX does: omit a sibling when another opened path passes through it.
            var onPaths = Set<Int>()
            for x in indices {
                var pos = n + PermutedMerkle.slot(x, leafCount: n)
                while pos >= 1 { onPaths.insert(pos); pos >>= 1 }
            }
            let compressed = indices.map { x -> StarkV1SumProof.Branch in
                var b = fullBranch(x)
                var pos = n + PermutedMerkle.slot(x, leafCount: n)
                for j in 1...depth {
                    if onPaths.contains(pos ^ 1), g.next() & 1 == 0 { b.nodes[j] = .zero; b.present &= ~(1 << UInt64(j)) }
                    pos >>= 1
                }
                return b
            }
            let got = try PermutedMerkle.verifyMultiBranch(root: root, indices: indices, branches: compressed, depth: depth, what: "t")
            XCTAssertEqual(got, indices.map { leaves[$0] })
            for x in indices {
                XCTAssertEqual(try PermutedMerkle.verifyBranch(root: root, index: x, branch: fullBranch(x), depth: depth, what: "t"), leaves[x])
            }
            // A changed explicit node anywhere is caught.
            var broken = compressed
            let i = Int(g.next() % UInt64(indices.count))
            let present = (0...depth).filter { broken[i].has($0) }
            let j = present[Int(g.next() % UInt64(present.count))]
            broken[i].nodes[j].w2 ^= 1
            XCTAssertThrowsError(try PermutedMerkle.verifyMultiBranch(root: root, indices: indices, branches: broken, depth: depth, what: "t"))
            // An omitted sibling that no other path supplies is caught.
            var single = [fullBranch(indices[0])]
            single[0].nodes[1] = .zero
            single[0].present &= ~2
            XCTAssertThrowsError(try PermutedMerkle.verifyMultiBranch(root: root, indices: [indices[0]], branches: single, depth: depth, what: "t")) { e in
                XCTAssertTrue("\(e)".contains("omitted sibling"), "\(e)")
            }
        }
        XCTAssertThrowsError(try PermutedMerkle.verifyMultiBranch(root: root, indices: [3, 3], branches: [fullBranch(3), fullBranch(4)], depth: depth, what: "t")) { e in
            XCTAssertTrue("\(e)".contains("branch") || "\(e)".contains("leaves"), "\(e)")
        }
    }

    /// The POSIX reader returns what Foundation reads and refuses the same things.
    func testReadBytesMatchesReadFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("porcheck-read-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("a.json")
        let content = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Data(content).write(to: file)
        XCTAssertEqual(try JSONInput.readBytes(file.path), content)
        XCTAssertEqual(try JSONInput.readBytes(file.path), [UInt8](try JSONInput.readFile(file.path)))
        let empty = dir.appendingPathComponent("e.json")
        try Data().write(to: empty)
        XCTAssertEqual(try JSONInput.readBytes(empty.path), [])
        for (path, max, message) in [(dir.appendingPathComponent("missing.json").path, 1 << 20, "no such file"),
                                     (dir.path, 1 << 20, "is a folder, not a file"),
                                     (file.path, 50_000, "more than the 0 MB")] {
            XCTAssertThrowsError(try JSONInput.readBytes(path, maximumSize: max)) { e in
                XCTAssertTrue("\(e)".contains(message), "\(e)")
            }
        }
    }

    /// The readdir walk finds nested and hidden inclusion files, sorted, and does not follow links.
    func testInclusionFileWalk() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("porcheck-walk-\(UUID().uuidString)")
        let fm = FileManager.default
        try fm.createDirectory(at: dir.appendingPathComponent("b/.hidden"), withIntermediateDirectories: true)
        try fm.createDirectory(at: dir.appendingPathComponent("a"), withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: dir) }
        for name in ["a/u_inclusion_proof.json", "b/.hidden/v_inclusion_proof.json", "x_inclusion_proof.json", "a/other.json", "a/w_inclusion_proof.txt"] {
            try Data("{}".utf8).write(to: dir.appendingPathComponent(name))
        }
        try fm.createSymbolicLink(at: dir.appendingPathComponent("link"), withDestinationURL: dir.appendingPathComponent("a"))
        let found = StarkV1Layout.inclusionProofFiles(in: dir.path)
        XCTAssertEqual(found, ["a/u_inclusion_proof.json", "b/.hidden/v_inclusion_proof.json", "x_inclusion_proof.json"].map { dir.path + "/" + $0 })
    }

    /// verifyAll shares trunk-part checks between files: its verdicts equal checking each file
    /// on its own, also when one file's trunk part differs from the others' by one value.
    func testSharedTrunkChecksGiveTheSameVerdicts() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("porcheck-trunkcache-\(UUID().uuidString)")
        let fm = FileManager.default
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: dir) }
        let small3 = starkFixtures + "/valid/stark_small3"
        try fm.copyItem(atPath: small3 + "/sum_proof_data", toPath: dir.appendingPathComponent("sum_proof_data").path)
        for name in try fm.contentsOfDirectory(atPath: small3 + "/inclusion_proof_data/a0") {
            try fm.copyItem(atPath: small3 + "/inclusion_proof_data/a0/" + name, toPath: dir.appendingPathComponent("a0_" + name).path)
        }
        for name in ["trunk_total_value_plus1_inclusion_proof.json", "balance_eth_plus1_inclusion_proof.json"] {
            try fm.copyItem(atPath: starkFixtures + "/tampered/inclusion/" + name, toPath: dir.appendingPathComponent(name).path)
        }
        let all = try StarkV1.verifyAll(folder: dir.path)
        let set = try StarkV1DataSet.load(folder: dir.path)
        let files = StarkV1Layout.inclusionProofFiles(in: dir.path)
        XCTAssertEqual(all.count, files.count + 1)
        for (file, v) in zip(files, all.dropFirst()) {
            let alone = try StarkV1.verifyInclusion(file: file, dataSet: set)
            XCTAssertEqual(v.verdict, alone.verdict, file)
            XCTAssertEqual(v.reason, alone.reason, file)
            XCTAssertEqual(v.okxVerdict, alone.okxVerdict, file)
        }
        XCTAssertEqual(all.filter { $0.verdict == .failed }.count, 2, "\(all.map(\.reason))")
    }

    /// The word-at-a-time string scan stops at the right byte wherever the quote or an escape
    /// falls within a word, and at the end of the input.
    func testStringScanAtEveryOffset() throws {
        // Up to 40 bytes: the word loops; 63–300: also the memchr path past 80 bytes.
        for length in Array(0..<40) + [63, 64, 65, 79, 80, 81, 95, 96, 97, 111, 112, 113, 150, 300] {
            let plain = String((0..<length).map { Character(Unicode.Scalar(UInt8(97 + $0 % 26))) })
            for prefix in 0..<9 {
                let lead = String(repeating: " ", count: prefix)
                let doc = try ProofJSON.parse(bytes: Array((lead + "[\"" + plain + "\", \"x\"]").utf8), file: nil)
                XCTAssertEqual(Array(doc.elements(doc.root)).compactMap { doc.string($0) }, [plain, "x"])
            }
            for at in 0...length {
                var chars = Array(plain)
                chars.insert(contentsOf: ["\\", "\""], at: at)
                let doc = try ProofJSON.parse(bytes: Array(("[\"" + String(chars) + "\"]").utf8), file: nil)
                var expected = Array(plain)
                expected.insert("\"", at: at)
                XCTAssertEqual(Array(doc.elements(doc.root)).compactMap { doc.string($0) }, [String(expected)])
            }
            XCTAssertThrowsError(try ProofJSON.parse(bytes: Array(("[\"" + plain).utf8), file: "u.json"))
        }
    }

    /// Sums in config order are taken by position; any other order gives the same values.
    func testOrderedSumsByPositionMatchByKey() throws {
        let coins = ["BTC", "ETH", "USDT"]
        let inOrder = try StarkV1SumValues.parse(Data(#"{"BTC": 1, "ETH": 2, "USDT": 3, "total_value": 6}"#.utf8), file: nil)
        let shuffled = try StarkV1SumValues.parse(Data(#"{"USDT": 3, "total_value": 6, "BTC": 1, "ETH": 2}"#.utf8), file: nil)
        let extra = try StarkV1SumValues.parse(Data(#"{"BTC": 1, "ETH": 2, "USDT": 3, "XRP": 9, "total_value": 6}"#.utf8), file: nil)
        let expected = ["1", "2", "3", "6"].compactMap { ExactInteger(decimal: $0) }
        XCTAssertEqual(try inOrder.ordered(coins: coins, file: "f"), expected)
        XCTAssertEqual(try shuffled.ordered(coins: coins, file: "f"), expected)
        XCTAssertEqual(try extra.ordered(coins: coins, file: "f"), expected)
        let missing = try StarkV1SumValues.parse(Data(#"{"BTC": 1, "ETH": 2, "total_value": 6, "XRP": 3}"#.utf8), file: nil)
        XCTAssertThrowsError(try missing.ordered(coins: coins, file: "f")) { e in XCTAssertTrue("\(e)".contains("USDT"), "\(e)") }
        XCTAssertThrowsError(try StarkV1SumValues.parse(Data(#"{"BTC": 1, "ETH": 2, "BTC": 3}"#.utf8), file: "f")) { e in
            XCTAssertTrue("\(e)".contains("appears twice"), "\(e)")
        }
    }

    /// The one-pass branch-list reader against the item-by-item reader it stands in for.
    func testBranchListFastPathMatchesItemReader() throws {
        var g = Generator(state: 13)
        for _ in 0..<300 {
            var lists = [String]()
            for _ in 0..<(1 + g.below(4)) {
                var items = [String]()
                for j in 0..<(1 + g.below(6)) {
                    switch g.below(12) {
                    case 0: items.append("\"\"")
                    case 1: items.append("\"0a\"")
                    case 2: items.append("5")
                    case 3: items.append("\"" + String(repeating: "g", count: 64) + "\"")
                    case 4 where j == 0: items.append("[]")
                    default:
                        let bytes = (0..<32).map { _ in UInt8(truncatingIfNeeded: g.next()) }
                        var hex = Hex.encode(bytes)
                        if g.next() & 1 == 0 { hex = hex.uppercased() }
                        items.append("\"\(hex)\"")
                    }
                }
                lists.append("[" + items.joined(separator: ",") + "]")
            }
            if g.below(10) == 0 { lists.append("[]") }
            let text = "[" + lists.joined(separator: ",") + "]"
            let doc = try ProofJSON.parse(bytes: Array(text.utf8), file: nil)
            let r = StarkV1SumProof.Reader(doc: doc)
            // The item-by-item form, as `branches` reads a list that is not all plain hex.
            let slow = outcome { try doc.elements(doc.root).map { item -> StarkV1SumProof.Branch in
                let items = try r.list(item) { "x" }
                guard doc.count(item) > 0 else { throw InputError(file: nil, "empty") }
                var nodes = [Bytes32](), present: UInt64 = 0
                for (j, t) in items.enumerated() {
                    if let b = doc.hex32(t) { nodes.append(b); present |= 1 << UInt64(j); continue }
                    let b = try r.hex(t) { "x" }
                    guard j > 0, b.isEmpty else { throw InputError(file: nil, "size") }
                    nodes.append(.zero)
                }
                return StarkV1SumProof.Branch(nodes: nodes, present: present)
            } }
            let fast = doc.branches(doc.root)
            if let fast {
                XCTAssertEqual("passed: \(fast)", slow, text)
            } else {
                XCTAssertTrue(slow.hasPrefix("failed"), text)
            }
            // Either way the reader's answer is the item-by-item one (errors named by it).
            XCTAssertEqual(outcome { try r.branches(doc.root) { "x" } }.hasPrefix("passed"), slow.hasPrefix("passed"), text)
        }
    }

    /// The range test without conversion agrees with the converting parse at and around p.
    func testFieldElementTestMatchesParse() {
        var g = Generator(state: 14)
        let p = Stark252.modulusBigEndian
        var samples: [[UInt8]] = [p, [UInt8](repeating: 0, count: 32), [UInt8](repeating: 0xFF, count: 32)]
        var below = p; below[31] -= 1; samples.append(below)
        var above = p; above[31] += 1; samples.append(above)
        var mid = p; mid[12] = 1; samples.append(mid)
        for _ in 0..<2000 {
            var bytes = (0..<32).map { _ in UInt8(truncatingIfNeeded: g.next()) }
            switch g.below(3) {
            case 0: bytes[0] &= 0x0F
            case 1: for k in 0..<8 { bytes[k] = p[k] }
            default: break
            }
            samples.append(bytes)
        }
        for bytes in samples {
            XCTAssertEqual(StarkV1SumConstraints.isFieldElement(bytes[...]), Stark252(bigEndianSlice: bytes[...]) != nil, "\(bytes)")
            XCTAssertEqual(StarkV1SumConstraints.isFieldElement(([0] + bytes)[1...]), Stark252(bigEndianSlice: bytes[...]) != nil)
        }
        XCTAssertFalse(StarkV1SumConstraints.isFieldElement([UInt8](repeating: 0, count: 31)[...]))
    }

    /// The constraints part of a batch's check, on its own.
    func constraintsOutcome(_ sums: [ExactInteger], _ proof: StarkV1SumProof, _ m: Int) -> String {
        outcome {
            let precision = proof.steps * StarkV1SumConstraints.extensionFactor
            let depth = precision.trailingZeroBitCount
            let w = try XCTUnwrap(Stark252.rootOfUnity(order: UInt64(precision)))
            let fri = try StarkV1FRI.Plan(root: proof.lRoot, w: w, domainSize: precision, degreeBound: 4 * proof.steps,
                                          layers: proof.friLayers, lastValues: proof.friLastValues, exclude: 16, checkColumns: true)
            let parts = StarkV1SumConstraints.Parts(sums: sums, proof: proof, mainCoins: m, depth: depth, w: w, fri: fri)
            try parts.checkConstraints()
            return "ok"
        }
    }

    /// Values read without conversion are refused at p with the message each value had when
    /// it was converted on its own, in the same order (E0's values in file order, then t at
    /// the three other rows, the balances there, the linear-combination leaf).
    func testConstraintsRefuseValuesAtPWithTheirNames() throws {
        let p = Stark252.modulusBigEndian
        for name in ["stark_small3", "stark_fullcfg"] {
            let set = try StarkV1DataSet.load(folder: starkFixtures + "/valid/" + name)
            let m = set.config.mainCoinsNum, c = set.config.coins.count
            let part = set.batches[0]
            let sums = try part.values.ordered(coins: set.config.coins, file: part.folder)
            XCTAssertEqual(constraintsOutcome(sums, part.proof, m), "passed: ok")
            func named(_ q: Int) -> String {
                q == 0 ? "t" : q <= c ? "balance" : q == c + 1 ? "id" : q <= c + 5 ? "trace quotient" : "coin quotient"
            }
            let e0Count = 6 + c + 2 * m
            for spot in [0, 7, 15] {
                for q in Set([0, 1, m, m + 1, c, c + 1, c + 2, c + 3, c + 4, c + 5, c + 6, e0Count - 1]) where q < e0Count {
                    var proof = part.proof
                    proof.entries[spot].e0.replaceSubrange((32 * q)..<(32 * q + 32), with: p)
                    XCTAssertEqual(constraintsOutcome(sums, proof, m), "failed: spot check \(spot): \(named(q)) is not a field element (≥ p)", "\(name) q \(q)")
                    // A later value at p too: the first one is reported.
                    proof.entries[spot].e2[1].replaceSubrange(0..<32, with: p)
                    XCTAssertEqual(constraintsOutcome(sums, proof, m), "failed: spot check \(spot): \(named(q)) is not a field element (≥ p)")
                }
                for (k, what) in [(1, "t(x·g)"), (2, "t(x·g^(uts−1))"), (3, "t(x·g^uts)")] {
                    var proof = part.proof
                    if k == 1 { proof.entries[spot].e1[0] = p } else if k == 2 { proof.entries[spot].e2[0] = p } else { proof.entries[spot].e3[0] = p }
                    proof.entries[spot].e3[1].replaceSubrange((32 * (c - 1))..<(32 * c), with: p)
                    XCTAssertEqual(constraintsOutcome(sums, proof, m), "failed: spot check \(spot): \(what) is not a field element (≥ p)")
                }
                for j in Set([0, m - 1, m, c - 1]) where j >= 0 && j < c {
                    for row in [2, 3] {
                        var proof = part.proof
                        if row == 2 {
                            proof.entries[spot].e2[1].replaceSubrange((32 * j)..<(32 * j + 32), with: p)
                        } else {
                            proof.entries[spot].e3[1].replaceSubrange((32 * j)..<(32 * j + 32), with: p)
                        }
                        proof.lBranches[spot].nodes[0] = try XCTUnwrap(Bytes32(p))
                        XCTAssertEqual(constraintsOutcome(sums, proof, m), "failed: spot check \(spot): balance is not a field element (≥ p)", "\(name) j \(j)")
                    }
                }
                var proof = part.proof
                proof.lBranches[spot].nodes[0] = try XCTUnwrap(Bytes32(p))
                XCTAssertEqual(constraintsOutcome(sums, proof, m), "failed: spot check \(spot): linear combination is not a field element (≥ p)")
                // p − 1 where the value was: still a field element, now a wrong one.
                var pMinus1 = p; pMinus1[31] -= 1
                proof = part.proof
                proof.lBranches[spot].nodes[0] = try XCTUnwrap(Bytes32(pMinus1))
                XCTAssertEqual(constraintsOutcome(sums, proof, m), "failed: spot check \(spot): the linear combination does not match l_mtree's value")
                proof = part.proof
                proof.entries[spot].e0.replaceSubrange((32 * (c + 1))..<(32 * (c + 2)), with: pMinus1)
                XCTAssertEqual(constraintsOutcome(sums, proof, m), "failed: spot check \(spot): the linear combination does not match l_mtree's value")
            }
        }
    }
}
