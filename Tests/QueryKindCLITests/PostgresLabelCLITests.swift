import Foundation
import QueryKindTestSupport
import XCTest

/// The PostgreSQL store end to end through the command line, one process at a time: `migrate`, `label` and
/// `report` with a `postgres://` URL give what the SQLite store gives.
final class PostgresLabelCLITests: XCTestCase {
    /// migrate + label + report on a small table: every label equals what `querykind classify` gives for the same
    /// text (probabilities to 1e-6: they are the model's float32 values stored as float8), an unlabelable row gets
    /// an error row, the `queries_labeled` view joins them, `report` counts them, and a second `label` finds nothing.
    func testLabelsMatchClassifyAndASecondRunLabelsNothing() throws {
        let pg = try makePostgresDatabase()
        defer { pg.remove() }
        let texts = cliQueries(60) + ["where is berlin?", "cheap flights paris", "List all brothers of Arya.",
                                      "Café près de la gare ?", "tab\tand \\ backslash"]
        try pg.createQueries(texts + [""])
        try pg.migrate()
        let tables = ["label_cache", "label_claims", "label_frontier", "label_runs", "queries", "query_labels",
                      "query_reviews", "querykind_migrations"]
        XCTAssertEqual(try pg.database.relations(), tables, "migrate creates querykind's tables, no view yet")
        try pg.migrate(["--table", "queries"])   // idempotent; with --table, also the views
        XCTAssertEqual(try pg.database.relations(), (tables + ["queries_kinds_daily", "queries_labeled"]).sorted())

        let first = try pg.label(["--rows-per-transaction", "16"])
        XCTAssertEqual(first.status, "finished")
        XCTAssertEqual(first.counters.rows_scanned, texts.count + 1)
        XCTAssertEqual(first.counters.rows_labeled, texts.count, "an error row is not a label, as in SQLite")
        XCTAssertEqual(first.counters.rows_with_errors, 1)
        XCTAssertEqual(first.counters.cache_hits + first.counters.inferences, texts.count)

        let classify = try CommandRunner.run(["classify", "--json", "--model", CommandRunner.tinyModel],
                                             in: pg.folder, stdin: texts.map { $0 + "\n" }.joined())
        XCTAssertEqual(classify.status, 0, classify.stderr)
        let expected = classify.stdout.split(separator: "\n").map {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        XCTAssertEqual(expected.count, texts.count, classify.stdout)
        let stored = try pg.rows("""
            SELECT q.id, l.kind, l.p_keyword, l.p_question, l.error, l.model, l.run_id
            FROM queries AS q LEFT JOIN query_labels AS l ON l.query_id = q.id ORDER BY q.id
            """)
        XCTAssertEqual(stored.count, texts.count + 1)
        for (index, row) in stored.prefix(texts.count).enumerated() {
            let want = try XCTUnwrap(expected[index], "classify line \(index + 1)")
            XCTAssertEqual(row[1], want["kind"] as? String, "kind of \(texts[index])")
            XCTAssertEqual(Double(row[2]) ?? -1, want["p_keyword"] as? Double ?? -2, accuracy: 1e-6, texts[index])
            XCTAssertEqual(Double(row[3]) ?? -1, want["p_question"] as? Double ?? -2, accuracy: 1e-6, texts[index])
            XCTAssertEqual(row[4], "NULL")
            XCTAssertEqual(row[5], first.model)
        }
        XCTAssertEqual(stored.last.map { [$0[1], $0[4]] }, ["NULL", "text is empty"])

        XCTAssertEqual(try pg.count("SELECT count(*) FROM queries_labeled WHERE kind IS NOT NULL"), texts.count)
        XCTAssertEqual(try pg.count("SELECT count(*) FROM queries_labeled WHERE label_error = 'text is empty'"), 1)
        XCTAssertEqual(try pg.count("SELECT count(*) FROM label_claims"), 0, "no claims left behind")

        let report = try pg.run(["report", "--db", pg.db, "--json"])
        XCTAssertEqual(report.status, 0, report.stderr)
        let parsed = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any]
        let byKind = parsed?["by_kind"] as? [[String: Any]] ?? []
        XCTAssertEqual(byKind.compactMap { $0["count"] as? Int }.reduce(0, +), texts.count + 1, report.stdout)
        XCTAssertEqual((parsed?["p_keyword_histogram"] as? [Int])?.reduce(0, +), texts.count, report.stdout)
        let human = try pg.run(["report", "--db", pg.db])
        XCTAssertEqual(human.status, 0, human.stderr)
        XCTAssertTrue(human.stdout.contains("Labels by kind:"), human.stdout)

        let second = try pg.label()
        XCTAssertEqual(second.status, "finished")
        XCTAssertEqual([second.counters.rows_scanned, second.counters.rows_labeled], [0, 0])
        XCTAssertEqual(try pg.count("SELECT count(*) FROM query_labels"), texts.count + 1)
        XCTAssertEqual(try pg.rows("SELECT command, status FROM label_runs ORDER BY id"),
                       [["label", "finished"], ["label", "finished"]])
    }

