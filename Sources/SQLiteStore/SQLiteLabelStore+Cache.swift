import LabelStore

/// The `label_cache` table: labels by (model id, normalized text), shared by `label`, `watch`, `lookup` and `serve`.
///
/// Lookups and hit counts go to SQLite a whole batch at a time (the keys as one JSON array through `json_each`),
/// not one statement per key: on a log of repeats most rows are cache hits, and per-row statements were most of
/// their cost.
extension SQLiteLabelStore {
    /// Keys per lookup statement: bounds the JSON text SQLite parses at once.
    static let keysPerLookup = 4096

    /// The cached labels for `keys` under `model`; keys not in the cache are absent from the result.
    public func cachedLabels(model: String, keys: [String]) throws -> [String: StoredLabel] {
        var found: [String: StoredLabel] = [:]
        found.reserveCapacity(keys.count)
        for start in stride(from: 0, to: keys.count, by: Self.keysPerLookup) {
            let chunk = keys[start..<min(start + Self.keysPerLookup, keys.count)]
            _ = try connection.query(Self.lookupSQL, [.text(model), .text(JSONText.array(chunk))]) { row in
                found[row.string(0)] = StoredLabel(kind: row.string(1), pKeyword: row.double(2), pQuestion: row.double(3))
            }
        }
        return found
    }

    /// Records `update` in its own short transaction (for `lookup` and `serve`).
    public func recordCache(_ update: CacheUpdate) throws {
        try connection.transaction { try writeCache(update, at: Timestamp.text()) }
    }

    /// Inserts new entries (keeping an entry another process wrote first) and adds hit counts, stamping both with
    /// `time` (one `Timestamp.text()` per batch, not one `strftime` per row).
    func writeCache(_ update: CacheUpdate, at time: String) throws {
        let insert = try connection.prepare("""
            INSERT INTO label_cache (model, normalized_text, p_keyword, p_question, kind, first_seen, last_seen)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
            ON CONFLICT (model, normalized_text) DO NOTHING
            """)
        defer { insert.reset() }
        try insert.bind(update.model, at: 1)
        try insert.bind(time, at: 6)
        for (key, label) in update.newEntries {
            insert.reset()
            try insert.bind(key, at: 2)
            try insert.bind(label.pKeyword, at: 3)
            try insert.bind(label.pQuestion, at: 4)
            try insert.bind(label.kind, at: 5)
            while try insert.step() {}
        }
        guard !update.hits.isEmpty else { return }
        try connection.run(Self.hitsSQL, [.text(update.model), .text(JSONText.object(update.hits)), .text(time)])
    }

    /// The cached labels of the keys in the JSON array `?2` under model `?1`. `CROSS JOIN` fixes the join order:
    /// one primary-key probe per key. (Left to itself, SQLite's planner scans every entry of the model instead.)
    static let lookupSQL = """
        SELECT c.normalized_text, c.kind, c.p_keyword, c.p_question
        FROM json_each(?2) AS j CROSS JOIN label_cache AS c ON c.model = ?1 AND c.normalized_text = j.value
        """

    /// Adds the hit counts of the JSON object `?2` (key → count) to model `?1`'s entries, stamping `?3`. The keys
    /// are a sorted subquery so SQLite walks them and probes the primary key for each, as in `lookupSQL`.
    static let hitsSQL = """
        UPDATE label_cache AS c SET hits = c.hits + j.value, last_seen = ?3
        FROM (SELECT key, value FROM json_each(?2) ORDER BY key) AS j
        WHERE c.model = ?1 AND c.normalized_text = j.key
        """
}
