import Synchronization

/// Values kept alive until the process exits: a process that ends after one check leaves its
/// parsed files (a global proof's JSON tree and proof model, tens of thousands of small
/// allocations) for the exit to reclaim instead of freeing them one by one first (~0.3 ms).
public enum LeftToExit {
    private static let values = Mutex<[any Sendable]>([])

    public static func keep(_ value: any Sendable) {
        values.withLock { $0.append(value) }
    }
}
