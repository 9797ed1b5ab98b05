import Foundation
import LabelStore
@testable import SQLiteStore
import QueryKindTestSupport
import XCTest

/// `--id-column rowid` on a source that has no rowid says so, instead of blaming the values.
final class RowidSourceTests: XCTestCase {
    func testWithoutRowidTableAndViewSayWhatIsWrong() throws {
        let db = try ScratchDatabase()
        defer { db.remove() }
        let connection = try Connection(path: db.path, mode: .readWriteCreate)
        try connection.execute("""
            CREATE TABLE keyed (code TEXT PRIMARY KEY, text TEXT) WITHOUT ROWID;
            INSERT INTO keyed VALUES ('a1', 'hello');
            CREATE TABLE plain (id INTEGER PRIMARY KEY, text TEXT);
            INSERT INTO plain VALUES (1, 'hello');
            CREATE VIEW recent AS SELECT id, text FROM plain;
            """)
        let store = try SQLiteLabelStore(path: db.path, access: .readWrite)
        let keyed = expectError { try store.validate(SourceTable(table: "keyed", idColumn: "rowid")) }
        XCTAssertTrue("\(keyed!)".contains("\"keyed\" is a WITHOUT ROWID table") && "\(keyed!)".contains("--id-column"),
                      "\(keyed!)")
        let view = expectError { try store.validate(SourceTable(table: "recent", idColumn: "_rowid_")) }
        XCTAssertTrue("\(view!)".contains("\"recent\" is a view"), "\(view!)")
        // A view with a real integer id column, and a rowid table, are fine.
        XCTAssertNoThrow(try store.validate(SourceTable(table: "recent", idColumn: "id")))
        XCTAssertNoThrow(try store.validate(SourceTable(table: "plain", idColumn: "rowid")))
    }
}
