import Foundation
import LabelStore

/// The labels one model has given in this process, by cache key: a repeat of an analyst's query is answered from
/// here, without SQLite or the model.
///
/// Why bounded the simple way: the functions run inside someone else's process (a shell, a notebook, datasette), so
/// memory must stay bounded however many distinct texts pass; when a budget is reached the labels are dropped and
/// the cache starts over, which costs only re-reading `label_cache` or re-running the model for them.
final class MemoryLabels: @unchecked Sendable {
    /// At most this many labels…
    static let entryLimit = 1_000_000
    /// …and this many bytes of keys.
    static let keyByteLimit = 256 << 20

    private let lock = NSLock()
    private var labels: [String: StoredLabel] = [:]
    private var keyBytes = 0

    subscript(key: String) -> StoredLabel? {
        lock.withLock { labels[key] }
    }

    func store(_ entries: some Sequence<(key: String, label: StoredLabel)>) {
        lock.withLock {
            for (key, label) in entries where labels[key] == nil {
                if labels.count >= Self.entryLimit || keyBytes + key.utf8.count > Self.keyByteLimit {
                    labels.removeAll(keepingCapacity: true)
                    keyBytes = 0
                }
                labels[key] = label
                keyBytes += key.utf8.count
            }
        }
    }
}
