import Foundation
import LabelStore
import XCTest

final class LabelCLITests: XCTestCase {
    func testLabelThenReportAndLookup() throws {
        let folder = try CLIFolder()
        try folder.createQueries(cliQueries(100) + ["", "how do magnets and flights work"])
        let label = try CommandRunner.run(
            ["label", "--db", folder.db, "--model", CommandRunner.tinyModel, "--batch-size", "16", "--json"],
            in: folder.url)
        XCTAssertEqual(label.status, 0, label.stderr)
        let summary = try JSONSerialization.jsonObject(with: Data(label.stdout.utf8)) as? [String: Any]
        let counters = summary?["counters"] as? [String: Int]
        XCTAssertEqual(summary?["status"] as? String, "finished")
        XCTAssertEqual(counters?["rows_scanned"], 102)
        XCTAssertEqual(counters?["rows_with_errors"], 1)
        XCTAssertEqual(counters?["rows_labeled"], 101)
        XCTAssertEqual(counters?["cache_hits"], 101 - (counters?["inferences"] ?? 0))
        XCTAssertEqual(try folder.count("SELECT count(*) FROM queries_labeled WHERE kind IS NOT NULL"), 101)

        let text = try CommandRunner.run(["label", "--db", folder.db, "--model", CommandRunner.tinyModel], in: folder.url)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.hasPrefix("finished: 0 rows scanned"), text.stdout)

