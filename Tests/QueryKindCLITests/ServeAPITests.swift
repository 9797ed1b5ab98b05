import Foundation
import XCTest

/// `querykind serve`'s HTTP API against a real server process: the labels `classify` gives, the cache, and every
/// error status with its JSON body.
final class ServeAPITests: XCTestCase {
    private let texts = ["where is berlin?", "cheap flights paris", "List all brothers of Arya.", "how to tie a tie",
                         "Berlin is in Germany.", "WHERE IS BERLIN"]

    func testResultsEqualClassifyAndRepeatsComeFromTheCache() throws {
        let folder = try CLIFolder()
        let server = try ServeProcess(["--model", CommandRunner.tinyModel], in: folder.url)
        let expected = try classify(texts, in: folder)

        let first = try server.post("/v1/classify", json: ["texts": texts])
        XCTAssertEqual(first.status, 200, String(decoding: first.body, as: UTF8.self))
        let results = try XCTUnwrap(first.object["results"] as? [[String: Any]])
        XCTAssertEqual(results.map { $0["text"] as? String }, texts)
        // Batches of other shapes round the last float digits differently (classify's own batches do too).
        for (served, label) in zip(results.map { Label(json: $0) }, expected) {
            XCTAssertEqual(served.kind, label.kind)
            XCTAssertEqual(served.pKeyword ?? -1, label.pKeyword ?? 1, accuracy: 1e-5)
            XCTAssertEqual(served.pQuestion ?? -1, label.pQuestion ?? 1, accuracy: 1e-5)
        }
        XCTAssertEqual((first.object["model"] as? String)?.hasPrefix("tiny-safetensors@"), true)
        // "WHERE IS BERLIN" lacks the '?' of "where is berlin?", so it is its own key; nothing repeats.
        XCTAssertEqual(results.map { $0["cached"] as? Bool }, Array(repeating: false, count: texts.count))

        let again = try server.classify("where is berlin?")
        XCTAssertEqual(again.status, 200)
        XCTAssertEqual(again.object["cached"] as? Bool, true)
        XCTAssertEqual(Label(json: again.object), Label(json: results[0]))
        XCTAssertEqual(again.object["model"] as? String, first.object["model"] as? String)
        XCTAssertEqual(try server.metric("querykind_inference_texts_total"), Double(texts.count))
        XCTAssertEqual(try server.metric("querykind_cache_lookups_total{result=\"hit\"}"), 1)
        XCTAssertEqual(try server.terminate().status, 0)
    }

