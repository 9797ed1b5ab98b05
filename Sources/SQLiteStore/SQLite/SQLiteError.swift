import CSQLite
import LabelStore

/// A failed SQLite call, carrying what a person needs to fix it: the SQLite result code and message,
/// and the SQL that was running (if any), so an error in a log line is never just "error 5".
package struct SQLiteError: DatabaseError, Sendable {
    /// The extended SQLite result code, e.g. `SQLITE_BUSY` (5) or `SQLITE_READONLY` (8).
    package let code: Int32
    /// SQLite's own message for the failure (`sqlite3_errmsg`).
    package let message: String
    /// The statement that failed, when the failure came from one.
    package let sql: String?

    /// Wraps a failure; `sql` is the statement that was running, if any.
    package init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// The primary result code (the low byte of the extended code).
    package var primaryCode: Int32 { code & 0xff }

    /// True when another connection held a lock for longer than the busy timeout.
    package var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }

    /// True for failures that can heal while the process waits: a lock (SQLITE_BUSY, SQLITE_LOCKED), a full
    /// disk (SQLITE_FULL) or an I/O error (SQLITE_IOERR). The `watch` daemon retries these; others end it.
    package var isTransient: Bool {
        isBusy || primaryCode == SQLITE_FULL || primaryCode == SQLITE_IOERR
    }

    /// One line: the message, and the start of the SQL (a whole schema script would bury the message).
    package var description: String {
        var text = message
        if isBusy { text = "database is locked by another connection (gave up after the busy timeout): " + message }
        if let sql {
            let line = sql.split(whereSeparator: \.isNewline).joined(separator: " ")
            text += " (SQL: \(line.count > Self.sqlExcerptLength ? line.prefix(Self.sqlExcerptLength) + "…" : line))"
        }
        return text
    }

    /// How much of the failing SQL an error line quotes.
    static let sqlExcerptLength = 160
}
