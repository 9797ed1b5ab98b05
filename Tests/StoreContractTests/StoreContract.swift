import Foundation
import LabelStore
import XCTest

/// The `LabelDatabase` contract, one body per behaviour, run against each engine by `StoreContractTests`. Everything goes through the
/// protocol: the rows are set up and read back with the engine-neutral `executeScript` and `rows`, in SQL both
/// engines run alike, so a test cannot pass on one engine by knowing its dialect.
struct StoreContract {
    let store: any LabelDatabase
    let file: StaticString
    let line: UInt

    static let source = SourceTable()
    static let model = "m@1"

    /// `queries (id, text)` holding `texts` with ids 1…n (nil is NULL), and querykind's tables.
    func prepareQueries(_ texts: [String?]) throws {
        try store.executeScript("CREATE TABLE queries (id BIGINT PRIMARY KEY, text TEXT)")
        for (offset, text) in texts.enumerated() {
            try store.execute("INSERT INTO queries (id, text) VALUES ($1, $2)",
                              [.integer(Int64(offset + 1)), text.map { .text($0) } ?? .null])
        }
        try store.checkSetup(for: Self.source)
        try store.prepare(for: Self.source)
    }

    func startRun(model: String = model, relabel: Bool = false) throws -> Int64 {
        try store.startRun(RunInfo(command: "label", model: model, source: Self.source, relabel: relabel))
    }

    func pending(model: String = model, relabel: Bool = false) -> Pending {
        Pending(source: Self.source, model: model, relabel: relabel)
    }

    /// The first column of `sql`'s rows as text ("NULL" for NULL).
    func column(_ sql: String) throws -> [String] { try store.rows(sql, []).map { $0[0].text ?? "NULL" } }

    func count(_ sql: String) throws -> Int { Int(try store.rows(sql, [])[0][0].integer ?? -1) }

    /// A batch labeling `rows`: each text as a keyword at 0.75, NULL as an error; every text a cache miss.
    func batch(_ rows: [SourceRow], model: String = model) -> LabelBatch {
        var batch = LabelBatch(model: model)
        for row in rows {
            batch.counters.scanned += 1
            if case .text(let text) = row.value {
                let label = StoredLabel(kind: "keyword", pKeyword: 0.75, pQuestion: 0.25)
                batch.outcomes.append((row.id, .labeled(label)))
                batch.cache.newEntries.append((text, label))
                batch.counters.labeled += 1
                batch.counters.inferences += 1
            } else {
                batch.outcomes.append((row.id, .failed(reason: "text is NULL")))
                batch.counters.errors += 1
            }
        }
        return batch
    }

    // MARK: - The contract

    /// Labeling: a claimed batch is written with its cache entries and the run's counters, visible in the view.
    func labelingWritesLabelsCacheAndCountersTogether() throws {
        try prepareQueries(["how do magnets work", nil, "cheap flights", "rome weather", "sky"])
        let runID = try startRun()
        XCTAssertEqual(try store.countPending(pending()), 5, file: file, line: line)
        let rows = try store.claimPending(pending(), runID: runID, after: nil, limit: 3)
        XCTAssertEqual(rows, [SourceRow(id: 1, value: .text("how do magnets work")), SourceRow(id: 2, value: .null),
                              SourceRow(id: 3, value: .text("cheap flights"))], file: file, line: line)
        try store.write(batch(rows), runID: runID)
        XCTAssertEqual(try store.countPending(pending()), 2, file: file, line: line)
        try store.finishRun(runID, status: .finished, error: nil)

        XCTAssertEqual(try column("SELECT kind FROM queries_labeled ORDER BY id"),
                       ["keyword", "NULL", "keyword", "NULL", "NULL"], file: file, line: line)
        XCTAssertEqual(try column("SELECT label_error FROM queries_labeled WHERE id = 2"), ["text is NULL"],
                       file: file, line: line)
        let run = try store.rows("""
            SELECT status, rows_scanned, rows_labeled, cache_hits, inferences, rows_with_errors FROM label_runs
            """, [])
        XCTAssertEqual(run.map { $0.map { $0.text ?? "NULL" } }, [["finished", "3", "2", "0", "2", "1"]],
                       file: file, line: line)
        XCTAssertEqual(try count("SELECT count(*) FROM label_cache"), 2, file: file, line: line)
        XCTAssertEqual(try store.highestSourceID(Self.source), 5, file: file, line: line)
    }

