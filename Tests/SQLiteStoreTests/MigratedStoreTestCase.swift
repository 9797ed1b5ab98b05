import LabelStore
@testable import SQLiteStore
import QueryKindTestSupport
import XCTest

/// A test case with a fresh database per test: an empty `queries` table, migrated, and a store open on it.
class MigratedStoreTestCase: XCTestCase {
    var db: ScratchDatabase!
    var store: SQLiteLabelStore!

    override func setUpWithError() throws {
        db = try ScratchDatabase()
        try db.createQueries([])
        store = try SQLiteLabelStore(path: db.path, access: .readWrite)
        try store.migrate()
    }

    override func tearDown() { db.remove() }
}
