import LabelStore

extension SQLiteLabelStore {
    /// By each value's type, as SQLite stores them: a number is Unix seconds, text is ISO-8601 (an offset is
    /// converted to UTC, none means UTC); text SQLite's date functions cannot read gives NULL.
    public func utcTimeSQL(column: String, table: String, alias: String) throws -> String {
        let value = "\(alias).\(quoteIdentifier(column))"
        return """
            CASE WHEN typeof(\(value)) IN ('integer', 'real') THEN strftime('%Y-%m-%dT%H:%M:%S', \(value), 'unixepoch')
                 ELSE strftime('%Y-%m-%dT%H:%M:%S', \(value)) END
            """
    }
}
