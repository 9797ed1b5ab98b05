import Foundation
import XCTest

/// The review routes of a real `querykind serve --db` (issue 22): the queue, `POST /v1/reviews` and the history;
/// a review answers `GET /v1/classify` at once, and one recorded by the command line within a second or so.
final class ReviewHTTPTests: XCTestCase {
    static let kinds = ["keyword", "question", "statement"]

    func testTenReviewsOverHTTPWinInClassifyTheViewAndTheHistory() throws {
        let (folder, _) = try CLIFolder.labeled(rows: 40)
        defer { folder.remove() }
        let before = try folder.rows("SELECT * FROM query_labels ORDER BY query_id", columns: 9)
        let server = try ServeProcess(["--db", folder.db, "--model", CommandRunner.tinyModel], in: folder.url)

        let queue = try server.get("/v1/reviews/queue?limit=10")
        XCTAssertEqual(queue.status, 200, String(decoding: queue.body, as: UTF8.self))
        let items = try XCTUnwrap(queue.object["items"] as? [[String: Any]])
        XCTAssertEqual(items.count, 10)
        for item in items {
            let key = try XCTUnwrap(item["normalized_text"] as? String)
            let text = try XCTUnwrap(item["text"] as? String, "a labeled row has the key")
            let label = try XCTUnwrap(item["label"] as? [String: Any])
            let modelKind = try XCTUnwrap(label["kind"] as? String)
            let kind = Self.kinds[(Self.kinds.firstIndex(of: modelKind)! + 1) % 3]

            let posted = try server.post("/v1/reviews", json: ["text": text.uppercased(), "kind": kind, "reviewer": "web"])
            XCTAssertEqual(posted.status, 201, String(decoding: posted.body, as: UTF8.self))
            XCTAssertEqual(posted.object["normalized_text"] as? String, key)
            XCTAssertEqual(posted.object["kind"] as? String, kind)
            XCTAssertEqual((posted.object["shown"] as? [String: Any])?["kind"] as? String, modelKind)

            let classified = try server.classify(text)
            XCTAssertEqual(classified.object["kind"] as? String, kind, "answered with the review at once")
            XCTAssertEqual(classified.object["reviewed"] as? Bool, true)
            XCTAssertEqual((classified.object["p_keyword"] as? Double).map(Float.init),
                           (label["p_keyword"] as? Double).map(Float.init), "the model's probability")

            let history = try server.get("/v1/reviews?text=" + HTTPReply.percentEncoded(text))
            XCTAssertEqual(history.status, 200)
            XCTAssertEqual((history.object["reviews"] as? [[String: Any]])?.compactMap { $0["kind"] as? String }, [kind])
        }
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_reviews WHERE reviewer = 'web'"), 10)
        XCTAssertEqual(try folder.count("""
            SELECT count(*) FROM queries_labeled WHERE reviewed_by = 'web' AND kind = reviewed_kind AND kind <> model_kind
            """), try folder.count("""
            SELECT count(*) FROM query_labels WHERE normalized_text IN (SELECT normalized_text FROM query_reviews)
            """))
        XCTAssertEqual(try folder.rows("SELECT * FROM query_labels ORDER BY query_id", columns: 9), before)

        // A review recorded by the command line while serve runs: answered within a bounded wait.
        let text = try XCTUnwrap(items[0]["text"] as? String)
        let cli = try CommandRunner.run(["review", "--db", folder.db, "--model", CommandRunner.tinyModel, "--text", text,
                                         "--kind", "statement", "--reviewer", "cli"], in: folder.url)
        XCTAssertEqual(cli.status, 0, cli.stderr)
        let deadline = Date().addingTimeInterval(30)
        while try server.classify(text).object["kind"] as? String != "statement", Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTAssertEqual(try server.classify(text).object["kind"] as? String, "statement")
        _ = try server.terminate()
    }

    /// Bad reviews are 400 with one line, nothing recorded; without --db the routes say they need one.
    func testBadReviewsAre400AndWithoutADatabase404() throws {
        let (folder, _) = try CLIFolder.labeled(rows: 4)
        defer { folder.remove() }
        let server = try ServeProcess(["--db", folder.db, "--model", CommandRunner.tinyModel], in: folder.url)
        for (body, message) in [
            (["text": "sky", "kind": "shout", "reviewer": "web"], "unknown kind \"shout\""),
            (["text": " ", "kind": "question", "reviewer": "web"], "the text to review is empty"),
            (["text": "sky", "kind": "question", "reviewer": ""], "the reviewer's name is empty"),
            (["text": "sky", "kind": "question"], "expected a JSON object"),
        ] {
            let reply = try server.post("/v1/reviews", json: body)
            XCTAssertEqual(reply.status, 400, "\(body)")
            XCTAssertTrue(reply.errorMessage?.hasPrefix(message) ?? false, "\(reply.errorMessage ?? "")")
        }
        XCTAssertEqual(try server.get("/v1/reviews").status, 400)
        XCTAssertEqual(try server.get("/v1/reviews/queue?limit=0").status, 400)
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_reviews"), 0)
        _ = try server.terminate()

        let bare = try ServeProcess(["--model", CommandRunner.tinyModel], in: folder.url)
        let reply = try bare.get("/v1/reviews/queue")
        XCTAssertEqual(reply.status, 404)
        XCTAssertEqual(reply.errorMessage, "reviews need a database: start serve with --db")
        _ = try bare.terminate()
    }
}
