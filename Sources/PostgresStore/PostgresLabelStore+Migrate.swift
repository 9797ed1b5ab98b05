import LabelStore
import PostgresNIO

/// PostgreSQL's part of `migrate` (written once in `LabelDatabase+Migrate.swift`): its locking, its scripts, and
/// which objects each version has.
///
/// PostgreSQL keeps no `CREATE` text of a table, so the expected objects come from the migration files themselves:
/// each `CREATE TABLE`, `CREATE INDEX` or `CREATE VIEW` statement is an object, recreated by that statement followed
/// by every later `ALTER TABLE` of it.
extension PostgresLabelStore: SchemaEngine {
    public var migrationsTable: SchemaObject {
        SchemaObject(type: "table", name: "querykind_migrations", sql: """
            CREATE TABLE querykind_migrations (
                version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
            """)
    }

    public func expectedObjects(atVersion version: Int) throws -> [SchemaObject] {
        var objects: [SchemaObject] = []
        for migration in PostgresMigrations.all where migration.version <= version {
            for statement in migration.statements {
                let words = statement.split(whereSeparator: \.isWhitespace).map { $0.lowercased() }
                if words.first == "create", let kind = words.dropFirst().first(where: { ["table", "index", "view"].contains($0) }),
                   let name = Self.objectName(after: kind, in: words) {
                    objects.append(SchemaObject(type: kind, name: name, sql: statement))
                } else if words.starts(with: ["alter", "table"]), let name = Self.objectName(after: "table", in: words),
                          let index = objects.firstIndex(where: { $0.name == name }) {
                    objects[index].sql += ";\n" + statement
                }
            }
        }
        return objects
    }

    /// The name that follows `kind` (skipping `IF NOT EXISTS` and `ONLY`) in a statement's lowercased words.
    private static func objectName(after kind: String, in words: [String]) -> String? {
        guard let at = words.firstIndex(of: kind) else { return nil }
        let name = words[(at + 1)...].first { !["if", "not", "exists", "only"].contains($0) }
        return name.map { String($0.prefix { $0 != "(" }) }
    }

    public func hasObject(named name: String) throws -> Bool { try hasTable(name) }

    /// By name: the objects of version n, exactly (PostgreSQL keeps no `CREATE` text to compare).
    public func unrecordedVersion() throws -> Int {
        let versions = try PostgresMigrations.all.map {
            (version: $0.version, names: Set(try expectedObjects(atVersion: $0.version).map(\.name)))
        }
        let latest = try expectedObjects(atVersion: latestVersion)
        let present = try latest.filter { try hasObject(named: $0.name) }
        guard !present.isEmpty else { return 0 }
        if let match = versions.last(where: { $0.names == Set(present.map(\.name)) }) { return match.version }
        throw StoreError.unrecordedSchema(present, path: displayName)
    }

    public func prepareForMigration() throws {}

    /// A transaction holding querykind's advisory lock.
    public func inSchemaTransaction<T>(_ body: () throws -> T) throws -> T {
        try link.transaction {
            try link.execute("SELECT pg_advisory_xact_lock($1)", binds(Self.schemaLock))
            return try body()
        }
    }

    /// One statement at a time (PostgresNIO sends one per message, through the extended protocol).
    public func executeScript(_ sql: String) throws {
        for statement in Migration.statements(of: sql) { try link.execute(statement) }
    }

    public func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        try link.execute(sql, Self.bindings(arguments))
    }
}
