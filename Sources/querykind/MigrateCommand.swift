import ArgumentParser
import LabelStore
import PostgresStore

/// `querykind migrate`: creates or upgrades querykind's tables (idempotent), and the labels view when
/// `--table` is given; the only command that creates a missing database file.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or upgrade querykind's tables in a SQLite or PostgreSQL database (safe to run again).",
        discussion: "Creates a SQLite database file if it does not exist (a PostgreSQL database must exist). With "
            + "--table, also creates the <table>_labeled view joining that table to its labels.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var sourceOptions: SourceOptions

    func run() throws {
        if let postgres = try database.postgres() { return try migrate(postgres) }
        let store = try LabelStore(path: database.db, access: .create, busyTimeout: database.timeout.duration)
        let source = sourceOptions.explicitSource
        if let source { try store.validate(source) }
        let missing = try store.missingObjects()
        let applied = try store.migrate()
        if !missing.isEmpty { print("recreated missing \(missing.map(\.description).joined(separator: ", "))") }
        if let source { try store.createView(for: source) }
        let version = try store.schemaVersion()
        if applied.isEmpty {
            print("\(database.db): schema already at version \(version)")
        } else {
            print("\(database.db): schema at version \(version) (applied \(applied.map(\.name).joined(separator: ", ")))")
        }
        if let source { print("view \(source.viewName) joins \(source.table) to its labels") }
    }

    /// The same for PostgreSQL (whose database must exist: querykind creates tables, not databases).
    private func migrate(_ store: PostgresLabelStore) throws {
        let source = sourceOptions.explicitSource
        if let source { try store.validate(source) }
        let applied = try store.migrate()
        if let source { try store.createView(for: source) }
        let version = try store.schemaVersion()
        print("\(store.location): schema at version \(version)"
              + (applied.isEmpty ? " already" : " (applied \(applied.joined(separator: ", ")))"))
        if let source { print("view \(source.viewName) joins \(source.table) to its labels") }
    }
}
