import Foundation
import LabelStore
import Logging

/// The one writer of the server's cache entries and hit counts into `label_cache`, on its own connection and thread.
///
/// Why: a transaction per request would make writers queue on SQLite's lock under load. Updates accumulate here and
/// are written together, at most one short `BEGIN IMMEDIATE` transaction per `interval`, through the store's own
/// `recordCache` (the same rows `label` and `lookup` write). A watch loop in the same process uses another
/// connection; both wait on SQLite's busy timeout, never on each other's locks in this process.
final class CacheWriter: @unchecked Sendable {
    private let store: any LabelDatabase
    private let interval: Duration
    private let logger: Logger
    private let condition = NSCondition()
    private let done = DispatchSemaphore(value: 0)
    // Guarded by `condition`:
    private var pending: LabelStore.CacheUpdate
    private var closed = false

    init(store: any LabelDatabase, model: String, interval: Duration = .milliseconds(50), logger: Logger) {
        self.store = store
        self.interval = interval
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
            condition.signal()
        }
    }

    /// Queues cache hits (counts per key).
    func add(hits: [String: Int]) {
        guard !hits.isEmpty else { return }
        condition.withLock {
            pending.hits.merge(hits, uniquingKeysWith: +)
            condition.signal()
        }
    }

    /// Writes what is queued and stops the thread.
    func close() {
        condition.withLock {
            closed = true
            condition.signal()
        }
        done.wait()
    }

    private func run() {
        while let update = nextUpdate() {
            do {
                try store.recordCache(update)
            } catch {
                logger.error("cache write failed", metadata: [
                    "entries": "\(update.newEntries.count)", "error": "\(error)"])
            }
            Thread.sleep(forTimeInterval: interval / .seconds(1))
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
}
