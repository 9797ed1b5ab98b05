import Foundation
import LabelStore

/// A bounded in-memory label cache, in front of the database's `label_cache` (or alone without one): `serve`'s, and
/// the SQLite extension's in each process it is loaded into.
///
/// Why: a cache hit must cost microseconds, not a SQLite query, and memory must stay bounded however many distinct
/// texts arrive. Two generations give an LRU-like policy at dictionary cost: lookups hit the current generation or
/// promote from the previous one, and when the current one is full it becomes the previous one. At most `capacity`
/// entries are held, about 500 bytes of RSS each for short queries (`bench/memory_bound.py`: 100,000 entries
/// cost 37 MiB, and RSS stays level while 200,000 more texts turn the generations over).
public final class MemoryCache: @unchecked Sendable {
    private let lock = NSLock()
    private let generationSize: Int
    private var current: [String: StoredLabel] = [:]
    private var previous: [String: StoredLabel] = [:]

    public init(capacity: Int) {
        generationSize = max(1, capacity / 2)
    }

    /// The label held for `key`, promoted to the current generation when found in the previous one.
    public subscript(key: String) -> StoredLabel? {
        lock.withLock { find(key) }
    }

    /// The labels held for `keys` (those found), under one lock.
    public func labels(for keys: [String]) -> [String: StoredLabel] {
        lock.withLock {
            var found: [String: StoredLabel] = [:]
            for key in keys { found[key] = find(key) }
            return found
        }
    }

    public func store(_ entries: some Sequence<(String, StoredLabel)>) {
        lock.withLock {
            for (key, label) in entries { insert(key, label) }
        }
    }

    /// Entries held now.
    public var count: Int { lock.withLock { current.count + previous.count } }

    /// `key`'s label, promoted from the previous generation (with the lock held).
    private func find(_ key: String) -> StoredLabel? {
        if let label = current[key] { return label }
        guard let label = previous[key] else { return nil }
        insert(key, label)
        return label
    }

    /// Puts `key` in the current generation, and only there, so `count` counts it once. A full current generation
    /// becomes the previous one, and the dropped generation's table is emptied and reused for the new current one,
    /// so a server turning over generations all day allocates no new tables (and the allocator no new room for them).
    private func insert(_ key: String, _ label: StoredLabel) {
        previous[key] = nil
        if current[key] == nil && current.count >= generationSize {
            swap(&previous, &current)
            current.removeAll(keepingCapacity: true)
        }
        current[key] = label
    }
}
