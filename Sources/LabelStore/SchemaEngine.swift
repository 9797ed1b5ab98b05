/// What an engine gives the engine-neutral `migrate` (`LabelDatabase+Migrate.swift`): its catalog, its DDL and its
/// way of locking the schema. Part of `LabelDatabase`; kept apart so the labeling job's needs read on their own.
public protocol SchemaEngine: AnyObject {
    /// The table that records the applied migrations, as this engine creates it (no migration does).
    var migrationsTable: SchemaObject { get }

    /// The objects migrations 1…`version` create, in creation order, each with the SQL that recreates it empty.
    func expectedObjects(atVersion version: Int) throws -> [SchemaObject]

    /// True when the database has an object (table, index, view) named `name`.
    func hasObject(named name: String) throws -> Bool

    /// The database's object named `name` (of any type), nil when there is none.
    func object(named name: String) throws -> SchemaObject?

    /// Whether `existing`, which holds the name of `expected`, is the object querykind created there rather than a
    /// user's: the same type (and on PostgreSQL, for a table, querykind's columns).
    func isQuerykinds(_ existing: SchemaObject, as expected: SchemaObject) throws -> Bool

    /// With `querykind_migrations` gone: the n whose migrations 1…n create exactly the objects holding querykind's
    /// names, 0 when none is querykind's; throws `StoreError.unrecordedSchema` when they match no version.
    func unrecordedVersion() throws -> Int

    /// Gets the database ready for its first write (SQLite: the switch to WAL); nothing for PostgreSQL.
    func prepareForMigration() throws

    /// Runs `body` in one transaction that holds the schema lock (SQLite's write lock, PostgreSQL's advisory lock),
    /// so processes migrating at once apply each migration once.
    func inSchemaTransaction<T>(_ body: () throws -> T) throws -> T

    /// Runs a script of one or more statements without parameters (a migration, an object's `CREATE`).
    func executeScript(_ sql: String) throws

    /// Runs one writing statement with `$1`, `$2`… bound to `arguments`, in SQL both engines run alike.
    func execute(_ sql: String, _ arguments: [SQLValue]) throws
}
