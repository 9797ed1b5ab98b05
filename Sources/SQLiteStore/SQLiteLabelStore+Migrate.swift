/// Applying `Migration.all` to a database, each migration in its own transaction.
extension LabelStore {
    /// Brings the schema to `Migration.latestVersion` and returns the migrations it applied (empty when the
    /// database was already current: running it again writes nothing). Also recreates querykind's objects that
    /// were dropped by hand (see `missingObjects()`), so `label` and `migrate` repair such a database.
    ///
    /// The first write querykind makes to a file: everything that can be checked read-only is checked first
    /// (schema version, recorded migration names, name clashes), then the file is switched to WAL.
    @discardableResult
    public func migrate() throws -> [Migration] {
        try checkSchemaIsKnown()
        try useWALMode()
        try restoreMigrationsTable()
        var applied: [Migration] = []
        for migration in Migration.all where migration.version > (try schemaVersion()) {
            let didApply = try connection.transaction { () -> Bool in
                try createMigrationsTable()
                // Re-read inside the write lock: another process may have migrated meanwhile.
                guard migration.version > (try schemaVersion()) else { return false }
                do {
                    try connection.execute(migration.sql)
                } catch let error as SQLiteError {
                    throw SQLiteError(code: error.code, message: "migration \(migration.name): \(error.message)")
                }
                try record(migration)
                return true
            }
            if didApply { applied.append(migration) }
        }
        try recreate(try missingObjects())
        return applied
    }

    /// The table that records the applied migrations; `migrate()` creates it (no migration does).
    static let migrationsTable = SchemaObject(type: "table", name: "querykind_migrations", sql: """
        CREATE TABLE querykind_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        )
        """)

    func createMigrationsTable() throws {
        guard try !hasTable(Self.migrationsTable.name) else { return }
        try connection.execute(Self.migrationsTable.sql)
    }

    /// Records `migration` as applied (inside the caller's transaction).
    func record(_ migration: Migration) throws {
        try connection.run("INSERT INTO querykind_migrations (version, name) VALUES (?, ?)",
                           [.integer(Int64(migration.version)), .text(migration.name)])
    }

    /// Fails on a newer schema, on a recorded migration whose name differs from this binary's, or on a user's
    /// object holding one of querykind's names; writes nothing, so commands call it before any other work.
    public func checkSchemaIsKnown() throws {
        let version = try schemaVersion()
        if version > Migration.latestVersion {
            throw StoreError.newerSchema(found: version, known: Migration.latestVersion)
        }
        let recorded = version == 0 ? [] : try connection.query("SELECT version, name FROM querykind_migrations") {
            (Int($0.int64(0)), $0.string(1))
        }
        for (version, name) in recorded {
            if let known = Migration.all.first(where: { $0.version == version }), known.name != name {
                throw StoreError.migrationMismatch(version: version, found: name, expected: known.name)
            }
        }
        try checkNoNameClashes()
    }
}
