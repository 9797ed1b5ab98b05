/// Checking the user's table of queries before a run, and keeping its `<table>_labeled` view current.
extension LabelStore {
    /// Fails with a clear error when the table or a column is missing, or the id column holds non-integers.
    public func validate(_ source: SourceTable) throws {
        guard try hasTable(source.table) else { throw StoreError.missingTable(table: source.table, path: path) }
        let columns = try connection.query("SELECT name FROM pragma_table_info(?)", [.text(source.table)]) {
            $0.string(0)
        }
        let rowidAliases: Set<String> = ["rowid", "oid", "_rowid_"]
        for column in [source.idColumn, source.textColumn] {
            let found = columns.contains { $0.caseInsensitiveCompare(column) == .orderedSame }
                || (column == source.idColumn && rowidAliases.contains(column.lowercased()))
            if !found { throw StoreError.missingColumn(column: column, table: source.table, available: columns) }
        }
        let example = try connection.query(
            "SELECT quote(\(source.quotedID)) FROM \(source.quotedTable) WHERE typeof(\(source.quotedID)) <> 'integer' LIMIT 1"
        ) { $0.string(0) }.first
        if let example { throw StoreError.nonIntegerID(column: source.idColumn, table: source.table, example: example) }
    }

    /// Fails when `query_labels` already holds labels written for another source table: labels are keyed
    /// by the source id alone, so two tables in one database would overwrite each other's labels.
    public func checkLabelsBelong(to source: SourceTable) throws {
        guard try hasTable("label_runs") else { return }
        let labeled = try connection.query("""
            SELECT r.source_table FROM label_runs AS r
            WHERE r.source_table <> ? COLLATE NOCASE AND EXISTS (SELECT 1 FROM query_labels WHERE run_id = r.id)
            LIMIT 1
            """, [.text(source.table)]) { $0.string(0) }.first
        if let labeled { throw StoreError.otherSourceTable(labeled: labeled, requested: source.table) }
    }

    /// Creates or updates the `<table>_labeled` view; writes nothing when it is already current.
    public func createView(for source: SourceTable) throws {
        let existing = try connection.query(
            "SELECT sql FROM sqlite_schema WHERE type = 'view' AND name = ?", [.text(source.viewName)]
        ) { $0.string(0) }.first
        guard existing != source.viewSQL else { return }
        try connection.transaction {
            try connection.execute("DROP VIEW IF EXISTS \(source.quotedView)")
            try connection.execute(source.viewSQL)
        }
    }
}
