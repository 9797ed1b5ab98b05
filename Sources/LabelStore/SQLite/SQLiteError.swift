import CSQLite

/// A failed SQLite call, carrying what a person needs to fix it: the SQLite result code and message,
/// and the SQL that was running (if any), so an error in a log line is never just "error 5".
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// The extended SQLite result code, e.g. `SQLITE_BUSY` (5) or `SQLITE_READONLY` (8).
    public let code: Int32
    /// SQLite's own message for the failure (`sqlite3_errmsg`).
    public let message: String
    /// The statement that failed, when the failure came from one.
    public let sql: String?

    /// Wraps a failure; `sql` is the statement that was running, if any.
    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// The primary result code (the low byte of the extended code).
    public var primaryCode: Int32 { code & 0xff }

    /// True when another connection held a lock for longer than the busy timeout.
    public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }

    public var description: String {
        var text = message
        if isBusy { text = "database is locked by another connection (gave up after the busy timeout): " + message }
        if let sql { text += " (SQL: \(sql.split(whereSeparator: \.isNewline).joined(separator: " ")))" }
        return text
    }
}
