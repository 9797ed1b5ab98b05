import LabelStore
import PostgresNIO

/// How the source table's text column is read, by its PostgreSQL type: text types as text, numbers as their decimal
/// text (labeled, as in SQLite), `bytea` as a BLOB (an error row), anything else (json, citext, ...) cast to text.
enum SourceTextKind: Sendable {
    case text, number, bytes

    /// From `pg_type.typname` and `typcategory` of the column.
    init(typeName: String, category: String) {
        if typeName == "bytea" {
            self = .bytes
        } else if category == "N" {
            self = .number
        } else {
            self = .text
        }
    }

    /// The select-list expression for column `column` of alias `s`.
    func expression(_ column: String) -> String {
        self == .bytes ? "octet_length(s.\(column))::text" : "s.\(column)::text"
    }

    /// The `SourceValue` of what `expression` selected.
    func value(_ text: String?) -> SourceValue {
        guard let text else { return .null }
        switch self {
        case .text: return .text(text)
        case .number: return .number(text)
        case .bytes: return .blob(byteCount: Int(text) ?? 0)
        }
    }
}
