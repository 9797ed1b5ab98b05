import Foundation
import LabelStore
import QueryKindTestSupport
import SQLiteStore
import XCTest

/// `watch` rides out a really full disk: its database lives on a small tmpfs that the test fills to the last
/// byte, so the next batch write meets SQLITE_FULL; once the filler is deleted every row is labeled, and SIGTERM
/// still ends the run `finished` with exit 0.
final class WatchFullDiskTests: XCTestCase {
    func testWatchSurvivesAFullDiskAndLabelsEveryRowOnceThereIsRoomAgain() throws {
        let folder = try CLIFolder(name: "disk/queries.db")
        let disk = folder.url.appendingPathComponent("disk")
        try mountSmallDisk(at: disk, megabytes: 2)

        try folder.createQueries(cliQueries(20))
        let watch = try CommandRunner.launch(
            ["watch", "--db", folder.db, "--model", CommandRunner.tinyModel, "--interval", "0.1",
             "--busy-timeout", "30"], in: folder.url)
        addTeardownBlock {
            if watch.process.isRunning {
                watch.signal(SIGKILL)
                watch.process.waitUntilExit()
            }
        }
        try waitUntil(within: 60) { (try? folder.count("SELECT count(*) FROM query_labels")) == 20 || !watch.process.isRunning }
        XCTAssertTrue(watch.process.isRunning, watch.stderr)

        // New rows, committed and the write lock taken again at once, so `watch` can write nothing until the disk
        // is full (it waits for the lock: --busy-timeout 30).
        let newRows = cliQueries(60).suffix(30).enumerated().map { "('\($0.element) late \($0.offset)')" }
        let holder = try Connection(path: folder.db, mode: .readWrite)
        try holder.execute("BEGIN IMMEDIATE; INSERT INTO queries (text) VALUES \(newRows.joined(separator: ", ")); "
                           + "COMMIT; BEGIN IMMEDIATE")
        let filler = disk.appendingPathComponent("filler")
        let filled = try fillDisk(with: filler)
        try holder.execute("ROLLBACK")

        // It meets the full disk, logs each retry, and keeps going through several of them.
        try waitUntil(within: 60) { watch.stderr.contains("attempt=3") || !watch.process.isRunning }
        XCTAssertTrue(watch.process.isRunning, "watch exited on a full disk: \(watch.stderr)")
        let retries = watch.stderr.split(separator: "\n").filter { $0.contains("retrying") }
        XCTAssertGreaterThanOrEqual(retries.count, 3, watch.stderr)
        XCTAssertTrue(retries.allSatisfy { $0.contains("database or disk is full") }, "\(retries)")
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels"), 20, "no half batch while full")

        try FileManager.default.removeItem(at: filler)
        try waitUntil(within: 60) { (try? folder.count("SELECT count(*) FROM query_labels")) == 50 || !watch.process.isRunning }
        XCTAssertTrue(watch.process.isRunning, watch.stderr)
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels WHERE kind IS NOT NULL"), 50)
        // Recorded once the disk had room again (while it was full, that update could not be written either).
        try waitUntil(within: 60) { try folder.count("SELECT retries FROM label_runs") >= 3 || !watch.process.isRunning }
        let state = try folder.rows("SELECT status, retries, last_error, last_error_at IS NOT NULL FROM label_runs",
                                    columns: 4)
        XCTAssertEqual(state.count, 1, "\(state)")
        XCTAssertEqual(state.first?[0], "running", "\(state)")
        XCTAssertGreaterThanOrEqual(Int(state.first?[1] ?? "") ?? 0, 3, "\(state)")
        XCTAssertTrue(state.first?[2].contains("database or disk is full") == true, "\(state)")
        XCTAssertEqual(state.first?[3], "1", "\(state)")

        watch.signal(SIGTERM)
        let output = try watch.wait(timeout: 60)
        XCTAssertEqual(watch.process.terminationReason, .exit)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stderr.contains("database usable again"), output.stderr)
        XCTAssertEqual(try folder.rows("SELECT status, rows_scanned, error IS NULL FROM label_runs", columns: 3),
                       [["finished", "50", "1"]])
        print("WatchFullDiskTests: filled \(filled) bytes; \(retries.count) retries logged before the filler went, "
              + "the first: \(retries.first ?? "")")
    }
}
