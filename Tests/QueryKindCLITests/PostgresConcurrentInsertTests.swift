import Foundation
import QueryKindTestSupport
import XCTest

/// The user's application keeps inserting rows while querykind labels the table: rows committed late, even with
/// an id below rows already labeled, are labeled too, once.
final class PostgresConcurrentInsertTests: XCTestCase {
    /// Two inserters (each 80 transactions of 25 rows, holding every transaction open a random few ms so that
    /// commits land out of id order) run while two `label` workers label the table; then one more `label`.
    /// Every row, late ones included, ends up labeled exactly once, and every run finished.
    func testRowsInsertedDuringLabelingAreAllLabeledOnce() throws {
        let pg = try makePostgresDatabase()
        defer { pg.remove() }
        try pg.execute("CREATE TABLE queries (id bigserial PRIMARY KEY, text text)")
        try pg.database.copy(into: "queries", columns: ["text"], rows: cliQueries(20_000).map { [$0] })
        try pg.migrate()

        let inserters = DispatchGroup(), failures = LockedErrors(), url = pg.db
        for inserter in 1...2 {
            DispatchQueue.global().async(group: inserters) {
                do {
                    try PostgresScratchDatabase.psql(url: url, sql: """
                        DO $$ BEGIN
                            FOR i IN 1..80 LOOP
                                INSERT INTO queries (text)
                                SELECT 'late query ' || \(inserter) || ' ' || i || ' ' || g || '?' FROM generate_series(1, 25) g;
                                PERFORM pg_sleep(random() * 0.03);
                                COMMIT;
                                PERFORM pg_sleep(0.01);
                            END LOOP;
                        END $$
                        """)
                } catch { failures.append(error) }
            }
        }
        let workers = try (0..<2).map { _ in
            try pg.launch(["label", "--db", pg.db, "--model", CommandRunner.tinyModel, "--rows-per-transaction", "200"])
        }
        for worker in workers {
            let output = try worker.wait()
            XCTAssertEqual(output.status, 0, output.stderr)
        }
        XCTAssertEqual(inserters.wait(timeout: .now() + 120), .success, "the inserters did not finish")
        XCTAssertEqual(failures.all.map { "\($0)" }, [])
        _ = try pg.label(["--rows-per-transaction", "200"])

        XCTAssertEqual(try pg.count("SELECT count(*) FROM queries"), 20_000 + 2 * 80 * 25)
        XCTAssertEqual(try pg.count("SELECT count(*) FROM query_labels"), 20_000 + 2 * 80 * 25)
        XCTAssertEqual(try pg.count("""
            SELECT count(*) FROM queries AS q WHERE NOT EXISTS (SELECT 1 FROM query_labels WHERE query_id = q.id)
            """), 0)
        XCTAssertEqual(try pg.count("SELECT count(*) FROM label_claims"), 0)
        let runs = try pg.runs()
        XCTAssertEqual(runs.map { $0.rowsLabeled + $0.rowsWithErrors }.reduce(0, +), 20_000 + 2 * 80 * 25, "\(runs)")
        for run in runs {
            XCTAssertEqual(run.rowsLabeled + run.rowsWithErrors, run.labelsWritten, "\(run)")
            XCTAssertEqual(run.status, "finished", "\(run)")
        }
    }

    /// `watch --interval 0.2` labels rows inserted while it runs, including one whose transaction took its id
    /// first but committed after a later row was labeled; SIGTERM then stops it with exit 0 and a finished run.
    /// That row is found by a full pass (every 60 polls, as with SQLite: ~12 s here) whose rescan from the table's
    /// start PostgreSQL runs at most once per lease: hence `--lease 2` (with the default 60 s it waits a minute).
    func testWatchPicksUpLateRowsAndStopsCleanlyOnSIGTERM() throws {
        let pg = try makePostgresDatabase()
        defer { pg.remove() }
        try pg.execute("CREATE TABLE queries (id bigserial PRIMARY KEY, text text)")
        try pg.database.copy(into: "queries", columns: ["text"], rows: cliQueries(50).map { [$0] })
        let watch = try pg.launch(["watch", "--db", pg.db, "--model", CommandRunner.tinyModel, "--interval", "0.2",
                                   "--lease", "2"])
        try waitUntil(within: 60, "the first 50 rows") {
            (try? pg.count("SELECT count(*) FROM query_labels")) == 50 || !watch.process.isRunning
        }

        let slow = DispatchGroup(), failures = LockedErrors(), url = pg.db
        DispatchQueue.global().async(group: slow) {
            do {
                try PostgresScratchDatabase.psql(url: url, sql: """
                    BEGIN; INSERT INTO queries (text) VALUES ('a slow commit?'); SELECT pg_sleep(1.5); COMMIT
                    """)
            } catch { failures.append(error) }
        }
        try waitUntil(within: 10, "the slow transaction to take its id") {
            try pg.count("SELECT last_value FROM queries_id_seq") == 51
        }
        try pg.execute("INSERT INTO queries (text) VALUES ('a fast commit'), ('another fast one?')")
        try waitUntil(within: 60, "the fast rows") {
            try pg.count("SELECT count(*) FROM query_labels WHERE query_id > 51") == 2 || !watch.process.isRunning
        }
        XCTAssertEqual(slow.wait(timeout: .now() + 30), .success)
        XCTAssertEqual(failures.all.map { "\($0)" }, [])
        try waitUntil(within: 45, "the row committed after later ones were labeled (the next full pass)") {
            try pg.count("SELECT count(*) FROM query_labels WHERE query_id = 51") == 1 || !watch.process.isRunning
        }
        XCTAssertTrue(watch.process.isRunning, "watch exited: \(watch.stderr)")

        watch.signal(SIGTERM)
        let output = try watch.wait(timeout: 30)
        XCTAssertEqual(watch.process.terminationReason, .exit)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(try pg.rows("SELECT command, status, rows_labeled FROM label_runs"), [["watch", "finished", "53"]])
        XCTAssertEqual(try pg.count("SELECT count(*) FROM label_claims"), 0)
    }
}

/// Errors collected from background threads.
final class LockedErrors: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [Error] = []
    func append(_ error: Error) { lock.withLock { errors.append(error) } }
    var all: [Error] { lock.withLock { errors } }
}