    /// Claims: walking the claims (with the cursor where the engine has one) hands out every pending row once, in
    /// id order, and nothing once all are written; `--relabel` takes rows labeled by another model again.
    func claimsHandOutEveryPendingRowOnce() throws {
        try prepareQueries((1...10).map { "query \($0)" })
        let runID = try startRun()
        var claimed: [Int64] = []
        var cursor: Int64?
        while true {
            let rows = try store.claimPending(pending(), runID: runID, after: cursor, limit: 4)
            guard !rows.isEmpty else { break }
            XCTAssertEqual(rows.map(\.id), rows.map(\.id).sorted(), "id order", file: file, line: line)
            claimed += rows.map(\.id)
            cursor = rows.last?.id
            try store.write(batch(rows), runID: runID)
        }
        XCTAssertEqual(claimed, Array(1...10), file: file, line: line)
        XCTAssertFalse(try store.othersHoldClaims(pending(), besides: runID), file: file, line: line)
        XCTAssertEqual(try store.countPending(pending()), 0, file: file, line: line)
        try store.finishRun(runID, status: .finished, error: nil)

        XCTAssertEqual(try store.countPending(pending(model: "m@2")), 0, "labeled, by another model",
                       file: file, line: line)
        XCTAssertEqual(try store.countPending(pending(model: "m@2", relabel: true)), 10, file: file, line: line)
        let relabel = try startRun(model: "m@2", relabel: true)
        let again = try store.claimPending(pending(model: "m@2", relabel: true), runID: relabel, after: nil, limit: 3)
        XCTAssertEqual(again.map(\.id), [1, 2, 3], file: file, line: line)
        try store.finishRun(relabel, status: .interrupted, error: nil)
    }

    /// Claims read each value as the database stores it (a number as its decimal text, not as text), whether or
    /// not `validate` ran first: nothing a claim depends on is left behind by another call.
    func claimsReadValuesAsStoredWithoutValidateFirst() throws {
        try store.executeScript("CREATE TABLE queries (id BIGINT PRIMARY KEY, text INTEGER)")
        try store.execute("INSERT INTO queries (id, text) VALUES (1, 42), (2, NULL)", [])
        try store.migrate()
        let runID = try startRun()
        XCTAssertEqual(try store.claimPending(pending(), runID: runID, after: nil, limit: 10),
                       [SourceRow(id: 1, value: .number("42")), SourceRow(id: 2, value: .null)], file: file, line: line)
        try store.finishRun(runID, status: .interrupted, error: nil)
    }

    /// The cache: the first writer of a key keeps it, hits add up, and models do not see each other's entries.
    func cacheKeepsTheFirstWriterAndCountsHits() throws {
        try store.migrate()
        let first = StoredLabel(kind: "question", pKeyword: 0.125, pQuestion: 0.875)
        var update = CacheUpdate(model: Self.model)
        update.newEntries = [("why is the sky blue", first)]
        try store.recordCache(update)
        var second = CacheUpdate(model: Self.model)
        second.newEntries = [("why is the sky blue", StoredLabel(kind: "keyword", pKeyword: 0.9, pQuestion: 0.1))]
        second.hits = ["why is the sky blue": 2, "never stored": 5]
        try store.recordCache(second)

        XCTAssertEqual(try store.cachedLabels(model: Self.model, keys: ["why is the sky blue", "never stored"]),
                       ["why is the sky blue": first], file: file, line: line)
        XCTAssertEqual(try store.cachedLabels(model: "m@2", keys: ["why is the sky blue"]), [:], file: file, line: line)
        XCTAssertEqual(try count("SELECT hits FROM label_cache"), 2, file: file, line: line)
        XCTAssertEqual(try store.cachedLabels(model: Self.model, keys: []), [:], file: file, line: line)
    }

