import Foundation
import XCTest

/// `serve` as a daemon: SIGTERM drains requests in flight and exits 0, `--watch` labels rows inserted while it
/// serves, and a copied binary with a copied model starts away from the source tree.
final class ServeLifecycleTests: XCTestCase {
    func testSIGTERMAnswersRequestsInFlightAndExitsZero() throws {
        let folder = try CLIFolder()
        let server = try ServeProcess(["--model", CommandRunner.tinyModel, "--threads", "1", "--max-batch-tokens", "16",
                                       "--max-texts", "5000", "--max-queue", "5000"], in: folder.url)
        let texts = (0..<3000).map { "in flight text \($0)" }
        let busy = BackgroundRequest { try server.post("/v1/classify", json: ["texts": texts]) }
        let deadline = Date().addingTimeInterval(60)
        while try server.metric("querykind_queue_depth") < 100 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.005)
        }
        let started = Date()
        server.child.signal(SIGTERM)
        let answered = try busy.reply()
        let output = try server.child.wait(timeout: 30)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        XCTAssertEqual(answered.status, 200)
        XCTAssertEqual((answered.object["results"] as? [Any])?.count, texts.count)
        XCTAssertTrue(output.stderr.contains("stopped"), output.stderr)
        XCTAssertThrowsError(try HTTPReply.exchange(port: server.port, request: HTTPReply.request("GET", "/healthz")))
    }

    func testWatchLabelsRowsInsertedWhileServingAndLookupsHitTheirCache() throws {
        let folder = try CLIFolder()
        try folder.createQueries(["first row before start"])
        let server = try ServeProcess(["--model", CommandRunner.tinyModel, "--db", folder.db, "--watch",
                                       "--interval", "0.1"], in: folder.url)
        let inserted = ["where do penguins live?", "cheap train tickets rome", "I like green tea."]
        try folder.insert(inserted)
        let deadline = Date().addingTimeInterval(60)
        while try folder.count("SELECT count(*) FROM query_labels WHERE kind IS NOT NULL") < 4 {
            XCTAssertLessThan(Date(), deadline, "the watch loop did not label the new rows: \(server.child.stderr)")
            if Date() > deadline { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        for text in inserted {
            let reply = try server.classify(text)
            XCTAssertEqual(reply.object["cached"] as? Bool, true, text)
            let stored = try folder.rows("""
                SELECT kind, p_keyword FROM query_labels JOIN queries ON queries.id = query_labels.query_id
                WHERE queries.text = '\(text.replacingOccurrences(of: "'", with: "''"))'
                """, columns: 2)
            XCTAssertEqual(stored.first?.first, reply.object["kind"] as? String)
        }
        XCTAssertGreaterThanOrEqual(try server.metric("querykind_watch_rows_labeled_total"), 3)
        let output = try server.terminate()
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(try folder.rows("SELECT status FROM label_runs WHERE command = 'watch'", columns: 1),
                       [["finished"]])
        // The server's lookups counted as hits of the entries the watch loop cached.
        XCTAssertEqual(try folder.count("SELECT sum(hits) FROM label_cache"), 3)
    }

    func testServedMissesFillTheDatabaseCacheThatLabelUses() throws {
        let folder = try CLIFolder()
        try folder.createQueries(["how do magnets work"])
        let server = try ServeProcess(["--model", CommandRunner.tinyModel, "--db", folder.db], in: folder.url)
        XCTAssertEqual(try server.classify("How Do MAGNETS  work").object["cached"] as? Bool, false)
        XCTAssertEqual(try server.terminate().status, 0)
        let summary = try folder.label(["--model", CommandRunner.tinyModel])
        XCTAssertEqual(summary.counters.cache_hits, 1)
        XCTAssertEqual(summary.counters.inferences, 0)
    }

    func testACopiedBinaryFindsItsInstalledModel() throws {
        let folder = try CLIFolder()
        let prefix = folder.url.appendingPathComponent("prefix")
        let bin = prefix.appendingPathComponent("bin")
        let models = prefix.appendingPathComponent("share/querykind/Models")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        let binary = bin.appendingPathComponent("querykind")
        try FileManager.default.copyItem(at: try CommandRunner.requireExecutable(), to: binary)
        // The tiny fixture stands in for the shipped model under its installed name.
        try FileManager.default.copyItem(at: URL(fileURLWithPath: CommandRunner.tinyModel),
                                         to: models.appendingPathComponent("querykind-minilm-l3"))
        let elsewhere = folder.url.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let server = try ServeProcess([], in: elsewhere, executable: binary)
        let reply = try server.classify("where is berlin?")
        XCTAssertEqual(reply.status, 200)
        XCTAssertEqual((reply.object["model"] as? String)?.hasPrefix("querykind-minilm-l3@"), true)
        XCTAssertEqual(try server.get("/openapi.json").object["openapi"] as? String, "3.1.0")
        XCTAssertEqual(try server.terminate().status, 0)
    }
}
