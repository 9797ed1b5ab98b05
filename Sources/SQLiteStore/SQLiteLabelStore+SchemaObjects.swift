import LabelStore

/// Which objects querykind's schema should have, checked against what the database has.
///
/// Why: the objects are a person's to see and touch with `sqlite3`. A user may already have a table named like
/// one of querykind's (refused before migrating, by name), or may drop one of querykind's later (recreated by
/// `migrate`). The expected objects come from running the migrations themselves on an empty in-memory
/// database, so this list can never drift from `Migrations/`.
extension SQLiteLabelStore {
    public func expectedObjects(atVersion version: Int) throws -> [SchemaObject] {
        try Self.expectedObjects(atVersion: version)
    }

    /// The objects migrations 1…`version` create, in creation order, as SQLite records them.
    static func expectedObjects(atVersion version: Int) throws -> [SchemaObject] {
        let memory = try Connection(path: ":memory:", mode: .readWriteCreate)
        for migration in SQLiteMigrations.all where migration.version <= version { try memory.execute(migration.sql) }
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
    public func object(named name: String) throws -> SchemaObject? {
        try connection.query("SELECT type, name, sql FROM sqlite_schema WHERE name = ? COLLATE NOCASE",
                             [.text(name)]) { SchemaObject(type: $0.string(0), name: $0.string(1), sql: $0.string(2)) }
            .first
    }

    public func hasObject(named name: String) throws -> Bool { try object(named: name) != nil }

    /// The n whose migrations 1…n create exactly the objects holding querykind's names (same names, types and SQL:
    /// versions 1 and 2 differ only in `label_runs`' columns); 0 when none of those is querykind's (there are none,
    /// or a user's object merely holds a name, which `checkNoNameClashes` refuses).
    public func unrecordedVersion() throws -> Int {
        let versions = try SQLiteMigrations.all.map {
            (version: $0.version, objects: try Self.expectedObjects(atVersion: $0.version))
        }
        let names = Set(versions.flatMap { $0.objects.map { $0.name.lowercased() } })
        let present = try Self.objects(in: connection).filter { names.contains($0.name.lowercased()) }
        if let match = versions.last(where: { Set($0.objects) == Set(present) }) { return match.version }
        let querykinds = Set(versions.flatMap(\.objects))
        guard present.contains(where: querykinds.contains) else { return 0 }
        throw StoreError.unrecordedSchema(present, path: path)
    }

    /// By type: an object of an applied migration's name and type is querykind's (its SQL may differ after a user's
    /// `ALTER TABLE`).
    public func isQuerykinds(_ existing: SchemaObject, as expected: SchemaObject) throws -> Bool {
        existing.type == expected.type
    }
}
