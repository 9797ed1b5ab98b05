/// A value in a row read with `LabelDatabase.rows`, or an argument bound to one of its `$n`: the types both engines
/// share (PostgreSQL's timestamps come back as text in the form SQLite stores, see `Timestamp`).
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    /// The value as an integer; nil for NULL or text.
    public var integer: Int64? {
        switch self {
        case .integer(let value): return value
        case .real(let value): return Int64(exactly: value)
        default: return nil
        }
    }

    /// The value as a double; nil for NULL or text.
    public var real: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .real(let value): return value
        default: return nil
        }
    }

    /// The value as text; nil for NULL, numbers as their decimal text.
    public var text: String? {
        switch self {
        case .null: return nil
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .text(let value): return value
        }
    }
}
