import Foundation
import QueryKindTestSupport
import XCTest

/// A `watch` daemon on PostgreSQL outlives its connections: when the server cuts them (an administrator, a
/// failover, a restart), the next statement connects again and the daemon goes on labeling.
final class PostgresWatchFaultTests: XCTestCase {
    /// Every connection of the database's other sessions is terminated twice while `watch` runs (its job connection
    /// and its lease renewal's); rows inserted afterwards are still labeled, and SIGTERM ends the run `finished`.
    func testWatchReconnectsWhenTheServerCutsItsConnections() throws {
        let pg = try makePostgresDatabase()
        defer { pg.remove() }
        try pg.execute("CREATE TABLE queries (id bigserial PRIMARY KEY, text text)")
        try pg.execute("INSERT INTO queries (text) VALUES ('where is berlin?')")
        let watch = try pg.launch(["watch", "--db", pg.db, "--model", CommandRunner.tinyModel, "--interval", "0.2",
                                   "--lease", "1"])
        for (round, text) in ["cheap flights paris", "Berlin is in Germany."].enumerated() {
            try waitUntil(within: 60, "the rows before cut \(round + 1)") {
                (try? pg.count("SELECT count(*) FROM query_labels")) == round + 1 || !watch.process.isRunning
            }
            try waitUntil(within: 30, "watch's job and lease connections") {
                try pg.count("""
                    SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                    """) >= 2
            }
            let cut = try pg.count("""
                SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                                      WHERE datname = current_database() AND pid <> pg_backend_pid()) AS cut
                """)
            XCTAssertGreaterThanOrEqual(cut, 2, "watch's job and lease connections were open")
            try pg.execute("INSERT INTO queries (text) VALUES ('\(text)')")
        }
        try waitUntil(within: 60, "the row inserted after the second cut") {
            try pg.count("SELECT count(*) FROM query_labels") == 3 || !watch.process.isRunning
        }
        XCTAssertTrue(watch.process.isRunning, "watch exited: \(watch.stderr)")
        watch.signal(SIGTERM)
        let output = try watch.wait(timeout: 30)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(try pg.rows("SELECT status, rows_labeled FROM label_runs"), [["finished", "3"]])
    }
}
