import Foundation
import XCTest

/// `report` and `migrate` on PostgreSQL do what they do on SQLite: the same rows give the same `report --json`
/// document, and `migrate` repairs a dropped table as on SQLite (`MigrateRepairCLITests`). Named `Postgres…` so
/// that `QUERYKIND_SKIP_POSTGRES=1` may skip it, as it skips the other PostgreSQL tests.
final class PostgresReportMigrateCLITests: XCTestCase {
    /// 119 "é" and two emoji: 121 Unicode scalars, of which the report keeps 120.
    static let longText = String(repeating: "\u{E9}", count: 119) + "\u{1F642}\u{1F642}"

    /// Rows written into the same schema on both engines, in SQL both accept. Chosen to catch every definition the
    /// engines could disagree on: ties in margin (ids 1, 5, 7 and 6, 8; 3, 11) broken by the lowest id; a label
    /// shared by two rows (1 and 4) whose example text is the lowest id's ("zebra crossing", not the alphabetically
    /// smaller "apple pie"); an empty text (3), a NULL text (10) and a row gone from the source (11); a text longer
    /// than 120 characters (6); equal counts in `by_kind` and `errors` (sorted by byte order: "text is NULL" before
    /// "text is empty"); histogram values on bin edges (0.0, 0.25, 0.375, 1.0); two runs with millisecond times.
    /// The probabilities are exact binary fractions, so each engine parses them to the same double.
    static let rowsSQL = """
        CREATE TABLE queries (id BIGINT PRIMARY KEY, text TEXT);
        INSERT INTO queries (id, text) VALUES
            (1, 'zebra crossing'), (2, NULL), (3, ''), (4, 'apple pie'), (5, 'how are you'), (6, '\(longText)'),
            (7, 'say something'), (8, 'deep river'), (9, 'top'), (10, NULL), (12, '   ');
        INSERT INTO label_runs (id, command, status, started_at, ended_at, model, source_table, text_column, id_column,
                                relabel, host, pid, rows_scanned, rows_labeled, cache_hits, inferences, rows_with_errors,
                                error)
        VALUES (1, 'label', 'finished', '2026-11-30T12:00:00.250Z', '2026-11-30T12:00:05.125Z', 'm@1', 'queries',
                'text', 'id', false, 'host-a', 101, 10, 8, 2, 6, 2, NULL),
               (2, 'watch', 'failed', '2026-11-30T13:00:00.000Z', '2026-11-30T13:01:00.999Z', 'm@2', 'queries',
                'text', 'id', false, 'host-b', 102, 2, 2, 1, 1, 0, 'database is locked');
        INSERT INTO query_labels (query_id, kind, p_keyword, p_question, error, model, run_id) VALUES
            (1, 'keyword', 0.5625, 0.125, NULL, 'm@1', 1), (4, 'keyword', 0.5625, 0.125, NULL, 'm@1', 1),
            (5, 'question', 0.25, 0.5625, NULL, 'm@1', 1), (7, 'statement', 0.4375, 0.4375, NULL, 'm@1', 1),
            (6, 'question', 0.0625, 0.9375, NULL, 'm@1', 1), (3, 'statement', 0.375, 0.375, NULL, 'm@1', 1),
            (10, 'question', 0.125, 0.75, NULL, 'm@1', 1), (11, 'keyword', 0.625, 0.5, NULL, 'm@1', 1),
            (2, NULL, NULL, NULL, 'text is NULL', 'm@1', 1), (12, NULL, NULL, NULL, 'text is empty', 'm@1', 1),
            (8, 'keyword', 0.9375, 0.25, NULL, 'm@2', 2), (9, 'keyword', 1.0, 0.0, NULL, 'm@2', 2);
        INSERT INTO label_cache (model, normalized_text, p_keyword, p_question, kind, hits) VALUES
            ('m@1', 'zebra crossing', 0.5625, 0.125, 'keyword', 3), ('m@1', 'apple pie', 0.5625, 0.125, 'keyword', 0),
            ('m@2', 'deep river', 0.9375, 0.25, 'keyword', 1);
        """

