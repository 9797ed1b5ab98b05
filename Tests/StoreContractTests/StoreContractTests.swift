import Foundation
import LabelStore
import PostgresStore
import QueryKindTestSupport
import SQLiteStore
import XCTest

/// The `LabelDatabase` contract (`StoreContract`): each test runs its one body on a fresh SQLite file, then on a
/// fresh database of the PostgreSQL test cluster (`scripts/postgres.sh`). Without a cluster the test skips after
/// the SQLite half, or fails under `CI=true`, as the other PostgreSQL tests do; with `QUERYKIND_SKIP_POSTGRES=1`
/// (PostgreSQL skipped on purpose) it passes on the SQLite half alone.
final class StoreContractTests: XCTestCase {
    func testLabelingWritesLabelsCacheAndCountersTogether() throws {
        try onEachEngine { try $0.labelingWritesLabelsCacheAndCountersTogether() }
    }

    func testClaimsHandOutEveryPendingRowOnce() throws { try onEachEngine { try $0.claimsHandOutEveryPendingRowOnce() } }

    func testClaimsReadValuesAsStoredWithoutValidateFirst() throws {
        try onEachEngine { try $0.claimsReadValuesAsStoredWithoutValidateFirst() }
    }

    func testCacheKeepsTheFirstWriterAndCountsHits() throws {
        try onEachEngine { try $0.cacheKeepsTheFirstWriterAndCountsHits() }
    }

    func testRunsRecordHowTheyEnded() throws { try onEachEngine { try $0.runsRecordHowTheyEnded() } }

    func testMigrateRepairsDroppedTables() throws { try onEachEngine { try $0.migrateRepairsDroppedTables() } }

    func testMigrateRefusesAUsersTableHoldingItsName() throws {
        try onEachEngine { try $0.migrateRefusesAUsersTableHoldingItsName() }
    }

    func testReportShowsTheLowestIdsTextForASharedLabel() throws {
        try onEachEngine { try $0.reportShowsTheLowestIdsTextForASharedLabel() }
    }

    func testReviewsOfAKeyReachEveryRowAndTheLatestCounts() throws {
        try onEachEngine { try $0.reviewsOfAKeyReachEveryRowAndTheLatestCounts() }
    }

    func testLabelingFillsTheKeysOfLabelsWrittenBeforeKeys() throws {
        try onEachEngine { try $0.labelingFillsTheKeysOfLabelsWrittenBeforeKeys() }
    }

    func testReviewsRefuseBadInputWritingNothing() throws { try onEachEngine { try $0.reviewsRefuseBadInputWritingNothing() } }

    func testReviewQueueOrdersUncertainAndFrequentUnreviewedFirst() throws {
        try onEachEngine { try $0.reviewQueueOrdersUncertainAndFrequentUnreviewedFirst() }
    }

    func testTrendsDriftOnExactlyTheShiftedDays() throws {
        try onEachEngine { try $0.trendsDriftOnExactlyTheShiftedDays() }
    }

    func testReviewAccuracyEqualsAHandCount() throws { try onEachEngine { try $0.reviewAccuracyEqualsAHandCount() } }

    /// Runs `body` on SQLite, then on PostgreSQL, each on an empty database of its own.
    private func onEachEngine(_ body: (StoreContract) throws -> Void, file: StaticString = #filePath,
                              line: UInt = #line) throws {
        let sqlite = try ScratchDatabase()
        defer { sqlite.remove() }
        on("SQLite", file: file, line: line) {
            try body(StoreContract(store: try SQLiteLabelStore(path: sqlite.path, access: .create), file: file, line: line))
        }
        switch PostgresScratchDatabase.availability() {
        case .available(let url):
            let postgres = try PostgresScratchDatabase(clusterURL: url)
            defer { postgres.drop() }
            on("PostgreSQL", file: file, line: line) {
                let store = try PostgresLabelStore(location: PostgresLocation(url: postgres.url))
                try body(StoreContract(store: store, file: file, line: line))
            }
        case .skip where ProcessInfo.processInfo.environment[PostgresScratchDatabase.skipVariable] == "1":
            return
        case .skip(let reason):
            throw XCTSkip("SQLite passed; PostgreSQL not run: " + reason)
        case .fail(let reason):
            XCTFail(reason, file: file, line: line)
        }
    }

    /// Runs one engine's half; an error it throws fails the test naming the engine, and so does any assertion that
    /// failed in it (the assertions themselves point at the test's line), so the other engine still runs.
    private func on(_ engine: String, file: StaticString, line: UInt, _ half: () throws -> Void) {
        let failuresBefore = testRun?.totalFailureCount ?? 0
        do {
            try half()
        } catch {
            XCTFail("\(engine): \(error)", file: file, line: line)
        }
        if testRun?.totalFailureCount ?? 0 > failuresBefore {
            XCTFail("the failures above are \(engine)'s", file: file, line: line)
        }
    }
}
