import LabelStore
import PostgresNIO

/// Checking the user's table and keeping its view current. The checks only read, so a refused command leaves the
/// database as it was; the changes run under one advisory lock (`schemaLock`), so workers starting together
/// migrate once.
extension PostgresLabelStore {
    /// An arbitrary constant naming querykind's advisory lock ("qk" in ASCII).
    static let schemaLock: Int64 = 0x716B

    /// Fails with a clear error when the table or a column is missing, the id column is not an integer type, a
    /// column is named like one the `<table>_labeled` view adds, or that view's name is taken by something that is
    /// not querykind's view. Reads only.
    public func validate(_ source: SourceTable) throws {
        guard try hasTable(source.table) else {
            throw StoreError.missingTable(table: source.table, path: location.description)
        }
        let columns = try self.columns(of: source)
        func column(_ name: String) throws -> (String, String, String) {
            guard let found = columns.first(where: { $0.0 == name }) else {
                throw StoreError.missingColumn(column: name, table: source.table, available: columns.map(\.0))
            }
            return found
        }
        let id = try column(source.idColumn)
        guard ["int2", "int4", "int8"].contains(id.1) else {
            throw PostgresStoreError.nonIntegerID(column: source.idColumn, table: source.table, type: id.1)
        }
        _ = try column(source.textColumn)
        if let clash = SourceTable.labelColumnClash(in: columns.map(\.0)) {
            throw StoreError.labelColumnClash(column: clash, table: source.table)
        }
        for (name, quoted) in [(source.viewName, source.quotedView), (source.kindsDailyName, source.quotedKindsDaily)] {
            let existing = try link.query("""
                SELECT c.relkind::text, obj_description(c.oid, 'pg_class') FROM pg_class AS c
                WHERE c.oid = to_regclass($1)
                """, binds(quoted)).first.map { try $0.decode((String, String?).self) }
            if let (kind, comment) = existing, kind != "v" || !(comment ?? "").hasPrefix(Self.viewCommentPrefix) {
                throw PostgresStoreError.viewNameTaken(name: name, location: location.description)
            }
        }
    }

    /// The source table's columns in order, each with its type's name and category (`pg_type`).
    private func columns(of source: SourceTable) throws -> [(name: String, type: String, category: String)] {
        try link.query("""
            SELECT a.attname::text, t.typname::text, t.typcategory::text FROM pg_attribute AS a
            JOIN pg_type AS t ON t.oid = a.atttypid
            WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
            """, binds(source.quotedTable)).map { try $0.decode((String, String, String).self) }
    }

    /// How the text column of `source` is read, by its type: looked up on a store's first claim on that table and
    /// kept (a column's type does not change under a run).
    func textKind(of source: SourceTable) throws -> SourceTextKind {
        if let known = textKinds[source] { return known }
        guard let column = try columns(of: source).first(where: { $0.name == source.textColumn }) else {
            throw StoreError.missingColumn(column: source.textColumn, table: source.table, available: [])
        }
        let kind = SourceTextKind(typeName: column.type, category: column.category)
        textKinds[source] = kind
        return kind
    }

    /// Fails on a newer schema, on a recorded migration whose name differs from this binary's, or on a user's
    /// relation holding one of querykind's names (`checkNoNameClashes`); reads only.
    public func checkSchemaIsKnown() throws {
        try checkRecordedMigrations()
        try checkNoNameClashes()
    }

    /// Fails when `query_labels` holds labels of another source table (labels are keyed by the source id alone).
    public func checkLabelsBelong(to source: SourceTable) throws {
        guard try schemaVersion() > 0 else { return }
        let other = try link.scalar("""
            SELECT r.source_table FROM label_runs AS r
            WHERE r.source_table <> $1 AND EXISTS (SELECT 1 FROM query_labels WHERE run_id = r.id) LIMIT 1
            """, binds(source.table), as: String.self)
        if let other { throw StoreError.otherSourceTable(labeled: other, requested: source.table) }
    }

    /// Starts every comment querykind puts on its view, so `validate` can tell its view from a user's.
    static let viewCommentPrefix = "querykind: "

    /// Creates or updates `<table>_labeled` and `<table>_kinds_daily` over it; writes nothing when both are current.
    /// The daily view is dropped first whenever either changes: PostgreSQL refuses to drop a view another depends on.
    public func createView(for source: SourceTable) throws {
        let daily = source.kindsDailySQL(labeledAt: try utcTimeSQL(column: "labeled_at", table: "query_labels", alias: "v"))
        let views = [(source.quotedView, source.viewSQL), (source.quotedKindsDaily, daily)]
        try link.transaction {
            try link.execute("SELECT pg_advisory_xact_lock($1)", binds(Self.schemaLock))
            let current = try views.map { view in
                try link.scalar("SELECT obj_description(to_regclass($1), 'pg_class')", binds(view.0), as: String.self)
                    == Self.viewCommentPrefix + view.1
            }
            guard current.contains(false) else { return }
            try link.execute("DROP VIEW IF EXISTS \(source.quotedKindsDaily)")
            for ((quoted, sql), isCurrent) in zip(views, current) where !isCurrent || quoted == source.quotedKindsDaily {
                let comment = Self.viewCommentPrefix + sql
                try link.execute("DROP VIEW IF EXISTS \(quoted)")
                try link.execute(sql)
                try link.execute("COMMENT ON VIEW \(quoted) IS '\(comment.replacingOccurrences(of: "'", with: "''"))'")
            }
        }
    }
}
