import Foundation
import LabelStore
import SQLiteStore
import XCTest

final class MigrateCLITests: XCTestCase {
    func testMigrateCreatesTheSchemaAndIsIdempotent() throws {
        let folder = try CLIFolder()
        let first = try CommandRunner.run(["migrate", "--db", folder.db], in: folder.url)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("applied 001_initial"), first.stdout)
        let second = try CommandRunner.run(["migrate", "--db", folder.db], in: folder.url)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("already at version \(SQLiteMigrations.latestVersion)"), second.stdout)
        XCTAssertEqual(try folder.count("SELECT count(*) FROM querykind_migrations"), SQLiteMigrations.all.count)
    }

    func testMigrateWithTableCreatesTheView() throws {
        let folder = try CLIFolder()
        try folder.createQueries(["a"])
        let output = try CommandRunner.run(["migrate", "--db", folder.db, "--table", "queries"], in: folder.url)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(try folder.count("SELECT count(*) FROM queries_labeled WHERE kind IS NULL"), 1)
        let missing = try CommandRunner.run(["migrate", "--db", folder.db, "--table", "nope"], in: folder.url)
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("table \"nope\" not found"), missing.stderr)
    }

    /// The migrations are compiled into the binary: a copy alone in another folder still migrates.
    func testCopiedBinaryMigratesWithoutAnyResourceBundle() throws {
        let folder = try CLIFolder()
        let copy = folder.url.appendingPathComponent("querykind")
        try FileManager.default.copyItem(at: try CommandRunner.requireExecutable(), to: copy)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.url.path), ["querykind"])
        let output = try CommandRunner.run(["migrate", "--db", "copied.db"], in: folder.url, executable: copy)
        XCTAssertEqual(output.status, 0, output.stderr)
        let store = try SQLiteLabelStore(path: folder.url.appendingPathComponent("copied.db").path, access: .readOnly)
        XCTAssertEqual(try store.schemaVersion(), SQLiteMigrations.latestVersion)
    }

    func testNewerSchemaIsRefused() throws {
        let folder = try CLIFolder()
        XCTAssertEqual(try CommandRunner.run(["migrate", "--db", folder.db], in: folder.url).status, 0)
        try Connection(path: folder.db, mode: .readWrite)
            .run("INSERT INTO querykind_migrations (version, name) VALUES (99, '099_future')")
        let output = try CommandRunner.run(["migrate", "--db", folder.db], in: folder.url)
        XCTAssertNotEqual(output.status, 0)
        XCTAssertTrue(output.stderr.contains("version 99"), output.stderr)
        XCTAssertEqual(output.stderr.split(separator: "\n").count, 1, output.stderr)
    }
}
