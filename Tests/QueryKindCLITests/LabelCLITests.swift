import Foundation
import LabelStore
import QueryKindTestSupport
import SQLiteStore
import XCTest

final class LabelCLITests: XCTestCase {
    func testLabelThenReportAndLookup() throws {
        let folder = try CLIFolder()
        try folder.createQueries(cliQueries(100) + ["", "how do magnets and flights work"])
        let label = try CommandRunner.run(
            ["label", "--db", folder.db, "--model", CommandRunner.tinyModel, "--rows-per-transaction", "16", "--json"],
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
        XCTAssertEqual(rows.map { $0["cached"] as? Bool }, [true, false, nil], "an unlabelable text is not looked up")
        XCTAssertEqual(rows[2]["error"] as? String, "text is empty")
        let stored = try folder.rows("SELECT kind, p_keyword FROM queries_labeled WHERE id = 102", columns: 2)[0]
        XCTAssertEqual(rows[0]["kind"] as? String, stored[0])
        XCTAssertEqual(Float(rows[0]["p_keyword"] as? Double ?? -1), Float(stored[1])!, "the stored label, to the bit")
        let again = try CommandRunner.run(["lookup", "--db", folder.db, "--model", CommandRunner.tinyModel, "--json"],
                                          in: folder.url, stdin: "a brand new text\n")
        XCTAssertTrue(again.stdout.contains("\"cached\":true"), again.stdout)
        let noDatabase = try CommandRunner.run(["lookup", "--model", CommandRunner.tinyModel, "why is the sky blue"],
                                               in: folder.url)
        XCTAssertEqual(noDatabase.status, 0, noDatabase.stderr)
        let table = noDatabase.stdout.split(separator: "\n")
        XCTAssertEqual(table.count, 2, noDatabase.stdout)
        XCTAssertTrue(table[0].hasPrefix("kind") && !table[0].contains("from"), "no cache, no source column")
        XCTAssertTrue(table[1].hasSuffix("  why is the sky blue"), noDatabase.stdout)
    }

    /// Every bad setup: non-zero exit, one `Error:` line naming the problem, and the database untouched.
    /// Off a terminal (cron, systemd: here stderr is a file) `label` logs a plain progress line every
    /// --progress-interval seconds: rows done of pending, rows/s, ETA. It used to print only its final line. The
    /// default interval (a minute) keeps a short run to its summary.
    func testOffATerminalProgressIsLoggedAtTheInterval() throws {
        let folder = try CLIFolder()
        try folder.createQueries(cliQueries(300))
        let label = ["label", "--db", folder.db, "--model", CommandRunner.tinyModel, "--rows-per-transaction", "10"]
        let output = try CommandRunner.run(label + ["--progress-interval", "0.01"], in: folder.url)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.hasPrefix("finished: 300 rows scanned"), output.stdout)
        let lines = output.stderr.split(separator: "\n").map(String.init)
        XCTAssertGreaterThanOrEqual(lines.count, 1, "at least one progress line: \(output.stderr)")
        let pattern = try NSRegularExpression(
            pattern: #"^progress: ([0-9]+)/300 rows  [0-9]+ rows/s  ETA [0-9]+m[0-9]+s  cache hits [0-9]+%$"#)
        var done: [Int] = []
        for line in lines {
            let match = pattern.firstMatch(in: line, range: NSRange(line.startIndex..., in: line))
            XCTAssertNotNil(match, line)
            if let match, let range = Range(match.range(at: 1), in: line) { done.append(Int(line[range]) ?? -1) }
        }
        XCTAssertEqual(done, done.sorted(), "rows done only grow: \(done)")

        try folder.execute("DELETE FROM query_labels")
        let quiet = try CommandRunner.run(label, in: folder.url)
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        XCTAssertEqual(quiet.stderr, "", "a run shorter than the default interval logs no progress")
    }

    func testBadSetupFailsWithOneLineAndWritesNothing() throws {
        let folder = try CLIFolder()
        try folder.createQueries(["a", "b"])
        let corruptModel = try folder.makeCorruptModel()
        let model = ["--model", CommandRunner.tinyModel]
        let cases: [(String, [String], String)] = [
            ("missing database", ["label", "--db", folder.url.appendingPathComponent("nope.db").path] + model,
             "does not exist"),
            ("missing table", ["label", "--db", folder.db, "--table", "searches"] + model, "table \"searches\" not found"),
            ("missing column", ["label", "--db", folder.db, "--text-column", "query"] + model,
             "column \"query\" not found"),
            ("missing model", ["label", "--db", folder.db, "--model", folder.url.appendingPathComponent("none").path],
             "none"),
            ("corrupt model", ["label", "--db", folder.db, "--model", corruptModel], "config.json"),
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

    /// A table with other names and no id column of its own: `--table`, `--text-column`, `--id-column rowid`, and
    /// `--relabel` to move rows labeled by one model to another.
    func testCustomTableRowidAndRelabel() throws {
        let folder = try CLIFolder()
        let connection = try Connection(path: folder.db, mode: .readWriteCreate)
        try connection.execute("CREATE TABLE searches (query TEXT, logged_at TEXT)")
        for text in cliQueries(30) {
            try connection.run("INSERT INTO searches (query, logged_at) VALUES (?, '2026-11-30')", [.text(text)])
        }
        let source = ["--table", "searches", "--text-column", "query", "--id-column", "rowid"]
        let first = try folder.label(source + ["--model", CommandRunner.tinyModel])
        XCTAssertEqual(first.status, "finished")
        XCTAssertEqual([first.counters.rows_scanned, first.counters.rows_labeled], [30, 30])
        XCTAssertEqual(try folder.count("""
            SELECT count(*) FROM searches_labeled WHERE kind IS NOT NULL AND logged_at = '2026-11-30'
            """), 30)
        XCTAssertEqual(try folder.label(source + ["--model", CommandRunner.tinyModel]).counters.rows_scanned, 0)

        let fp16 = CommandRunner.fixtures.appendingPathComponent("tiny-fp16").path
        XCTAssertEqual(try folder.label(source + ["--model", fp16]).counters.rows_scanned, 0,
                       "rows labeled by another model are kept without --relabel")
        let relabeled = try folder.label(source + ["--model", fp16, "--relabel"])
        XCTAssertEqual(relabeled.counters.rows_labeled, 30)
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels WHERE model = '\(relabeled.model)'"), 30)
        XCTAssertEqual(try folder.count("SELECT count(DISTINCT model) FROM label_cache"), 2)
    }

    /// SIGINT and SIGTERM stop `label` after the batch it is writing: exit 0, whole batches written, the run
    /// recorded as interrupted, and the next run labels the rest.
    func testSIGINTAndSIGTERMFinishTheBatchAndRecordTheRun() throws {
        let folder = try CLIFolder()
        let rowCount = 20_000, batchSize = 10
        try folder.createQueries(cliQueries(rowCount))
        XCTAssertEqual(try CommandRunner.run(["migrate", "--db", folder.db], in: folder.url).status, 0)
        for signal in [SIGINT, SIGTERM] {
            let labeledBefore = try folder.count("SELECT count(*) FROM query_labels")
            let child = try CommandRunner.launch(["label", "--db", folder.db, "--model", CommandRunner.tinyModel,
                                                 "--rows-per-transaction", "\(batchSize)", "--json"], in: folder.url)
            try waitUntil(within: 60) { try folder.count("SELECT count(*) FROM query_labels") > labeledBefore || !child.process.isRunning }
            child.signal(signal)
            let output = try child.wait()
            XCTAssertEqual(child.process.terminationReason, .exit, "signal \(signal)")
            XCTAssertEqual(output.status, 0, output.stderr)
            let summary = try JSONDecoder().decode(LabelSummary.self, from: Data(output.stdout.utf8))
            XCTAssertEqual(summary.status, "interrupted", "signal \(signal)")
            XCTAssertEqual(summary.counters.rows_scanned % batchSize, 0, "whole batches only")
            XCTAssertLessThan(summary.counters.rows_scanned, rowCount - labeledBefore)
            XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels"), labeledBefore + summary.counters.rows_scanned)
            XCTAssertEqual(try folder.rows("SELECT status FROM label_runs ORDER BY id DESC LIMIT 1", columns: 1), [["interrupted"]])
        }
        XCTAssertEqual(try folder.label(["--model", CommandRunner.tinyModel]).status, "finished")
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels"), rowCount)
    }
}
