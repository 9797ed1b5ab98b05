import Foundation

/// The user's table of queries: which table, which column holds the text and which the integer id.
/// Holds the quoted identifiers so every SQL statement built from user input is injection-safe.
public struct SourceTable: Sendable, Equatable {
    public var table: String
    public var textColumn: String
    public var idColumn: String

    public init(table: String = "queries", textColumn: String = "text", idColumn: String = "id") {
        self.table = table
        self.textColumn = textColumn
        self.idColumn = idColumn
    }

    /// The view joining this table to its labels: `<table>_labeled`.
    public var viewName: String { table + "_labeled" }

    /// The names as quoted SQL identifiers, the same in SQLite and PostgreSQL.
    public var quotedTable: String { quoteIdentifier(table) }
    public var quotedText: String { quoteIdentifier(textColumn) }
    public var quotedID: String { quoteIdentifier(idColumn) }
    public var quotedView: String { quoteIdentifier(viewName) }

    /// The view's SQL: every source column, then the label columns (`label_error` to avoid clashing with
    /// a source column named `error`). Rows without a label yet show NULLs. Valid in SQLite and PostgreSQL.
    public var viewSQL: String {
        viewSQLSignature + """
         l.p_keyword, l.p_question, l.error AS label_error, l.model, l.labeled_at
        FROM \(quotedTable) AS s LEFT JOIN query_labels AS l ON l.query_id = s.\(quotedID)
        """
    }

    /// How every version of querykind's view SQL starts: a view of this name that starts otherwise is the
    /// user's, and is never replaced.
    var viewSQLSignature: String { "CREATE VIEW \(quotedView) AS\nSELECT s.*, l.kind," }
}

/// Quotes an SQL identifier (`my "table"` → `"my ""table"""`), so any name a user passes is safe.
func quoteIdentifier(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
