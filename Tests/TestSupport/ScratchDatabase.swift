import Foundation
import LabelStore
import SQLiteStore

/// A fresh temporary folder holding one SQLite file, with the few helpers every test suite needs to build a table
/// of queries and look at the result: the one temporary-database helper of the store, annotator and CLI tests.
///
/// Subclasses add what one suite needs (a labeling session, a `querykind` run in the folder). The folder is
/// deleted by `remove()` or when the object goes away.
open class ScratchDatabase {
    /// The folder; a test may put other files here (models, inputs), and they go with it.
    public let folder: URL
    private let temporary: TemporaryFolder
    /// The database file's path (it does not exist until something creates it).
    public let path: String

    public init(name: String = "queries.db") throws {
        temporary = try TemporaryFolder()
        folder = temporary.url
        path = folder.appendingPathComponent(name).path
    }

    deinit { remove() }

    /// Deletes the folder now (XCTest keeps test-case objects, and so their databases, until the suite ends).
    public func remove() { temporary.remove() }

    /// Creates `table` with `columns` (by default an integer id and a TEXT column `text`), holding `texts` with ids
    /// 1…n; returns the connection that made it.
    @discardableResult
    package func createQueries(_ texts: [String], table: String = "queries",
                              columns: String = "id INTEGER PRIMARY KEY, text TEXT") throws -> Connection {
        let connection = try Connection(path: path, mode: .readWriteCreate)
        try connection.execute("CREATE TABLE \"\(table)\" (\(columns))")
        try insert(texts, table: table)
        return connection
    }

    /// Appends `texts` to `table`'s `text` column in one transaction.
    public func insert(_ texts: [String], table: String = "queries") throws {
        let connection = try Connection(path: path, mode: .readWrite)
        try connection.transaction {
            for text in texts { try connection.run("INSERT INTO \"\(table)\" (text) VALUES (?)", [.text(text)]) }
        }
    }

    /// Runs `sql` (one or more statements), as the user's own application would.
    public func execute(_ sql: String) throws {
        try Connection(path: path, mode: .readWrite).execute(sql)
    }

    /// The integer `sql` returns (-1 when it returns NULL or no row).
    public func count(_ sql: String) throws -> Int {
        Int(try Connection(path: path, mode: .readOnly).scalarInt(sql) ?? -1)
    }

    /// The rows of `sql`, each as its first `columns` values in text form ("NULL" for NULL).
    public func rows(_ sql: String, columns: Int32) throws -> [[String]] {
        try Connection(path: path, mode: .readOnly).query(sql) { row in
            (0..<columns).map { row.optionalString($0) ?? "NULL" }
        }
    }
}
