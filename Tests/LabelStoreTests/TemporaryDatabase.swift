import Foundation
import LabelStore
import XCTest

/// A fresh folder per test with helpers to build a source table of queries in a real SQLite file.
struct TemporaryDatabase {
    let folder: URL
    let path: String

    init(name: String = "queries.db") throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("querykind-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        path = folder.appendingPathComponent(name).path
    }

    /// Creates `queries(id INTEGER PRIMARY KEY, text TEXT)` holding `texts` with ids 1…n.
    @discardableResult
    func createQueries(_ texts: [String], table: String = "queries") throws -> Connection {
        let connection = try Connection(path: path, mode: .readWriteCreate)
        try connection.execute("CREATE TABLE \"\(table)\" (id INTEGER PRIMARY KEY, text TEXT, added TEXT)")
        try connection.transaction {
            for text in texts { try connection.run("INSERT INTO \"\(table)\" (text) VALUES (?)", [.text(text)]) }
        }
        return connection
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

/// Runs `body` and returns the error it threw, failing the test when it did not throw.
func expectError<T>(_ body: () throws -> T, file: StaticString = #filePath, line: UInt = #line) -> Error? {
    do {
        _ = try body()
        XCTFail("expected an error", file: file, line: line)
        return nil
    } catch {
        return error
    }
}
