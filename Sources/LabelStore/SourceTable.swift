import Foundation

/// The user's table of queries: which table, which column holds the text and which the integer id.
/// Holds the quoted identifiers so every SQL statement built from user input is injection-safe.
public struct SourceTable: Sendable, Hashable {
    public var table: String
    public var textColumn: String
    public var idColumn: String

    public init(table: String = StoreDefaults.table, textColumn: String = "text", idColumn: String = "id") {
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

    /// The columns the view adds after the source's, as the view names them, each with the expression it shows
    /// (`l` is the row's `query_labels` row, `r` the current review of its key). `kind` is the reviewed kind where a
    /// review exists, else the model's: corrections win in every query of the view, while `model_kind` keeps the
    /// model's and `query_labels` is never overwritten. `label_error` so that a source column named `error` does not
    /// clash. A source column with one of these names is refused (`StoreError.labelColumnClash`): SQLite would show
    /// both, the second as `kind:1`, so `GROUP BY kind` would silently count the source's; PostgreSQL refuses the view.
    public static let labelColumns: [(name: String, expression: String)] = [
        ("kind", "coalesce(r.kind, l.kind)"), ("p_keyword", "l.p_keyword"), ("p_question", "l.p_question"),
        ("label_error", "l.error"), ("model", "l.model"), ("labeled_at", "l.labeled_at"), ("model_kind", "l.kind"),
        ("reviewed_kind", "r.kind"), ("reviewed_by", "r.reviewer"),
    ]

    /// The first of `columns` (the source table's) that the view's label columns would repeat, nil when none does.
    /// Compared without case, as SQLite compares names; in PostgreSQL a quoted `"Kind"` would not clash, but a view
    /// with both `Kind` and `kind` invites the same mistake.
    public static func labelColumnClash(in columns: [String]) -> String? {
        columns.first { column in labelColumns.contains { $0.name.caseInsensitiveCompare(column) == .orderedSame } }
    }

    /// The view's SQL: every source column, then `labelColumns`. Rows without a label yet show NULLs; the current
    /// review of a key is its highest `query_reviews` id. Valid in SQLite and PostgreSQL.
    public var viewSQL: String {
        let labels = Self.labelColumns.map { "\($0.expression) AS \($0.name)" }
        return viewSQLSignature + labels.joined(separator: ", ") + """

        FROM \(quotedTable) AS s LEFT JOIN query_labels AS l ON l.query_id = s.\(quotedID)
        LEFT JOIN query_reviews AS r ON r.id = (
            SELECT max(id) FROM query_reviews WHERE normalized_text = l.normalized_text)
        """
    }

    /// How every version of querykind's view SQL starts: a view of this name that starts otherwise is the
    /// user's, and is never replaced.
    public var viewSQLSignature: String { "CREATE VIEW \(quotedView) AS\nSELECT s.*, " }
}

/// Quotes an SQL identifier (`my "table"` → `"my ""table"""`), so any name a user passes is safe.
public func quoteIdentifier(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
