import Foundation
import QueryKindTestSupport
import XCTest

/// Many `label` processes on one PostgreSQL table at once (which SQLite refuses): they share the work through
/// claimed batches and every row is labeled exactly once.
final class PostgresWorkersTests: XCTestCase {
    /// 4 workers started together on 100,000 rows (repeated texts, 1% unlabelable, a few 100 KB texts): every row
    /// has one label or error row, no claim is left, the runs' counters add up to the row count and each run's
    /// counters equal the labels that name it (so no row was written twice, not even over itself), every run
    /// finished, the work was really shared (at least two workers wrote labels), and no transaction deadlocked.
    func testFourWorkersLabelEveryRowExactlyOnce() throws {
        let pg = try makePostgresDatabase()
        defer { pg.remove() }
        let table = WorkerTable(rows: 100_000)
        let workers = try table.startWorkers(4, on: pg)
        var summaries: [LabelSummary] = []
        for worker in workers {
            let output = try worker.wait()
            XCTAssertEqual(output.status, 0, output.stderr)
            if let summary = try? JSONDecoder().decode(LabelSummary.self, from: Data(output.stdout.utf8)) {
                summaries.append(summary)
            } else {
                XCTFail("no --json summary: \(output.stdout) \(output.stderr)")
            }
        }
        XCTAssertEqual(summaries.map(\.status), Array(repeating: "finished", count: 4))
        XCTAssertEqual(summaries.map { $0.counters.rows_labeled + $0.counters.rows_with_errors }.reduce(0, +),
                       table.count, "the summaries add up to the table")

        try table.assertLabeledExactlyOnce(pg)
        let runs = try pg.runs()
        XCTAssertEqual(runs.count, 4, "\(runs)")
        XCTAssertEqual(runs.map(\.status), Array(repeating: "finished", count: 4), "\(runs)")
        XCTAssertGreaterThanOrEqual(runs.filter { $0.rowsLabeled > 0 }.count, 2, "the work was not shared: \(runs)")
        XCTAssertEqual(try pg.deadlocks(), 0, "deadlocks between the workers' transactions (see the server log)")
    }
}

/// The table of the worker tests: ids 1…n, `cliQueries` texts (many repeats), 1% unlabelable rows (NULL, empty,
/// whitespace-only, ids ≡ 50 mod 100) and three 100 KB texts (labeled: the tokenizer truncates them).
struct WorkerTable {
    let count: Int
    let texts: [String?]
    /// Ids whose text cannot be labeled: each must end with an error row.
    let unlabelable: [Int]
    /// Ids of the 100 KB texts.
    let huge: [Int]

    init(rows: Int) {
        count = rows
        var texts = cliQueries(rows).map { Optional($0) }
        var unlabelable: [Int] = []
        for id in stride(from: 50, through: rows, by: 100) {
            texts[id - 1] = [nil, "", " \t \n "][(id / 100) % 3]
            unlabelable.append(id)
        }
        let huge = [rows / 100 + 1, rows / 2 + 1, rows - 1].filter { $0 % 100 != 50 }
        for id in huge { texts[id - 1] = "query \(id) " + String(repeating: "very long search words ", count: 4_400) }
        self.texts = texts
        self.unlabelable = unlabelable
        self.huge = huge
    }

    /// Creates this table in `pg`, migrates, and starts `count` `label` workers on it (tiny model, 500 rows per
    /// batch, `--json`, plus `arguments`).
    func startWorkers(_ count: Int, on pg: PostgresCLIDatabase, arguments: [String] = []) throws -> [Child] {
        try pg.createQueries(texts)
        try pg.migrate()
        return try (0..<count).map { _ in
            try pg.launch(["label", "--db", pg.db, "--model", CommandRunner.tinyModel, "--rows-per-transaction", "500",
                           "--json"] + arguments)
        }
    }

    /// Every row labeled once: one `query_labels` row per source row and none for anything else, errors exactly
    /// on the unlabelable rows, no claim left, and the runs' counters adding up, run by run, to the labels they wrote.
    func assertLabeledExactlyOnce(_ pg: PostgresCLIDatabase, file: StaticString = #filePath, line: UInt = #line) throws {
        let sourceRows = try pg.count("SELECT count(*) FROM queries")
        XCTAssertEqual(try pg.count("SELECT count(*) FROM query_labels"), sourceRows, "labels", file: file, line: line)
        XCTAssertEqual(try pg.count("""
            SELECT count(*) FROM queries AS q WHERE NOT EXISTS (SELECT 1 FROM query_labels WHERE query_id = q.id)
            """), 0, "unlabeled rows", file: file, line: line)
        XCTAssertEqual(try pg.count("SELECT count(*) FROM label_claims"), 0, "claims left", file: file, line: line)
        let errors = try pg.rows("SELECT error, count(*) FROM query_labels WHERE error IS NOT NULL GROUP BY 1")
        XCTAssertEqual(errors.map { Int($0[1]) ?? 0 }.reduce(0, +), unlabelable.count, "error rows: \(errors)",
                       file: file, line: line)
        let idList = unlabelable.map(String.init).joined(separator: ",")
        XCTAssertEqual(try pg.count("SELECT count(*) FROM query_labels WHERE error IS NOT NULL AND query_id IN (\(idList))"),
                       unlabelable.count, "errors on the unlabelable rows", file: file, line: line)
        XCTAssertEqual(try pg.count("""
            SELECT count(*) FROM query_labels WHERE kind IS NOT NULL AND query_id IN (\(huge.map(String.init).joined(separator: ",")))
            """), huge.count, "100 KB texts are labeled", file: file, line: line)
        let runs = try pg.runs()
        XCTAssertEqual(runs.map { $0.rowsLabeled + $0.rowsWithErrors }.reduce(0, +), sourceRows,
                       "the runs' rows_labeled + rows_with_errors: \(runs)", file: file, line: line)
        for run in runs {
            XCTAssertEqual(run.rowsLabeled + run.rowsWithErrors, run.labelsWritten, "\(run)", file: file, line: line)
        }
    }
}
