import Foundation
import LabelStore
import QueryKindTestSupport
import SQLiteStore
import XCTest

/// Transient faults: `watch` retries a lock held past its busy timeout and carries on; a one-shot `label`
/// that fails under a lock says so in one line, and the next run does not call it a crash.
final class WatchRetryTests: XCTestCase {
    func testWatchRetriesALockHeldPastTheBusyTimeout() throws {
        let folder = try CLIFolder()
        try folder.createQueries(cliQueries(10))
        let (process, out, err) = try CommandRunner.start(
            ["watch", "--db", folder.db, "--model", CommandRunner.tinyModel, "--busy-timeout", "0.2",
             "--interval", "0.1"], in: folder.url)
        try waitUntil(within: 60) { (try? folder.count("SELECT count(*) FROM query_labels")) == 10 || !process.isRunning }

        // New rows, then a write lock held for several busy timeouts while they are pending.
        let holder = try Connection(path: folder.db, mode: .readWrite)
        try holder.execute("BEGIN IMMEDIATE; INSERT INTO queries (text) VALUES ('late one'), ('late two'); COMMIT")
        try holder.execute("BEGIN IMMEDIATE")
        Thread.sleep(forTimeInterval: 1.5)
        XCTAssertTrue(process.isRunning, "watch keeps going through a lock")
        try holder.execute("ROLLBACK")
        // The retries are recorded once the lock is gone, right after the pass that labels the late rows commits.
        try waitUntil(within: 60) {
            try folder.count("SELECT count(*) FROM query_labels") == 12
                && folder.count("SELECT count(*) FROM label_runs WHERE retries > 0") == 1 || !process.isRunning
        }

        let state = try folder.rows("SELECT status, retries, last_error FROM label_runs", columns: 3)
        XCTAssertEqual(state.count, 1)
        XCTAssertEqual(state.first?[0], "running")
        XCTAssertGreaterThanOrEqual(Int(state.first?[1] ?? "") ?? 0, 1, "\(state)")
        XCTAssertTrue(state.first?[2].contains("locked") == true, "\(state)")
        kill(process.processIdentifier, SIGTERM)
        let output = try CommandRunner.finish(process, stdout: out, stderr: err, within: 30)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stderr.contains("retrying"), output.stderr)
        XCTAssertEqual(try folder.rows("SELECT status, rows_scanned FROM label_runs", columns: 2), [["finished", "12"]])
    }

    /// SIGTERM while the database stays locked past --busy-timeout: `watch` stops cleanly, exit 0, with one line
    /// saying its run stays `running` (which the next run marks interrupted). It used to exit 1 with "run 1 failed",
    /// after waiting for the lock twice more (marking the run finished, then failed).
    func testSIGTERMWhileTheDatabaseStaysLockedStopsWatchCleanly() throws {
        let folder = try CLIFolder()
        try folder.createQueries(cliQueries(10))
        let watch = try CommandRunner.launch(
            ["watch", "--db", folder.db, "--model", CommandRunner.tinyModel, "--busy-timeout", "0.5",
             "--interval", "0.1"], in: folder.url)
        try waitUntil(within: 60) { (try? folder.count("SELECT count(*) FROM query_labels")) == 10 || !watch.process.isRunning }
        let holder = try Connection(path: folder.db, mode: .readWrite)
        try holder.execute("BEGIN IMMEDIATE; INSERT INTO queries (text) VALUES ('late one'); COMMIT; BEGIN IMMEDIATE")
        try waitUntil(within: 60) { watch.stderr.contains("retrying") || !watch.process.isRunning }

        watch.signal(SIGTERM)
        let output = try watch.wait(timeout: 60)
        try holder.execute("ROLLBACK")
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.hasPrefix("interrupted: "), output.stdout)
        let warnings = output.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: ") }
        XCTAssertEqual(warnings.count, 1, output.stderr)
        XCTAssertTrue(warnings.first?.contains("run 1 stopped, but marking it interrupted failed") == true
                      && warnings.first?.contains("stays `running`") == true, output.stderr)
        XCTAssertFalse(output.stderr.contains("run 1 failed"), output.stderr)
        XCTAssertEqual(try folder.rows("SELECT status FROM label_runs", columns: 1), [["running"]])

        XCTAssertEqual(try CommandRunner.run(["label", "--db", folder.db, "--model", CommandRunner.tinyModel],
                                             in: folder.url).status, 0)
        XCTAssertEqual(try folder.rows("SELECT status FROM label_runs WHERE id = 1", columns: 1), [["interrupted"]])
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels"), 11)
    }

    /// SIGTERM while `watch` backs off from a lock that has just ended: the run is marked `interrupted` (it had rows
    /// it could not label), not `finished`, with its retries, and the process exits 0 without a warning.
    func testWatchStoppedWhileRetryingIsMarkedInterrupted() throws {
        let folder = try CLIFolder()
        try folder.createQueries(cliQueries(10))
        let watch = try CommandRunner.launch(
            ["watch", "--db", folder.db, "--model", CommandRunner.tinyModel, "--busy-timeout", "1",
             "--interval", "0.1"], in: folder.url)
        try waitUntil(within: 60) { (try? folder.count("SELECT count(*) FROM query_labels")) == 10 || !watch.process.isRunning }
        let holder = try Connection(path: folder.db, mode: .readWrite)
        try holder.execute("BEGIN IMMEDIATE; INSERT INTO queries (text) VALUES ('late one'); COMMIT; BEGIN IMMEDIATE")
        // The fifth retry backs off 1.6 s: the signal lands in that sleep, not in a write waiting for the lock.
        try waitUntil(within: 60) { watch.stderr.contains("attempt=5") || !watch.process.isRunning }
        try holder.execute("ROLLBACK")
        watch.signal(SIGTERM)
        let output = try watch.wait(timeout: 60)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertFalse(output.stderr.contains("warning: run"), output.stderr)
        XCTAssertEqual(try folder.rows("SELECT status, retries FROM label_runs", columns: 2), [["interrupted", "5"]])
    }

    /// SIGTERM to a one-shot `label` whose batch then meets a lock past --busy-timeout: the run was interrupted,
    /// not failed; exit 0, the summary, and one warning line when even marking it interrupted meets the lock.
    func testSIGTERMToLabelWhileTheDatabaseStaysLockedStopsCleanly() throws {
        let folder = try CLIFolder()
        let rowCount = 12_000
        try folder.createQueries(cliQueries(rowCount).enumerated().map { "\($0.element) \($0.offset)" })
        XCTAssertEqual(try CommandRunner.run(["migrate", "--db", folder.db], in: folder.url).status, 0)
        let label = try CommandRunner.launch(
            ["label", "--db", folder.db, "--model", CommandRunner.tinyModel, "--busy-timeout", "0.3",
             "--rows-per-transaction", "\(rowCount)"], in: folder.url)
        let watcher = try Connection(path: folder.db, mode: .readOnly)
        try waitUntil(within: 60) { try watcher.scalarInt("SELECT count(*) FROM label_runs") == 1 || !label.process.isRunning }
        let holder = try Connection(path: folder.db, mode: .readWrite)
        try holder.execute("BEGIN IMMEDIATE")
        label.signal(SIGTERM)
        let output = try label.wait(timeout: 60)
        try holder.execute("ROLLBACK")

        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.hasPrefix("interrupted: "), output.stdout)
        XCTAssertEqual(output.stderr.split(separator: "\n").count, 1, output.stderr)
        XCTAssertTrue(output.stderr.hasPrefix("warning: run 1 stopped, but marking it interrupted failed")
                      && output.stderr.contains("locked"), output.stderr)
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels"), 0, "no half batch")
    }

    /// The failure cannot be recorded while the lock is still held: one error line says so, and the next run
    /// marks the run interrupted without inventing "killed or crashed".
    func testLabelFailingUnderALockPrintsOneLineAndIsNotCalledACrash() throws {
        let folder = try CLIFolder()
        let rowCount = 12_000
        try folder.createQueries(cliQueries(rowCount).enumerated().map { "\($0.element) \($0.offset)" })
        XCTAssertEqual(try CommandRunner.run(["migrate", "--db", folder.db], in: folder.url).status, 0)
        let arguments = ["label", "--db", folder.db, "--model", CommandRunner.tinyModel, "--busy-timeout", "0.3",
                         "--rows-per-transaction", "\(rowCount)"]
        let (process, out, err) = try CommandRunner.start(arguments, in: folder.url)
        // Take the write lock as soon as the run is recorded, while its one big batch is still being labeled.
        let watcher = try Connection(path: folder.db, mode: .readOnly)
        let deadline = Date().addingTimeInterval(30)
        while try watcher.scalarInt("SELECT count(*) FROM label_runs") == 0 && process.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.002)
        }
        let holder = try Connection(path: folder.db, mode: .readWrite)
        try holder.execute("BEGIN IMMEDIATE")
        let output = try CommandRunner.finish(process, stdout: out, stderr: err)
        try holder.execute("ROLLBACK")

        XCTAssertEqual(output.status, 1, output.stderr)
        XCTAssertEqual(output.stderr.split(separator: "\n").count, 1, output.stderr)
        XCTAssertTrue(output.stderr.contains("locked") && output.stderr.contains("run 1"), output.stderr)
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels"), 0, "no half batch")

        let next = try CommandRunner.run(arguments, in: folder.url)
        XCTAssertEqual(next.status, 0, next.stderr)
        let first = try folder.rows("SELECT status, error FROM label_runs WHERE id = 1", columns: 2)[0]
        XCTAssertEqual(first[0], "interrupted")
        XCTAssertFalse(first[1].contains("killed or crashed"), first[1])
        XCTAssertTrue(first[1].contains("could not record"), first[1])
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels"), rowCount)
    }
}
