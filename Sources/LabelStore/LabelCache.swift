/// The `label_cache` table: labels by (model id, normalized text), shared by `label`, `watch` and `lookup`.
extension LabelStore {
    /// New cache entries and hit counts to record, applied in one go with `recordCache`.
    public struct CacheUpdate: Sendable {
        public var model: String
        /// Keys labeled by the model this time.
        public var newEntries: [(key: String, label: StoredLabel)] = []
        /// How many times each existing (or just-created) key was served from the cache.
        public var hits: [String: Int] = [:]

        public init(model: String) { self.model = model }
    }

    /// The cached labels for `keys` under `model`; keys not in the cache are absent from the result.
    public func cachedLabels(model: String, keys: some Sequence<String>) throws -> [String: StoredLabel] {
        let statement = try connection.prepare(
            "SELECT kind, p_keyword, p_question FROM label_cache WHERE model = ? AND normalized_text = ?")
        var found: [String: StoredLabel] = [:]
        for key in keys {
            try statement.bind([.text(model), .text(key)])
            if try statement.step() {
                found[key] = StoredLabel(kind: statement.string(0), pKeyword: statement.double(1),
                                         pQuestion: statement.double(2))
            }
        }
        return found
    }

    /// Records `update` in its own short transaction (for `lookup`).
    public func recordCache(_ update: CacheUpdate) throws {
        try connection.transaction { try writeCache(update) }
    }

    /// Inserts new entries (keeping an entry another process wrote first) and adds hit counts.
    func writeCache(_ update: CacheUpdate) throws {
        let insert = try connection.prepare("""
            INSERT INTO label_cache (model, normalized_text, p_keyword, p_question, kind) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (model, normalized_text) DO NOTHING
            """)
        for (key, label) in update.newEntries {
            try insert.bind([.text(update.model), .text(key), .real(label.pKeyword), .real(label.pQuestion),
                             .text(label.kind)])
            while try insert.step() {}
        }
        let hit = try connection.prepare("""
            UPDATE label_cache SET hits = hits + ?, last_seen = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
            WHERE model = ? AND normalized_text = ?
            """)
        for (key, count) in update.hits where count > 0 {
            try hit.bind([.integer(Int64(count)), .text(update.model), .text(key)])
            while try hit.step() {}
        }
    }
}
