import Foundation
import LabelStore
import QueryKindTestSupport
import SQLiteStore
import XCTest

/// Edges of the source table, each tried with the real `querykind` binary on a real SQLite file: ids at both
/// ends of SQLite's integer range, `--id-column rowid` on sources that have no rowid, and a row inserted below the
/// highest id while `watch` runs.
final class LabelEdgeCLITests: XCTestCase {
    /// Every integer id is labeled, −2⁶³ and 2⁶³−1 included, by `label` (one row per transaction, so the cursor
    /// passes both ends) and by `watch`. (A cursor that starts at `id > Int64.min` never claims the first row.)
    func testLabelAndWatchLabelTheSmallestAndLargestIds() throws {
        let ids: [Int64] = [Int64.min, Int64.min + 1, -1, 0, 1, Int64.max - 1, Int64.max]
        for command in ["label", "watch"] {
            let folder = try CLIFolder()
            let connection = try folder.createQueries([])
            for id in ids {
                try connection.run("INSERT INTO queries (id, text) VALUES (?, ?)",
                                   [.integer(id), .text("where is query number \(id)?")])
            }
            let model = ["--model", CommandRunner.tinyModel, "--rows-per-transaction", "1"]
            if command == "label" {
                let summary = try folder.label(model)
                XCTAssertEqual(summary.status, "finished")
                XCTAssertEqual(summary.counters.rows_scanned, ids.count)
                XCTAssertEqual(summary.counters.rows_labeled, ids.count)
            } else {
                let watch = try CommandRunner.launch(["watch", "--db", folder.db, "--interval", "0.1"] + model,
                                                     in: folder.url)
                defer { if watch.process.isRunning { watch.signal(SIGKILL) } }
                try waitUntil(within: 60) {
                    (try? folder.count("SELECT count(*) FROM query_labels")) == ids.count || !watch.process.isRunning
                }
                watch.signal(SIGTERM)
                let output = try watch.wait(timeout: 60)
                XCTAssertEqual(output.status, 0, output.stderr)
            }
            // Compared as text: SQLite's own rendering of the stored integers, so a REAL or a rounded id shows.
            XCTAssertEqual(try folder.rows("SELECT query_id, typeof(query_id) FROM query_labels ORDER BY query_id",
                                           columns: 2),
                           ids.map { ["\($0)", "integer"] }, command)
            XCTAssertEqual(try folder.rows("SELECT id FROM queries_labeled WHERE kind IS NOT NULL ORDER BY id",
                                           columns: 1), ids.map { ["\($0)"] }, "\(command): the view shows each label")
            XCTAssertEqual(try folder.rows("SELECT status, rows_scanned FROM label_runs", columns: 2),
                           [["finished", "\(ids.count)"]], command)
            // Nothing is left for a second pass: the smallest id is not "pending forever".
            let again = try folder.label(["--model", CommandRunner.tinyModel])
            XCTAssertEqual(again.counters.rows_scanned, 0, command)
        }
    }

