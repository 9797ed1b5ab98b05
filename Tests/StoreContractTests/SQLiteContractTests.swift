import LabelStore
import QueryKindTestSupport
import SQLiteStore
import XCTest

/// The `LabelDatabase` contract (`StoreContract`) on SQLite, each test on a fresh file.
final class SQLiteContractTests: XCTestCase {
    private var database: ScratchDatabase?

    override func tearDown() {
        database?.remove()
        super.tearDown()
    }

    private func contract(file: StaticString = #filePath, line: UInt = #line) throws -> StoreContract {
        let database = try ScratchDatabase()
        self.database = database
        return StoreContract(store: try SQLiteLabelStore(path: database.path, access: .create), file: file, line: line)
    }

    func testLabelingWritesLabelsCacheAndCountersTogether() throws {
        try contract().labelingWritesLabelsCacheAndCountersTogether()
    }

    func testClaimsHandOutEveryPendingRowOnce() throws { try contract().claimsHandOutEveryPendingRowOnce() }

    func testCacheKeepsTheFirstWriterAndCountsHits() throws { try contract().cacheKeepsTheFirstWriterAndCountsHits() }

    func testRunsRecordHowTheyEnded() throws { try contract().runsRecordHowTheyEnded() }

    func testMigrateRepairsDroppedTables() throws { try contract().migrateRepairsDroppedTables() }

    func testReportShowsTheLowestIdsTextForASharedLabel() throws {
        try contract().reportShowsTheLowestIdsTextForASharedLabel()
    }
}
