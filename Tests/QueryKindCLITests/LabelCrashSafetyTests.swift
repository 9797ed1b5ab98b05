import Benchmark
import Foundation
import LabelStore
import QueryKindTestSupport
import XCTest

/// Kills `querykind label` with SIGKILL at random moments, then checks that the final state is exactly
/// what one uninterrupted run would give: every row labeled once, no half batch, interrupted runs recorded.
final class LabelCrashSafetyTests: XCTestCase {
    func testSIGKILLAtRandomMomentsLosesNothingAndDoublesNothing() throws {
        let folder = try CLIFolder()
        let rowCount = 4000, batchSize = 10, midRunKills = 6
        try folder.createQueries(cliQueries(rowCount))
        XCTAssertEqual(try CommandRunner.run(["migrate", "--db", folder.db], in: folder.url).status, 0)
        let arguments = ["label", "--db", folder.db, "--model", CommandRunner.tinyModel,
                         "--rows-per-transaction", "\(batchSize)"]
        var generator = SplitMix64(seed: 42)
        // First a kill at a random moment of start-up (opening the store, loading the model), which may or may
        // not land before the first batch...
        let early = try CommandRunner.launch(arguments, in: folder.url)
        Thread.sleep(forTimeInterval: Double.random(in: 0...0.15, using: &generator))
        early.signal(SIGKILL)
        try early.wait()
        // ...then kills that wait until this run's labels pass a random row count a few batches in, so each lands
        // while batches are being written however fast or loaded the machine: together they stop far short of the
        // table's end (each kill overshoots its target by one 20 ms poll, a few hundred rows at most).
        var killedMidRun = 0
        for _ in 0..<midRunKills {
            let labeledBefore = try folder.count("SELECT count(*) FROM query_labels")
            let target = labeledBefore + Int.random(in: 1...50, using: &generator)
            let child = try CommandRunner.launch(arguments, in: folder.url)
            try waitUntil(within: 60) { try folder.count("SELECT count(*) FROM query_labels") >= target || !child.process.isRunning }
            child.signal(SIGKILL)
            try child.wait()
            XCTAssertEqual(child.process.terminationReason, .uncaughtSignal, "the run ended before the kill: \(child.stderr)")
            if try folder.count("SELECT count(*) FROM query_labels") > labeledBefore { killedMidRun += 1 }
        }
        XCTAssertEqual(killedMidRun, midRunKills, "kills did not land while batches were being written")
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
        let watch = try CommandRunner.launch(
            ["watch", "--db", folder.db, "--model", CommandRunner.tinyModel, "--interval", "0.1"], in: folder.url)
        try waitUntil(within: 60) { try folder.count("SELECT count(*) FROM query_labels") == 20 }
        try folder.insert(["a late query", "another one?"])
        try waitUntil(within: 60) { try folder.count("SELECT count(*) FROM query_labels") == 22 }
        watch.signal(SIGTERM)
        let output = try watch.wait()
        XCTAssertEqual(watch.process.terminationReason, .exit)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(try folder.rows("SELECT command, status, rows_scanned FROM label_runs", columns: 3),
                       [["watch", "finished", "22"]])
        XCTAssertTrue(output.stderr.contains("labeled new rows"), output.stderr)
    }
}
