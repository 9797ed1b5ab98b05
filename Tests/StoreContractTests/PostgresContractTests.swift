import LabelStore
import PostgresStore
import QueryKindTestSupport
import XCTest

/// The `LabelDatabase` contract (`StoreContract`) on PostgreSQL, each test on a fresh database of the test cluster
/// (`scripts/postgres.sh`; without one these skip, or fail under `CI=true`, as the other PostgreSQL tests do).
final class PostgresContractTests: XCTestCase {
    private var database: PostgresScratchDatabase?
    private var store: PostgresLabelStore?

    override func tearDown() {
        store = nil
        database?.drop()
        super.tearDown()
    }

    private func contract(file: StaticString = #filePath, line: UInt = #line) throws -> StoreContract {
        switch PostgresScratchDatabase.availability() {
        case .available(let url):
            let database = try PostgresScratchDatabase(clusterURL: url)
            self.database = database
            let store = try PostgresLabelStore(location: PostgresLocation(url: database.url))
            self.store = store
            return StoreContract(store: store, file: file, line: line)
        case .skip(let reason):
            throw XCTSkip(reason)
        case .fail(let reason):
            XCTFail(reason, file: file, line: line)
            throw PostgresTestError(message: reason)
        }
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
