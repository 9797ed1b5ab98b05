import LabelStore

/// SQLite's part of `migrate` (written once in `LabelDatabase+Migrate.swift`): its locking, its scripts, and the
/// switch to WAL before the first write.
extension SQLiteLabelStore: SchemaEngine {
    /// The table that records the applied migrations; `migrate()` creates it (no migration does).
    static let migrationsTable = SchemaObject(type: "table", name: "querykind_migrations", sql: """
        CREATE TABLE querykind_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        )
        """)

    public var migrationsTable: SchemaObject { Self.migrationsTable }

    public func prepareForMigration() throws { try useWALMode() }

    /// `BEGIN IMMEDIATE`: the write lock is the schema lock.
    public func inSchemaTransaction<T>(_ body: () throws -> T) throws -> T { try connection.transaction(body) }

    public func executeScript(_ sql: String) throws { try connection.execute(sql) }

    public func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        try connection.run(Self.sqliteParameters(sql), arguments.map(SQLArgument.init))
    }

    /// Fails on a newer schema, on a recorded migration whose name differs from this binary's, or on a user's
    /// object holding one of querykind's names; writes nothing, so commands call it before any other work.
    public func checkSchemaIsKnown() throws {
        try checkRecordedMigrations()
        try checkNoNameClashes()
    }
}
