import ArgumentParser
import LabelStore

/// `--db` and `--busy-timeout`, shared by every command that opens the label database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The SQLite database holding the queries and the labels.", valueName: "file"))
    var db: String

    @Option(name: .long, help: ArgumentHelp(
        "Seconds to wait for another connection's lock before giving up.", valueName: "seconds"))
    var busyTimeout: Double = 5

    var busyTimeoutDuration: Duration { .milliseconds(Int64(busyTimeout * 1000)) }

    func validate() throws {
        guard busyTimeout >= 0 else { throw ValidationError("--busy-timeout must be zero or more seconds") }
    }
}

/// `--table`, `--text-column`, `--id-column`: which user table holds the queries.
struct SourceOptions: ParsableArguments {
    @Option(name: .long, help: "The table of queries.")
    var table: String = "queries"

    @Option(name: .long, help: "The column holding each query's text.")
    var textColumn: String = "text"

    @Option(name: .long, help: "The column holding each row's integer id (e.g. the INTEGER PRIMARY KEY, or rowid).")
    var idColumn: String = "id"

    var source: SourceTable { SourceTable(table: table, textColumn: textColumn, idColumn: idColumn) }
}
