import LabelStore
import PostgresNIO

/// Checking the user's table and bringing querykind's tables up to date. The checks only read, so a refused
/// command leaves the database as it was; the changes run under one advisory lock, so workers starting together
/// migrate once.
extension PostgresLabelStore {
    /// An arbitrary constant naming querykind's advisory lock ("qk" in ASCII).
    static let schemaLock: Int64 = 0x716B

    /// Fails with a clear error when the table or a column is missing, the id column is not an integer type, a
    /// column is named like one the `<table>_labeled` view adds, or that view's name is taken by something that is
    /// not querykind's view. Remembers how to read the text column.
    public func validate(_ source: SourceTable) throws {
        guard try link.scalar("SELECT to_regclass($1)::text", binds(source.quotedTable), as: String.self) != nil else {
            throw StoreError.missingTable(table: source.table, path: location.description)
        }
        let columns = try link.query("""
            SELECT a.attname::text, t.typname::text, t.typcategory::text FROM pg_attribute AS a
            JOIN pg_type AS t ON t.oid = a.atttypid
            WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
            """, binds(source.quotedTable)).map { try $0.decode((String, String, String).self) }
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
        let text = try column(source.textColumn)
        if let clash = SourceTable.labelColumnClash(in: columns.map(\.0)) {
            throw StoreError.labelColumnClash(column: clash, table: source.table)
        }
        textKind = SourceTextKind(typeName: text.1, category: text.2)
        let existing = try link.query("""
            SELECT c.relkind::text, obj_description(c.oid, 'pg_class') FROM pg_class AS c
            WHERE c.oid = to_regclass($1)
            """, binds(source.quotedView)).first.map { try $0.decode((String, String?).self) }
        if let (kind, comment) = existing, kind != "v" || !(comment ?? "").hasPrefix(Self.viewCommentPrefix) {
            throw PostgresStoreError.viewNameTaken(name: source.viewName, location: location.description)
        }
    }

    /// The newest migration recorded, 0 for a database querykind never touched.
    public func schemaVersion() throws -> Int {
        guard try link.scalar("SELECT to_regclass('querykind_migrations')::text", as: String.self) != nil else { return 0 }
        return Int(try link.scalar("SELECT max(version)::int8 FROM querykind_migrations", as: Int64.self) ?? 0)
    }

    /// Refuses a database that `migrate` has not brought to this binary's schema (`report`).
    public func requireCurrentSchema() throws {
        let version = try schemaVersion()
        if version == 0 { throw StoreError.notMigrated(path: location.description) }
        if version > PostgresMigrations.latestVersion {
            throw StoreError.newerSchema(found: version, known: PostgresMigrations.latestVersion)
        }
    }

    /// Fails on a newer schema, or a recorded migration whose name differs from this binary's.
    public func checkSchemaIsKnown() throws {
        let version = try schemaVersion()
        if version > PostgresMigrations.latestVersion {
            throw StoreError.newerSchema(found: version, known: PostgresMigrations.latestVersion)
        }
        guard version > 0 else { return }
        for row in try link.query("SELECT version::int8, name FROM querykind_migrations") {
            let (version, name) = try row.decode((Int64, String).self)
            if let known = PostgresMigrations.all.first(where: { $0.version == version }), known.name != name {
                throw StoreError.migrationMismatch(version: Int(version), found: name, expected: known.name)
            }
        }
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

    /// Applies the migrations this database lacks, all in one transaction, and returns their names.
    @discardableResult
    public func migrate() throws -> [String] {
        try checkSchemaIsKnown()
        return try link.transaction {
            try link.execute("SELECT pg_advisory_xact_lock($1)", binds(Self.schemaLock))
            try link.execute("""
                CREATE TABLE IF NOT EXISTS querykind_migrations (
                    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
                """)
            let current = try link.scalar("SELECT max(version)::int8 FROM querykind_migrations", as: Int64.self) ?? 0
            var applied: [String] = []
            for migration in PostgresMigrations.all where migration.version > current {
                do {
                    for statement in migration.statements { try link.execute(statement) }
                } catch let error as PostgresStoreError {
                    throw PostgresStoreError.server(message: "migration \(migration.name): \(error)", sqlState: error.sqlState ?? "")
                }
                try link.execute("INSERT INTO querykind_migrations (version, name) VALUES ($1, $2)",
                                 binds(Int64(migration.version), migration.name))
                applied.append(migration.name)
            }
            return applied
        }
    }

    /// Starts every comment querykind puts on its view, so `validate` can tell its view from a user's.
    static let viewCommentPrefix = "querykind: "

    /// Creates or updates `<table>_labeled`; writes nothing when it is already current.
    public func createView(for source: SourceTable) throws {
        let comment = Self.viewCommentPrefix + source.viewSQL
        try link.transaction {
            try link.execute("SELECT pg_advisory_xact_lock($1)", binds(Self.schemaLock))
            let current = try link.scalar("SELECT obj_description(to_regclass($1), 'pg_class')",
                                          binds(source.quotedView), as: String.self)
            guard current != comment else { return }
            try link.execute("DROP VIEW IF EXISTS \(source.quotedView)")
            try link.execute(source.viewSQL)
            try link.execute("COMMENT ON VIEW \(source.quotedView) IS '\(comment.replacingOccurrences(of: "'", with: "''"))'")
        }
    }
}
