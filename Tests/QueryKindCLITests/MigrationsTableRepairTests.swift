import Foundation
import LabelStore
import SQLiteStore
import XCTest

/// `querykind_migrations` dropped by hand while querykind's tables remain: `migrate` and `label` recreate it,
/// recorded up to the version those tables show, instead of taking them for a user's; tables that match no version
/// get one line naming the missing table and what to do, and the file is left as it was.
final class MigrationsTableRepairTests: XCTestCase {
    func testMigrateRecreatesTheDroppedTableKeepingTheLabels() throws {
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

    /// `label` migrates anyway, so it repairs the table before it starts.
    func testLabelRecreatesTheDroppedTable() throws {
        let (folder, label) = try CLIFolder.labeled(rows: 10)
        try folder.execute("DROP TABLE querykind_migrations")
        try folder.insert(["one more query"])
        let output = try CommandRunner.run(label, in: folder.url)
        XCTAssertEqual(output.status, 0, output.stderr)
        try assertAllMigrationsRecorded(folder)
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels"), 11)
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
