import Foundation

/// Independent jobs (one batch's proof, one inclusion file) run on all cores; results come back
/// in job order, so whatever is reported first is what a sequential run would report first.
enum StarkV1Parallel {
    static func map<T: Sendable>(_ count: Int, _ job: @Sendable (Int) -> T) -> [T] {
        guard count > 1 else { return (0..<count).map(job) }
        let slots = Slots<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { i in slots.set(i, job(i)) }
        return slots.values
    }

    /// Result slots written by disjoint indices from concurrent workers, read after they finish.
    final class Slots<T: Sendable>: @unchecked Sendable {
        private var items: [T?]
        private let lock = NSLock()
        init(count: Int) { items = [T?](repeating: nil, count: count) }
        func set(_ i: Int, _ value: T) { lock.lock(); items[i] = value; lock.unlock() }
        /// Every slot is set once concurrentPerform returns.
        var values: [T] { lock.lock(); defer { lock.unlock() }; return items.compactMap { $0 } }
    }
}
