import ArgumentParser
import LabelStore

/// `querykind migrate`: creates or upgrades querykind's tables (idempotent), and the labels view when
/// `--table` is given; the only command that creates a missing database file.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or upgrade querykind's tables in a SQLite database (safe to run again).",
        discussion: "Creates the database file if it does not exist. With --table, also creates the "
            + "<table>_labeled view joining that table to its labels.")

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Also create the labels view for this table of queries.")
    var table: String?

    @Option(name: .long, help: "The column holding each query's text (with --table).")
    var textColumn: String = "text"

    @Option(name: .long, help: "The column holding each row's integer id (with --table).")
    var idColumn: String = "id"

    func run() throws {
        let store = try LabelStore(path: database.db, access: .create, busyTimeout: database.busyTimeoutDuration)
        let source = table.map { SourceTable(table: $0, textColumn: textColumn, idColumn: idColumn) }
        if let source { try store.validate(source) }
        let applied = try store.migrate()
        if let source { try store.createView(for: source) }
        let version = try store.schemaVersion()
        if applied.isEmpty {
            print("\(database.db): schema already at version \(version)")
        } else {
            print("\(database.db): schema at version \(version) (applied \(applied.map(\.name).joined(separator: ", ")))")
        }
        if let source { print("view \(source.viewName) joins \(source.table) to its labels") }
    }
}
