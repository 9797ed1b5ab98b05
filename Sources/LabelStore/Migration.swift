/// One numbered schema change from `Migrations/NNN_name.sql` (SQLite) or `Migrations/postgres/NNN_name.sql`,
/// embedded in the binary so a copied or installed `querykind` needs no resource bundle beside it.
public struct Migration: Sendable {
    /// The schema version this migration brings the database to (the file's number).
    public let version: Int
    /// The file name without `.sql`, e.g. `001_initial`; recorded in `querykind_migrations`.
    public let name: String
    /// The SQL script, as embedded by SwiftPM's `.embedInCode`.
    public let sql: String

    /// A migration from an embedded file's bytes (the PostgreSQL store builds its own list this way).
    public init(version: Int, name: String, bytes: [UInt8]) {
        self.version = version
        self.name = name
        self.sql = String(decoding: bytes, as: UTF8.self)
    }

    /// Every migration, in order. Add a line here with each new `Migrations/NNN_name.sql` file
    /// (a test fails when a file in the folder is missing from this list). SwiftPM names the embedded
    /// bytes after the file, with a leading digit replaced: `002_more.sql` → `PackageResources._02_more_sql`.
    public static let all: [Migration] = [
        Migration(version: 1, name: "001_initial", bytes: PackageResources._01_initial_sql),
        Migration(version: 2, name: "002_run_retries", bytes: PackageResources._02_run_retries_sql),
    ]

    /// The newest schema version this binary knows.
    public static var latestVersion: Int { all.last?.version ?? 0 }
}
