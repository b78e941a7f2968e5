import ArgumentParser
import Checks
import Foundation
import Liabilities

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure verification speed and memory (prints figures; build with -c release for real numbers).",
        discussion: "Kinds: v2 (a zk-STARK v2 folder: whole process and per-part times).")

    @OptionGroup var common: CommonOptions

    @Argument(help: "What to measure: v2.") var kind: String
    @Argument(help: "A folder or files (default: the bundled sample audit).") var paths: [String] = []
    @Option(help: "Runs per measurement.") var runs = 30

    mutating func run() throws {
        let context = try common.context()
        switch kind {
        case "v2":
            let targets = paths.isEmpty ? [context.resources.demoFolder?.path].compactMap { $0 } : paths
            guard !targets.isEmpty else { throw ValidationError("give a folder to measure") }
            try benchV2(targets, context: context)
        default:
            throw ValidationError("unknown benchmark \(kind); try: v2")
        }
    }

    func benchV2(_ targets: [String], context: CommonOptions.Context) throws {
        let files = try ProofFiles.discover(targets)
        guard let sumPath = files.v2SumProofs.first else { throw ValidationError("no sum_proof_data.json among \(targets)") }
        let sumData = try JSONInput.readFile(sumPath)
        let proofs = try files.v2InclusionProofs.map { ($0, try JSONInput.readFile($0, maximumSize: 16 << 20)) }
        print("zk-STARK v2: \(sumPath) and \(proofs.count) inclusion proof(s)")
        if let exe = ResourceLocator.currentExecutable()?.path {
            let whole = try Benchmark.wholeProcess("whole process: porcheck verify --no-record", runs: runs,
                                                   executable: exe, arguments: ["verify", "--no-record"] + targets)
            print(whole.line)
        }
        print(Benchmark.inProcess("read sum_proof_data.json header", runs: runs) {
            _ = try? ZkStarkV2SumProofHeader.parse(sumData, file: sumPath)
        }.line)
        let header = try ZkStarkV2SumProofHeader.parse(sumData, file: sumPath)
        let verifier = ZkStarkV2InclusionVerifier(root: header.root, batchSize: header.batchSize, branchOut: Int(header.branchOut))
        print(Benchmark.inProcess("parse + verify \(proofs.count) inclusion proof(s)", runs: runs) {
            for (path, data) in proofs {
                if let proof = try? ZkStarkV2InclusionProof.parse(data, file: path) { _ = verifier.verify(proof, file: path) }
            }
        }.line)
        print("The total-sum plonky2 proof is not verified by this version, so it is not timed.")
    }
}
