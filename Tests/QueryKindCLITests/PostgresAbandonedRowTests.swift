import Foundation
import QueryKindTestSupport
import XCTest

/// A row that kills every worker that claims it must not stall the table: once its claims have lapsed 3 times
/// it gets an error row instead of a fourth try.
final class PostgresAbandonedRowTests: XCTestCase {
    /// Claims left by a dead worker (its run `running`, its lease long expired): the row whose claim
    /// lapsed for the 3rd time gets the "abandoned" error row, the one on its 2nd lapse is labeled normally, and the
    /// dead run is marked `interrupted`. The lapsed claims are written by hand, as the dead worker left them.
    func testARowWhoseClaimsLapsedThreeTimesGetsAnErrorRow() throws {
        let pg = try makePostgresDatabase()
        defer { pg.remove() }
        try pg.createQueries(["where is berlin?"])
        let first = try pg.label()
        XCTAssertEqual(first.counters.rows_labeled, 1)
        try pg.database.copy(into: "queries", columns: ["id", "text"],
                             rows: [["2", "cheap flights paris"], ["3", "how do magnets work"]])
        let dead = try exitedProcessID()
        let run = try pg.count("""
            INSERT INTO label_runs (command, model, source_table, text_column, id_column, host, pid,
                                    started_at, updated_at, heartbeat_at, lease_expires_at)
            SELECT 'label', model, 'queries', 'text', 'id', host, \(dead), now() - interval '10 minutes',
                   now() - interval '10 minutes', now() - interval '10 minutes', now() - interval '9 minutes'
            FROM label_runs ORDER BY id LIMIT 1
            RETURNING id
            """)
        try pg.execute("""
            INSERT INTO label_claims (query_id, run_id, model, attempts)
            SELECT q.id, \(run), r.model, CASE q.id WHEN 2 THEN 3 ELSE 2 END
            FROM queries AS q, label_runs AS r WHERE q.id IN (2, 3) AND r.id = \(run)
            """)

        let second = try pg.label(["--lease", "2"])
        XCTAssertEqual(second.status, "finished")
        XCTAssertEqual([second.counters.rows_labeled, second.counters.rows_with_errors], [1, 1], "\(second.counters)")
        XCTAssertEqual(try pg.rows("SELECT query_id, kind IS NULL, error FROM query_labels ORDER BY query_id"), [
            ["1", "f", "NULL"],
            ["2", "t", "abandoned: every worker that claimed this row stopped before writing it"],
            ["3", "f", "NULL"],
        ])
        XCTAssertEqual(try pg.count("SELECT count(*) FROM label_claims"), 0)
        XCTAssertEqual(try pg.rows("SELECT status FROM label_runs WHERE id = \(run)"), [["interrupted"]])
    }
}
