import Benchmark
import Foundation
import LabelStore
import XCTest

/// Kills `querykind label` with SIGKILL at random moments, then checks that the final state is exactly
/// what one uninterrupted run would give: every row labeled once, no half batch, interrupted runs recorded.
final class CrashSafetyTests: XCTestCase {
    func testSIGKILLAtRandomMomentsLosesNothingAndDoublesNothing() throws {
        let folder = try CLIFolder()
        let rowCount = 4000, batchSize = 10
        try folder.createQueries(cliQueries(rowCount))
        XCTAssertEqual(try CommandRunner.run(["migrate", "--db", folder.db], in: folder.url).status, 0)
        let arguments = ["label", "--db", folder.db, "--model", CommandRunner.tinyModel,
                         "--batch-size", "\(batchSize)"]
        var generator = SplitMix64(seed: 42)
        var killedMidRun = 0
        for attempt in 0..<6 where try folder.count("SELECT count(*) FROM query_labels") < rowCount {
            let labeledBefore = try folder.count("SELECT count(*) FROM query_labels")
            let (process, _, _) = try CommandRunner.start(arguments, in: folder.url)
            if attempt > 0 {
                // Wait for the first batch of this run, so the kill lands while batches are being written.
                try poll { try folder.count("SELECT count(*) FROM query_labels") > labeledBefore || !process.isRunning }
            }
            Thread.sleep(forTimeInterval: Double.random(in: 0...0.15, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            guard process.terminationReason == .uncaughtSignal else { break }  // it finished first
            if try folder.count("SELECT count(*) FROM query_labels") > labeledBefore { killedMidRun += 1 }
        }
        XCTAssertGreaterThanOrEqual(killedMidRun, 3, "kills did not land while batches were being written")
        let final = try CommandRunner.run(arguments + ["--json"], in: folder.url)
        XCTAssertEqual(final.status, 0, final.stderr)

        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels"), rowCount)
        XCTAssertEqual(try folder.count("SELECT count(*) FROM queries_labeled WHERE kind IS NULL"), 0)
        // Each row was written by exactly one run: the runs' counters add up to the row count...
        XCTAssertEqual(try folder.count("SELECT sum(rows_scanned) FROM label_runs"), rowCount)
        // ...and each run's counters match the labels it wrote, in whole batches (no partial batch).
        let runs = try folder.rows("""
            SELECT r.id, r.status, r.rows_scanned, (SELECT count(*) FROM query_labels WHERE run_id = r.id)
            FROM label_runs AS r ORDER BY r.id
            """, columns: 4)
        for run in runs {
            XCTAssertEqual(run[2], run[3], "run \(run[0]) counters vs labels")
        }
        XCTAssertEqual(runs.last?[1], "finished")
        XCTAssertFalse(runs.contains { $0[1] == "running" }, "every killed run is marked interrupted")
        for run in runs where run[1] == "interrupted" {
            XCTAssertEqual(Int(run[2])! % batchSize, 0, "run \(run[0]) wrote a partial batch")
        }
        XCTAssertGreaterThanOrEqual(runs.filter { $0[1] == "interrupted" }.count, killedMidRun)
        // No key was ever inferred twice: committed inferences equal the cache's entries.
        XCTAssertEqual(try folder.count("SELECT sum(inferences) FROM label_runs"),
                       try folder.count("SELECT count(*) FROM label_cache"))
    }

    /// `watch` labels rows as they arrive and exits 0 on SIGTERM, recording a finished run.
    func testWatchStopsCleanlyOnSIGTERM() throws {
        let folder = try CLIFolder()
        try folder.createQueries(cliQueries(20))
        XCTAssertEqual(try CommandRunner.run(["migrate", "--db", folder.db], in: folder.url).status, 0)
        let (process, _, errors) = try CommandRunner.start(
            ["watch", "--db", folder.db, "--model", CommandRunner.tinyModel, "--interval", "0.1"], in: folder.url)
        try poll { try folder.count("SELECT count(*) FROM query_labels") == 20 }
        try folder.insert(["a late query", "another one?"])
        try poll { try folder.count("SELECT count(*) FROM query_labels") == 22 }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit)
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertEqual(try folder.rows("SELECT command, status, rows_scanned FROM label_runs", columns: 3),
                       [["watch", "finished", "22"]])
        XCTAssertTrue(try String(contentsOf: errors, encoding: .utf8).contains("labeled new rows"))
    }
}

/// Polls `condition` every 20 ms for up to 10 s.
func poll(_ condition: () throws -> Bool, file: StaticString = #filePath, line: UInt = #line) throws {
    let deadline = Date().addingTimeInterval(10)
    while try !condition() {
        guard Date() < deadline else { return XCTFail("timed out", file: file, line: line) }
        Thread.sleep(forTimeInterval: 0.02)
    }
}
