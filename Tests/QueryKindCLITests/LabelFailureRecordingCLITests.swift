import Foundation
import LabelStore
import SQLiteStore
import XCTest

/// A one-shot `label` that fails under a lock records why once the lock clears within its busy timeout: the
/// `failed` update is retried instead of being lost, the process prints one line, and the next run keeps the reason.
final class LabelFailureRecordingCLITests: XCTestCase {
    func testALockThatClearsWhileTheFailureIsRecordedLeavesTheRunFailedWithItsReason() throws {
        let folder = try CLIFolder()
        // The batch write waits `busyTimeout` for the lock, then fails; recording `failed` is retried for another
        // `busyTimeout` (SQLiteLabelStore.finishRun). The lock is released in the middle of that second wait.
        let busyTimeout = 4.0
        let (child, arguments, cpu, holder) = try labelBehindALock(folder, busyTimeout: busyTimeout)
        XCTAssertTrue(child.process.isRunning, child.stderr)
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels"), 0, "the lock came before the batch")

        // The batch is labeled when the process stops using the CPU: from then on it sleeps in SQLite's busy
        // handler, first for the batch write, then for the status update.
        let waitingSince = try cpu.idleSince(quiet: 1.0, deadline: 120)
        let release = waitingSince.addingTimeInterval(1.5 * busyTimeout)
        while Date() < release && child.process.isRunning { Thread.sleep(forTimeInterval: 0.01) }
        XCTAssertTrue(child.process.isRunning, "the process gave up before the lock was released: \(child.stderr)")
        try holder.execute("ROLLBACK")
        let output = try child.wait(timeout: 60)

        XCTAssertEqual(output.status, 1, output.stderr)
        XCTAssertEqual(output.stderr.split(separator: "\n").count, 1, "one error line: \(output.stderr)")
        XCTAssertTrue(output.stderr.contains("run 1 failed") && output.stderr.contains("locked"), output.stderr)
        XCTAssertFalse(output.stderr.contains("recording the failure failed"), output.stderr)
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels"), 0, "no half batch")
        let recorded = try folder.rows("SELECT status, error, ended_at IS NOT NULL FROM label_runs WHERE id = 1",
                                       columns: 3)
        XCTAssertEqual(recorded.first?[0], "failed", "\(recorded)")
        XCTAssertTrue(recorded.first?[1].contains("locked") == true, "\(recorded)")
        XCTAssertEqual(recorded.first?[2], "1", "\(recorded)")

        // The next run labels everything and keeps run 1's reason as it was written.
        let next = try CommandRunner.run(arguments, in: folder.url)
        XCTAssertEqual(next.status, 0, next.stderr)
        XCTAssertEqual(try folder.rows("SELECT status, error FROM label_runs WHERE id = 1", columns: 2),
                       recorded.map { Array($0.prefix(2)) }, "the next run does not rewrite the reason")
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels"), Self.rowCount)
    }

    /// The status update is retried, not tried once: a batch that fails on a full disk fails the update at once
    /// too (SQLITE_FULL has no busy handler), and when room comes back within the busy timeout the run is
    /// recorded `failed` with the disk as its reason. (Tried once, the run would stay `running` and the next run
    /// would call it interrupted.)
    func testAFullDiskThatClearsWhileTheFailureIsRecordedLeavesTheRunFailedWithItsReason() throws {
        let folder = try CLIFolder(name: "disk/queries.db")
        let disk = folder.url.appendingPathComponent("disk")
        try mountSmallDisk(at: disk, megabytes: 16)
        // The write lock keeps the batch out while the disk is filled and until the batch is labeled (the process
        // then sleeps in SQLite's busy handler); releasing it starts the failure now.
        let (child, arguments, cpu, holder) = try labelBehindALock(folder, busyTimeout: 5.0)
        let filler = disk.appendingPathComponent("filler")
        _ = try fillDisk(with: filler)
        _ = try cpu.idleSince(quiet: 1.0, deadline: 120)
        XCTAssertTrue(child.process.isRunning, "the batch write gave up on the lock too soon: \(child.stderr)")
        try holder.execute("ROLLBACK")
        let released = Date()

        // The batch write meets the full disk within the busy handler's next wake-up (at most 0.1 s), and the
        // status update keeps failing on it; room comes back well inside the busy timeout.
        while Date().timeIntervalSince(released) < 0.5 && child.process.isRunning {
            Thread.sleep(forTimeInterval: 0.01)
        }
        XCTAssertTrue(child.process.isRunning, "the status update was not retried: \(child.stderr)")
        try FileManager.default.removeItem(at: filler)
        let output = try child.wait(timeout: 60)

        XCTAssertEqual(output.status, 1, output.stderr)
        XCTAssertEqual(output.stderr.split(separator: "\n").count, 1, "one error line: \(output.stderr)")
        XCTAssertTrue(output.stderr.contains("run 1 failed") && output.stderr.contains("database or disk is full"),
                      output.stderr)
        XCTAssertFalse(output.stderr.contains("recording the failure failed"), output.stderr)
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels"), 0, "no half batch")
        let recorded = try folder.rows("SELECT status, error FROM label_runs WHERE id = 1", columns: 2)
        XCTAssertEqual(recorded.first?[0], "failed", "\(recorded)")
        XCTAssertTrue(recorded.first?[1].contains("database or disk is full") == true, "\(recorded)")

        let next = try CommandRunner.run(arguments, in: folder.url)
        XCTAssertEqual(next.status, 0, next.stderr)
        XCTAssertEqual(try folder.rows("SELECT status, error FROM label_runs WHERE id = 1", columns: 2), recorded,
                       "the next run does not rewrite the reason")
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels"), Self.rowCount)
    }

    private static let rowCount = 12_000

    /// Starts `label` on `rowCount` queries in one batch and takes the database's write lock (`holder`) as soon as
    /// the run is recorded, while that batch is still being labeled. The child is killed at the end of the test.
    private func labelBehindALock(_ folder: CLIFolder, busyTimeout: Double)
        throws -> (child: Child, arguments: [String], cpu: ProcessCPU, holder: Connection) {
        try folder.createQueries(cliQueries(Self.rowCount).enumerated().map { "\($0.element) \($0.offset)" })
        XCTAssertEqual(try CommandRunner.run(["migrate", "--db", folder.db], in: folder.url).status, 0)
        let arguments = ["label", "--db", folder.db, "--model", CommandRunner.tinyModel,
                         "--busy-timeout", "\(busyTimeout)", "--rows-per-transaction", "\(Self.rowCount)"]
        let child = try CommandRunner.launch(arguments, in: folder.url)
        addTeardownBlock {
            if child.process.isRunning {
                child.signal(SIGKILL)
                child.process.waitUntilExit()
            }
        }
        let cpu = try ProcessCPU(pid: child.process.processIdentifier)
        let watcher = try Connection(path: folder.db, mode: .readOnly)
        let deadline = Date().addingTimeInterval(60)
        while try watcher.scalarInt("SELECT count(*) FROM label_runs") == 0 && child.process.isRunning
                && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.002)
        }
        let holder = try Connection(path: folder.db, mode: .readWrite)
        try holder.execute("BEGIN IMMEDIATE")
        return (child, arguments, cpu, holder)
    }
}
