/// A source row's text column, exactly as the database stored it, before querykind decides whether it can be labeled.
public enum SourceValue: Sendable, Hashable {
    /// Valid UTF-8 text.
    case text(String)
    /// SQL NULL.
    case null
    /// A BLOB of this many bytes.
    case blob(byteCount: Int)
    /// An INTEGER or REAL, as SQLite's decimal text (what `CAST(x AS TEXT)` gives).
    case number(String)
    /// TEXT whose bytes are not valid UTF-8.
    case invalidUTF8([UInt8])
    /// A row whose earlier claims all lapsed unwritten (each worker that took it stopped first): labeled with an
    /// error instead of being handed out again, so a row that kills its workers cannot stall a table forever.
    case abandoned(attempts: Int)
}

/// One source row waiting for a label.
public struct SourceRow: Sendable, Equatable {
    public var id: Int64
    public var value: SourceValue

    public init(id: Int64, value: SourceValue) {
        self.id = id
        self.value = value
    }
}
