import CSQLite
import Foundation
import LabelStore

/// One SQLite database connection: the only place `sqlite3_*` open/close/exec calls live, so WAL mode,
/// the busy timeout and transaction boundaries are explicit and visible in one file.
///
/// `package`, not public: the SQLite engine's own tool, shared with this package's tests (which build and inspect
/// databases with it), not an API for other code.
///
/// Not thread-safe: use one connection per thread (SQLite's own rule for a connection in multi-thread mode).
package final class Connection {
    /// How to open the file.
    package enum Mode: Sendable {
        /// Read and write an existing file; a missing file is an error, never silently created.
        case readWrite
        /// Read and write, creating the file when it does not exist (only `migrate` does this).
        case readWriteCreate
        /// Read only (`report`): takes no write locks and never changes the file.
        case readOnly
    }

    let handle: OpaquePointer
    /// The path the connection was opened with, for error messages.
    package let path: String
    /// How long a statement waits for another connection's lock, in milliseconds (SQLite's unit).
    private let busyMilliseconds: Int32
    /// Compiled statements by SQL text, so statements run once per batch are compiled once per connection.
    private var statements: [String: Statement] = [:]

    /// Process-wide SQLite settings, applied once before the first connection opens.
    private static let configured: Void = {
        _ = querykind_sqlite3_disable_memory_statistics()
    }()

    /// Opens `path`; `busyTimeout` is how long a statement waits for another connection's lock before failing.
    package init(path: String, mode: Mode, busyTimeout: Duration = StoreDefaults.busyTimeout) throws {
        Self.configured
        var flags = SQLITE_OPEN_NOMUTEX
        switch mode {
        case .readWrite: flags |= SQLITE_OPEN_READWRITE
        case .readWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw SQLiteError(code: rc, message: "cannot open \(path): \(message)")
        }
        handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
        let milliseconds = busyTimeout.components.seconds * 1000 + busyTimeout.components.attoseconds / 1_000_000_000_000_000
        busyMilliseconds = Int32(clamping: milliseconds)
        sqlite3_busy_timeout(db, busyMilliseconds)
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// True when SQLite opened the main database read-only (e.g. the file or its folder is not writable).
    package var isReadOnly: Bool { sqlite3_db_readonly(handle, "main") == 1 }

    /// Runs one or more statements that return no rows (schema scripts, pragmas, BEGIN/COMMIT).
    package func execute(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(errorMessage)
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: message, sql: sql)
        }
    }

    /// The compiled statement for `sql`, compiled on first use and kept for the connection's life; bind its
    /// parameters (which resets it) and step it, or use the `query` helpers. SQLite recompiles a kept statement
    /// by itself when the schema changes.
    package func prepare(_ sql: String) throws -> Statement {
        if let statement = statements[sql] { return statement }
        let statement = try Statement(connection: self, sql: sql)
        statements[sql] = statement
        return statement
    }

    /// The rows of `sql`, each mapped by `row` while the statement is positioned on it. The statement is reset
    /// afterwards, so it holds no read lock between calls.
    package func query<T>(_ sql: String, _ arguments: [SQLArgument] = [], row: (Statement) throws -> T) throws -> [T] {
        let statement = try prepare(sql)
        defer { statement.reset() }
        try statement.bind(arguments)
        var rows: [T] = []
        while try statement.step() { rows.append(try row(statement)) }
        return rows
    }

    /// Runs a statement that returns no rows, with arguments.
    package func run(_ sql: String, _ arguments: [SQLArgument] = []) throws {
        let statement = try prepare(sql)
        defer { statement.reset() }
        try statement.bind(arguments)
        while try statement.step() {}
    }

    /// The first column of the first row of `sql` as an integer (counts, pragmas), or nil when there is no row.
    package func scalarInt(_ sql: String, _ arguments: [SQLArgument] = []) throws -> Int64? {
        try query(sql, arguments) { $0.isNull(0) ? nil : $0.int64(0) }.first ?? nil
    }

    /// Runs `body` with no wait for other connections' locks (a lock fails its statement at once), then restores
    /// the busy timeout: for bookkeeping that must not add another busy timeout to a wait that just timed out.
    package func withoutWaitingForLocks<T>(_ body: () throws -> T) rethrows -> T {
        sqlite3_busy_timeout(handle, 0)
        defer { sqlite3_busy_timeout(handle, busyMilliseconds) }
        return try body()
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`, rolling back if it throws.
    ///
    /// IMMEDIATE takes the write lock up front, so a busy database fails at BEGIN (after the busy timeout)
    /// instead of half way through, and the whole body becomes visible to readers at once or not at all.
    package func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if sqlite3_get_autocommit(handle) == 0 { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// The rowid of the last row inserted through this connection.
    package var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// The current error, wrapped with the SQL that caused it.
    func lastError(sql: String?) -> SQLiteError {
        SQLiteError(code: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }
}
