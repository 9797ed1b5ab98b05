import ArgumentParser
import LabelStore

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
        let store = try database.open(for: .create)
        let source = sourceOptions.explicitSource
        if let source { try store.validate(source) }
        let missing = try store.missingObjects()
        let applied = try store.migrate()
        if !missing.isEmpty { print("recreated missing \(missing.map(\.description).joined(separator: ", "))") }
        if let source { try store.createView(for: source) }
        let version = try store.schemaVersion()
        if applied.isEmpty {
            print("\(store.displayName): schema already at version \(version)")
        } else {
            print("\(store.displayName): schema at version \(version) (applied \(applied.map(\.name).joined(separator: ", ")))")
        }
        if let source { print("view \(source.viewName) joins \(source.table) to its labels") }
    }
}
