import Foundation
import LabelStore
import QueryKindTestSupport
import SQLiteStore
import XCTest

/// `migrate`'s repair of querykind's tables dropped by hand (on SQLite; `PostgresReportMigrateCLITests` does the
/// same on PostgreSQL): `migrate`, and `label`, which migrates anyway, find and recreate them, and `watch` stops with
/// a line that says what is gone and how to fix it. A dropped `querykind_migrations`, while querykind's tables
/// remain, is recreated recorded up to the version those tables show, instead of taking them for a user's; tables
/// that match no version get one line naming the missing table and what to do, and the file is left as it was.
final class MigrateRepairCLITests: XCTestCase {
    func testMigrateRecreatesADroppedTableAndLabelingCarriesOn() throws {
        let (folder, label) = try CLIFolder.labeled(rows: 30)
        try folder.execute("DROP TABLE query_labels")

        _ = try folder.migrateRecreating("query_labels")
        XCTAssertEqual(try folder.count("SELECT count(*) FROM sqlite_schema WHERE name = 'query_labels_by_model_kind'"), 1)

        let relabel = try CommandRunner.run(label, in: folder.url)
        XCTAssertEqual(relabel.status, 0, relabel.stderr)
        XCTAssertEqual(try folder.count("SELECT count(*) FROM queries_labeled WHERE kind IS NOT NULL"), 30)
    }

    /// `label` itself repairs the schema before it starts (it migrates anyway): a dropped `label_cache` comes back
    /// empty, then a dropped `querykind_migrations` comes back recorded up to the version the tables show, and the
    /// run labels the new row each time.
    func testLabelRecreatesDroppedTables() throws {
        let (folder, label) = try CLIFolder.labeled(rows: 10)
        for (table, labeled) in [("label_cache", 11), ("querykind_migrations", 12)] {
            try folder.execute("DROP TABLE \(table)")
            try folder.insert(["one more query \(labeled)"])
            let output = try CommandRunner.run(label, in: folder.url)
            XCTAssertEqual(output.status, 0, "\(table): \(output.stderr)")
            XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels"), labeled, table)
        }
        XCTAssertEqual(try folder.count("SELECT count(*) FROM label_cache"), 2, "recreated, then filled by the new rows")
        try assertAllMigrationsRecorded(folder)
    }

    func testWatchSaysWhatIsMissingWhenATableIsDroppedUnderIt() throws {
        let folder = try CLIFolder()
        try folder.createQueries(cliQueries(10))
        let (process, out, err) = try CommandRunner.start(
            ["watch", "--db", folder.db, "--model", CommandRunner.tinyModel, "--interval", "0.05"], in: folder.url)
        try waitUntil(within: 60) { (try? folder.count("SELECT count(*) FROM query_labels")) == 10 || !process.isRunning }
        try folder.execute("DROP VIEW queries_labeled; DROP TABLE query_labels")
        try folder.insert(["one more query"])
        let output = try CommandRunner.finish(process, stdout: out, stderr: err, within: 30)
        XCTAssertEqual(output.status, 1, output.stderr)
        let lastLine = output.stderr.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(lastLine.hasPrefix("Error: ") && lastLine.contains("\"query_labels\"")
                      && lastLine.contains("querykind migrate"), output.stderr)
        XCTAssertEqual(try folder.rows("SELECT status FROM label_runs", columns: 1), [["failed"]])
    }

    func testMigrateRecreatesTheDroppedMigrationsTableKeepingTheLabels() throws {
        let (folder, label) = try CLIFolder.labeled(rows: 20)
        try folder.execute("DROP TABLE querykind_migrations")

        let printed = try folder.migrateRecreating("querykind_migrations")
        XCTAssertTrue(printed.contains("schema already at version \(SQLiteMigrations.latestVersion)"), printed)
        try assertAllMigrationsRecorded(folder)
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels"), 20, "labels kept")

        try folder.insert(["one more query"])
        let relabel = try CommandRunner.run(label, in: folder.url)
        XCTAssertEqual(relabel.status, 0, relabel.stderr)
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels"), 21)
    }

    /// Tables exactly as migration 1 left them are recorded at version 1, then the later migrations are applied.
    func testVersionOneTablesAreRecordedAtOneAndUpgraded() throws {
        let folder = try CLIFolder()
        try folder.createQueries(cliQueries(3))
        try folder.execute(SQLiteMigrations.all[0].sql)
        let migrate = try CommandRunner.run(["migrate", "--db", folder.db], in: folder.url)
        XCTAssertEqual(migrate.status, 0, migrate.stderr)
        let later = SQLiteMigrations.all.dropFirst().map(\.name).joined(separator: ", ")
        XCTAssertTrue(migrate.stdout.contains("recreated missing table \"querykind_migrations\""), migrate.stdout)
        XCTAssertTrue(migrate.stdout.contains("(applied \(later))"), migrate.stdout)
        try assertAllMigrationsRecorded(folder)
    }

    /// With one of querykind's tables dropped too, no version matches: one line names `querykind_migrations` and
    /// what to do, and neither `migrate` nor `label` changes the file.
    func testTablesMatchingNoVersionGetOneLineAndTheFileIsLeftAsItWas() throws {
        let (folder, label) = try CLIFolder.labeled(rows: 5)
        try folder.execute("DROP TABLE querykind_migrations; DROP TABLE label_cache")
        let before = folder.databaseBytes()
        for arguments in [["migrate", "--db", folder.db], label] {
            let output = try CommandRunner.run(arguments, in: folder.url)
            XCTAssertEqual(output.status, 1, output.stderr)
            XCTAssertEqual(output.stderr.split(separator: "\n").count, 1, output.stderr)
            XCTAssertTrue(output.stderr.contains("querykind_migrations") && output.stderr.contains("is missing")
                          && output.stderr.contains("querykind migrate"), output.stderr)
            XCTAssertFalse(output.stderr.contains("not querykind's"), output.stderr)
            XCTAssertEqual(folder.databaseBytes(), before, arguments[0])
        }
    }

    private func assertAllMigrationsRecorded(_ folder: CLIFolder, file: StaticString = #filePath,
                                             line: UInt = #line) throws {
        XCTAssertEqual(try folder.rows("SELECT version, name FROM querykind_migrations ORDER BY version", columns: 2),
                       SQLiteMigrations.all.map { ["\($0.version)", $0.name] }, file: file, line: line)
    }
}
