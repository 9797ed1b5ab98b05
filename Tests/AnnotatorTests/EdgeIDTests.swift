import Annotator
import Foundation
import LabelStore
import SQLiteStore
import XCTest

/// Ids at the ends of SQLite's integer range are labeled like any other.
final class EdgeIDTests: XCTestCase {
    func testSmallestAndLargestIdsAreLabeled() throws {
        let db = try QueryDatabase()
        let connection = try Connection(path: db.path, mode: .readWrite)
        let ids: [Int64] = [Int64.min, Int64.min + 1, -1, 0, Int64.max]
        for id in ids {
            try connection.run("INSERT INTO queries (id, text) VALUES (?, ?)", [.integer(id), .text("query \(id)")])
        }
        let summary = try LabelingJob(session: try db.session(), options: .init(rowsPerTransaction: 2)).labelAll()
        XCTAssertEqual(summary.counters.scanned, ids.count)
        XCTAssertEqual(try db.labels().map(\.id), ids)
        XCTAssertEqual(try LabelingJob(session: try db.session()).labelAll().counters.scanned, 0)
    }
}
