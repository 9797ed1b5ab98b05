import CSQLite
import LabelStore

/// Finding the source rows that still need a label, in id order, one batch at a time.
extension SQLiteLabelStore {
    /// The source table's highest id, nil when it is empty (one index or rowid lookup for a key column).
    public func highestSourceID(_ source: SourceTable) throws -> Int64? {
        try connection.scalarInt("SELECT max(\(source.quotedID)) FROM \(source.quotedTable)")
    }

    /// How many rows are pending (for a progress bar's total); one scan of the source table.
    public func countPending(_ pending: Pending) throws -> Int {
        Int(try connection.scalarInt("SELECT count(*) \(pending.fromWhere(after: nil))", pending.arguments(after: nil)) ?? 0)
    }

    /// Up to `limit` pending rows with ids above `cursor` (from the lowest id when nil), in id order, each with
    /// its raw text value.
    public func fetchPending(_ pending: Pending, after cursor: Int64?, limit: Int) throws -> [SourceRow] {
        let sql = """
            SELECT s.\(pending.source.quotedID), s.\(pending.source.quotedText) \(pending.fromWhere(after: cursor))
            ORDER BY s.\(pending.source.quotedID) LIMIT \(max(limit, 1))
            """
        return try connection.query(sql, pending.arguments(after: cursor)) {
            SourceRow(id: $0.int64(0), value: Self.sourceValue($0, column: 1))
        }
    }

    /// The value of `column` as stored, reading text as raw bytes so invalid UTF-8 is detected, not repaired.
    static func sourceValue(_ row: Statement, column: Int32) -> SourceValue {
        switch row.type(column) {
        case SQLITE_NULL:
            return .null
        case SQLITE_BLOB:
            return .blob(byteCount: row.byteCount(column))
        case SQLITE_INTEGER, SQLITE_FLOAT:
            return .number(row.string(column))
        default:
            let bytes = row.bytes(column, asText: true)
            if let text = String(validating: bytes, as: UTF8.self) { return .text(text) }
            return .invalidUTF8(bytes)
        }
    }
}

extension Pending {
    /// The parameters of `fromWhere(after:)`: the cursor (when there is one), and the model when relabeling.
    fileprivate func arguments(after cursor: Int64?) -> [SQLArgument] {
        [cursor.map { .integer($0) } ?? .null] + (relabel ? [.text(model)] : [])
    }

    /// Pending rows with ids above `cursor`, or all of them when `cursor` is nil: a separate statement
    /// rather than `id > Int64.min`, which would skip a row whose id is Int64.min.
    fileprivate func fromWhere(after cursor: Int64?) -> String {
        let unlabeled = relabel ? "(l.query_id IS NULL OR l.model <> ?2)" : "l.query_id IS NULL"
        let above = cursor == nil ? "?1 IS NULL" : "s.\(source.quotedID) > ?1"
        return """
            FROM \(source.quotedTable) AS s LEFT JOIN query_labels AS l ON l.query_id = s.\(source.quotedID)
            WHERE \(above) AND typeof(s.\(source.quotedID)) = 'integer' AND \(unlabeled)
            """
    }
}
