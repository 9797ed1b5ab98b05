import Annotator
import BertClassifier
import Foundation
import LabelStore
import QueryKindTestSupport
import SQLiteStore
import XCTest

final class LabelingJobTests: XCTestCase {
    func testLabelsMatchTheModelAndSecondPassLabelsOnlyNewRows() throws {
        let db = try QueryDatabase()
        let texts = sampleQueries(60)
        try db.insert(texts)
        let first = try LabelingJob(session: try db.session(), options: .init(rowsPerTransaction: 7)).labelAll()
        XCTAssertEqual(first.status, .finished)
        XCTAssertEqual(first.counters.scanned, 60)
        XCTAssertEqual(first.counters.labeled, 60)
        XCTAssertEqual(first.counters.errors, 0)

        // Stored labels are the model's, row by row (within the engine's batch-independence tolerance).
        let expected = TinyModel.fp32.predict(texts)
        let stored = try Connection(path: db.path, mode: .readOnly).query(
            "SELECT kind, p_keyword, p_question FROM query_labels ORDER BY query_id") {
            ($0.string(0), Float($0.double(1)), Float($0.double(2)))
        }
        XCTAssertEqual(stored.map(\.0), expected.map(\.kind.rawValue))
        for (row, prediction) in zip(stored, expected) {
            XCTAssertEqual(row.1, prediction.pKeyword, accuracy: 1e-5)
            XCTAssertEqual(row.2, prediction.pQuestion, accuracy: 1e-5)
        }

        try db.insert(["brand new query", "how do magnets work"])
        var progress: [LabelingJob.Progress] = []
        let second = try LabelingJob(session: try db.session()).labelAll { progress.append($0) }
        XCTAssertEqual(second.counters.scanned, 2)
        XCTAssertEqual(second.counters.inferences, 1)
        XCTAssertEqual(second.counters.cacheHits, 1, "a text seen in an earlier run comes from the cache")
        XCTAssertEqual(progress.last?.pendingAtStart, 2)
        XCTAssertEqual(try db.count("SELECT count(*) FROM query_labels"), 62)
        XCTAssertEqual(try db.count("SELECT count(*) FROM queries_labeled WHERE kind IS NOT NULL"), 62)
        let third = try LabelingJob(session: try db.session()).labelAll()
        XCTAssertEqual(third.counters.scanned, 0)
        XCTAssertEqual(try db.count("SELECT count(*) FROM label_runs WHERE status = 'finished'"), 3)
    }

    /// A key is run through the model at most once, ever: inferences equal the distinct keys.
    func testRepeatsAreNeverInferredTwice() throws {
        let db = try QueryDatabase()
        let texts = sampleQueries(90) + ["  How   do MAGNETS work ", "how do magnéts work"]
        try db.insert(texts)
        let keys = Set(texts.map(TinyModel.fp32.tokenizer.normalize))
        let summary = try LabelingJob(session: try db.session(), options: .init(rowsPerTransaction: 16)).labelAll()
        XCTAssertEqual(summary.counters.inferences, keys.count)
        XCTAssertEqual(summary.counters.cacheHits, texts.count - keys.count)
        XCTAssertEqual(try db.count("SELECT count(*) FROM label_cache"), keys.count)
        XCTAssertEqual(try db.count("SELECT sum(hits) FROM label_cache"), texts.count - keys.count)
        XCTAssertEqual(try db.count("SELECT inferences FROM label_runs"), keys.count)
        // Rows sharing a key share a label.
        XCTAssertEqual(try db.count("""
            SELECT count(DISTINCT kind || p_keyword || p_question) FROM query_labels WHERE query_id IN (1, 91, 92)
            """), 1)
    }

    func testRelabelOnlyWithTheFlagAndOnlyOtherModelsRows() throws {
        let db = try QueryDatabase()
        try db.insert(sampleQueries(20))
        _ = try LabelingJob(session: try db.session(TinyModel.fp32)).labelAll()
        XCTAssertNotEqual(TinyModel.fp32.modelID, TinyModel.fp16.modelID)

        let without = try LabelingJob(session: try db.session(TinyModel.fp16)).labelAll()
        XCTAssertEqual(without.counters.scanned, 0, "labels of another model are kept without --relabel")
        try db.insert(["one more"])
        let with = try LabelingJob(session: try db.session(TinyModel.fp16), options: .init(relabel: true)).labelAll()
        XCTAssertEqual(with.counters.scanned, 21)
        XCTAssertEqual(Set(try db.labels().map(\.model)), [TinyModel.fp16.modelID])
        let again = try LabelingJob(session: try db.session(TinyModel.fp16), options: .init(relabel: true)).labelAll()
        XCTAssertEqual(again.counters.scanned, 0)
        XCTAssertEqual(try db.count("SELECT count(DISTINCT model) FROM label_cache"), 2)
    }