        let report = try CommandRunner.run(["report", "--db", folder.db, "--json"], in: folder.url)
        XCTAssertEqual(report.status, 0, report.stderr)
        let parsed = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any]
        let byKind = parsed?["by_kind"] as? [[String: Any]] ?? []
        XCTAssertEqual(byKind.compactMap { $0["count"] as? Int }.reduce(0, +), 102)
        XCTAssertEqual((parsed?["p_keyword_histogram"] as? [Int])?.reduce(0, +), 101)
        XCTAssertEqual((parsed?["recent_runs"] as? [Any])?.count, 2)
        let human = try CommandRunner.run(["report", "--db", folder.db], in: folder.url)
        XCTAssertTrue(human.stdout.contains("Labels by kind:") && human.stdout.contains("Least confident:"), human.stdout)

        // lookup: a labeled text comes from the cache; a new one from the model, then from the cache.
        let lookup = try CommandRunner.run(
            ["lookup", "--db", folder.db, "--model", CommandRunner.tinyModel, "--json",
             "How do MAGNETS and flights work", "a brand new text", "   "], in: folder.url)
        XCTAssertEqual(lookup.status, 0, lookup.stderr)
        let rows = lookup.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        XCTAssertEqual(rows.map { $0["cached"] as? Bool }, [true, false, false])
        XCTAssertEqual(rows[2]["error"] as? String, "text is empty")
        let stored = try folder.rows("SELECT kind, p_keyword FROM queries_labeled WHERE id = 102", columns: 2)[0]
        XCTAssertEqual(rows[0]["kind"] as? String, stored[0])
        XCTAssertEqual(rows[0]["p_keyword"] as? Double ?? -1, Double(stored[1])!, accuracy: 1e-12)
        let again = try CommandRunner.run(["lookup", "--db", folder.db, "--model", CommandRunner.tinyModel, "--json"],
                                          in: folder.url, stdin: "a brand new text\n")
        XCTAssertTrue(again.stdout.contains("\"cached\":true"), again.stdout)
        let noDatabase = try CommandRunner.run(["lookup", "--model", CommandRunner.tinyModel, "why is the sky blue"],
                                               in: folder.url)
        XCTAssertEqual(noDatabase.status, 0, noDatabase.stderr)
        XCTAssertTrue(noDatabase.stdout.contains("model  why is the sky blue"), noDatabase.stdout)
    }

    /// Every bad setup: non-zero exit, one `Error:` line naming the problem, and the database untouched.
    func testBadSetupFailsWithOneLineAndWritesNothing() throws {
        let folder = try CLIFolder()
        try folder.createQueries(["a", "b"])
        let corruptModel = folder.url.appendingPathComponent("corrupt-model")
        try FileManager.default.createDirectory(at: corruptModel, withIntermediateDirectories: true)
        for file in ["vocab.txt", "tokenizer_config.json", "model.safetensors"] {
            try FileManager.default.copyItem(atPath: CommandRunner.tinyModel + "/" + file,
                                             toPath: corruptModel.appendingPathComponent(file).path)
        }
        try Data("{\"hidden_size\": ".utf8).write(to: corruptModel.appendingPathComponent("config.json"))
        let model = ["--model", CommandRunner.tinyModel]
        let cases: [(String, [String], String)] = [
            ("missing database", ["label", "--db", folder.url.appendingPathComponent("nope.db").path] + model,
             "does not exist"),
            ("missing table", ["label", "--db", folder.db, "--table", "searches"] + model, "table \"searches\" not found"),
            ("missing column", ["label", "--db", folder.db, "--text-column", "query"] + model,
             "column \"query\" not found"),
            ("missing model", ["label", "--db", folder.db, "--model", folder.url.appendingPathComponent("none").path],
             "none"),
            ("corrupt model", ["label", "--db", folder.db, "--model", corruptModel.path], "config.json"),
            ("report on unmigrated", ["report", "--db", folder.db], "no querykind tables"),
            ("lookup on missing", ["lookup", "--db", folder.url.appendingPathComponent("nope.db").path] + model + ["x"],
             "does not exist"),
        ]
        for (name, arguments, expected) in cases {
            let output = try CommandRunner.run(arguments, in: folder.url)
            XCTAssertNotEqual(output.status, 0, name)
            let lines = output.stderr.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, "\(name): \(output.stderr)")
            XCTAssertTrue(output.stderr.hasPrefix("Error: ") && output.stderr.contains(expected), "\(name): \(output.stderr)")
            XCTAssertEqual(try folder.count("SELECT count(*) FROM sqlite_schema WHERE name <> 'queries'"), 0, name)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("nope.db").path))
    }

    func testReadOnlyFileIsRefusedBeforeAnything() throws {
        let folder = try CLIFolder()
        try folder.createQueries(["a"])
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: folder.db)
        let before = try Data(contentsOf: URL(fileURLWithPath: folder.db))
        let output = try CommandRunner.run(["label", "--db", folder.db, "--model", CommandRunner.tinyModel], in: folder.url)
        XCTAssertNotEqual(output.status, 0)
        XCTAssertTrue(output.stderr.contains("read-only"), output.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: folder.db)), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.db + "-wal"))
    }

    /// Root may write any file, so the truly read-only case runs querykind as an unprivileged user.
    func testReadOnlyForAnUnprivilegedUser() throws {
        let setpriv = "/usr/bin/setpriv"
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: setpriv) else {
            throw XCTSkip("needs root and setpriv to run as another user")
        }
        let folder = try CLIFolder()
        try folder.createQueries(["a"])
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.url.path)
        let output = try CommandRunner.run(
            ["label", "--db", folder.db, "--model", CommandRunner.tinyModel], in: folder.url,
            prefix: [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"])
        XCTAssertNotEqual(output.status, 0)
        XCTAssertTrue(output.stderr.contains("read-only") && output.stderr.contains("no write permission"), output.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.db + "-wal"))
    }

    func testLockedDatabaseGivesUpAfterTheBusyTimeout() throws {
        let folder = try CLIFolder()
        try folder.createQueries(["a"])
        XCTAssertEqual(try CommandRunner.run(["migrate", "--db", folder.db], in: folder.url).status, 0)
        let holder = try Connection(path: folder.db, mode: .readWrite)
        try holder.execute("BEGIN EXCLUSIVE")
        let output = try CommandRunner.run(
            ["label", "--db", folder.db, "--model", CommandRunner.tinyModel, "--busy-timeout", "0.3"], in: folder.url)
        try holder.execute("ROLLBACK")
        XCTAssertNotEqual(output.status, 0)
        XCTAssertTrue(output.stderr.contains("locked"), output.stderr)
        XCTAssertEqual(output.stderr.split(separator: "\n").count, 1, output.stderr)
        XCTAssertEqual(try folder.count("SELECT count(*) FROM label_runs"), 0)
        XCTAssertEqual(try folder.count("SELECT count(*) FROM sqlite_schema WHERE name = 'queries_labeled'"), 0)
    }
}
