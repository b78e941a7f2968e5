import Foundation
import XCTest
@testable import Liabilities
@testable import Plonky2

/// The FRI query rounds read straight from the bytes (`QueryRoundReader`) are the ones the
/// generic parser and `ProofDecoder` read, and anything the reader does not take is read, and
/// reported, exactly as before.
final class QueryRoundReaderTests: XCTestCase {
    static let v2 = ZkStarkV2InclusionTests.fixtures

    /// The old way: the whole tree, then the decoder.
    func slow(_ data: Data) -> Result<ZkStarkV2GlobalProof, Error> {
        Result { try ZkStarkV2GlobalProof.parse(json: try JSONInput.parse(data, file: "x.json"), file: "x.json") }
    }

    func fast(_ data: Data) -> Result<ZkStarkV2GlobalProof, Error> {
        Result { try ZkStarkV2GlobalProof.parse(data, file: "x.json") }
    }

    func assertSame(_ a: Result<ZkStarkV2GlobalProof, Error>, _ b: Result<ZkStarkV2GlobalProof, Error>, _ what: String,
                    file: StaticString = #filePath, line: UInt = #line) {
        switch (a, b) {
        case let (.success(x), .success(y)):
            XCTAssertTrue(x.proof == y.proof, what, file: file, line: line)
            XCTAssertEqual(x.header.root, y.header.root, what, file: file, line: line)
            XCTAssertEqual(x.rootVDDigest, y.rootVDDigest, what, file: file, line: line)
            XCTAssertTrue(x.circuitBytes == y.circuitBytes, what, file: file, line: line)
        case let (.failure(x), .failure(y)):
            XCTAssertEqual("\(x)", "\(y)", what, file: file, line: line)
        default:
            func short(_ r: Result<ZkStarkV2GlobalProof, Error>) -> String {
                if case .failure(let e) = r { return "error \(e)" } else { return "a proof" }
            }
            XCTFail("\(what): one way gives \(short(a)), the other \(short(b))", file: file, line: line)
        }
    }

    func sumProofFiles() throws -> [URL] {
        var files = [URL]()
        for folder in ["one-level", "two-level", "one-level/tampered", "two-level/tampered", "okx-round-508787475"] {
            let dir = Self.v2.appendingPathComponent(folder)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] where name.hasPrefix("sum_proof_data") {
                files.append(dir.appendingPathComponent(name))
            }
        }
        return files.sorted { $0.path < $1.path }
    }

    func testEveryFixtureReadsAlikeAndTheUsualShapeIsReadFast() throws {
        let files = try sumProofFiles()
        XCTAssertGreaterThan(files.count, 10)
        for url in files {
            let data = try Data(contentsOf: url)
            assertSame(fast(data), slow(data), url.lastPathComponent)
            if url.lastPathComponent != "sum_proof_data.truncated.json" {
                XCTAssertNotNil(try JSONInput.parseDocument(data, file: "x").queryRounds, "\(url.lastPathComponent) is read fast")
            }
        }
    }

    /// White space anywhere JSON allows it is read fast; another key order, an extra key or an
    /// escaped key makes the reader give up, and the decoder reads the value as before.
    func testReformattedFilesReadAlike() throws {
        let data = try Data(contentsOf: Self.v2.appendingPathComponent("one-level/sum_proof_data.json"))
        let text = String(decoding: data, as: UTF8.self)
        let spaced = text.replacingOccurrences(of: ",", with: " ,\n\t").replacingOccurrences(of: ":", with: " : ")
            .replacingOccurrences(of: "[", with: "[ ").replacingOccurrences(of: "}", with: "\r\n}")
        XCTAssertNotNil(try JSONInput.parseDocument(Data(spaced.utf8), file: "x").queryRounds)
        assertSame(fast(Data(spaced.utf8)), slow(data), "spaced")
        let variants: [(String, String)] = [
            ("{\"initial_trees_proof\":", "{\"extra\":1,\"initial_trees_proof\":"),
            ("\"siblings\":", "\"sib\\u006cings\":"),
            ("{\"evals\":", "{\"merkle_proof\":{\"siblings\":[]},\"evals\":"),
            ("\"pow_witness\":", "\"query_round_proofs\":7,\"pow_witness\":"),
        ]
        for (from, to) in variants {
            let range = try XCTUnwrap(text.range(of: from))
            let changed = Data(text.replacingCharacters(in: range, with: to).utf8)
            assertSame(fast(changed), slow(changed), to)
        }
        // Keys in another order (each step's "merkle_proof" before its "evals") are read by the
        // decoder, to the same proof.
        let reordered = Data(Self.reversingStepKeys(try JSONInput.parse(data, file: "x")).text.utf8)
        XCTAssertNotEqual(reordered, data)
        XCTAssertNil(try JSONInput.parseDocument(reordered, file: "x").queryRounds)
        assertSame(fast(reordered), slow(data), "reordered")
    }

    /// The tree with the keys of every object inside a "steps" list in reverse order.
    static func reversingStepKeys(_ value: JSONValue, inSteps: Bool = false) -> JSONValue {
        switch value {
        case .array(let items): return .array(items.map { reversingStepKeys($0, inSteps: inSteps) })
        case .object(let fields):
            let mapped = fields.map { (key: $0.key, value: reversingStepKeys($0.value, inSteps: $0.key == "steps")) }
            return .object(inSteps ? mapped.reversed() : mapped)
        default: return value
        }
    }

    /// Random damage in and around the rounds: the same proof or the same error both ways.
    func testDamagedFilesReadAlike() throws {
        let data = try Data(contentsOf: Self.v2.appendingPathComponent("one-level/sum_proof_data.json"))
        let bytes = [UInt8](data)
        let text = String(decoding: data, as: UTF8.self)
        let start = try XCTUnwrap(text.range(of: "\"query_round_proofs\":")).lowerBound.utf16Offset(in: text)
        let end = try XCTUnwrap(text.range(of: "\"final_poly\":")).lowerBound.utf16Offset(in: text)
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array(" ,:[]{}\"0123456789.e-\\ax".utf8)
        for round in 0..<400 {
            var damaged = bytes
            for _ in 0..<(round % 3 + 1) {
                let at = Int.random(in: (start - 40)..<(end + 40), using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: damaged.remove(at: at)
                case 1: damaged.insert(alphabet.randomElement(using: &generator) ?? 0x20, at: at)
                default: damaged[at] = alphabet.randomElement(using: &generator) ?? 0x20
                }
            }
            assertSame(fast(Data(damaged)), slow(Data(damaged)), "damage round \(round)")
        }
    }
}
