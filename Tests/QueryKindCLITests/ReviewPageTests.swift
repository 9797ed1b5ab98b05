import Foundation
import XCTest

/// `GET /review` and `GET /v1/reviews/summary` of a real `querykind serve --db` (issue 22 #4): the page compiled into
/// the binary, open without a key; the summary's counts and accuracy, the accuracy as `eval --db` scores it.
/// browser_tests/test_review_page.py drives the page itself in a headless browser.
final class ReviewPageTests: XCTestCase {
    func testThePageAndTheSummaryAnswerFromTheDatabase() throws {
        let (folder, _) = try CLIFolder.labeled(rows: 12)
        defer { folder.remove() }
        let server = try ServeProcess(["--db", folder.db, "--model", CommandRunner.tinyModel], in: folder.url)

        let page = try server.get("/review")
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(page.headers["content-type"], "text/html; charset=utf-8")
        XCTAssertTrue(page.headers["content-security-policy"]?.hasPrefix("default-src 'none';") ?? false)
        let html = String(decoding: page.body, as: UTF8.self)
        for part in ["<title>querykind review</title>", "/v1/reviews/queue", "/v1/reviews/summary", "id=\"reviewed-today\""] {
            XCTAssertTrue(html.contains(part), part)
        }
        XCTAssertNil(html.range(of: #"https?://|<link|<img|src="#, options: .regularExpression), "the page fetches nothing")

        let empty = try server.get("/v1/reviews/summary")
        XCTAssertEqual(empty.status, 200, String(decoding: empty.body, as: UTF8.self))
        XCTAssertEqual(empty.object["reviewed_today"] as? Int, 0)
        XCTAssertTrue(empty.object["kind_accuracy"] is NSNull, "no accuracy before a review")

        let items = try XCTUnwrap(try server.get("/v1/reviews/queue?limit=3").object["items"] as? [[String: Any]])
        for (item, kind) in zip(items, ["keyword", "question", "statement"]) {
            let posted = try server.post("/v1/reviews", json: ["text": item["normalized_text"]!, "kind": kind, "reviewer": "web"])
            XCTAssertEqual(posted.status, 201)
        }
        let summary = try server.get("/v1/reviews/summary").object
        _ = try server.terminate()
        let eval = try CommandRunner.run(["eval", "--db", folder.db, "--json"], in: folder.url)
        let model = try XCTUnwrap(((try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])?["models"]
                                   as? [[String: Any]])?.first)
        XCTAssertEqual(summary["model"] as? String, model["model"] as? String)
        XCTAssertEqual(summary["reviewed_today"] as? Int, 3)
        XCTAssertEqual(summary["reviews"] as? Int, 3)
        XCTAssertEqual(summary["kind_accuracy"] as? Double, try XCTUnwrap(model["kind_accuracy"] as? Double))

        let keyed = try ServeProcess(["--db", folder.db, "--model", CommandRunner.tinyModel], in: folder.url,
                                     environment: ["QUERYKIND_API_KEY": "page-test-key"])
        XCTAssertEqual(try keyed.get("/review").status, 200, "the page holds no data: open without a key")
        XCTAssertEqual(try keyed.get("/v1/reviews/summary").status, 401)
        _ = try keyed.terminate()

        let bare = try ServeProcess(["--model", CommandRunner.tinyModel], in: folder.url)
        for path in ["/review", "/v1/reviews/summary"] {
            let reply = try bare.get(path)
            XCTAssertEqual(reply.status, 404, path)
            XCTAssertEqual(reply.errorMessage, "reviews need a database: start serve with --db", path)
        }
        _ = try bare.terminate()
    }
}
