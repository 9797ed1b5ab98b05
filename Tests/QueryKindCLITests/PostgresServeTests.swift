import Foundation
import QueryKindTestSupport
import XCTest

/// `serve --db postgres://... --watch`: the daemon over a shared PostgreSQL database, as over a SQLite file.
final class PostgresServeTests: XCTestCase {
    /// The watch loop labels the table (rows inserted while serving too), the HTTP side answers those texts from
    /// `label_cache` as hits, a new text is computed once and lands in the shared cache where `label` finds it,
    /// and SIGTERM ends the watch run `finished`.
    func testServeWatchesAndAnswersFromTheSharedCache() throws {
        let pg = try makePostgresDatabase()
        defer { pg.remove() }
        try pg.createQueries(["where is berlin?", "cheap flights paris"])
        let server = try ServeProcess(["--db", pg.db, "--watch", "--interval", "0.2", "--model", CommandRunner.tinyModel],
                                      in: pg.folder, environment: PostgresCLIDatabase.cleanEnvironment)
        try waitUntil(within: 60, "the watch loop to label the table") {
            try pg.count("SELECT count(*) FROM query_labels") == 2
        }
        try pg.execute("INSERT INTO queries VALUES (3, 'Berlin is in Germany.')")
        try waitUntil(within: 60, "the row inserted while serving") {
            try pg.count("SELECT count(*) FROM query_labels") == 3
        }

        let known = try server.classify("Berlin is in Germany.")
        XCTAssertEqual(known.status, 200)
        XCTAssertEqual(known.object["cached"] as? Bool, true, "the watch loop's label, read from label_cache")
        let stored = try pg.rows("SELECT kind FROM query_labels WHERE query_id = 3")
        XCTAssertEqual(known.object["kind"] as? String, stored.first?.first)

        let fresh = try server.classify("how do magnets work")
        XCTAssertEqual(fresh.object["cached"] as? Bool, false)
        XCTAssertEqual(try server.classify("how do magnets work").object["cached"] as? Bool, true)
        let output = try server.terminate()
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(try pg.count("SELECT count(*) FROM label_cache WHERE normalized_text = 'how do magnets work'"), 1,
                       "the server's miss was written to the shared cache before it exited")
        XCTAssertEqual(try pg.rows("SELECT command, status FROM label_runs"), [["watch", "finished"]])

        try pg.execute("INSERT INTO queries VALUES (4, 'how do magnets work')")
        let label = try pg.label()
        XCTAssertEqual([label.counters.rows_labeled, label.counters.cache_hits, label.counters.inferences], [1, 1, 0],
                       "label finds the text serve computed")
    }

    /// A lock on `label_cache` held by another session (`LOCK TABLE ... ACCESS EXCLUSIVE`) stalls only the misses
    /// that read it, and only for about `--busy-timeout` (PostgreSQL's `lock_timeout`): they get a clear 503 while
    /// `/healthz` answers at once, though more misses wait than the server has cooperative threads. Once the lock
    /// is released, misses are answered again.
    func testALockedCacheTableGetsA503WithinTheBusyTimeoutAndHealthzStillAnswers() throws {
        let pg = try makePostgresDatabase()
        defer { pg.remove() }
        let server = try ServeProcess(["--db", pg.db, "--busy-timeout", "2", "--model", CommandRunner.tinyModel],
                                      in: pg.folder, environment: PostgresCLIDatabase.cleanEnvironment)
        XCTAssertEqual(try server.classify("before the lock").status, 200)

        let holder = try PostgresLockHolder(table: "label_cache", in: pg)
        defer { holder.release() }
        let stuck = (0..<(2 * ProcessInfo.processInfo.activeProcessorCount + 2)).map { index in
            BackgroundRequest { try server.classify("miss under the lock \(index)") }
        }
        Thread.sleep(forTimeInterval: 0.5)  // let the misses reach the database first
        let health = BackgroundRequest { try server.get("/healthz") }
        XCTAssertEqual(try health.reply(within: 10).status, 200, "healthz waited for the lock")
        for request in stuck {
            let reply = try request.reply(within: 30)  // a deadline for a hang, far above the 2 s busy timeout
            XCTAssertEqual(reply.status, 503)
            XCTAssertEqual(reply.headers["retry-after"], "1")
            let message = try XCTUnwrap(reply.errorMessage)
            XCTAssertTrue(message.contains("database"), message)
            XCTAssertFalse(message.contains("SELECT") || message.contains("postgres://"), message)
        }
        holder.release()
        XCTAssertEqual(try server.classify("miss under the lock 0").status, 200)
        XCTAssertEqual(try server.terminate().status, 0)
    }

    /// Under a lock that blocks writes to `label_cache` (another session's `LOCK TABLE ... IN EXCLUSIVE MODE`),
    /// misses are still answered; the writer gives up on each attempt after `--busy-timeout` (PostgreSQL's
    /// `lock_timeout`; it used to wait as long as the lock) and keeps the entries, which land once the lock is gone.
    func testCacheWritesBlockedByALockLandOnceItIsReleased() throws {
        let pg = try makePostgresDatabase()
        defer { pg.remove() }
        let server = try ServeProcess(["--db", pg.db, "--busy-timeout", "0.3", "--model", CommandRunner.tinyModel],
                                      in: pg.folder, environment: PostgresCLIDatabase.cleanEnvironment)
        let holder = try PostgresLockHolder(table: "label_cache", mode: "EXCLUSIVE", in: pg)
        defer { holder.release() }
        let fresh = ["written after the lock", "also written after the lock"]
        for text in fresh {
            XCTAssertEqual(try server.classify(text).object["cached"] as? Bool, false)
        }
        try waitUntil(within: 30, "the writer to give up under the lock") {
            server.child.stderr.contains("cache write failed")
        }
        holder.release()
        try waitUntil(within: 30, "the kept entries to be written") {
            try pg.count("SELECT count(*) FROM label_cache") == 2
        }
        XCTAssertEqual(try pg.rows("SELECT normalized_text FROM label_cache ORDER BY 1"), fresh.sorted().map { [$0] })
        XCTAssertEqual(try server.terminate().status, 0)
    }
}