    /// `--relabel` moves rows labeled by one model to another, as in SQLite: without it a second model finds nothing
    /// to do; with it every row is labeled again, once, under the new model id.
    func testRelabelMovesRowsToAnotherModel() throws {
        let pg = try makePostgresDatabase()
        defer { pg.remove() }
        try pg.createQueries(cliQueries(30))
        let first = try pg.label()
        XCTAssertEqual(first.counters.rows_labeled, 30)
        let fp16 = CommandRunner.fixtures.appendingPathComponent("tiny-fp16").path
        let kept = try pg.label(["--model", fp16])
        XCTAssertEqual(kept.counters.rows_scanned, 0, "rows labeled by another model are kept without --relabel")
        let relabeled = try pg.label(["--model", fp16, "--relabel"])
        XCTAssertNotEqual(relabeled.model, first.model)
        XCTAssertEqual(relabeled.counters.rows_labeled, 30)
        XCTAssertEqual(try pg.rows("SELECT model, count(*) FROM query_labels GROUP BY model"),
                       [[relabeled.model, "30"]])
        XCTAssertEqual(try pg.label(["--model", fp16, "--relabel"]).counters.rows_scanned, 0)
    }

    /// The password may come from the URL, else `$PGPASSWORD`, else `~/.pgpass` (host:port:database:user:password),
    /// and `postgresql://` is the same as `postgres://`.
    func testPasswordFromEnvironmentAndPgpass() throws {
        let pg = try makePostgresDatabase()
        defer { pg.remove() }
        try pg.createQueries(["where is berlin?", "cheap flights paris"])
        let password = try XCTUnwrap(pg.database.password)
        let bare = pg.database.url(password: .some(nil))
        XCTAssertFalse(bare.contains(password))

        let fromVariable = try pg.run(["migrate", "--db", bare], environment: ["PGPASSWORD": password])
        XCTAssertEqual(fromVariable.status, 0, "PGPASSWORD: \(fromVariable.stderr)")

        let home = pg.folder.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let components = try XCTUnwrap(URLComponents(string: pg.db))
        let pgpass = home.appendingPathComponent(".pgpass")
        try Data("# a comment\n\(components.host!):\(components.port!):*:querykind:\(password)\n".utf8).write(to: pgpass)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: pgpass.path)
        let fromFile = try pg.run(["label", "--db", "postgresql" + bare.dropFirst("postgres".count),
                                   "--model", CommandRunner.tinyModel], environment: ["HOME": home.path])
        XCTAssertEqual(fromFile.status, 0, "~/.pgpass and postgresql://: \(fromFile.stderr)")
        XCTAssertEqual(try pg.count("SELECT count(*) FROM query_labels"), 2)
    }
}
