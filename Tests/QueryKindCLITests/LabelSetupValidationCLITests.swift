import Foundation
import LabelStore
import XCTest

/// "Bad setup writes nothing", byte for byte: every check runs read-only before the journal mode or the
/// schema changes, and each refusal is one short line.
final class LabelSetupValidationCLITests: XCTestCase {
    /// A refused run leaves the file exactly as it was: not even switched to WAL (which rewrites the header).
    func testRefusedRunsLeaveTheFileByteForByte() throws {
        let folder = try CLIFolder()
        try folder.createQueries(["a", "b"])
        let corruptModel = try folder.makeCorruptModel()
        let model = ["--model", CommandRunner.tinyModel]
        let cases: [(name: String, prepare: () throws -> Void, arguments: [String], expected: String)] = [
            ("missing table", {}, ["label", "--db", folder.db, "--table", "searches"] + model, "\"searches\""),
            ("non-integer id column", {}, ["label", "--db", folder.db, "--id-column", "text"] + model, "non-integer"),
            ("corrupt model", {}, ["label", "--db", folder.db, "--model", corruptModel], "config.json"),
            ("0-byte file", { try Data().write(to: URL(fileURLWithPath: folder.db)) },
             ["label", "--db", folder.db] + model, "table \"queries\" not found"),
            ("damaged database", {
                try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: folder.db))
            }, ["label", "--db", folder.db] + model, "not a database"),
        ]
        for (name, prepare, arguments, expected) in cases {
            try prepare()
            let before = try XCTUnwrap(folder.databaseBytes(), name)
            let output = try CommandRunner.run(arguments, in: folder.url)
            XCTAssertNotEqual(output.status, 0, name)
            XCTAssertEqual(output.stderr.split(separator: "\n").count, 1, "\(name): \(output.stderr)")
            XCTAssertTrue(output.stderr.contains(expected), "\(name): \(output.stderr)")
            XCTAssertEqual(folder.databaseBytes(), before, "\(name): the file changed")
            XCTAssertFalse(folder.hasWALFiles, name)
        }
    }

    /// A user's own table or view named like one of querykind's is found before any migration runs, and the
    /// error names it in one short line instead of dumping the migration script.
    func testUserObjectsNamedLikeQuerykindsAreRefusedBeforeMigrating() throws {
        for (clash, command) in [("CREATE TABLE query_labels (id INTEGER, note TEXT)", "label"),
                                 ("CREATE TABLE queries_labeled (id INTEGER)", "label"),
                                 ("CREATE VIEW label_cache AS SELECT 1 AS one", "migrate")] {
            let folder = try CLIFolder()
            try folder.createQueries(["a"])
            try folder.execute(clash)
            let name = clash.split(separator: " ")[2]
            let before = try XCTUnwrap(folder.databaseBytes())
            let arguments = command == "migrate" ? ["migrate", "--db", folder.db]
                : ["label", "--db", folder.db, "--model", CommandRunner.tinyModel]
            let output = try CommandRunner.run(arguments, in: folder.url)
            XCTAssertNotEqual(output.status, 0, clash)
            XCTAssertEqual(output.stderr.split(separator: "\n").count, 1, output.stderr)
            XCTAssertTrue(output.stderr.contains("\"\(name)\""), output.stderr)
            XCTAssertLessThan(output.stderr.count, 400, "one short line, no SQL script: \(output.stderr)")
            XCTAssertEqual(folder.databaseBytes(), before, "\(clash): nothing migrated")
        }
    }

    /// A source table with its own `kind` or `model` column (any of the columns the view adds) is refused before
    /// anything is written: SQLite's view used to show both, the second as `kind:1`, so `GROUP BY kind` silently
    /// counted the source's column. The fix the line suggests, a view of the table without the column, works.
    func testASourceColumnNamedLikeALabelColumnIsRefusedAndTheSuggestedViewWorks() throws {
        for column in ["kind", "Model"] {
            let folder = try CLIFolder()
            try folder.createQueries(["where is berlin?", "cheap flights paris"],
                                     columns: "id INTEGER PRIMARY KEY, text TEXT, \(column) TEXT DEFAULT 'mine'")
            let before = try XCTUnwrap(folder.databaseBytes())
            let output = try CommandRunner.run(["label", "--db", folder.db, "--model", CommandRunner.tinyModel],
                                               in: folder.url)
            XCTAssertEqual(output.status, 1, "\(column): \(output.stderr)")
            XCTAssertEqual(output.stderr.split(separator: "\n").count, 1, output.stderr)
            XCTAssertTrue(output.stderr.contains("column \"\(column)\"") && output.stderr.contains("\"queries_labeled\"")
                          && output.stderr.contains("--table"), output.stderr)
            XCTAssertEqual(folder.databaseBytes(), before, "\(column): nothing written")

            try folder.execute("CREATE VIEW queries_to_label AS SELECT id, text FROM queries")
            _ = try folder.label(["--model", CommandRunner.tinyModel, "--table", "queries_to_label"])
            XCTAssertEqual(try folder.count("SELECT count(*) FROM queries_to_label_labeled WHERE kind IS NOT NULL"), 2)
        }
    }

    /// Durations that cannot be a wait (infinite, huge, negative, not a number) are usage errors, not a crash; so is
    /// an interval too short to be one (0.0001 s rounded to 0 ms and watch polled in a busy loop).
    func testOutOfRangeDurationsAreUsageErrors() throws {
        let folder = try CLIFolder()
        try folder.createQueries(["a"])
        let before = try XCTUnwrap(folder.databaseBytes())
        let run = ["--db", folder.db, "--model", CommandRunner.tinyModel]
        let cases: [(arguments: [String], option: String)] = ["inf", "1e300", "nan", "-1"].flatMap { value in
            [(["label"] + run, "--busy-timeout"), (["watch"] + run, "--busy-timeout"),
             (["migrate", "--db", folder.db], "--busy-timeout")].map { ($0.0 + ["\($0.1)=\(value)"], $0.1) }
        } + ["inf", "1e30", "nan", "0", "-2", "0.0001", "0.009"].map { (["watch"] + run + ["--interval=\($0)"], "--interval") }
        for (arguments, option) in cases {
            let (process, out, err) = try CommandRunner.start(arguments, in: folder.url)
            let output = try CommandRunner.finish(process, stdout: out, stderr: err)
            XCTAssertEqual(process.terminationReason, .exit, "\(arguments): crashed")
            XCTAssertEqual(output.status, 64, "\(arguments): \(output.stderr)")
            XCTAssertTrue(output.stderr.hasPrefix("Error: \(option) must be"), "\(arguments): \(output.stderr)")
            XCTAssertEqual(folder.databaseBytes(), before, "\(arguments)")
        }
    }
}
