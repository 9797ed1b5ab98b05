import LabelStore
import PostgresNIO

/// The PostgreSQL primitives of `LabelDatabase.fillMissingKeys`.
extension PostgresLabelStore {
    public func labelsLackingKeys(_ source: SourceTable, after cursor: Int64?, limit: Int) throws -> [SourceRow] {
        let textKind = try textKind(of: source)
        var arguments = binds(Int64(max(limit, 1)))
        if let cursor { arguments.append(cursor) }
        return try link.query("""
            SELECT l.query_id, \(textKind.expression(source.quotedText))
            FROM query_labels AS l JOIN \(source.quotedTable) AS s ON s.\(source.quotedID) = l.query_id
            WHERE l.normalized_text IS NULL AND l.error IS NULL \(cursor == nil ? "" : "AND l.query_id > $2")
            ORDER BY l.query_id LIMIT $1
            """, arguments).map {
            let (id, value) = try $0.decode((Int64, String?).self)
            return SourceRow(id: id, value: textKind.value(value))
        }
    }

    /// One statement, so one transaction.
    public func writeKeys(_ keys: [Int64: String]) throws {
        _ = try link.execute("""
            UPDATE query_labels AS l SET normalized_text = t.key
            FROM unnest($1::int8[], $2::text[]) AS t (id, key)
            WHERE l.query_id = t.id AND l.normalized_text IS NULL
            """, binds(Array(keys.keys), Array(keys.values)))
    }
}