    func testReportJSONIsTheSameDocumentOnBothEngines() throws {
        let postgres = try makePostgresDatabase()
        defer { postgres.remove() }
        let sqlite = try CLIFolder()
        defer { sqlite.remove() }
        let migrated = try CommandRunner.run(["migrate", "--db", sqlite.db], in: sqlite.url)
        XCTAssertEqual(migrated.status, 0, migrated.stderr)
        try postgres.migrate()
        try sqlite.execute(Self.rowsSQL)
        try postgres.execute(Self.rowsSQL)

        let fromSQLite = try CommandRunner.run(["report", "--db", sqlite.db, "--json"], in: sqlite.url)
        let fromPostgres = try postgres.run(["report", "--db", postgres.db, "--json"])
        XCTAssertEqual(fromSQLite.status, 0, fromSQLite.stderr)
        XCTAssertEqual(fromPostgres.status, 0, fromPostgres.stderr)
        XCTAssertEqual(fromPostgres.stdout, fromSQLite.stdout)

        // What the shared document says, so that equal documents cannot both be wrong.
        let report = try JSONSerialization.jsonObject(with: Data(fromSQLite.stdout.utf8)) as! [String: Any]
        let examples = report["least_confident"] as! [[String: Any]]
        XCTAssertEqual(examples.map { $0["query_id"] as! Int }, [1, 5, 7, 3, 11, 10, 6, 8, 9])
        XCTAssertEqual(examples[0]["rows"] as? Int, 2)
        XCTAssertEqual(examples[0]["text"] as? String, "zebra crossing", "the lowest id's text")
        XCTAssertEqual(examples[3]["text"] as? String, "", "an empty text is shown empty")
        XCTAssertNil(examples[4]["text"], "a row gone from the source has no text")
        XCTAssertNil(examples[5]["text"], "a NULL text")
        XCTAssertEqual((examples[6]["text"] as? String)?.unicodeScalars.count, 120)
        XCTAssertEqual(examples.map { $0["margin"] as! Double }, [0.0625, 0.0625, 0.0625, 0.125, 0.125, 0.25, 0.4375,
                                                                   0.4375, 0.5])
        let byKind = (report["by_kind"] as! [[String: Any]]).map { "\($0["model"]!) \($0["kind"] ?? "-") \($0["count"]!)" }
        XCTAssertEqual(byKind, ["m@1 keyword 3", "m@1 question 3", "m@1 statement 2", "m@1 - 2", "m@2 keyword 2"])
        XCTAssertEqual((report["errors"] as! [[String: Any]]).map { $0["error"] as! String },
                       ["text is NULL", "text is empty"])
        XCTAssertEqual(report["p_keyword_histogram"] as? [Int], [1, 1, 1, 1, 1, 2, 1, 0, 0, 2])
        XCTAssertEqual(report["p_question_histogram"] as? [Int], [1, 2, 1, 1, 1, 2, 0, 1, 0, 1])
        let cache = report["cache"] as! [String: Any]
        XCTAssertEqual(cache["entries"] as? Int, 3)
        XCTAssertEqual(cache["hits"] as? Int, 4)
        XCTAssertEqual(cache["hit_rate"] as? Double, 0.3)
        let runs = report["recent_runs"] as! [[String: Any]]
        XCTAssertEqual(runs.map { $0["id"] as! Int }, [2, 1])
        XCTAssertEqual(runs.map { $0["started_at"] as! String }, ["2026-11-30T13:00:00.000Z", "2026-11-30T12:00:00.250Z"])
        XCTAssertEqual(runs.map { $0["ended_at"] as! String }, ["2026-11-30T13:01:00.999Z", "2026-11-30T12:00:05.125Z"])
    }

    /// As on SQLite: `migrate` names and recreates a dropped `query_labels` (and its index), and labeling goes on.
    func testMigrateRecreatesADroppedQueryLabelsOnPostgres() throws {
        let postgres = try makePostgresDatabase()
        defer { postgres.remove() }
        try postgres.createQueries(["how do magnets work", "cheap flights rome"])
        XCTAssertEqual(try postgres.label().counters.rows_labeled, 2)
        try postgres.execute("DROP TABLE query_labels CASCADE")  // with its view, which `label` recreates

        let migrate = try postgres.run(["migrate", "--db", postgres.db])
        XCTAssertEqual(migrate.status, 0, migrate.stderr)
        XCTAssertTrue(migrate.stdout.contains("recreated missing table \"query_labels\", index \"query_labels_by_model_kind\""),
                      migrate.stdout)
        XCTAssertTrue(try postgres.database.relationExists("query_labels"))
        XCTAssertEqual(try postgres.count("SELECT count(*) FROM pg_indexes WHERE indexname = 'query_labels_by_model_kind'"), 1)
        let again = try postgres.run(["migrate", "--db", postgres.db])
        XCTAssertFalse(again.stdout.contains("recreated"), again.stdout)
        let version = try postgres.rows("SELECT max(version) FROM querykind_migrations")[0][0]
        XCTAssertTrue(again.stdout.contains("schema already at version \(version)"), again.stdout)

        XCTAssertEqual(try postgres.label().counters.rows_labeled, 2, "labeled again into the recreated table")
        XCTAssertEqual(try postgres.count("SELECT count(*) FROM queries_labeled WHERE kind IS NOT NULL"), 2)
    }

    /// A dropped `querykind_migrations` is recorded again up to the version the other tables show, as on SQLite.
    func testMigrateRestoresADroppedMigrationsTableOnPostgres() throws {
        let postgres = try makePostgresDatabase()
        defer { postgres.remove() }
        try postgres.migrate()
        let recorded = try postgres.rows("SELECT version, name FROM querykind_migrations ORDER BY version")
        try postgres.execute("DROP TABLE querykind_migrations")
        let migrate = try postgres.run(["migrate", "--db", postgres.db])
        XCTAssertEqual(migrate.status, 0, migrate.stderr)
        XCTAssertTrue(migrate.stdout.contains("recreated missing table \"querykind_migrations\""), migrate.stdout)
        XCTAssertEqual(try postgres.rows("SELECT version, name FROM querykind_migrations ORDER BY version"),
                       recorded)
    }
}
