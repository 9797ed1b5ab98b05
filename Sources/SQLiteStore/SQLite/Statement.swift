import CSQLite

/// A value bound to a `?` parameter.
package enum SQLArgument: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// SQLite's `SQLITE_TRANSIENT`: tells SQLite to copy bound text and blobs before the call returns.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A compiled statement: bind parameters, step through rows, read columns.
///
/// Reading a column is only valid while `step()` has just returned true.
package final class Statement {
    private let statement: OpaquePointer
    /// Unowned: the connection keeps its statements (see `Connection.prepare`), not the other way round.
    private unowned let connection: Connection
    /// The SQL text, carried into every error this statement raises.
    package let sql: String

    init(connection: Connection, sql: String) throws {
        var compiled: OpaquePointer?
        let rc = sqlite3_prepare_v2(connection.handle, sql, -1, &compiled, nil)
        guard rc == SQLITE_OK, let compiled else { throw connection.lastError(sql: sql) }
        self.statement = compiled
        self.connection = connection
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(statement)
    }

    /// Binds `arguments` to parameters 1…n after resetting the statement, so it can be re-run.
    package func bind(_ arguments: [SQLArgument]) throws {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        for (offset, argument) in arguments.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch argument {
            case .null: rc = sqlite3_bind_null(statement, index)
            case .integer(let value): rc = sqlite3_bind_int64(statement, index, value)
            case .real(let value): rc = sqlite3_bind_double(statement, index, value)
            case .text(let value): rc = sqlite3_bind_text(statement, index, value, -1, transient)
            case .blob(let bytes):
                rc = bytes.withUnsafeBytes { sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), transient) }
            }
            guard rc == SQLITE_OK else { throw connection.lastError(sql: sql) }
        }
    }

    /// Binds one parameter (1-based) of a statement being re-run after `reset()`: for hot loops, which bind
    /// several typed values per row without building an argument array.
    package func bind(_ value: Int64, at index: Int32) throws {
        guard sqlite3_bind_int64(statement, index, value) == SQLITE_OK else { throw connection.lastError(sql: sql) }
    }

    /// Binds a double (see `bind(_:at:)` for integers).
    package func bind(_ value: Double, at index: Int32) throws {
        guard sqlite3_bind_double(statement, index, value) == SQLITE_OK else { throw connection.lastError(sql: sql) }
    }

    /// Binds text, or NULL for nil (see `bind(_:at:)` for integers).
    package func bind(_ value: String?, at index: Int32) throws {
        let rc = value.map { sqlite3_bind_text(statement, index, $0, -1, transient) } ?? sqlite3_bind_null(statement, index)
        guard rc == SQLITE_OK else { throw connection.lastError(sql: sql) }
    }

    /// Ends the current run (releasing its locks) and keeps the bindings, ready to run again.
    package func reset() {
        sqlite3_reset(statement)
    }

    /// Advances to the next row: true when a row is available, false when the statement is done.
    package func step() throws -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = connection.lastError(sql: sql)
            sqlite3_reset(statement)
            throw error
        }
    }

    /// How many columns each row has.
    package var columnCount: Int32 { sqlite3_column_count(statement) }

    /// The storage class of a column in the current row (`SQLITE_INTEGER`, `SQLITE_TEXT`, …).
    package func type(_ column: Int32) -> Int32 { sqlite3_column_type(statement, column) }

    /// True when the column is SQL NULL (the typed accessors would read it as 0 or "").
    package func isNull(_ column: Int32) -> Bool { type(column) == SQLITE_NULL }

    /// The column as an integer (ids, counts).
    package func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    /// The column as a double (confidences).
    package func double(_ column: Int32) -> Double { sqlite3_column_double(statement, column) }

    /// The column as text (SQLite converts numbers to their decimal text); invalid UTF-8 is repaired.
    package func string(_ column: Int32) -> String {
        String(decoding: bytes(column, asText: true), as: UTF8.self)
    }

    /// The column's raw bytes, exactly as stored: `asText` reads the text form (numbers as decimal text),
    /// otherwise the blob form. Never assumes the bytes are valid UTF-8.
    package func bytes(_ column: Int32, asText: Bool) -> [UInt8] {
        let base: UnsafeRawPointer? = asText
            ? sqlite3_column_text(statement, column).map(UnsafeRawPointer.init)
            : sqlite3_column_blob(statement, column)
        let count = Int(sqlite3_column_bytes(statement, column))
        guard let base, count > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// The size in bytes of a BLOB column (for text, of its UTF-8 form), without copying it.
    package func byteCount(_ column: Int32) -> Int { Int(sqlite3_column_bytes(statement, column)) }

    /// The column as optional text, nil for SQL NULL.
    package func optionalString(_ column: Int32) -> String? { isNull(column) ? nil : string(column) }

    /// The column as optional double, nil for SQL NULL.
    package func optionalDouble(_ column: Int32) -> Double? { isNull(column) ? nil : double(column) }
}
