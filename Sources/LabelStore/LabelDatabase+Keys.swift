/// Filling the keys of labels written before `query_labels.normalized_text` existed (SQLite migration 3,
/// PostgreSQL 2), so a review of a key reaches those rows in the `<table>_labeled` view without relabeling them.
///
/// Why engine-neutral over two primitives: the walk (batches, cursor, what stays NULL) must be the same on both
/// engines; only reading a source value and writing a batch differ.
extension LabelDatabase {
    /// Fills the missing keys of `source`'s labels, `batchSize` rows per transaction, with `key` of each source
    /// value (the labeling job's keying; nil: the value has no key, and the row stays NULL). Idempotent, and safe
    /// to stop at any moment: each batch is committed on its own and the next run picks up what is left. Returns
    /// how many keys it wrote.
    public func fillMissingKeys(of source: SourceTable, batchSize: Int = 1000,
                                key: (SourceValue) -> String?) throws -> Int {
        var cursor: Int64?
        var filled = 0
        while true {
            let rows = try labelsLackingKeys(source, after: cursor, limit: batchSize)
            guard let last = rows.last else { return filled }
            var keys: [Int64: String] = [:]
            for row in rows { keys[row.id] = key(row.value) }
            if !keys.isEmpty { try writeKeys(keys) }
            filled += keys.count
            cursor = last.id
        }
    }
}
