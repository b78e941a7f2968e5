import Dispatch
import Foundation
import History

/// The store work of recording a check that does not depend on its outcome, done on another
/// core while the check runs: opening the database (GRDB's set-up and the migration check, ~1 ms),
/// sweeping temporary files that killed processes left, and writing and syncing copies of the
/// files given under temporary names. Recording then only moves the copies into place and writes
/// its transaction. Nothing here is visible in the store until then: a check that ends in an
/// error leaves no kept file behind (its copies are discarded), and any failure here is left for
/// the recording to meet again and report.
final class RecordingPreparation: @unchecked Sendable {
    private let store: Store
    private let queue = DispatchQueue(label: "porcheck.recording-preparation")
    // Touched only by blocks on `queue`; read through `queue.sync` once they have run.
    private var prepared: [String: Store.PreparedKeep] = [:]
    private var taken = false

    /// Starts opening the store and sweeping.
    init(store: Store) {
        self.store = store
        queue.async {
            store.openInAdvance()
            store.sweepAbandonedTemporaryFiles()
        }
    }

    /// Queues copies of these files (path → bytes and their SHA-256 being computed).
    func keep(_ files: [(path: String, data: [UInt8], digest: BackgroundSHA256)]) {
        queue.async { [self] in
            for file in files where prepared[file.path] == nil {
                prepared[file.path] = try? store.prepareKeep(data: file.data, sha256: file.digest.hex)
            }
        }
    }

    /// Waits for the work queued so far and hands over the prepared copies (once).
    func take() -> [String: Store.PreparedKeep] {
        queue.sync {
            taken = true
            return prepared
        }
    }

    /// Removes the copies that were not taken (the check was not recorded), after the queued
    /// work is done.
    func discardIfNotTaken() {
        queue.sync {
            if !taken { prepared.values.forEach(store.discard) }
            prepared = [:]
        }
    }
}