    /// Runs: retries and how a run ended are recorded, and a `running` run whose process is gone is marked
    /// `interrupted` when the next run starts.
    func runsRecordHowTheyEnded() throws {
        try prepareQueries(["a"])
        try store.execute("""
            INSERT INTO label_runs (command, model, source_table, text_column, id_column, host, pid)
            VALUES ('watch', 'm@0', 'queries', 'text', 'id', $1, 0)
            """, [.text(LocalProcess.hostName)])
        let runID = try startRun()
        XCTAssertEqual(try column("SELECT status FROM label_runs ORDER BY id"), ["interrupted", "running"],
                       "the dead run is marked when the next starts", file: file, line: line)
        try store.recordRetries(runID, retries: 3, lastError: "database is locked")
        try store.finishRun(runID, status: .failed, error: "model crashed")
        let row = try store.rows("""
            SELECT status, error, retries, last_error, ended_at IS NOT NULL FROM label_runs WHERE id = $1
            """, [.integer(runID)])[0]
        XCTAssertEqual(row.map { $0.text ?? "NULL" }, ["failed", "model crashed", "3", "database is locked", "1"],
                       file: file, line: line)
        let report = try store.report()
        XCTAssertEqual(report.recentRuns.map(\.status), ["failed", "interrupted"], file: file, line: line)
        XCTAssertEqual(report.recentRuns[0].error, "model crashed", file: file, line: line)
    }

    /// `migrate`: applies every migration once, and repairs a dropped `query_labels` (with its index) and a
    /// dropped `querykind_migrations`; until then, a failure on the missing table is explained as such.
    func migrateRepairsDroppedTables() throws {
        XCTAssertEqual(try store.migrate().map(\.version), store.migrations.map(\.version), file: file, line: line)
        XCTAssertEqual(try store.migrate().count, 0, "migrating again applies nothing", file: file, line: line)
        XCTAssertEqual(try store.missingObjects(), [], file: file, line: line)

        try store.executeScript("DROP TABLE query_labels")
        let missing = try store.missingObjects().map(\.description)
        XCTAssertEqual(missing, ["table \"query_labels\"", "index \"query_labels_by_model_kind\"",
                                 "index \"query_labels_by_text\""], file: file, line: line)
        do {
            _ = try store.rows("SELECT count(*) FROM query_labels", [])
            XCTFail("query_labels is gone", file: file, line: line)
        } catch {
            guard case .missingObjects(let objects, _)? = store.explain(error) as? StoreError else {
                return XCTFail("not explained: \(store.explain(error))", file: file, line: line)
            }
            XCTAssertEqual(objects.map(\.description), missing, file: file, line: line)
        }
        XCTAssertEqual(try store.migrate().count, 0, file: file, line: line)
        XCTAssertEqual(try store.missingObjects(), [], file: file, line: line)
        XCTAssertEqual(try count("SELECT count(*) FROM query_labels"), 0, "recreated, empty", file: file, line: line)

        try store.executeScript("DROP TABLE querykind_migrations")
        XCTAssertEqual(try store.missingObjects().map(\.description), ["table \"querykind_migrations\""],
                       file: file, line: line)
        try store.migrate()
        XCTAssertEqual(try store.schemaVersion(), store.latestVersion, file: file, line: line)
        XCTAssertEqual(try column("SELECT name FROM querykind_migrations ORDER BY version"),
                       store.migrations.map(\.name), file: file, line: line)
    }

    /// The report reads the same definitions on every engine (the full document is compared across engines by
    /// `PostgresReportMigrateCLITests`): a label shared by two rows is one example with the lowest id's text.
    func reportShowsTheLowestIdsTextForASharedLabel() throws {
        try prepareQueries(["zebra", "apple", "mango"])
        let runID = try startRun()
        XCTAssertEqual(try store.claimPending(pending(), runID: runID, after: nil, limit: 3).count, 3,
                       "a run writes the rows it claimed", file: file, line: line)
        var batch = LabelBatch(model: Self.model)
        let shared = StoredLabel(kind: "keyword", pKeyword: 0.5625, pQuestion: 0.25)
        batch.outcomes = [(2, .labeled(shared)), (1, .labeled(shared)),
                          (3, .labeled(StoredLabel(kind: "statement", pKeyword: 0.25, pQuestion: 0.25)))]
        batch.counters.scanned = 3
        batch.counters.labeled = 3
        batch.counters.cacheHits = 1
        try store.write(batch, runID: runID)
        try store.finishRun(runID, status: .finished, error: nil)
        let report = try store.report()
        XCTAssertEqual(report.leastConfident.map(\.queryID), [1, 3], file: file, line: line)
        XCTAssertEqual(report.leastConfident.map(\.text), ["zebra", "mango"], file: file, line: line)
        XCTAssertEqual(report.leastConfident.map(\.rows), [2, 1], file: file, line: line)
        XCTAssertEqual(report.keywordHistogram, [0, 0, 1, 0, 0, 2, 0, 0, 0, 0], file: file, line: line)
        XCTAssertEqual(report.cache.hitRate, 1.0 / 3.0, file: file, line: line)
    }
}
