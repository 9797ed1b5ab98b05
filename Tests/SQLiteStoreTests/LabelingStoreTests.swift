import Foundation
import LabelStore
@testable import SQLiteStore
import QueryKindTestSupport
import XCTest

/// Pending rows, batch writes, the cache and the run table, on real files.
final class LabelingStoreTests: MigratedStoreTestCase {
    private let question = StoredLabel(kind: "question", pKeyword: 0.125, pQuestion: 0.875)

    private func pending(model: String = "m@1", relabel: Bool = false) -> LabelStore.Pending {
        .init(source: SourceTable(), model: model, relabel: relabel)
    }

    private func startRun(model: String = "m@1") throws -> Int64 {
        try store.startRun(.init(command: "label", model: model, source: SourceTable(), relabel: false))
    }

    func testRawValuesArriveAsStored() throws {
        try store.connection.execute("""
            INSERT INTO queries (id, text) VALUES (1, 'plain'), (2, NULL), (3, X'00FF10'), (4, 42), (5, 2.5),
                (6, CAST(X'C328' AS TEXT)), (7, ''), (8, 'tab' || char(9) || 'nul' || char(0) || 'end');
            """)
        let rows = try store.fetchPending(pending(), after: 0, limit: 100)
        // The TEXT column's affinity stores numbers as text; NUL bytes inside text are kept.
        XCTAssertEqual(rows.map(\.value), [
            .text("plain"), .null, .blob(byteCount: 3), .text("42"), .text("2.5"),
            .invalidUTF8([0xC3, 0x28]), .text(""), .text("tab\tnul\u{0}end"),
        ])
        XCTAssertEqual(rows.map(\.id), Array(1...8))
        // A column without a declared type keeps numbers as numbers.
        try store.connection.execute("CREATE TABLE loose (id INTEGER PRIMARY KEY, q); INSERT INTO loose VALUES (1, 42), (2, 2.5)")
        let loose = LabelStore.Pending(source: SourceTable(table: "loose", textColumn: "q"), model: "m", relabel: false)
        XCTAssertEqual(try store.fetchPending(loose, after: 0, limit: 10).map(\.value), [.number("42"), .number("2.5")])
    }

    func testPendingRowsPageByIdAndSkipLabeledOnes() throws {
        try store.connection.transaction {
            for id in 1...10 { try store.connection.run("INSERT INTO queries (id, text) VALUES (?, 'q')", [.integer(Int64(id * 10))]) }
        }
        let runID = try startRun()
        var batch = LabelStore.LabelBatch(model: "m@1")
        batch.outcomes = [(20, .labeled(question)), (50, .failed(reason: "text is empty"))]
        try store.write(batch, runID: runID)
        XCTAssertEqual(try store.countPending(pending()), 8)
        let first = try store.fetchPending(pending(), after: 0, limit: 3)
        XCTAssertEqual(first.map(\.id), [10, 30, 40])
        let second = try store.fetchPending(pending(), after: first.last!.id, limit: 3)
        XCTAssertEqual(second.map(\.id), [60, 70, 80])
        // Another model's labels are left alone unless relabeling; errors count as labeled.
        XCTAssertEqual(try store.countPending(pending(model: "m@2")), 8)
        XCTAssertEqual(try store.fetchPending(pending(model: "m@2", relabel: true), after: 0, limit: 3).map(\.id),
                       [10, 20, 30])
        XCTAssertEqual(try store.countPending(pending(model: "m@2", relabel: true)), 10)
        XCTAssertEqual(try store.countPending(pending(relabel: true)), 8)
    }

    func testBatchWritesLabelsCacheAndCountersTogether() throws {
        try store.connection.execute("INSERT INTO queries (id, text) VALUES (1, 'a'), (2, 'b'), (3, NULL)")
        let runID = try startRun()
        var batch = LabelStore.LabelBatch(model: "m@1")
        batch.outcomes = [(1, .labeled(question)), (2, .labeled(question)), (3, .failed(reason: "text is NULL"))]
        batch.cache.newEntries = [("a", question)]
        batch.cache.hits = ["a": 1]
        batch.counters.scanned = 3
        batch.counters.labeled = 2
        batch.counters.inferences = 1
        batch.counters.cacheHits = 1
        batch.counters.errors = 1
        try store.write(batch, runID: runID)

        let labels = try store.connection.query(
            "SELECT query_id, kind, p_keyword, p_question, error, model, run_id FROM query_labels ORDER BY 1") {
            ($0.int64(0), $0.optionalString(1), $0.optionalDouble(2), $0.optionalDouble(3),
             $0.optionalString(4), $0.string(5), $0.int64(6))
        }
        XCTAssertEqual(labels.count, 3)
        XCTAssertEqual(labels[0].1, "question")
        XCTAssertEqual(labels[0].2, 0.125)
        XCTAssertEqual(labels[0].3, 0.875)
        XCTAssertEqual(labels[2].1, nil)
        XCTAssertEqual(labels[2].4, "text is NULL")
        XCTAssertTrue(labels.allSatisfy { $0.5 == "m@1" && $0.6 == runID })
        XCTAssertEqual(try store.cachedLabels(model: "m@1", keys: ["a", "b"]), ["a": question])
        XCTAssertEqual(try store.cachedLabels(model: "m@2", keys: ["a"]), [:], "cache is per model")
        XCTAssertEqual(try store.connection.scalarInt("SELECT hits FROM label_cache"), 1)
        let run = try store.report().recentRuns[0]
        XCTAssertEqual(run.counters, batch.counters)
        XCTAssertEqual(run.status, "running")
    }

