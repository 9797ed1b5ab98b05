import Foundation
import QueryKindTestSupport
import XCTest

/// A worker killed with SIGKILL loses nothing and doubles nothing: its lapsed claims go to the survivors.
final class PostgresWorkerCrashTests: XCTestCase {
    /// 4 workers with `--lease 2` on 100,000 rows; two are killed with SIGKILL once each has written labels (so
    /// mid-pass, holding a claimed batch). The two survivors wait for the dead workers' leases to lapse, label
    /// those rows too and exit 0: every row is labeled once, the counters of all four runs add up to the row count
    /// (each run's to the labels that name it: a dead worker's uncommitted batch counts nowhere), the killed runs
    /// are marked `interrupted` by the survivors, no row is given up as abandoned (its claim lapsed only once),
    /// and no transaction deadlocked (lease renewals every 0.7 s run beside every batch write).
    func testSIGKILLedWorkersLoseNothingAndAreMarkedInterrupted() throws {
        let pg = try makePostgresDatabase()
        defer { pg.remove() }
        let table = WorkerTable(rows: 100_000)
        let workers = try table.startWorkers(4, on: pg, arguments: ["--lease", "2"])
        let victims = Array(workers.prefix(2)), survivors = Array(workers.suffix(2))
        var claimsLeft = 0
        for victim in victims {
            let pid = victim.process.processIdentifier
            try waitUntil(within: 120, "worker \(pid) to write labels") {
                try pg.labelsWritten(byProcess: pid) > 0 || !victim.process.isRunning
            }
            victim.signal(SIGKILL)
            try victim.wait()
            XCTAssertEqual(victim.process.terminationReason, .uncaughtSignal,
                           "worker \(pid) exited before the kill: \(victim.stderr)")
            claimsLeft += try pg.count("""
                SELECT count(*) FROM label_claims AS c JOIN label_runs AS r ON r.id = c.run_id WHERE r.pid = \(pid)
                """)
        }
        XCTAssertGreaterThan(claimsLeft, 0, "neither victim held a claimed batch: no lease had to lapse")
        XCTAssertLessThan(try pg.count("SELECT count(*) FROM query_labels"), table.count,
                          "the kills landed after the table was done: the test proves nothing")

        for survivor in survivors {
            let output = try survivor.wait()
            XCTAssertEqual(output.status, 0, output.stderr)
            XCTAssertTrue(output.stdout.contains("\"finished\""), output.stdout)
        }

        try table.assertLabeledExactlyOnce(pg)
        XCTAssertEqual(try pg.count("SELECT count(*) FROM query_labels WHERE error LIKE 'abandoned%'"), 0)
        let runs = try pg.runs()
        XCTAssertEqual(runs.count, 4, "\(runs)")
        let victimPIDs = Set(victims.map(\.process.processIdentifier))
        for run in runs {
            XCTAssertEqual(run.status, victimPIDs.contains(run.pid) ? "interrupted" : "finished", "\(run)")
        }
        XCTAssertEqual(try pg.count("SELECT count(*) FROM label_runs WHERE status = 'interrupted' AND ended_at IS NULL"),
                       0, "an interrupted run has its end time")
        // A short lease means frequent renewals, each a transaction beside the worker's own batch writes.
        XCTAssertEqual(try pg.deadlocks(), 0, "deadlocks between the workers' transactions (see the server log)")
    }
}
