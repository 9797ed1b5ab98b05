import ArgumentParser
import Foundation
import LabelStore
import PostgresStore
import SQLiteStore

/// `--busy-timeout`: how long to wait for another connection's lock, shared by every command that opens a database.
struct BusyTimeoutOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Seconds to wait for another connection's lock before giving up.", valueName: "seconds"))
    var busyTimeout: Double = Seconds.of(StoreDefaults.busyTimeout)

    func validate() throws {
        try Seconds.check(busyTimeout, option: "--busy-timeout", allowZero: true)
    }

    var duration: Duration { Seconds.duration(busyTimeout) }
}

/// `--db` (required) and `--busy-timeout`: the label database of `label`, `watch`, `report` and `migrate`, a SQLite
/// file or a PostgreSQL URL.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The database holding the queries and the labels: a SQLite file, or a PostgreSQL URL "
            + "(postgres://user@host:5432/dbname; password from the URL, PGPASSWORD or ~/.pgpass).",
        valueName: "file-or-url"))
    var db: String

    @OptionGroup var timeout: BusyTimeoutOption

    /// The database for `access` (`report` reads, `migrate` may create a SQLite file), opened without writing
    /// anything.
    func open(for access: SQLiteLabelStore.Access) throws -> any LabelDatabase {
        try LabelDatabaseOpener.open(db, access: access, busyTimeout: timeout.duration)
    }

    /// The database for labeling, opened without writing anything.
    func openForLabeling(lease: Duration) throws -> any LabelDatabase {
        try LabelDatabaseOpener.open(db, busyTimeout: timeout.duration, lease: lease)
    }
}

/// Opening a `--db` value, a SQLite file or a PostgreSQL URL, for writing labels (nothing is written yet): the one
/// place that tells the two apart.
enum LabelDatabaseOpener {
    /// `access` says how a SQLite file is opened; a PostgreSQL database is opened the same way for all.
    static func open(_ db: String, access: SQLiteLabelStore.Access = .readWrite, busyTimeout: Duration,
                     lease: Duration = StoreDefaults.lease) throws -> any LabelDatabase {
        if let postgres = try postgres(db, busyTimeout: busyTimeout, lease: lease) { return postgres }
        return try SQLiteLabelStore(path: db, access: access, busyTimeout: busyTimeout)
    }

    /// The PostgreSQL database `db` names (connected, nothing written), nil for a SQLite file.
    static func postgres(_ db: String, busyTimeout: Duration, lease: Duration = StoreDefaults.lease) throws
        -> PostgresLabelStore? {
        guard PostgresLocation.isURL(db) else { return nil }
        return try PostgresLabelStore(location: PostgresLocation(url: db), lease: lease, busyTimeout: busyTimeout)
    }

    /// `db` as logs show it: a PostgreSQL URL without its password.
    static func display(_ db: String) -> String {
        PostgresLocation.isURL(db) ? (try? PostgresLocation(url: db))?.description ?? "a PostgreSQL database" : db
    }
}

/// `--db` (optional) and `--busy-timeout`: a database whose `label_cache` a command reads and fills, for
/// commands that also work without one (`lookup`, `serve`): a SQLite file or a PostgreSQL URL.
struct CacheDatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "A querykind database (SQLite file or PostgreSQL URL) whose label_cache to read and fill; "
            + "without it every text goes to the model.",
        valueName: "file-or-url"))
    var db: String?

    @OptionGroup var timeout: BusyTimeoutOption

    /// The database `--db` names, opened without writing anything; nil without `--db`. A 0-byte file is refused
    /// like a missing one: SQLite takes it for an empty database, and the setup would migrate querykind's tables
    /// into a file that may be another tool's placeholder (docs/database.md promises it stays 0 bytes).
    func open(lease: Duration = StoreDefaults.lease) throws -> (any LabelDatabase)? {
        guard let db else { return nil }
        if !PostgresLocation.isURL(db),
           let size = try? FileManager.default.attributesOfItem(atPath: db)[.size] as? NSNumber, size.intValue == 0 {
            throw CommandFailure("database \(db) is an empty file (0 bytes), not a querykind database; run "
                                 + "`querykind migrate --db \(db)` to make it one")
        }
        return try LabelDatabaseOpener.open(db, busyTimeout: timeout.duration, lease: lease)
    }
}

/// `--table`, `--text-column`, `--id-column`: which user table holds the queries.
struct SourceOptions: ParsableArguments {
    @Option(name: .long, help: "The table of queries (default: \(StoreDefaults.table)).")
    var table: String?

    @Option(name: .long, help: "The column holding each query's text.")
    var textColumn: String = "text"

    @Option(name: .long, help: "The column holding each row's integer id (e.g. the INTEGER PRIMARY KEY, or rowid).")
    var idColumn: String = "id"

    /// The source table, `queries` unless `--table` names another.
    var source: SourceTable { SourceTable(table: table ?? StoreDefaults.table, textColumn: textColumn, idColumn: idColumn) }

    /// The source table only when `--table` was given (`migrate` creates a view only then).
    var explicitSource: SourceTable? { table == nil ? nil : source }
}

/// Turns a number of seconds from the command line into a `Duration`, refusing what cannot be one.
enum Seconds {
    /// The most any querykind duration may be: a year. Why a bound: larger values overflow `Duration` and the
    /// millisecond arithmetic SQLite's busy timeout uses, which used to crash the process.
    static let limit = 365 * 24 * 3600.0

    /// The least a duration that may not be zero may be: 10 ms. Why: `duration` keeps whole milliseconds, so
    /// `--interval 0.0001` used to round to zero and poll in a busy loop.
    static let shortest = 0.01

    /// Throws a `ValidationError` naming `option` for NaN, infinities, negative values, anything under
    /// `shortest` (zero included) unless `allowZero`, and anything over `limit`; commands call it from `validate()`,
    /// before any work.
    static func check(_ seconds: Double, option: String, allowZero: Bool) throws {
        let least = allowZero ? 0 : shortest
        guard seconds.isFinite, seconds >= least, seconds <= limit else {
            throw ValidationError("\(option) must be a number of seconds from \(allowZero ? "0" : "\(least)") "
                                  + "up to \(Int(limit)) (a year), not \(seconds)")
        }
    }

    /// `duration` in seconds, for a flag's default.
    static func of(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// `seconds` (already passed `check`) as a `Duration`.
    static func duration(_ seconds: Double) -> Duration {
        .milliseconds(Int64((seconds * 1000).rounded()))
    }
}
