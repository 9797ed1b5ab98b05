import Foundation
import LabelStore

/// Reads `label_cache` for the server on its own connection, one caller at a time.
///
/// Why: database connections (SQLite's, and the PostgreSQL store's) are not for concurrent use, and a memory miss is
/// rare enough once the server is warm that one reader (in SQLite, a WAL reader never blocked by writers) is plenty.
final class CacheReader: @unchecked Sendable {
    private let store: any LabelDatabase
    private let model: String
    private let lock = NSLock()

    init(store: any LabelDatabase, model: String) {
        self.store = store
        self.model = model
    }

    func labels(for keys: [String]) throws -> [String: StoredLabel] {
        try lock.withLock { try store.cachedLabels(model: model, keys: keys) }
    }

    /// True when the database answers a query.
    var isReachable: Bool {
        lock.withLock { (try? store.schemaVersion()) != nil }
    }
}
