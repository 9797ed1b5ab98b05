import Foundation
import LabelStore
import QueryKindTestSupport
import SQLiteStore
import XCTest

/// `serve --watch` shows the watch loop's transient faults in `/metrics`: a lock held past `--busy-timeout` while
/// rows are pending counts retries and raises `querykind_watch_retrying`, which drops back to 0 once the rows are
/// labeled after the lock is released.
final class ServeWatchRetryMetricsTests: XCTestCase {
    func testMetricsShowTheWatchLoopRetryingALockAndRecovering() throws {
        let folder = try CLIFolder()
        try folder.createQueries(cliQueries(5))
        let server = try ServeProcess(["--model", CommandRunner.tinyModel, "--db", folder.db, "--watch",
                                       "--busy-timeout", "0.2", "--interval", "0.1"], in: folder.url)
        try waitUntil(within: 60) { !server.isRunning || (try? folder.count("SELECT count(*) FROM query_labels")) == 5 }
        XCTAssertEqual(try server.metric("querykind_watch_retrying"), 0)
        XCTAssertEqual(try server.metric("querykind_watch_transient_retries_total"), 0)

        // New rows, then at once (one call, so the loop cannot label them first) a write lock held past the busy
        // timeout while they are pending.
        let holder = try Connection(path: folder.db, mode: .readWrite)
        try holder.execute("""
            BEGIN IMMEDIATE; INSERT INTO queries (text) VALUES ('late one'), ('late two'); COMMIT; BEGIN IMMEDIATE
            """)
        try waitUntil(within: 60) { try !server.isRunning || server.metric("querykind_watch_retrying") == 1 }
        XCTAssertTrue(server.isRunning, "serve keeps going through a lock: \(server.child.stderr)")
        XCTAssertGreaterThanOrEqual(try server.metric("querykind_watch_transient_retries_total"), 1)
        XCTAssertEqual(try server.metric("querykind_watch_retrying"), 1, "still retrying while the lock is held")
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels"), 5, "nothing written under the lock")

        try holder.execute("ROLLBACK")
        try waitUntil(within: 60) {
            try !server.isRunning
                || folder.count("SELECT count(*) FROM query_labels") == 7 && server.metric("querykind_watch_retrying") == 0
        }
        let retries = try server.metric("querykind_watch_transient_retries_total")
        XCTAssertGreaterThanOrEqual(retries, 1)
        XCTAssertEqual(try folder.count("SELECT retries FROM label_runs"), Int(retries), "the same count as label_runs")
        let output = try server.terminate()
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(try folder.rows("SELECT status, rows_scanned FROM label_runs", columns: 2), [["finished", "7"]])
    }
}

private extension ServeProcess {
    var isRunning: Bool { child.process.isRunning }
}
