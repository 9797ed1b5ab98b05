import Foundation
import XCTest

/// The review flow of issue 22 on PostgreSQL, as on SQLite: a CLI review and one posted to `serve` reach every row
/// with the key in the view, `lookup` and `serve` answer with them, `query_labels` keeps the model's labels, the
/// queue lists the texts, and `eval --db` counts the reviews.
final class PostgresReviewTests: XCTestCase {
    func testReviewFlowOnPostgres() throws {
        let pg = try makePostgresDatabase()
        defer { pg.remove() }
        try pg.createQueries(["How do magnets work?", "how do magnets work ?", "Cheap flights", "CHEAP FLIGHTS",
                              "rome weather"])
        XCTAssertEqual(try pg.label().counters.rows_labeled, 5)
        let before = try pg.rows("SELECT query_id, kind, p_keyword, p_question, normalized_text FROM query_labels ORDER BY query_id")
        let model = ["--db", pg.db, "--model", CommandRunner.tinyModel]

        let queue = try pg.run(["review", "--queue", "--json"] + model)
        XCTAssertEqual(queue.status, 0, queue.stderr)
        XCTAssertEqual(queue.stdout.split(separator: "\n").count, 3, "one item per key")

        let cli = try pg.run(["review", "--text", "HOW DO MAGNETS WORK?", "--kind", "statement", "--reviewer", "ann"] + model)
        XCTAssertEqual(cli.status, 0, cli.stderr)
        let bad = try pg.run(["review", "--text", "\u{200B}", "--kind", "statement"] + model)
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("has no tokens"), bad.stderr)

        let server = try ServeProcess(["--db", pg.db, "--model", CommandRunner.tinyModel], in: pg.folder,
                                      environment: PostgresCLIDatabase.cleanEnvironment)
        let posted = try server.post("/v1/reviews", json: ["text": "cheap flights", "kind": "question", "reviewer": "web"])
        XCTAssertEqual(posted.status, 201, String(decoding: posted.body, as: UTF8.self))
        XCTAssertEqual(try server.classify("Cheap Flights").object["kind"] as? String, "question")
        XCTAssertEqual(try server.classify("how do magnets work?").object["reviewed"] as? Bool, true)
        XCTAssertEqual(try server.classify("how do magnets work?").object["kind"] as? String, "statement")
        XCTAssertNil(try server.classify("rome weather").object["reviewed"])
        _ = try server.terminate()

        XCTAssertEqual(try pg.rows("SELECT id, kind, reviewed_kind, reviewed_by FROM queries_labeled ORDER BY id"), [
            ["1", "statement", "statement", "ann"], ["2", "statement", "statement", "ann"],
            ["3", "question", "question", "web"], ["4", "question", "question", "web"],
            ["5", before[4][1], "NULL", "NULL"],
        ])
        XCTAssertEqual(try pg.rows("SELECT query_id, kind, p_keyword, p_question, normalized_text FROM query_labels ORDER BY query_id"),
                       before, "query_labels keeps the model's labels")
        let lookup = try pg.run(["lookup", "--json", "CHEAP flights"] + model)
        XCTAssertEqual(lookup.status, 0, lookup.stderr)
        XCTAssertTrue(lookup.stdout.contains(#""kind":"question""#) && lookup.stdout.contains(#""reviewed":true"#),
                      lookup.stdout)

        let eval = try pg.run(["eval", "--db", pg.db, "--json"])
        XCTAssertEqual(eval.status, 0, eval.stderr)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((report["models"] as? [[String: Any]])?.first?["reviews"] as? Int, 2)
    }
}
