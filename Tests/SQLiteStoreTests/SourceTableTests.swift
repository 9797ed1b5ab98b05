import Foundation
import LabelStore
@testable import SQLiteStore
import QueryKindTestSupport
import XCTest

final class SourceTableTests: XCTestCase {
    func testMissingTableAndColumnsAreNamed() throws {
        let db = try ScratchDatabase()
        defer { db.remove() }
        try db.createQueries(["a"])
        let store = try SQLiteLabelStore(path: db.path, access: .readWrite)
        XCTAssertEqual(expectError { try store.validate(SourceTable(table: "searches")) } as? StoreError,
                       .missingTable(table: "searches", path: db.path))
        XCTAssertEqual(expectError { try store.validate(SourceTable(textColumn: "query")) } as? StoreError,
                       .missingColumn(column: "query", table: "queries", available: ["id", "text"]))
        XCTAssertEqual(expectError { try store.validate(SourceTable(idColumn: "qid")) } as? StoreError,
                       .missingColumn(column: "qid", table: "queries", available: ["id", "text"]))
        XCTAssertNoThrow(try store.validate(SourceTable()))
        XCTAssertNoThrow(try store.validate(SourceTable(idColumn: "rowid")))
    }

    func testNonIntegerIdsAreRefused() throws {
        let db = try ScratchDatabase()
        defer { db.remove() }
        let connection = try Connection(path: db.path, mode: .readWriteCreate)
        try connection.execute("CREATE TABLE q (code TEXT, text TEXT); INSERT INTO q VALUES ('a1', 'hello')")
        let store = try SQLiteLabelStore(path: db.path, access: .readWrite)
        XCTAssertEqual(expectError { try store.validate(SourceTable(table: "q", idColumn: "code")) } as? StoreError,
                       .nonIntegerID(column: "code", table: "q", example: "'a1'"))
    }

    /// Odd identifiers are quoted everywhere, and the view joins rows to their labels.
    func testViewWorksForOddlyNamedTableAndColumns() throws {
        let db = try ScratchDatabase()
        defer { db.remove() }
        let connection = try Connection(path: db.path, mode: .readWriteCreate)
        try connection.execute(#"""
            CREATE TABLE "search log" ("query id" INTEGER PRIMARY KEY, "the ""text""" TEXT);
            INSERT INTO "search log" VALUES (7, 'how do magnets work'), (9, 'cheap flights');
            """#)
        let source = SourceTable(table: "search log", textColumn: "the \"text\"", idColumn: "query id")
        let store = try SQLiteLabelStore(path: db.path, access: .readWrite)
        try store.migrate()
        try store.validate(source)
        try store.createView(for: source)
        let runID = try store.startRun(.init(command: "label", model: "m@1", source: source, relabel: false))
        var batch = LabelStore.LabelBatch(model: "m@1")
        batch.outcomes = [(7, .labeled(StoredLabel(kind: "question", pKeyword: 0.1, pQuestion: 0.9)))]
        try store.write(batch, runID: runID)
        let rows = try connection.query(
            "SELECT \"query id\", kind, model FROM \"search log_labeled\" ORDER BY 1") {
            ($0.int64(0), $0.optionalString(1), $0.optionalString(2))
        }
        XCTAssertEqual(rows.map(\.0), [7, 9])
        XCTAssertEqual(rows.map(\.1), ["question", nil])
        XCTAssertEqual(rows.map(\.2), ["m@1", nil])
        // Re-creating an unchanged view writes nothing.
        let changes = try store.connection.scalarInt("SELECT total_changes()")
        let version = try connection.scalarInt("PRAGMA schema_version")
        try store.createView(for: source)
        XCTAssertEqual(try store.connection.scalarInt("SELECT total_changes()"), changes)
        XCTAssertEqual(try connection.scalarInt("PRAGMA schema_version"), version)
    }

    func testLabelsOfAnotherTableAreNotMixedIn() throws {
        let db = try ScratchDatabase()
        defer { db.remove() }
        try db.createQueries(["a"])
        try db.createQueries(["b"], table: "other")
        let store = try SQLiteLabelStore(path: db.path, access: .readWrite)
        try store.migrate()
        let runID = try store.startRun(.init(command: "label", model: "m", source: SourceTable(), relabel: false))
        var batch = LabelStore.LabelBatch(model: "m")
        batch.outcomes = [(1, .failed(reason: "text is empty"))]
        try store.write(batch, runID: runID)
        XCTAssertNoThrow(try store.checkLabelsBelong(to: SourceTable()))
        XCTAssertEqual(expectError { try store.checkLabelsBelong(to: SourceTable(table: "other")) } as? StoreError,
                       .otherSourceTable(labeled: "queries", requested: "other"))
    }
}
