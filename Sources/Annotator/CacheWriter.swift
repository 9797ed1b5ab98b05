import Foundation
import LabelStore
import Logging

/// The one writer of `serve`'s cache entries and hit counts into `label_cache`, on its own connection and thread.
///
/// Why: a transaction per request would make writers queue on the database's write lock under load. Updates
/// accumulate here and are written together, at most one short transaction per `interval`, through the store's own
/// `recordCache` (the same rows `label` and `lookup` write). A watch loop in the same process uses another
/// connection; both wait at most the busy timeout (`--busy-timeout`) for a lock, never on each other's locks in
/// this process.
///
/// A write that fails (a lock held past the busy timeout, a full disk, a lost connection) loses nothing: its
/// updates go back in front of the newer ones and are retried every `retryDelay` until the database heals. What
/// waits is bounded by `maxPending` (entries plus keys with hit counts): past it the oldest entries are dropped
/// (they stay in the memory cache, and a later miss computes them again), then the newest hit counts; a warning
/// says how many.
final class CacheWriter: @unchecked Sendable {
    private let store: any LabelDatabase
    private let interval: Duration
    private let retryDelay: Duration
    private let maxPending: Int
    private let logger: Logger
    private let condition = NSCondition()
    private let done = DispatchSemaphore(value: 0)
    // Guarded by `condition`:
    private var pending: LabelStore.CacheUpdate
    private var closed = false
    /// Entries and hit counts dropped past `maxPending` since the last successful write.
    private var dropped = 0

    init(store: any LabelDatabase, model: String, interval: Duration = .milliseconds(50),
         retryDelay: Duration = .seconds(1), maxPending: Int = 100_000, logger: Logger) {
        self.store = store
        self.interval = interval
        self.retryDelay = retryDelay
        self.maxPending = max(1, maxPending)
        self.logger = logger
        pending = .init(model: model)
        let thread = Thread { [self] in
            run()
            done.signal()
        }
        thread.name = "querykind-cache-writer"
        thread.start()
    }

    /// Queues labels the model just computed.
    func add(entries: some Sequence<(String, StoredLabel)>) {
        condition.withLock {
            pending.newEntries.append(contentsOf: entries.map { (key: $0.0, label: $0.1) })
            keepWithinBound()
            condition.signal()
        }
    }

    /// Queues cache hits (counts per key).
    func add(hits: [String: Int]) {
        guard !hits.isEmpty else { return }
        condition.withLock {
            pending.hits.merge(hits, uniquingKeysWith: +)
            keepWithinBound()
            condition.signal()
        }
    }

    /// Writes what is queued (one attempt when the database still fails) and stops the thread.
    func close() {
        condition.withLock {
            closed = true
            condition.signal()
        }
        done.wait()
    }

    private func run() {
        var failing = false
        while let update = nextUpdate() {
            do {
                try store.recordCache(update)
                if failing {
                    let lost = condition.withLock { defer { dropped = 0 }; return dropped }
                    logger.info("cache writes resumed", metadata: [
                        "entries": "\(update.newEntries.count)", "dropped": "\(lost)"])
                }
                failing = false
                Thread.sleep(forTimeInterval: interval / .seconds(1))
            } catch {
                let stopping = condition.withLock {
                    putBack(update)
                    return closed
                }
                if stopping {
                    logger.error("cache write failed at shutdown; these entries were not written", metadata: [
                        "entries": "\(update.newEntries.count)", "error": "\(error)"])
                    return
                }
                if !failing {
                    logger.error("cache write failed; keeping the entries to write once the database heals", metadata: [
                        "entries": "\(update.newEntries.count)", "error": "\(error)"])
                }
                failing = true
                Thread.sleep(forTimeInterval: retryDelay / .seconds(1))
            }
        }
    }

    /// Waits for updates and takes them all; nil once closed with nothing left.
    private func nextUpdate() -> LabelStore.CacheUpdate? {
        condition.lock()
        defer { condition.unlock() }
        while pending.newEntries.isEmpty && pending.hits.isEmpty {
            if closed { return nil }
            condition.wait()
        }
        let update = pending
        pending = .init(model: update.model)
        return update
    }

    /// Puts a failed update back in front of what arrived meanwhile (with the lock held).
    private func putBack(_ update: LabelStore.CacheUpdate) {
        pending.newEntries.insert(contentsOf: update.newEntries, at: 0)
        pending.hits.merge(update.hits, uniquingKeysWith: +)
        keepWithinBound()
    }

    /// Drops the oldest entries, then hit counts, past `maxPending` (with the lock held).
    private func keepWithinBound() {
        var excess = pending.newEntries.count + pending.hits.count - maxPending
        guard excess > 0 else { return }
        if dropped == 0 {
            logger.warning("the database has not taken cache writes for a while; dropping the oldest", metadata: [
                "kept": "\(maxPending)"])
        }
        dropped += excess
        let entries = min(excess, pending.newEntries.count)
        pending.newEntries.removeFirst(entries)
        excess -= entries
        while excess > 0, let key = pending.hits.keys.first {
            pending.hits[key] = nil
            excess -= 1
        }
    }
}
