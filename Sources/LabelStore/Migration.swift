/// One numbered schema change from `Migrations/NNN_name.sql` (SQLite, `SQLiteMigrations`) or
/// `Migrations/postgres/NNN_name.sql` (`PostgresMigrations`), embedded in the binary so a copied or installed
/// `querykind` needs no resource bundle beside it.
public struct Migration: Sendable {
    /// The schema version this migration brings the database to (the file's number).
    public let version: Int
    /// The file name without `.sql`, e.g. `001_initial`; recorded in `querykind_migrations`.
    public let name: String
    /// The SQL script, as embedded by SwiftPM's `.embedInCode`.
    public let sql: String

    /// A migration from an embedded file's bytes (each engine builds its list this way).
    public init(version: Int, name: String, bytes: [UInt8]) {
        self.version = version
        self.name = name
        self.sql = String(decoding: bytes, as: UTF8.self)
    }
}
