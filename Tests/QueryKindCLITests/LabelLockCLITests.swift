import Foundation
import LabelStore
import QueryKindTestSupport
import SQLiteStore
import XCTest

/// One labeler per (database, table, model): a second `label` or `watch` is refused while a live run holds
/// the table, or waits for it with `--wait`; a run whose process is gone blocks no one.
final class LabelLockCLITests: XCTestCase {
    func testSecondLabelerIsRefusedNamingTheLiveRun() throws {
        let folder = try CLIFolder()
        try folder.createQueries(cliQueries(20))
        let model = ["--model", CommandRunner.tinyModel]
        XCTAssertEqual(try CommandRunner.run(["label", "--db", folder.db] + model, in: folder.url).status, 0)
        try folder.insert(["five", "more", "queries", "to", "label"])
        let live = try folder.insertRunningRun(pid: getpid())
        let run = try folder.rows("SELECT host, started_at FROM label_runs WHERE id = \(live)", columns: 2)[0]

        for command in ["label", "watch"] {
            let output = try CommandRunner.run([command, "--db", folder.db] + model, in: folder.url)
            XCTAssertEqual(output.status, 1, "\(command): \(output.stderr)")
            XCTAssertEqual(output.stderr.split(separator: "\n").count, 1, "\(command): \(output.stderr)")
            for part in ["run \(live)", "pid \(getpid())", "host \(run[0])", run[1], "--wait"] {
                XCTAssertTrue(output.stderr.contains(part), "\(command) should name \(part): \(output.stderr)")
            }
        }
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels"), 20, "nothing labeled twice")
        XCTAssertEqual(try folder.count("SELECT count(*) FROM label_runs"), 2, "no run recorded for a refusal")

        // A run on another host cannot be checked from here: it counts as live.
        try folder.execute("UPDATE label_runs SET host = 'other-host', pid = 999999999 WHERE id = \(live)")
        let remote = try CommandRunner.run(["label", "--db", folder.db] + model, in: folder.url)
        XCTAssertEqual(remote.status, 1, remote.stderr)
        XCTAssertTrue(remote.stderr.contains("other-host"), remote.stderr)

        // Another model's run does not block this model; a dead process's run blocks no one.
        try folder.execute("UPDATE label_runs SET model = 'another-model@000000000000' WHERE id = \(live)")
        let dead = try folder.insertRunningRun(pid: try exitedProcessID())
        let output = try CommandRunner.run(["label", "--db", folder.db] + model, in: folder.url)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels"), 25)
        XCTAssertEqual(try folder.rows("SELECT status FROM label_runs WHERE id = \(dead)", columns: 1), [["interrupted"]])
    }

    /// A table with `count` unlabeled queries, a live run (this process) holding it, and `label --wait` launched
    /// behind that run. (A first `label` records this host and model, so the live run is one `label` would wait for.)
    private func labelWaitingBehindALiveRun(queries count: Int) throws -> (CLIFolder, live: Int64, waiting: Child) {
        let folder = try CLIFolder()
        try folder.createQueries([])
        let label = ["label", "--db", folder.db, "--model", CommandRunner.tinyModel]
        XCTAssertEqual(try CommandRunner.run(label, in: folder.url).status, 0, "records this host and model")
        try folder.insert(cliQueries(count))
        let live = try folder.insertRunningRun(pid: getpid())
        return (folder, live, try CommandRunner.launch(label + ["--wait"], in: folder.url))
    }

