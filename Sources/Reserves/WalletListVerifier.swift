import Foundation

/// Verifies a whole wallet list: reads it in chunks, verifies batches of rows on all cores and
/// delivers the results strictly in file order.
public enum WalletListVerifier {
    public struct Options: Sendable {
        /// Rows verified per parallel batch (memory is bounded by this, not the file size).
        public var batchSize = 4096
        /// Longest accepted physical record in bytes.
        public var maxRecordBytes = 1 << 20
        /// Worker count; defaults to the active processor count.
        public var workers = ProcessInfo.processInfo.activeProcessorCount
        public init() {}
    }

    /// Verifies `file`, calling `onRow` for each detail row in file order; returns the summary.
    /// Throws WalletInputError when the file is not a wallet list at all.
    public static func verify(file: URL, options: Options = Options(),
                              onRow: (VerifiedRow) throws -> Void = { _ in }) throws -> WalletSummary {
        let reader = try WalletListReader(url: file, maxRecordBytes: options.maxRecordBytes)
        let layout = reader.layout
        var accumulator = SummaryAccumulator(file: file.lastPathComponent, layout: layout, claimed: reader.claimed)
        // Two-stage pipeline: while batch N is verified on the worker threads, this thread reads
        // and splits batch N+1; results are emitted strictly in file order.
        var inFlight: (group: DispatchGroup, box: ResultBox)?
        var done = false
        while !done {
            var batch = [DetailRecord]()
            batch.reserveCapacity(options.batchSize)
            while batch.count < options.batchSize, let record = try reader.nextDetail() { batch.append(record) }
            if batch.count < options.batchSize { done = true }
            var started: (group: DispatchGroup, box: ResultBox)?
            if !batch.isEmpty {
                let box = ResultBox(count: batch.count)
                let group = DispatchGroup()
                let records = batch, workers = options.workers
                DispatchQueue.global().async(group: group) { verifyBatch(records, layout: layout, workers: workers, into: box) }
                started = (group, box)
            }
            if let previous = inFlight {
                previous.group.wait()
                for row in previous.box.rows.compactMap({ $0 }) {
                    accumulator.add(row)
                    try onRow(row)
                }
            }
            inFlight = started
        }
        if let last = inFlight {
            last.group.wait()
            for row in last.box.rows.compactMap({ $0 }) {
                accumulator.add(row)
                try onRow(row)
            }
        }
        return accumulator.finish()
    }

    /// Verifies a batch in parallel; the result is in batch order.
    static func verifyBatch(_ batch: [DetailRecord], layout: WalletLayout, workers: Int, into box: ResultBox) {
        let slices = max(1, min(batch.count, workers * 8))
        DispatchQueue.concurrentPerform(iterations: slices) { slice in
            let start = batch.count * slice / slices, end = batch.count * (slice + 1) / slices
            for i in start..<end {
                let record = batch[i]
                let row: VerifiedRow
                if let error = record.error {
                    row = VerifiedRow(line: record.line, coin: "", network: "", address: "", amount: nil, unit: nil,
                                      outcome: .failed("malformed row: \(error)"))
                } else {
                    row = RowVerifier.verify(fields: record.fields, line: record.line, layout: layout)
                }
                box.set(i, row)
            }
        }
    }
}

/// Result slots written by disjoint indices from concurrent workers, read after they finish.
final class ResultBox: @unchecked Sendable {
    var rows: [VerifiedRow?]
    let lock = NSLock()
    init(count: Int) { rows = [VerifiedRow?](repeating: nil, count: count) }
    func set(_ i: Int, _ row: VerifiedRow) {
        // Each index is written once; the lock keeps the array's storage consistent.
        lock.lock(); rows[i] = row; lock.unlock()
    }
}
