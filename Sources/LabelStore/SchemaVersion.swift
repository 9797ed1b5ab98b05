/// The schema version and its checks, the same on both engines: `querykind_migrations` records each migration
/// applied, by number and name.
extension LabelDatabase {
    /// The newest migration version this binary knows for the engine.
    public var latestVersion: Int { migrations.last?.version ?? 0 }

    /// The newest migration recorded, 0 for a database querykind never touched; also how `serve` checks that the
    /// database answers.
    public func schemaVersion() throws -> Int {
        guard try hasTable("querykind_migrations") else { return 0 }
        return Int(try rows("SELECT max(version) FROM querykind_migrations", []).first?.first?.integer ?? 0)
    }

    /// Refuses a database that `migrate` has not brought to this binary's schema (`report`, which only reads).
    public func requireCurrentSchema() throws {
        let version = try schemaVersion()
        if version == 0 { throw StoreError.notMigrated(path: displayName) }
        if version > latestVersion { throw StoreError.newerSchema(found: version, known: latestVersion) }
    }

    /// Fails on a newer schema, or on a recorded migration whose name differs from this binary's (a database
    /// migrated by an incompatible build); reads only.
    public func checkRecordedMigrations() throws {
        let version = try schemaVersion()
        if version > latestVersion { throw StoreError.newerSchema(found: version, known: latestVersion) }
        guard version > 0 else { return }
        for row in try rows("SELECT version, name FROM querykind_migrations", []) {
            guard let version = row[0].integer.map(Int.init), let name = row[1].text else { continue }
            if let known = migrations.first(where: { $0.version == version }), known.name != name {
                throw StoreError.migrationMismatch(version: version, found: name, expected: known.name)
            }
        }
    }
}
