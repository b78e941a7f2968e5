import Dispatch
import Hashing

/// The SHA-256 of a file's bytes, computed on another core. Recording a check keeps its files
/// under their SHA-256; for a 600 KB global proof that is about 2 ms of hashing, which fits in
/// the time the file's JSON is parsed on this core.
final class BackgroundSHA256: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    // Written once by the worker before `done` is signalled; read only after waiting on it.
    private var digest = ""
    private var waited = false

    init(_ data: [UInt8]) {
        DispatchQueue.global().async { [self] in
            digest = Hex.encode(SHA256.hash(data))
            done.signal()
        }
    }

    /// The lowercase hex digest, waiting for it if need be. Call from one thread.
    var hex: String {
        if !waited {
            done.wait()
            waited = true
        }
        return digest
    }
}
