/// `migrate`, written once for both engines over their schema primitives (`SchemaEngine`): apply the migrations a
/// database lacks, each in its own schema transaction, then recreate querykind's objects dropped by hand, and, when
/// `querykind_migrations` itself was dropped, record it again up to the version the objects show.
///
/// Why repair: the tables are a person's to see and touch with `sqlite3` or `psql`; a dropped `query_labels` must
/// not leave a database that every command refuses, on either engine.
extension LabelDatabase {
    /// Brings the schema to `latestVersion` and returns the migrations it applied (empty when the database was
    /// already current: running it again writes nothing). Also recreates querykind's objects that were dropped by
    /// hand (`missingObjects()`), so `label` and `migrate` repair such a database.
    ///
    /// The first write querykind makes to a database: everything that can be checked read-only is checked first
    /// (`checkSchemaIsKnown`), then the engine gets ready (`prepareForMigration`: SQLite switches to WAL).
    @discardableResult
    public func migrate() throws -> [Migration] {
        try checkSchemaIsKnown()
        try prepareForMigration()
        try restoreMigrationsTable()
        var applied: [Migration] = []
        for migration in migrations where migration.version > (try schemaVersion()) {
            let didApply = try inSchemaTransaction { () -> Bool in
                if try !hasTable(migrationsTable.name) { try executeScript(migrationsTable.sql) }
                // Re-read inside the schema lock: another process may have migrated meanwhile.
                guard migration.version > (try schemaVersion()) else { return false }
                do {
                    try executeScript(migration.sql)
                } catch let error as DatabaseError {
                    throw StoreError.migrationFailed(name: migration.name, reason: error.message)
                }
                try record(migration)
                return true
            }
            if didApply { applied.append(migration) }
        }
        let missing = try missingObjects()
        if !missing.isEmpty {
            try inSchemaTransaction {
                for object in missing where try !hasObject(named: object.name) { try executeScript(object.sql) }
            }
        }
        return applied
    }

    /// querykind's objects that the schema version should have but the database lacks (dropped by hand), with
    /// `querykind_migrations` first when it is the one gone; `migrate()` recreates them, in this order.
    public func missingObjects() throws -> [SchemaObject] {
        let version = try effectiveSchemaVersion()
        guard version > 0 else { return [] }
        let migrationsTableGone = try hasTable(migrationsTable.name) ? [] : [migrationsTable]
        return migrationsTableGone + (try expectedObjects(atVersion: version).filter { try !hasObject(named: $0.name) })
    }

    /// The recorded schema version or, with `querykind_migrations` gone, the version querykind's objects show.
    public func effectiveSchemaVersion() throws -> Int {
        try hasTable(migrationsTable.name) ? schemaVersion() : unrecordedVersion()
    }

    /// `error` restated as `StoreError.missingObjects` when querykind's objects have gone missing (a table dropped
    /// while a run was going), else `error` itself: so the person reads what is gone and how to fix it, not the
    /// engine's "no such table".
    public func explain(_ error: any Error) -> any Error {
        guard error is DatabaseError, let missing = try? missingObjects(), !missing.isEmpty else { return error }
        return StoreError.missingObjects(missing, path: displayName)
    }

    /// Recreates a dropped `querykind_migrations`, recorded up to the version querykind's objects show, in one
    /// transaction; does nothing when the table exists or querykind never touched the database.
    ///
    /// Why: that table is the only record of which migrations ran; without it the next migration would fail on
    /// querykind's own tables.
    private func restoreMigrationsTable() throws {
        guard try !hasTable(migrationsTable.name), try unrecordedVersion() > 0 else { return }
        try inSchemaTransaction {
            // Re-read inside the schema lock: another process may have restored it meanwhile.
            guard try !hasTable(migrationsTable.name) else { return }
            let version = try unrecordedVersion()
            try executeScript(migrationsTable.sql)
            for migration in migrations where migration.version <= version { try record(migration) }
        }
    }

    /// Records `migration` as applied (inside the caller's transaction).
    private func record(_ migration: Migration) throws {
        try execute("INSERT INTO querykind_migrations (version, name) VALUES ($1, $2)",
                    [.integer(Int64(migration.version)), .text(migration.name)])
    }
}
