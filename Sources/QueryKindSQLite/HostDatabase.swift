import CQueryKindSQLite
import LabelStore

/// The database the functions run in, reached through the host's own SQLite: querykind's `label_cache` there, when it
/// has one, read by the same key and model id as every other front end, and written only when the session opted in.
///
/// Why not querykind's SQLite store: it opens connections of its own through the system's SQLite, while the functions
/// must use the connection (and the SQLite library) they were called on.
struct HostDatabase {
    let connection: OpaquePointer

    /// One probe of the primary key `(model, normalized_text)`.
    private static let lookupSQL = "SELECT kind, p_keyword, p_question FROM main.label_cache "
        + "WHERE model = ?1 AND normalized_text = ?2"
    /// Keeps an entry another writer made first, as `label` and `lookup` do; the schema's defaults stamp the times.
    private static let insertSQL = "INSERT INTO main.label_cache (model, normalized_text, p_keyword, p_question, kind) "
        + "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (model, normalized_text) DO NOTHING"

    /// The cached labels of `keys` under `model` (none when the database has no `label_cache`).
    func cachedLabels(model: String, keys: [String]) throws -> [String: StoredLabel] {
        try explained("cannot read label_cache") {
            guard !keys.isEmpty, let lookup = try prepare(Self.lookupSQL, unlessNoCache: true) else { return [:] }
            defer { lookup.finalize() }
            var found: [String: StoredLabel] = [:]
            try lookup.bind(model, at: 1)
            for key in keys {
                lookup.reset()
                try lookup.bind(key, at: 2)
                if try lookup.step() {
                    found[key] = StoredLabel(kind: lookup.text(0), pKeyword: lookup.double(1),
                                             pQuestion: lookup.double(2))
                }
            }
            return found
        }
    }

    /// Adds `entries` to `label_cache` under `model`.
    func insert(model: String, _ entries: [(String, StoredLabel)]) throws {
        try explained("cannot write label_cache (querykind_cache_writes(0) stops writing)") {
            guard !entries.isEmpty, let insert = try prepare(Self.insertSQL, unlessNoCache: false) else { return }
            defer { insert.finalize() }
            try insert.bind(model, at: 1)
            for (key, label) in entries {
                insert.reset()
                try insert.bind(key, at: 2)
                try insert.bind(label.pKeyword, at: 3)
                try insert.bind(label.pQuestion, at: 4)
                try insert.bind(label.kind, at: 5)
                while try insert.step() {}
            }
        }
    }

    /// Whether the database holds querykind's `label_cache`.
    func hasLabelCache() throws -> Bool {
        try explained("cannot read the schema") { try labelCacheExists() }
    }

    private func labelCacheExists() throws -> Bool {
        let check = try prepare("SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = 'label_cache'",
                                unlessNoCache: false)!
        defer { check.finalize() }
        return try check.step()
    }

    /// The elements of the JSON array `value`, each as a source value: strings as text, numbers as their decimal
    /// text (as a table's column would give them), null as NULL, and anything else as its JSON text.
    func arrayElements(_ value: OpaquePointer?) throws -> [SourceValue] {
        do { return try elements(value) } catch {
            throw SQLFailure("querykind_classify: \(error); it takes a JSON array of texts: "
                + "SELECT * FROM querykind_classify((SELECT json_group_array(text) FROM queries))")
        }
    }

    private func elements(_ value: OpaquePointer?) throws -> [SourceValue] {
        let shape = try prepare("SELECT json_type(?1)", unlessNoCache: false)!
        defer { shape.finalize() }
        try shape.bind(value, at: 1)
        let type = try shape.step() ? shape.text(0) : ""
        guard type == "array" else {
            throw SQLFailure("the argument is a JSON \(type), not an array")
        }
        let elements = try prepare("SELECT type, CASE WHEN type IN ('true', 'false') THEN type ELSE value END "
            + "FROM json_each(?1)", unlessNoCache: false)!
        defer { elements.finalize() }
        try elements.bind(value, at: 1)
        var values: [SourceValue] = []
        while try elements.step() {
            switch elements.text(0) {
            case "null": values.append(.null)
            case "integer", "real": values.append(.number(elements.text(1)))
            default: values.append(elements.textValue(1))
            }
        }
        return values
    }

    /// A statement on the connection; with `unlessNoCache`, nil when it fails because there is no `label_cache`.
    private func prepare(_ sql: String, unlessNoCache: Bool) throws -> HostStatement? {
        var statement: OpaquePointer?
        guard querykind_prepare(connection, sql, &statement) == QUERYKIND_SQL_OK, let statement else {
            let message = String(cString: querykind_errmsg(connection))
            if unlessNoCache, try !labelCacheExists() { return nil }
            throw SQLFailure(message)
        }
        return HostStatement(statement: statement, connection: connection)
    }

    /// Runs `body`, its SQLite errors as one line: "querykind: `what`: SQLite's message".
    private func explained<Value>(_ what: String, _ body: () throws -> Value) throws -> Value {
        do { return try body() } catch { throw SQLFailure("querykind: \(what): \(error)") }
    }
}

/// A prepared statement on the host's connection: binding, stepping and reading, errors as `SQLFailure`s.
struct HostStatement {
    let statement: OpaquePointer
    let connection: OpaquePointer

    func bind(_ text: String, at index: Int32) throws {
        try check(text.withCString { querykind_bind_text(statement, index, $0, Int32(text.utf8.count)) })
    }

    func bind(_ number: Double, at index: Int32) throws {
        try check(querykind_bind_double(statement, index, number))
    }

    func bind(_ value: OpaquePointer?, at index: Int32) throws {
        try check(querykind_bind_value(statement, index, value))
    }

    /// True on a row, false when done.
    func step() throws -> Bool {
        switch querykind_step(statement) {
        case QUERYKIND_SQL_ROW: return true
        case QUERYKIND_SQL_DONE: return false
        default: throw SQLFailure(String(cString: querykind_errmsg(connection)))
        }
    }

    func text(_ column: Int32) -> String {
        guard let bytes = querykind_column_text(statement, column) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(querykind_column_bytes(statement, column))),
                      as: UTF8.self)
    }

    /// The column as a source value's text: invalid UTF-8 kept as bytes, so it gets its error rather than a guess.
    func textValue(_ column: Int32) -> SourceValue {
        guard let bytes = querykind_column_text(statement, column) else { return .text("") }
        return SQLArgument.text(UnsafeBufferPointer(start: bytes, count: Int(querykind_column_bytes(statement, column))))
    }

    func double(_ column: Int32) -> Double {
        querykind_column_double(statement, column)
    }

    func reset() {
        _ = querykind_reset(statement)
    }

    func finalize() {
        _ = querykind_finalize(statement)
    }

    private func check(_ status: Int32) throws {
        guard status == QUERYKIND_SQL_OK else { throw SQLFailure(String(cString: querykind_errmsg(connection))) }
    }
}
