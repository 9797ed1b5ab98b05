import Annotator
import Foundation
import LabelStore
import QueryKindTestSupport
import SQLiteStore
import XCTest

/// `watch` on a table that is already labeled must not scan it again at every poll: after a full pass it polls
/// from the table's highest id. Observable: a row slipped in below that id waits for the next full pass, while a
/// row above it is labeled at the next poll.
final class WatchCursorTests: XCTestCase {
    func testPollsAfterAFullPassStartAtTheHighestID() throws {
        let db = try QueryDatabase()
        try db.insert(sampleQueries(10))
        _ = try LabelingJob(session: try db.session()).labelAll()
        let stop = StopFlag()
        nonisolated(unsafe) let job = LabelingJob(session: try db.session())
        let finished = expectation(description: "watch returned")
        Thread.detachNewThread {
            _ = try? job.watch(interval: .milliseconds(20), fullScanEvery: 1_000_000, stop: stop)
            finished.fulfill()
        }
        // Let the first (full) pass run over the labeled table, then slip a row in below its highest id.
        try waitUntil { try db.count("SELECT count(*) FROM label_runs WHERE command = 'watch'") == 1 }
        Thread.sleep(forTimeInterval: 0.2)
        try Connection(path: db.path, mode: .readWrite).execute(
            "INSERT INTO queries (id, text) VALUES (0, 'below the highest id')")
        try db.insert(["above the highest id"])
        try waitUntil { try db.count("SELECT count(*) FROM query_labels") == 11 }
        Thread.sleep(forTimeInterval: 0.2)
        stop.requestStop()
        wait(for: [finished], timeout: 10)
        XCTAssertEqual(try db.count("SELECT count(*) FROM query_labels WHERE query_id = 11"), 1, "above: labeled")
        XCTAssertEqual(try db.count("SELECT count(*) FROM query_labels WHERE query_id = 0"), 0,
                       "below: left for the next full pass, so polls did not rescan the table")
    }
}