    func testALoneTextOnAnIdleServerIsExactlyWhatClassifyPrints() throws {
        let folder = try CLIFolder()
        let server = try ServeProcess(["--model", CommandRunner.tinyModel], in: folder.url)
        for text in texts.prefix(3) {
            XCTAssertEqual(Label(json: try server.classify(text).object), try classify([text], in: folder)[0])
        }
        // One JSON style for both (JSONStyle): "/" comes back as classify --json prints it, not as "\/".
        let slashed = try server.classify("km/h to mph")
        XCTAssertTrue(String(decoding: slashed.body, as: UTF8.self).contains(#""text":"km/h to mph""#))
    }

    private func classify(_ texts: [String], in folder: CLIFolder) throws -> [Label] {
        let output = try CommandRunner.run(["classify", "--json", "--model", CommandRunner.tinyModel] + texts,
                                           in: folder.url)
        XCTAssertEqual(output.status, 0, output.stderr)
        return output.stdout.split(separator: "\n").map { Label(json: try? JSONSerialization.jsonObject(
            with: Data($0.utf8))) }
    }

    func testTextsThatCannotBeLabeledGetTheDatabaseReason() throws {
        let folder = try CLIFolder()
        let server = try ServeProcess(["--model", CommandRunner.tinyModel], in: folder.url)
        let reply = try server.post("/v1/classify", json: ["texts": ["  ", "\u{200B}", "ok then"]])
        XCTAssertEqual(reply.status, 200)
        let results = try XCTUnwrap(reply.object["results"] as? [[String: Any]])
        XCTAssertEqual(results.map { $0["error"] as? String }, ["text is empty", "text has no tokens", nil])
        for field in ["kind", "p_keyword", "p_question"] {
            XCTAssertTrue(results[0][field] is NSNull, "\(field) is null for a text that cannot be labeled")
        }
        XCTAssertTrue(results[2]["kind"] is String)
    }

    func testErrorStatusesHaveJSONBodies() throws {
        let folder = try CLIFolder()
        let server = try ServeProcess(["--model", CommandRunner.tinyModel, "--max-texts", "3", "--max-body-bytes",
                                       "200"], in: folder.url)
        let cases: [(HTTPReply, Int, String)] = [
            (try server.post("/v1/classify", body: Data("{\"texts\": [".utf8)), 400, "not valid JSON"),
            (try server.post("/v1/classify", json: ["texts": "one"]), 400, "texts must be"),
            (try server.post("/v1/classify", json: ["texts": ["a", 2]]), 400, "texts[1] must be a string"),
            (try server.post("/v1/classify", json: ["text": ["a"]]), 400, "missing \"texts\""),
            (try server.get("/v1/classify"), 400, "query parameter text is required"),
            (try server.post("/v1/classify", json: ["texts": ["a", "b", "c", "d"]]), 413, "at most 3 texts"),
            (try server.post("/v1/classify", json: ["texts": [String(repeating: "x", count: 300)]]), 413, "200 bytes"),
            (try server.get("/v1/nothing"), 404, "Not Found"),
        ]
        for (reply, status, message) in cases {
            XCTAssertEqual(reply.status, status, String(decoding: reply.body, as: UTF8.self))
            XCTAssertEqual(reply.headers["content-type"]?.hasPrefix("application/json"), true)
            XCTAssertTrue(reply.errorMessage?.contains(message) == true, "\(reply.errorMessage ?? "no message")")
        }
        XCTAssertEqual(try server.metric("querykind_inference_texts_total"), 0)
        XCTAssertEqual(try server.metric("hb_requests{http_route=\"/v1/classify\",http_request_method=\"POST\",http_response_status_code=\"413\"}"), 2)
    }

    /// 429 with `Retry-After` when the new texts do not fit beside those already waiting; a request that could
    /// never fit is refused at startup instead.
    func testAFullQueueAnswers429WithRetryAfter() throws {
        let folder = try CLIFolder()
        let server = try ServeProcess(["--model", CommandRunner.tinyModel, "--threads", "1", "--max-batch-tokens", "16",
                                       "--max-texts", "2000", "--max-queue", "2000"], in: folder.url)
        let busy = try server.backlog(2000)
        let texts = (0..<2000).map { "one more new text \($0)" }
        let refused = try server.post("/v1/classify", json: ["texts": texts])
        XCTAssertEqual(refused.status, 429, String(decoding: refused.body, as: UTF8.self))
        XCTAssertEqual(refused.headers["retry-after"], "1")
        XCTAssertEqual(refused.headers["content-type"]?.hasPrefix("application/json"), true)
        XCTAssertTrue(refused.errorMessage?.contains("queue is full") == true, "\(refused.errorMessage ?? "no message")")
        XCTAssertEqual(try busy.reply().status, 200)
        // The retry, once the backlog is done, is admitted.
        XCTAssertEqual(try server.post("/v1/classify", json: ["texts": texts]).status, 200)
        XCTAssertEqual(try server.metric("querykind_inference_texts_total"), 4000)

        let refusedAtStart = try CommandRunner.run(["serve", "--port", "0", "--model", CommandRunner.tinyModel,
                                                    "--max-texts", "5000"], in: folder.url)
        XCTAssertEqual(refusedAtStart.status, 64, refusedAtStart.stderr)
        XCTAssertTrue(refusedAtStart.stderr.contains("--max-queue (4096) must be at least --max-texts (5000)"),
                      refusedAtStart.stderr)
    }

    /// Model work is bounded in tokens, not texts: a request whose new texts alone need more tokens than the queue
    /// holds is 413 with what to do (no retry would help), while small requests keep being answered.
    func testARequestOfMoreWorkThanTheQueueHoldsAnswers413() throws {
        let folder = try CLIFolder()
        let server = try ServeProcess(["--model", CommandRunner.tinyModel, "--max-batch-tokens", "64",
                                       "--max-queue-tokens", "100"], in: folder.url)
        let long = Array(repeating: "word", count: 30).joined(separator: " ")  // 32 tokens
        let texts = (0..<4).map { "\(long) \($0)" }
        let refused = try server.post("/v1/classify", json: ["texts": texts])
        XCTAssertEqual(refused.status, 413, String(decoding: refused.body, as: UTF8.self))
        XCTAssertTrue(refused.errorMessage?.contains("need 132 tokens of model work, more than the server queues at "
                                                     + "once (100)") == true, "\(refused.errorMessage ?? "no message")")
        XCTAssertEqual(try server.metric("querykind_inference_texts_total"), 0)
        XCTAssertEqual(try server.post("/v1/classify", json: ["texts": Array(texts.prefix(2))]).status, 200)
        XCTAssertEqual(try server.classify("where is berlin").status, 200)

        let refusedAtStart = try CommandRunner.run(["serve", "--port", "0", "--model", CommandRunner.tinyModel,
                                                    "--max-queue-tokens", "100"], in: folder.url)
        XCTAssertEqual(refusedAtStart.status, 64, refusedAtStart.stderr)
        XCTAssertTrue(refusedAtStart.stderr.contains("--max-queue-tokens (100) must be at least --max-batch-tokens (8192)"),
                      refusedAtStart.stderr)
    }

    func testHealthReadinessAndMetrics() throws {
        let folder = try CLIFolder()
        try folder.createQueries(["a query"])
        let server = try ServeProcess(["--model", CommandRunner.tinyModel, "--db", folder.db], in: folder.url)
        XCTAssertEqual(try server.get("/healthz").status, 200)
        XCTAssertEqual(try server.get("/readyz").status, 200)
        _ = try server.classify("a query")
        let metrics = String(decoding: try server.get("/metrics").body, as: UTF8.self)
        for name in ["hb_requests{", "querykind_cache_lookups_total{result=\"miss\"}", "querykind_inference_batch_texts_bucket",
                     "querykind_inference_batch_seconds_bucket", "querykind_queue_depth",
                     "querykind_inference_texts_total"] {
            XCTAssertTrue(metrics.contains(name), "missing \(name) in \(metrics)")
        }
        XCTAssertEqual(try server.terminate().status, 0)
    }
}

/// The label fields of a JSON result, compared exactly (the server prints the model's Float values).
struct Label: Equatable {
    var text: String?
    var kind: String?
    var pKeyword: Double?
    var pQuestion: Double?

    init(json: Any?) {
        let object = json as? [String: Any] ?? [:]
        text = object["text"] as? String
        kind = object["kind"] as? String
        pKeyword = (object["p_keyword"] as? NSNumber)?.doubleValue
        pQuestion = (object["p_question"] as? NSNumber)?.doubleValue
    }
}
