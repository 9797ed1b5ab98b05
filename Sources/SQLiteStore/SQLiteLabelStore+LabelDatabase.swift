import CSQLite
import LabelStore

/// SQLite as a `LabelDatabase`: one labeler per table (`startRun` refuses a second), so claiming a batch is reading
/// the next pending rows after the cursor, and nobody else ever holds claims.
extension SQLiteLabelStore: LabelDatabase {
    public var displayName: String { path }

    public var migrations: [Migration] { SQLiteMigrations.all }

    /// What the schema's defaults write: UTC ISO-8601 text with milliseconds (`Timestamp`).
    public var nowSQL: String { "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')" }

    public func claimPending(_ pending: Pending, runID: Int64, after cursor: Int64?, limit: Int) throws -> [SourceRow] {
        try fetchPending(pending, after: cursor, limit: limit)
    }

    public func othersHoldClaims(_ pending: Pending, besides runID: Int64) throws -> Bool { false }

    /// `$n` placeholders become SQLite's `?n`; TEXT and BLOB values come back as text.
    public func rows(_ sql: String, _ arguments: [SQLValue]) throws -> [[SQLValue]] {
        try connection.query(Self.sqliteParameters(sql), arguments.map(SQLArgument.init)) { row in
            (0..<row.columnCount).map { column -> SQLValue in
                switch row.type(column) {
                case SQLITE_NULL: .null
                case SQLITE_INTEGER: .integer(row.int64(column))
                case SQLITE_FLOAT: .real(row.double(column))
                default: .text(row.string(column))
                }
            }
        }
    }

    /// `sql` with the `$n` placeholders both engines' shared SQL uses written as SQLite's `?n`.
    static func sqliteParameters(_ sql: String) -> String { sql.replacing(/\$(\d+)/) { "?" + $0.1 } }
}

extension SQLArgument {
    /// An engine-neutral value as SQLite binds it.
    init(_ value: SQLValue) {
        switch value {
        case .null: self = .null
        case .integer(let integer): self = .integer(integer)
        case .real(let real): self = .real(real)
        case .text(let text): self = .text(text)
        }
    }
}
