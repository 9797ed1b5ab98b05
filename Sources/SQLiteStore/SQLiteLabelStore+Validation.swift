import LabelStore

/// Checking the user's table of queries before a run, and keeping its `<table>_labeled` and `<table>_kinds_daily`
/// views current.
extension SQLiteLabelStore {
    /// Fails with a clear error when the table or a column is missing, `rowid` is asked of a source without one,
    /// the id column holds non-integers, a column is named like one the `<table>_labeled` view adds, or a user's
    /// object already holds the name of that view or of `<table>_kinds_daily`.
    /// Read-only: commands call it before anything changes the file.
    public func validate(_ source: SourceTable) throws {
        guard try hasTable(source.table) else { throw StoreError.missingTable(table: source.table, path: path) }
        let columns = try connection.query("SELECT name FROM pragma_table_info(?)", [.text(source.table)]) {
            $0.string(0)
        }
        let rowidAliases: Set<String> = ["rowid", "oid", "_rowid_"]
        for column in [source.idColumn, source.textColumn] {
            if columns.contains(where: { $0.caseInsensitiveCompare(column) == .orderedSame }) { continue }
            guard column == source.idColumn && rowidAliases.contains(column.lowercased()) else {
                throw StoreError.missingColumn(column: column, table: source.table, available: columns)
            }
            if let kind = try rowidlessKind(source.table) { throw StoreError.noRowid(table: source.table, kind: kind) }
        }
        if let clash = SourceTable.labelColumnClash(in: columns) {
            throw StoreError.labelColumnClash(column: clash, table: source.table)
        }
        let example = try connection.query(
            "SELECT quote(\(source.quotedID)) FROM \(source.quotedTable) WHERE typeof(\(source.quotedID)) <> 'integer' LIMIT 1"
        ) { $0.string(0) }.first
        if let example { throw StoreError.nonIntegerID(column: source.idColumn, table: source.table, example: example) }
        for (name, signature) in [(source.viewName, source.viewSQLSignature),
                                  (source.kindsDailyName, source.kindsDailySignature)] {
            if let existing = try object(named: name), existing.type != "view" || !existing.sql.hasPrefix(signature) {
                throw StoreError.nameClash(object: existing, path: path)
            }
        }
    }

    /// "a view" or "a WITHOUT ROWID table" when `table` has no rowid, nil when it has one.
    private func rowidlessKind(_ table: String) throws -> String? {
        let (type, withoutRowid) = try connection.query(
            "SELECT type, wr FROM pragma_table_list WHERE name = ? COLLATE NOCASE", [.text(table)]
        ) { ($0.string(0), $0.int64(1) != 0) }.first ?? ("table", false)
        if type == "view" { return "a view" }
        return withoutRowid ? "a WITHOUT ROWID table" : nil
    }

    /// Fails when `query_labels` already holds labels written for another source table: labels are keyed
    /// by the source id alone, so two tables in one database would overwrite each other's labels.
    public func checkLabelsBelong(to source: SourceTable) throws {
        guard try hasTable("label_runs"), try hasTable("query_labels") else { return }
        let labeled = try connection.query("""
            SELECT r.source_table FROM label_runs AS r
            WHERE r.source_table <> ? COLLATE NOCASE AND EXISTS (SELECT 1 FROM query_labels WHERE run_id = r.id)
            LIMIT 1
            """, [.text(source.table)]) { $0.string(0) }.first
        if let labeled { throw StoreError.otherSourceTable(labeled: labeled, requested: source.table) }
    }

    /// Creates or updates the `<table>_labeled` view and the `<table>_kinds_daily` view over it; writes nothing when
    /// they are already current.
    public func createView(for source: SourceTable) throws {
        let daily = source.kindsDailySQL(labeledAt: try utcTimeSQL(column: "labeled_at", table: source.viewName, alias: "v"))
        for (name, quoted, sql) in [(source.viewName, source.quotedView, source.viewSQL),
                                    (source.kindsDailyName, source.quotedKindsDaily, daily)] {
            let existing = try connection.query(
                "SELECT sql FROM sqlite_schema WHERE type = 'view' AND name = ?", [.text(name)]
            ) { $0.string(0) }.first
            guard existing != sql else { continue }
            try connection.transaction {
                try connection.execute("DROP VIEW IF EXISTS \(quoted)")
                try connection.execute(sql)
            }
        }
    }
}