    /// A batch that fails half way (here: a label the schema rejects) leaves nothing behind.
    func testFailedBatchLeavesNothing() throws {
        try store.connection.execute("INSERT INTO queries (id, text) VALUES (1, 'a'), (2, 'b')")
        let runID = try startRun()
        var batch = LabelStore.LabelBatch(model: "m@1")
        batch.outcomes = [(1, .labeled(question)), (2, .labeled(StoredLabel(kind: "shout", pKeyword: 0, pQuestion: 0)))]
        batch.cache.newEntries = [("a", question)]
        batch.counters.scanned = 2
        XCTAssertThrowsError(try store.write(batch, runID: runID)) { error in
            XCTAssertTrue("\(error)".contains("CHECK constraint failed"), "\(error)")
        }
        XCTAssertEqual(try store.connection.scalarInt("SELECT count(*) FROM query_labels"), 0)
        XCTAssertEqual(try store.connection.scalarInt("SELECT count(*) FROM label_cache"), 0)
        XCTAssertEqual(try store.connection.scalarInt("SELECT rows_scanned FROM label_runs"), 0)
        XCTAssertEqual(try store.countPending(pending()), 2)
    }

    func testRelabelReplacesTheRowAndCacheKeepsFirstWriter() throws {
        try store.connection.execute("INSERT INTO queries (id, text) VALUES (1, 'a')")
        var batch = LabelStore.LabelBatch(model: "m@1")
        batch.outcomes = [(1, .labeled(question))]
        try store.write(batch, runID: try startRun())
        let keyword = StoredLabel(kind: "keyword", pKeyword: 0.75, pQuestion: 0.25)
        var second = LabelStore.LabelBatch(model: "m@2")
        second.outcomes = [(1, .labeled(keyword))]
        second.cache.newEntries = [("a", keyword)]
        try store.write(second, runID: try startRun(model: "m@2"))
        XCTAssertEqual(try store.connection.query("SELECT kind, model FROM query_labels") { [$0.string(0), $0.string(1)] },
                       [["keyword", "m@2"]])
        var update = LabelStore.CacheUpdate(model: "m@2")
        update.newEntries = [("a", question)]
        try store.recordCache(update)
        XCTAssertEqual(try store.cachedLabels(model: "m@2", keys: ["a"])["a"], keyword)
    }

    func testDeadRunsAreMarkedInterruptedLiveOnesAreNot() throws {
        // A pid above the kernel's pid_max can never be a live process (a finished child's pid could be reused).
        let pidMax = try String(contentsOfFile: "/proc/sys/kernel/pid_max", encoding: .utf8)
        let dead = try XCTUnwrap(Int(pidMax.trimmingCharacters(in: .whitespacesAndNewlines))) + 1
        let host = LocalProcess.hostName
        try store.connection.execute("""
            INSERT INTO label_runs (id, command, model, source_table, text_column, id_column, host, pid) VALUES
                (1, 'label', 'm', 'queries', 'text', 'id', '\(host)', \(dead)),
                (2, 'watch', 'm', 'queries', 'text', 'id', '\(host)', \(getppid())),
                (3, 'label', 'm', 'queries', 'text', 'id', 'another-host', \(dead));
            """)
        let runID = try startRun()
        let statuses = try store.connection.query("SELECT id, status, ended_at IS NOT NULL FROM label_runs ORDER BY id") {
            "\($0.int64(0)) \($0.string(1)) \($0.int64(2))"
        }
        XCTAssertEqual(statuses, ["1 interrupted 1", "2 running 0", "3 running 0", "\(runID) running 0"])
        try store.finishRun(runID, status: .failed, error: "disk full")
        let run = try store.report().recentRuns[0]
        XCTAssertEqual(run.status, "failed")
        XCTAssertEqual(run.error, "disk full")
        XCTAssertNotNil(run.endedAt)
    }

