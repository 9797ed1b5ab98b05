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

    /// The relation named `name` as a `SchemaObject` of its kind (`table`, `index`, `view`; `relation` for the
    /// rest); its `sql` is empty (PostgreSQL keeps no `CREATE` text).
    public func object(named name: String) throws -> SchemaObject? {
        let kind = try link.scalar("SELECT relkind::text FROM pg_class WHERE oid = to_regclass($1)",
                                   binds(quoteIdentifier(name)), as: String.self)
        let kinds = ["r": "table", "p": "table", "i": "index", "I": "index", "v": "view", "m": "materialized view"]
        return kind.map { SchemaObject(type: kinds[$0] ?? "relation", name: name, sql: "") }
    }

    /// The same kind, and for a table every column querykind's `CREATE TABLE` gave it: a user's `query_labels` with
    /// columns of its own is not querykind's, though it holds the name.
    public func isQuerykinds(_ existing: SchemaObject, as expected: SchemaObject) throws -> Bool {
        guard existing.type == expected.type else { return false }
        guard expected.type == "table" else { return true }
        let columns = try link.query("""
            SELECT attname::text FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped
            """, binds(quoteIdentifier(expected.name))).map { try $0.decode(String.self).lowercased() }
        return Self.columns(createdBy: expected.sql).isSubset(of: Set(columns))
    }

    /// The columns the first statement of `sql` (a `CREATE TABLE`) defines, lowercased: the first word of each of
    /// its top-level items, table constraints left out.
    static func columns(createdBy sql: String) -> Set<String> {
        let create = Migration.statements(of: sql).first ?? ""
        guard let open = create.firstIndex(of: "("), let close = create.lastIndex(of: ")"), open < close else { return [] }
        var items = [""]
        var depth = 0
        for character in create[create.index(after: open)..<close] {
            if character == "(" { depth += 1 } else if character == ")" { depth -= 1 }
            if character == "," && depth == 0 { items.append("") } else { items[items.count - 1].append(character) }
        }
        let constraints: Set<String> = ["primary", "unique", "check", "foreign", "constraint", "exclude"]
        return Set(items.compactMap { $0.split(whereSeparator: \.isWhitespace).first?.lowercased() }
            .filter { !constraints.contains($0) })
    }

    /// By name: the objects of version n, exactly (PostgreSQL keeps no `CREATE` text to compare); a user's relation
    /// that merely holds one of the names (`isQuerykinds`) is not counted, and `checkNoNameClashes` refuses it.
    public func unrecordedVersion() throws -> Int {
        let versions = try PostgresMigrations.all.map {
            (version: $0.version, names: Set(try expectedObjects(atVersion: $0.version).map(\.name)))
        }
        let latest = try expectedObjects(atVersion: latestVersion)
        let present = try latest.filter { expected in
            try object(named: expected.name).map { try isQuerykinds($0, as: expected) } ?? false
        }
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