    /// `label --wait` says what it waits for (it used to print nothing), and SIGTERM ends the wait with one line that
    /// says so: exit 1, nothing labeled, no run recorded (it used to suggest "or pass --wait", which was passed).
    func testWaitSaysWhatItWaitsForAndAStopEndsItInOneLine() throws {
        let (folder, live, waiting) = try labelWaitingBehindALiveRun(queries: 10)
        try waitUntil(within: 60) { waiting.stderr.contains("waiting for run \(live) (") || !waiting.process.isRunning }
        XCTAssertTrue(waiting.process.isRunning, waiting.stderr)
        XCTAssertTrue(waiting.stderr.contains("pid \(getpid())"), waiting.stderr)

        waiting.signal(SIGTERM)
        let output = try waiting.wait()
        XCTAssertEqual(output.status, 1, output.stderr)
        let lines = output.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 2, "the waiting line and the error: \(output.stderr)")
        let run = try folder.rows("SELECT host, started_at FROM label_runs WHERE id = \(live)", columns: 2)[0]
        XCTAssertEqual(lines.last.map(String.init), "Error: stopped while waiting for run \(live) (label, pid "
                       + "\(getpid()) on host \(run[0]), started \(run[1])) to end; nothing was labeled")
        XCTAssertFalse(output.stderr.contains("pass --wait"), output.stderr)
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels"), 0)
        XCTAssertEqual(try folder.count("SELECT count(*) FROM label_runs"), 2, "no run recorded")
    }

    func testWaitStartsOnceTheLiveRunEnds() throws {
        // Held as a `Child` (not just its process) for as long as the test needs the process.
        let (folder, live, waiting) = try labelWaitingBehindALiveRun(queries: 40)
        Thread.sleep(forTimeInterval: 1.5)
        XCTAssertTrue(waiting.process.isRunning, "--wait keeps waiting while the live run is running")
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels"), 0)
        try folder.execute("UPDATE label_runs SET status = 'finished' WHERE id = \(live)")
        let output = try waiting.wait()
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels"), 40)
    }

    /// Real processes started together: whichever gets the table labels it, the others are refused (or find
    /// nothing left); no row is scanned twice and no key is inferred twice.
    func testLabelersStartedTogetherNeverDuplicateWork() throws {
        let folder = try CLIFolder()
        let rowCount = 12_000
        try folder.createQueries(cliQueries(rowCount).enumerated().map { "\($0.element) \($0.offset)" })
        XCTAssertEqual(try CommandRunner.run(["migrate", "--db", folder.db], in: folder.url).status, 0)
        let arguments = ["--db", folder.db, "--model", CommandRunner.tinyModel, "--rows-per-transaction", "500"]
        // Each `Child` is held until its process has been waited for.
        let labelers = try (0..<2).map { _ in try CommandRunner.launch(["label"] + arguments, in: folder.url) }
        let watcher = try CommandRunner.launch(["watch"] + arguments + ["--interval", "0.1"], in: folder.url)
        for labeler in labelers {
            let output = try labeler.wait()
            XCTAssertTrue(output.status == 0 || output.stderr.contains("already"), output.stderr)
        }
        try waitUntil(within: 60) { try folder.count("SELECT count(*) FROM query_labels") == rowCount || !watcher.process.isRunning }
        watcher.signal(SIGTERM)
        let watched = try watcher.wait()
        XCTAssertTrue(watched.status == 0 || watched.stderr.contains("already"), watched.stderr)

        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels"), rowCount)
        XCTAssertEqual(try folder.count("SELECT sum(rows_scanned) FROM label_runs"), rowCount)
        XCTAssertEqual(try folder.count("SELECT sum(inferences) FROM label_runs"),
                       try folder.count("SELECT count(*) FROM label_cache"))
    }
}

extension CLIFolder {
    /// Records a `running` run as if process `pid` held the table, on the host and with the model of this
    /// database's first run (a real `label` run).
    func insertRunningRun(pid: Int32) throws -> Int64 {
        let first = try XCTUnwrap(rows("SELECT host, model FROM label_runs ORDER BY id LIMIT 1", columns: 2).first)
        let connection = try Connection(path: db, mode: .readWrite)
        try connection.run("""
            INSERT INTO label_runs (command, model, source_table, text_column, id_column, host, pid)
            VALUES ('label', ?, 'queries', 'text', 'id', ?, ?)
            """, [.text(first[1]), .text(first[0]), .integer(Int64(pid))])
        return connection.lastInsertRowID
    }
}

/// The pid of a process that has already exited.
func exitedProcessID() throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/true")
    try process.run()
    XCTAssertTrue(process.exits(within: CommandRunner.deadline), "/bin/true did not exit within the deadline")
    return process.processIdentifier
}