    /// Every kind of bad value gets a label or an error row; none is skipped, none comes back next run.
    func testBadRowsGetALabelOrAReason() throws {
        let db = try QueryDatabase()
        let connection = try Connection(path: db.path, mode: .readWrite)
        let megabyte = String(repeating: "why is the sky blue ", count: 52_429)
        try connection.run("""
            INSERT INTO queries (id, text) VALUES (1, NULL), (2, ''), (3, ' \t\n '), (4, X'0102'), (5, 404),
                (6, 2.5), (7, CAST(X'FF61' AS TEXT)), (8, 'why' || char(1) || ' not' || char(7)),
                (9, char(1) || char(2) || char(27)), (10, ?), (11, 'ok')
            """, [.text(megabyte)])
        let summary = try LabelingJob(session: try db.session(), options: .init(rowsPerTransaction: 4)).labelAll()
        XCTAssertEqual(summary.counters.scanned, 11)
        let labels = try db.labels()
        XCTAssertEqual(labels.map(\.id), Array(1...11))
        XCTAssertEqual(labels.map(\.error), [
            "text is NULL", "text is empty", "text is empty", "value is a BLOB, not text", nil, nil,
            "text is not valid UTF-8", nil, "text has no tokens", nil, nil,
        ])
        XCTAssertTrue(labels.allSatisfy { ($0.kind == nil) == ($0.error != nil) })
        XCTAssertEqual(summary.counters.errors, 6)
        XCTAssertEqual(summary.counters.labeled, 5)
        // The megabyte is truncated to the model's 64 positions, and so is its cache key.
        let keyLength = try db.count("SELECT max(length(normalized_text)) FROM label_cache")
        XCTAssertLessThan(keyLength, 1000)
        XCTAssertEqual(try LabelingJob(session: try db.session()).labelAll().counters.scanned, 0)
    }

    func testStopRequestedFinishesTheBatchAndMarksTheRunInterrupted() throws {
        let db = try QueryDatabase()
        try db.insert(sampleQueries(50))
        let stop = StopFlag()
        let summary = try LabelingJob(session: try db.session(), options: .init(rowsPerTransaction: 10)).labelAll(stop: stop) { _ in
            stop.requestStop()
        }
        // The stop comes as the first batch is written; the pipeline is then labeling the second, which it finishes
        // and writes, and it reads no third.
        XCTAssertEqual(summary.status, .interrupted)
        XCTAssertEqual(summary.counters.scanned, 20)
        XCTAssertEqual(try db.count("SELECT count(*) FROM query_labels"), 20)
        XCTAssertEqual(try db.count("SELECT count(*) FROM label_runs WHERE status = 'interrupted' AND rows_scanned = 20"), 1)
    }

    func testSetupErrorsWriteNothing() throws {
        let db = try QueryDatabase()
        try db.insert(["a"])
        XCTAssertThrowsError(try LabelingSession.open(store: SQLiteLabelStore(path: db.path, access: .readWrite), source: SourceTable(textColumn: "query")) {
            TinyModel.fp32
        })
        let missingModel = db.folder.appendingPathComponent("no-model")
        XCTAssertThrowsError(try LabelingSession.open(store: SQLiteLabelStore(path: db.path, access: .readWrite), source: SourceTable()) {
            try QueryClassifier(modelDirectory: missingModel)
        }) { error in XCTAssertTrue("\(error)".contains("no-model"), "\(error)") }
        XCTAssertEqual(try db.count("SELECT count(*) FROM sqlite_schema WHERE name <> 'queries'"), 0)
    }

