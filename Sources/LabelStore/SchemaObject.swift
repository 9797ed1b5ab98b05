/// A table, index or view in `sqlite_schema`, as querykind's migrations create it.
public struct SchemaObject: Sendable, Hashable, CustomStringConvertible {
    /// `table`, `index`, `view` or `trigger`.
    public var type: String
    public var name: String
    /// The `CREATE` statement SQLite recorded.
    public var sql: String

    public init(type: String, name: String, sql: String) { (self.type, self.name, self.sql) = (type, name, sql) }

    /// `table "query_labels"`: how error lines and `migrate` name it.
    public var description: String { "\(type) \"\(name)\"" }
}
