/// Applying `Migration.all` to a database, each migration in its own transaction.
extension LabelStore {
    /// Brings the schema to `Migration.latestVersion` and returns the migrations it applied (empty when the
    /// database was already current: running it again writes nothing).
    ///
    /// Refuses a database whose schema is newer than this binary, or whose recorded migrations differ.
    @discardableResult
    public func migrate() throws -> [Migration] {
        try checkSchemaIsKnown()
        var applied: [Migration] = []
        for migration in Migration.all where migration.version > (try schemaVersion()) {
            let didApply = try connection.transaction { () -> Bool in
                try createMigrationsTable()
                // Re-read inside the write lock: another process may have migrated meanwhile.
                guard migration.version > (try schemaVersion()) else { return false }
                try connection.execute(migration.sql)
                try connection.run(
                    "INSERT INTO querykind_migrations (version, name) VALUES (?, ?)",
                    [.integer(Int64(migration.version)), .text(migration.name)])
                return true
            }
            if didApply { applied.append(migration) }
        }
        return applied
    }

    private func createMigrationsTable() throws {
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS querykind_migrations (
                version    INTEGER PRIMARY KEY,
                name       TEXT NOT NULL,
                applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
            )
            """)
    }

    /// Fails on a newer schema, or on a recorded migration whose name differs from this binary's; writes
    /// nothing, so commands call it before any other work.
    public func checkSchemaIsKnown() throws {
        let version = try schemaVersion()
        if version > Migration.latestVersion {
            throw StoreError.newerSchema(found: version, known: Migration.latestVersion)
        }
        guard version > 0 else { return }
        let recorded = try connection.query("SELECT version, name FROM querykind_migrations") {
            (Int($0.int64(0)), $0.string(1))
        }
        for (version, name) in recorded {
            if let known = Migration.all.first(where: { $0.version == version }), known.name != name {
                throw StoreError.migrationMismatch(version: version, found: name, expected: known.name)
            }
        }
    }
}
