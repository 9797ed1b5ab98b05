/// `querykind_migrations` dropped by hand while querykind's other objects remain.
///
/// Why: that table is the only record of which migrations ran; without it querykind would take its own tables for a
/// user's (a name clash) and could not migrate. The objects themselves tell the version when they are exactly
/// those of migrations 1…n (same names, types and SQL), so `migrate`, and `label` and `watch`, which migrate,
/// recreate the table recorded up to n; when they match no version, a one-line error says so and what to do.
extension LabelStore {
    /// The recorded schema version or, with `querykind_migrations` gone, the version querykind's objects show.
    func effectiveSchemaVersion() throws -> Int {
        try hasTable(Self.migrationsTable.name) ? schemaVersion() : unrecordedVersion()
    }

    /// Recreates a dropped `querykind_migrations`, recorded up to the version querykind's objects show, in one
    /// transaction; does nothing when the table exists or querykind never touched the database.
    func restoreMigrationsTable() throws {
        guard try !hasTable(Self.migrationsTable.name), try unrecordedVersion() > 0 else { return }
        try connection.transaction {
            // Re-read inside the write lock: another process may have restored it meanwhile.
            guard try !hasTable(Self.migrationsTable.name) else { return }
            let version = try unrecordedVersion()
            try createMigrationsTable()
            for migration in Migration.all where migration.version <= version { try record(migration) }
        }
    }

    /// The n whose migrations 1…n create exactly the objects holding querykind's names; 0 when none of those is
    /// querykind's (there are none, or a user's object merely holds a name, which `checkNoNameClashes` refuses).
    /// Throws `StoreError.unrecordedSchema` when some are querykind's but no version has exactly them.
    private func unrecordedVersion() throws -> Int {
        let versions = try Migration.all.map {
            (version: $0.version, objects: try Self.expectedObjects(atVersion: $0.version))
        }
        let names = Set(versions.flatMap { $0.objects.map { $0.name.lowercased() } })
        let present = try Self.objects(in: connection).filter { names.contains($0.name.lowercased()) }
        if let match = versions.last(where: { Set($0.objects) == Set(present) }) { return match.version }
        let querykinds = Set(versions.flatMap(\.objects))
        guard present.contains(where: querykinds.contains) else { return 0 }
        throw StoreError.unrecordedSchema(present, path: path)
    }
}
