import Foundation

/// Runs `body(worker)` for `worker` in `0..<count` on `count` threads, the calling thread being worker 0, and
/// returns when all have finished.
///
/// Why plain threads: `DispatchQueue.concurrentPerform` called from a thread of Dispatch's own pool (where Swift
/// concurrency runs the command line) ran its iterations one after another, so two workers used one core.
func runOnThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    guard count > 1 else {
        body(0)
        return
    }
    let finished = DispatchGroup()
    for worker in 1..<count {
        finished.enter()
        Thread {
            body(worker)
            finished.leave()
        }.start()
    }
    body(0)
    finished.wait()
}

/// Hands out batch numbers 0, 1, 2, … to the workers of `QueryClassifier.predict(tokenSequences:batchSize:)`,
/// each once.
///
/// Why: batches differ in length, so a shared counter balances the work better than a fixed split.
final class BatchCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    /// The next unclaimed number below `count`, or nil when all are taken.
    func take(below count: Int) -> Int? {
        lock.withLock {
            guard next < count else { return nil }
            defer { next += 1 }
            return next
        }
    }
}

/// Lets parallel workers write disjoint slots of one buffer. Why: the workers' closure must be `Sendable`; the
/// caller guarantees no two workers touch the same element and that the buffer outlives them.
struct DisjointSlots<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
