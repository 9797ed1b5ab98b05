import Foundation
import LabelStore
import XCTest

/// querykind's tables dropped by hand: `migrate` finds and recreates them, and `watch` stops with a line that
/// says what is gone and how to fix it.
final class SchemaRepairCLITests: XCTestCase {
    func testMigrateRecreatesADroppedTableAndLabelingCarriesOn() throws {
        let (folder, label) = try CLIFolder.labeled(rows: 30)
        try folder.execute("DROP TABLE query_labels")

        _ = try folder.migrateRecreating("query_labels")
        XCTAssertEqual(try folder.count("SELECT count(*) FROM sqlite_schema WHERE name = 'query_labels_by_model_kind'"), 1)

        let relabel = try CommandRunner.run(label, in: folder.url)
        XCTAssertEqual(relabel.status, 0, relabel.stderr)
        XCTAssertEqual(try folder.count("SELECT count(*) FROM queries_labeled WHERE kind IS NOT NULL"), 30)
    }

    /// `label` itself repairs the schema before it starts (it migrates anyway).
    func testLabelRecreatesADroppedTable() throws {
        let (folder, label) = try CLIFolder.labeled(rows: 10)
        try folder.execute("DROP TABLE label_cache")
        let output = try CommandRunner.run(label, in: folder.url)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(try folder.count("SELECT count(*) FROM label_cache"), 0, "recreated, empty")
    }

    func testWatchSaysWhatIsMissingWhenATableIsDroppedUnderIt() throws {
        let folder = try CLIFolder()
        try folder.createQueries(cliQueries(10))
        let (process, out, err) = try CommandRunner.start(
            ["watch", "--db", folder.db, "--model", CommandRunner.tinyModel, "--interval", "0.05"], in: folder.url)
        try poll { (try? folder.count("SELECT count(*) FROM query_labels")) == 10 || !process.isRunning }
        try folder.execute("DROP VIEW queries_labeled; DROP TABLE query_labels")
        try folder.insert(["one more query"])
        let output = try CommandRunner.finish(process, stdout: out, stderr: err, within: 30)
        XCTAssertEqual(output.status, 1, output.stderr)
        let lastLine = output.stderr.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(lastLine.hasPrefix("Error: ") && lastLine.contains("\"query_labels\"")
                      && lastLine.contains("querykind migrate"), output.stderr)
        XCTAssertEqual(try folder.rows("SELECT status FROM label_runs", columns: 1), [["failed"]])
    }
}