    /// `--id-column rowid` on a source without a rowid says which kind of source it is, in one line, for `label`
    /// and `watch`, and leaves the file byte for byte as it was. On an ordinary table `rowid` works.
    func testRowidOnAViewOrAWithoutRowidTableSaysWhatIsWrong() throws {
        let sources: [(name: String, sql: String, expected: String)] = [
            ("WITHOUT ROWID table",
             "CREATE TABLE queries (id INTEGER PRIMARY KEY, text TEXT) WITHOUT ROWID; "
                + "INSERT INTO queries VALUES (1, 'cheap flights'), (2, 'why is the sky blue?');",
             "\"queries\" is a WITHOUT ROWID table, which has no rowid"),
            ("view",
             "CREATE TABLE logs (id INTEGER PRIMARY KEY, text TEXT); "
                + "INSERT INTO logs VALUES (1, 'cheap flights'), (2, 'why is the sky blue?'); "
                + "CREATE VIEW queries AS SELECT id, text FROM logs;",
             "\"queries\" is a view, which has no rowid"),
        ]
        for source in sources {
            for command in ["label", "watch"] {
                let folder = try CLIFolder()
                try Connection(path: folder.db, mode: .readWriteCreate).execute(source.sql)
                let before = try XCTUnwrap(folder.databaseBytes())
                let name = "\(command) on a \(source.name)"
                let output = try CommandRunner.launch(
                    [command, "--db", folder.db, "--model", CommandRunner.tinyModel, "--id-column", "rowid"],
                    in: folder.url).wait(timeout: 60)
                XCTAssertNotEqual(output.status, 0, name)
                XCTAssertEqual(output.stderr.split(separator: "\n").count, 1, "\(name): \(output.stderr)")
                XCTAssertTrue(output.stderr.contains(source.expected), "\(name): \(output.stderr)")
                XCTAssertFalse(output.stderr.contains("non-integer"), "\(name): \(output.stderr)")
                XCTAssertFalse(output.stderr.contains("NULL"), "\(name): \(output.stderr)")
                XCTAssertEqual(output.stdout, "", name)
                XCTAssertEqual(folder.databaseBytes(), before, "\(name): the file changed")
                XCTAssertFalse(folder.hasWALFiles, name)
            }
        }

        // The control: the same rows in an ordinary table are labeled by their rowid.
        let folder = try CLIFolder()
        try Connection(path: folder.db, mode: .readWriteCreate).execute(
            "CREATE TABLE queries (text TEXT); INSERT INTO queries VALUES ('cheap flights'), ('why is the sky blue?');")
        let summary = try folder.label(["--model", CommandRunner.tinyModel, "--id-column", "rowid"])
        XCTAssertEqual(summary.counters.rows_labeled, 2)
        XCTAssertEqual(try folder.rows("SELECT query_id FROM query_labels ORDER BY 1", columns: 1), [["1"], ["2"]])
    }

    /// A row inserted with an id below the highest one `watch` has covered is labeled by the same `watch` process
    /// within its documented full rescan (docs/database.md, "Faults": every 60 polls), while a row above it is labeled by the
    /// next poll; each row is scanned once.
    func testWatchLabelsARowInsertedBelowTheHighestIdByItsFullRescan() throws {
        let folder = try CLIFolder()
        let connection = try folder.createQueries([])
        for id in [100, 200, 300] {
            try connection.run("INSERT INTO queries (id, text) VALUES (?, ?)",
                               [.integer(Int64(id)), .text("query \(id)")])
        }
        let interval = 0.05
        let watch = try CommandRunner.launch(
            ["watch", "--db", folder.db, "--model", CommandRunner.tinyModel, "--interval", "\(interval)"],
            in: folder.url)
        defer { if watch.process.isRunning { watch.signal(SIGKILL) } }
        try waitUntil(within: 60) { (try? folder.count("SELECT count(*) FROM query_labels")) == 3 || !watch.process.isRunning }
        XCTAssertTrue(watch.process.isRunning, watch.stderr)

        try connection.run("INSERT INTO queries (id, text) VALUES (150, 'a late query with a low id')")
        let inserted = Date()
        let labeled = { (id: Int) in
            (try? folder.count("SELECT count(*) FROM query_labels WHERE query_id = \(id)")) == 1
        }
        try waitUntil(within: 60) { labeled(150) || !watch.process.isRunning }
        let waited = Date().timeIntervalSince(inserted)
        XCTAssertTrue(watch.process.isRunning, watch.stderr)
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels WHERE query_id = 150 AND kind NOTNULL"), 1)
        // 60 polls of 0.05 s is 3 s plus the polls' own work; the bound is generous for a loaded machine, and far
        // below the poll helper's 60 s, so a rescan that never comes fails the line above instead.
        XCTAssertLessThan(waited, 60 * interval + 25, "the full rescan took \(waited) s")

        try connection.run("INSERT INTO queries (id, text) VALUES (400, 'a late query with a high id')")
        try waitUntil(within: 60) { labeled(400) || !watch.process.isRunning }

        watch.signal(SIGTERM)
        let output = try watch.wait(timeout: 60)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(try folder.rows("SELECT command, status, rows_scanned FROM label_runs", columns: 3),
                       [["watch", "finished", "5"]], "one run labeled every row, each once")
        XCTAssertEqual(try folder.count("SELECT count(DISTINCT run_id) FROM query_labels"), 1)
        print("LabelEdgeCLITests: the row below the highest id waited \(String(format: "%.2f", waited)) s")
    }
}