    /// The watch loop labels rows inserted while it runs and ends cleanly when asked.
    func testWatchLabelsArrivingRowsUntilStopped() throws {
        let db = try QueryDatabase()
        try db.insert(sampleQueries(5))
        let stop = StopFlag()
        nonisolated(unsafe) let job = LabelingJob(session: try db.session(), options: .init(rowsPerTransaction: 4))
        let finished = expectation(description: "watch returned")
        nonisolated(unsafe) var summary: LabelingJob.Summary?
        Thread.detachNewThread {
            summary = try? job.watch(interval: .milliseconds(50), stop: stop)
            finished.fulfill()
        }
        try waitUntil { try db.count("SELECT count(*) FROM query_labels") == 5 }
        try db.insert(["late arrival", "another late one"])
        try waitUntil { try db.count("SELECT count(*) FROM query_labels") == 7 }
        stop.requestStop()
        wait(for: [finished], timeout: 5)
        XCTAssertEqual(summary?.status, .finished)
        XCTAssertEqual(summary?.counters.scanned, 7)
        XCTAssertEqual(try db.count("SELECT count(*) FROM label_runs WHERE command = 'watch' AND status = 'finished'"), 1)
    }

    /// An application keeps inserting while a pass runs: its inserts are never blocked for long, and every
    /// row ends up labeled by this pass or the next. The writer starts first and stops only after the pass has
    /// ended; the pass counts inserts only from its first batch on, and waits there until the writer has
    /// inserted, so the two certainly overlap (asserted) however the machine schedules them.
    func testConcurrentWriterIsNotBlockedAndNoRowIsMissed() throws {
        let db = try QueryDatabase()
        try db.insert(sampleQueries(300))
        let writerStarted = expectation(description: "writer inserted its first row")
        let writerDone = expectation(description: "writer finished")
        let passState = NSLock()
        nonisolated(unsafe) var passRunning = false, passEnded = false
        nonisolated(unsafe) var insertsDuringPass = 0, inserted = 0
        nonisolated(unsafe) var slowestInsert = Duration.zero
        nonisolated(unsafe) var writerError: Error?
        let path = db.path
        Thread.detachNewThread {
            do {
                let connection = try Connection(path: path, mode: .readWrite)
                // Bounded: at most 5,000 rows or 60 s, even if the pass never ends.
                let deadline = ContinuousClock.now + .seconds(60)
                while inserted < 5_000 && ContinuousClock.now < deadline && !passState.withLock({ passEnded }) {
                    let started = ContinuousClock.now
                    try connection.run("INSERT INTO queries (text) VALUES (?)", [.text("arriving query \(inserted % 37)")])
                    slowestInsert = max(slowestInsert, ContinuousClock.now - started)
                    passState.withLock {
                        inserted += 1
                        if passRunning { insertsDuringPass += 1 }
                    }
                    if inserted == 1 { writerStarted.fulfill() }
                    Thread.sleep(forTimeInterval: 0.002)
                }
            } catch { writerError = error }
            writerDone.fulfill()
        }
        wait(for: [writerStarted], timeout: 20)
        let passStarted = ContinuousClock.now
        nonisolated(unsafe) var sawFirstBatch = false
        let first = try LabelingJob(session: try db.session(), options: .init(rowsPerTransaction: 32)).labelAll { _ in
            guard !sawFirstBatch else { return }
            sawFirstBatch = true
            // The pass has really started (its first batch is written, nine are left), so from here on an insert
            // lands mid-pass; inserts made while the job was being set up do not count. Hold the pass here until
            // one has (bounded: on timeout the assertion below fails).
            passState.withLock { passRunning = true }
            let deadline = ContinuousClock.now + .seconds(20)
            while passState.withLock({ insertsDuringPass == 0 }) && ContinuousClock.now < deadline {
                Thread.sleep(forTimeInterval: 0.001)
            }
        }
        let passDuration = ContinuousClock.now - passStarted
        passState.withLock { passRunning = false; passEnded = true }
        wait(for: [writerDone], timeout: 20)
        XCTAssertNil(writerError)
        XCTAssertGreaterThan(insertsDuringPass, 0, "the writer never inserted while the pass ran")
        let second = try LabelingJob(session: try db.session(), options: .init(rowsPerTransaction: 32)).labelAll()
        XCTAssertEqual(first.counters.scanned + second.counters.scanned, 300 + inserted)
        XCTAssertEqual(try db.count("SELECT count(*) FROM queries_labeled WHERE kind IS NULL"), 0)
        // Each of the pass's 10 batches holds the write lock only while it is written, so no insert waits for a
        // large part of the pass (a lock held across batches would make one wait about the whole pass). The bound
        // grows with the pass on a loaded machine; 0.25 s absorbs one slow disk sync on a fast one.
        XCTAssertLessThan(slowestInsert, max(passDuration / 2, .milliseconds(250)),
                          "an insert waited \(slowestInsert) of a \(passDuration) pass")
    }
}
