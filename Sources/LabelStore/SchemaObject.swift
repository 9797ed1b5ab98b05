/// A table, index or view in `sqlite_schema`, as querykind's migrations create it.
public struct SchemaObject: Sendable, Hashable, CustomStringConvertible {
    /// `table`, `index`, `view` or `trigger`.
    public var type: String
    public var name: String
    /// The `CREATE` statement SQLite recorded.
    public var sql: String

    /// `table "query_labels"`: how error lines and `migrate` name it.
    public var description: String { "\(type) \"\(name)\"" }
}

/// Which objects querykind's schema should have, checked against what the database has.
///
/// Why: the objects are a person's to see and touch with `sqlite3`. A user may already have a table named like
/// one of querykind's (refused before migrating, by name), or may drop one of querykind's later (recreated by
/// `migrate`). The expected objects come from running the migrations themselves on an empty in-memory
/// database, so this list can never drift from `Migrations/`.
extension LabelStore {
    /// The objects migrations 1…`version` create, in creation order.
    static func expectedObjects(atVersion version: Int) throws -> [SchemaObject] {
        let memory = try Connection(path: ":memory:", mode: .readWriteCreate)
        for migration in Migration.all where migration.version <= version { try memory.execute(migration.sql) }
        return try objects(in: memory)
    }

    /// Every object of `connection`'s main schema except SQLite's own, in creation order.
    static func objects(in connection: Connection) throws -> [SchemaObject] {
        try connection.query("""
            SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND sql IS NOT NULL
            ORDER BY rowid
            """) { SchemaObject(type: $0.string(0), name: $0.string(1), sql: $0.string(2)) }
    }

    /// The database's object named `name` (SQLite names are case-insensitive), if any.
    func object(named name: String) throws -> SchemaObject? {
        try connection.query("SELECT type, name, sql FROM sqlite_schema WHERE name = ? COLLATE NOCASE",
                             [.text(name)]) { SchemaObject(type: $0.string(0), name: $0.string(1), sql: $0.string(2)) }
            .first
    }

    /// Fails when a user's object already holds a name that a migration not yet applied will create, or an
    /// object of an applied migration has become something else (a view where querykind's table was).
    /// Read-only, so commands call it before anything changes the file.
    func checkNoNameClashes() throws {
        let version = try effectiveSchemaVersion()
        let applied = try Self.expectedObjects(atVersion: version)
        let appliedNames = Set(applied.map { $0.name.lowercased() })
        for expected in try Self.expectedObjects(atVersion: Migration.latestVersion) {
            guard let existing = try object(named: expected.name) else { continue }
            let isQuerykinds = appliedNames.contains(expected.name.lowercased()) && existing.type == expected.type
            if !isQuerykinds { throw StoreError.nameClash(object: existing, path: path) }
        }
    }

    /// querykind's objects that the schema version should have but the database lacks (dropped by hand), with
    /// `querykind_migrations` first when it is the one gone; `migrate()` recreates them.
    public func missingObjects() throws -> [SchemaObject] {
        let version = try effectiveSchemaVersion()
        guard version > 0 else { return [] }
        let migrationsTable = try hasTable(Self.migrationsTable.name) ? [] : [Self.migrationsTable]
        let dropped = try Self.expectedObjects(atVersion: version).filter { try object(named: $0.name) == nil }
        return migrationsTable + dropped
    }

    /// Recreates `objects` (empty, as their migrations created them) in one transaction.
    func recreate(_ objects: [SchemaObject]) throws {
        guard !objects.isEmpty else { return }
        try connection.transaction {
            for object in objects { try connection.execute(object.sql) }
        }
    }

    /// `error` restated as `StoreError.missingObjects` when querykind's objects have gone missing (a table
    /// dropped while a run was going), else `error` itself: so the person reads what is gone and how to fix it,
    /// not SQLite's "no such table".
    public func explain(_ error: Error) -> Error {
        guard error is SQLiteError, let missing = try? missingObjects(), !missing.isEmpty else { return error }
        return StoreError.missingObjects(missing, path: path)
    }
}
