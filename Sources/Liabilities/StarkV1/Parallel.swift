import Foundation
import Synchronization

/// Independent jobs (one batch's proof, one inclusion file) run on all cores; results come back
/// in job order, so whatever is reported first is what a sequential run would report first.
enum StarkV1Parallel {
    static func map<T: Sendable>(_ count: Int, _ job: @Sendable (Int) -> T) -> [T] {
        guard count > 1 else { return (0..<count).map(job) }
        let slots = Slots<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { i in slots.set(i, job(i)) }
        return slots.values
    }

    /// Throwing jobs whose results come back in job order, or the error of the first job (in
    /// job order) that failed: the error a sequential run meets first. Sequentially, jobs run in
    /// order and stop there. In parallel, this thread and `Helper`'s thread run every job,
    /// started largest `cost` first (costs only set the schedule) so that both finish together;
    /// if the helper is already taken (by another caller), the jobs run sequentially.
    static func inOrder<T: Sendable>(_ count: Int, parallel: Bool, cost: (Int) -> Int = { _ in 0 },
                                     _ job: @escaping @Sendable (Int) throws -> T) throws -> [T] {
        if parallel, count > 1 {
            let costs = (0..<count).map(cost)
            let schedule = (0..<count).sorted { costs[$0] != costs[$1] ? costs[$0] > costs[$1] : $0 < $1 }
            let slots = Slots<Result<T, any Error>>(count: count)
            if Helper.shared.share(count, { k in slots.set(schedule[k], Result { try job(schedule[k]) }) }) {
                return try slots.values.map { try $0.get() }
            }
        }
        return try (0..<count).map(job)
    }

    /// One extra thread that a caller shares a set of jobs with: one batch's check split over
    /// both cores. Dispatch's concurrentPerform was tried first; for
    /// sections of a few hundred microseconds it often ran every iteration on one thread, and
    /// so did this helper while it slept between calls: the woken thread is put on the waking
    /// thread's core and runs there while the caller waits for a core, so the split gains
    /// nothing. So the helper keeps polling for work for a millisecond after its last job
    /// before it sleeps; back-to-back calls find it awake on
    /// its own core. Jobs are claimed from a counter under one lock (jobs take tens of
    /// microseconds, so the lock is not contended in any way that matters).
    final class Helper: @unchecked Sendable {
        static let shared = Helper()

        private let condition = NSCondition()
        /// Set while unclaimed jobs are posted, read without the lock by the polling helper.
        private let posted = Atomic<Bool>(false)
        // All guarded by `condition`.
        private var body: (@Sendable (Int) -> Void)?
        private var count = 0
        private var next = 0
        private var finished = 0
        private var inUse = false
        private var started = false

        static let pollNanoseconds: UInt64 = 1_000_000

        /// Runs body(0..<count) on this thread and the helper's; false (nothing run) when
        /// another caller has the helper.
        func share(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) -> Bool {
            condition.lock()
            guard !inUse else {
                condition.unlock()
                return false
            }
            inUse = true
            if !started {
                started = true
                let thread = Thread { [self] in helperLoop() }
                thread.name = "porcheck-stark-v1-helper"
                thread.start()
            }
            self.body = body
            self.count = count
            next = 0
            finished = 0
            posted.store(true, ordering: .releasing)
            condition.broadcast()
            condition.unlock()
            work()
            condition.lock()
            while finished < count { condition.wait() }
            self.body = nil
            inUse = false
            condition.unlock()
            return true
        }

        /// Takes jobs until none is left (called without the lock held).
        private func work() {
            while true {
                condition.lock()
                guard let body, next < count else {
                    condition.unlock()
                    return
                }
                let i = next
                next += 1
                if next == count { posted.store(false, ordering: .releasing) }
                condition.unlock()
                body(i)
                condition.lock()
                finished += 1
                if finished == count { condition.broadcast() }
                condition.unlock()
            }
        }

        private func helperLoop() {
            while true {
                let start = DispatchTime.now().uptimeNanoseconds
                while !posted.load(ordering: .acquiring), DispatchTime.now().uptimeNanoseconds - start < Helper.pollNanoseconds {}
                if !posted.load(ordering: .acquiring) {
                    condition.lock()
                    while body == nil || next >= count { condition.wait() }
                    condition.unlock()
                }
                work()
            }
        }
    }

    /// Result slots written by disjoint indices from concurrent workers, read after they finish.
    final class Slots<T: Sendable>: @unchecked Sendable {
        private var items: [T?]
        private let lock = NSLock()
        init(count: Int) { items = [T?](repeating: nil, count: count) }
        func set(_ i: Int, _ value: T) { lock.lock(); items[i] = value; lock.unlock() }
        /// Every slot is set once the workers are done.
        var values: [T] { lock.lock(); defer { lock.unlock() }; return items.compactMap { $0 } }
    }
}