    /// Recording a `watch`'s retries never waits for a lock (the retry it records has just waited the busy timeout):
    /// under a held write lock it fails at once, and the busy timeout still holds for everything else. It used to
    /// wait the busy timeout again, so every retry of a lock waited twice.
    func testRecordingRetriesFailsUnderALockInsteadOfWaitingForIt() throws {
        let runID = try startRun()
        let patient = try SQLiteLabelStore(path: db.path, access: .readWrite, busyTimeout: .seconds(60))
        // Used by one thread at a time: this one, or the one that lets go of the lock.
        nonisolated(unsafe) let holder = try Connection(path: db.path, mode: .readWrite)
        try holder.execute("BEGIN IMMEDIATE")
        // Let go after 20 s whatever happens: a recording that waits for the lock then succeeds (and this test
        // fails) instead of hanging for the busy timeout.
        let release = DispatchWorkItem { try? holder.execute("ROLLBACK") }
        DispatchQueue.global().asyncAfter(deadline: .now() + 20, execute: release)
        let error = expectError { try patient.recordRetries(runID, retries: 1, lastError: "database is locked") }
        XCTAssertEqual((error as? SQLiteError)?.isTransient, true, "\(String(describing: error))")
        release.cancel()
        try? holder.execute("ROLLBACK")
        try patient.recordRetries(runID, retries: 2, lastError: "database is locked")

        // The busy timeout is back: a write waits for a lock held for a moment.
        try holder.execute("BEGIN IMMEDIATE")
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { try? holder.execute("ROLLBACK") }
        try patient.connection.execute("UPDATE label_runs SET last_error = 'after the lock' WHERE id = \(runID)")
        XCTAssertEqual(try store.connection.query("SELECT retries, last_error FROM label_runs WHERE id = ?",
                                                  [.integer(runID)]) { "\($0.int64(0)) \($0.string(1))" },
                       ["2 after the lock"])
    }

    func testReportSummarisesLabelsCacheAndRuns() throws {
        try store.connection.execute("INSERT INTO queries (id, text) VALUES (1, 'why'), (2, 'shoes'), (3, NULL), (4, 'maybe')")
        var batch = LabelStore.LabelBatch(model: "m@1")
        batch.outcomes = [
            (1, .labeled(StoredLabel(kind: "question", pKeyword: 0.05, pQuestion: 0.95))),
            (2, .labeled(StoredLabel(kind: "keyword", pKeyword: 0.99, pQuestion: 0.10))),
            (3, .failed(reason: "text is NULL")),
            (4, .labeled(StoredLabel(kind: "statement", pKeyword: 0.45, pQuestion: 0.30))),
        ]
        batch.cache.newEntries = [("why", question), ("shoes", question), ("maybe", question)]
        batch.cache.hits = ["why": 1]
        batch.counters.scanned = 5
        batch.counters.labeled = 4
        batch.counters.cacheHits = 1
        batch.counters.inferences = 3
        batch.counters.errors = 1
        let runID = try startRun()
        try store.write(batch, runID: runID)
        try store.finishRun(runID, status: .finished)
        let report = try store.report(examples: 2)
        XCTAssertEqual(report.byKind.reduce(0) { $0 + $1.count }, 4)
        XCTAssertEqual(report.byKind.first { $0.kind == nil }?.count, 1)
        XCTAssertEqual(report.errors, [.init(error: "text is NULL", count: 1)])
        XCTAssertEqual(report.keywordHistogram, [1, 0, 0, 0, 1, 0, 0, 0, 0, 1])
        XCTAssertEqual(report.questionHistogram, [0, 1, 0, 1, 0, 0, 0, 0, 0, 1])
        XCTAssertEqual(report.leastConfident.map(\.queryID), [4, 1])
        XCTAssertEqual(report.leastConfident.map(\.text), ["maybe", "why"])
        XCTAssertEqual(report.cache, .init(entries: 3, hits: 1, hitRate: 0.25))
        XCTAssertEqual(report.recentRuns.map(\.status), ["finished"])
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        XCTAssertTrue(json.contains("\"p_keyword_histogram\""), json)
    }

    func testReportRefusesAnUnmigratedDatabase() throws {
        let other = try ScratchDatabase()
        defer { other.remove() }
        try other.createQueries(["a"])
        let store = try SQLiteLabelStore(path: other.path, access: .readOnly)
        XCTAssertEqual(expectError { try store.report() } as? StoreError, .notMigrated(path: other.path))
    }

    /// A full disk is a transient fault (`watch` retries it): the batch is rolled back whole, and once there is
    /// room again the same batch is written.
    func testFullDiskRollsBackTheBatchAndIsTransient() throws {
        let runID = try startRun()
        var batch = LabelStore.LabelBatch(model: "m@1")
        batch.outcomes = (1...2000).map { (Int64($0), .labeled(question)) }
        let pages = try XCTUnwrap(store.connection.scalarInt("PRAGMA page_count"))
        try store.connection.execute("PRAGMA max_page_count = \(pages)")
        let error = expectError { try store.write(batch, runID: runID) } as? SQLiteError
        XCTAssertEqual(error?.isTransient, true, "\(String(describing: error))")
        XCTAssertEqual(try store.connection.scalarInt("SELECT count(*) FROM query_labels"), 0)
        try store.connection.execute("PRAGMA max_page_count = 1073741823")
        try store.write(batch, runID: runID)
        XCTAssertEqual(try store.connection.scalarInt("SELECT count(*) FROM query_labels"), 2000)
    }
}
