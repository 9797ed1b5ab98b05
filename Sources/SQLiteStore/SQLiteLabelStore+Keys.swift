import LabelStore

/// The SQLite primitives of `LabelDatabase.fillMissingKeys`.
extension SQLiteLabelStore {
    public func labelsLackingKeys(_ source: SourceTable, after cursor: Int64?, limit: Int) throws -> [SourceRow] {
        try connection.query("""
            SELECT l.query_id, s.\(source.quotedText)
            FROM query_labels AS l JOIN \(source.quotedTable) AS s ON s.\(source.quotedID) = l.query_id
            WHERE l.normalized_text IS NULL AND l.error IS NULL AND (?1 IS NULL OR l.query_id > ?1)
            ORDER BY l.query_id LIMIT \(max(limit, 1))
            """, [cursor.map { .integer($0) } ?? .null]) {
            SourceRow(id: $0.int64(0), value: Self.sourceValue($0, column: 1))
        }
    }

    public func writeKeys(_ keys: [Int64: String]) throws {
        try connection.transaction {
            let update = try connection.prepare(
                "UPDATE query_labels SET normalized_text = ?2 WHERE query_id = ?1 AND normalized_text IS NULL")
            defer { update.reset() }
            for (queryID, key) in keys {
                update.reset()
                try update.bind(queryID, at: 1)
                try update.bind(key, at: 2)
                while try update.step() {}
            }
        }
    }
}
