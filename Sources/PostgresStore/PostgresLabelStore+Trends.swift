import LabelStore

extension PostgresLabelStore {
    /// By the column's type: a timestamp (with a time zone, or without one, taken as UTC) or a date as it is, a
    /// number as Unix seconds, anything else as text: ISO-8601 (an offset converted to UTC, none taken as UTC, as
    /// SQLite reads it); text that does not start like a date gives NULL.
    public func utcTimeSQL(column: String, table: String, alias: String) throws -> String {
        let value = "\(alias).\(quoteIdentifier(column))"
        let type = try link.query("""
            SELECT t.typname::text, t.typcategory::text FROM pg_attribute AS a JOIN pg_type AS t ON t.oid = a.atttypid
            WHERE a.attrelid = to_regclass($1) AND a.attname = $2 AND NOT a.attisdropped
            """, binds(quoteIdentifier(table), column)).map { try $0.decode((String, String).self) }.first
        let utc: String
        switch type {
        case ("timestamptz", _)?: utc = "\(value) AT TIME ZONE 'UTC'"
        case ("timestamp", _)?, ("date", _)?: utc = "CAST(\(value) AS timestamp)"
        case (_, "N")?: utc = "to_timestamp(\(value)) AT TIME ZONE 'UTC'"
        default:
            let text = "CAST(\(value) AS text)"
            utc = """
                CASE WHEN \(text) ~ '(Z|[+-]\\d\\d(:?\\d\\d)?)$' AND \(text) ~ '^\\d{4}-\\d\\d-\\d\\d[T ]'
                          THEN CAST(\(text) AS timestamptz) AT TIME ZONE 'UTC'
                     WHEN \(text) ~ '^\\d{4}-\\d\\d-\\d\\d' THEN CAST(\(text) AS timestamp) END
                """
        }
        return "to_char(\(utc), 'YYYY-MM-DD\"T\"HH24:MI:SS')"
    }
}
