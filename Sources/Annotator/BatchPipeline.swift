import Foundation
import LabelStore

/// Runs the batches of one labeling pass as a pipeline: while the model labels batch N on the inference workers,
/// this thread writes batch N−1 and reads and looks up batch N+1, so the cores and the database never wait for
/// each other.
///
/// Why it stays exactly-once: batches are still written in order, each in its own transaction, by this thread
/// alone; a batch read ahead but not written is simply read again by the next run. At most three batches are in
/// memory (one being read, one being labeled, one being written), whatever the table's size.
struct BatchPipeline {
    let labeler: BatchLabeler

    /// One batch on its way: its rows, and what the labeler prepared for them.
    private struct Stage {
        var rows: [SourceRow]
        var prepared: LabelTriage
    }

    /// Labels batches from `fetch(cursor)` (rows after the cursor, nil meaning from the start; empty when none are
    /// left) until none are left or `stop` is requested, handing each to `write` in order with its rows.
    func run(after cursor: Int64?, stop: StopFlag, fetch: (Int64?) throws -> [SourceRow],
             write: ([SourceRow], LabelStore.LabelBatch) throws -> Void) throws {
        func read(after cursor: Int64?) throws -> Stage? {
            guard !stop.isStopRequested else { return nil }
            let rows = try fetch(cursor)
            return rows.isEmpty ? nil : Stage(rows: rows, prepared: try labeler.prepare(rows.map(\.value)))
        }
        var next = try read(after: cursor)
        var finished: ([SourceRow], LabelStore.LabelBatch)?
        while let current = next {
            let inference = Inference { labeler.predict(current.prepared) }
            defer { _ = inference.wait() }
            if let (rows, batch) = finished { try write(rows, batch) }
            finished = nil
            next = try read(after: current.rows.last?.id)
            let predicted = inference.wait()
            // The next batch takes the keys this one has just predicted, so a key runs through the model once even
            // when the next batch was looked up before this one reached the cache; they count as cache hits, as
            // they would have a moment later.
            next?.prepared.take(Dictionary(zip(current.prepared.misses, predicted), uniquingKeysWith: { a, _ in a }))
            finished = (current.rows, labeler.batch(current.rows, labeler.finish(current.prepared, predicted: predicted)))
        }
        if let (rows, batch) = finished { try write(rows, batch) }
    }
}

/// One model call running on its own thread (which fans out to the classifier's workers), so the caller can do
/// database work meanwhile. `wait` returns the labels, as often as it is called.
///
/// Why `@unchecked Sendable`: `body` only runs the classifier, which is thread-safe; it never touches the store
/// the calling thread keeps using.
private final class Inference: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var labels: [StoredLabel]?
    private let body: () -> [StoredLabel]

    init(_ body: @escaping () -> [StoredLabel]) {
        self.body = body
        Thread {
            let result = self.body()
            self.lock.withLock { self.labels = result }
            self.done.signal()
        }.start()
    }

    func wait() -> [StoredLabel] {
        if let labels = lock.withLock({ labels }) { return labels }
        done.wait()
        done.signal()
        return lock.withLock { labels! }
    }
}
