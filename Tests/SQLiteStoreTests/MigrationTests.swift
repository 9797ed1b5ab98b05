import Foundation
import LabelStore
@testable import SQLiteStore
import QueryKindTestSupport
import XCTest

final class MigrationTests: XCTestCase {
    func testFreshDatabaseGetsEveryMigrationRecordedByName() throws {
        let db = try ScratchDatabase()
        defer { db.remove() }
        let store = try SQLiteLabelStore(path: db.path, access: .create)
        let applied = try store.migrate()
        XCTAssertEqual(applied.map(\.name), SQLiteMigrations.all.map(\.name))
        XCTAssertEqual(try store.schemaVersion(), SQLiteMigrations.latestVersion)
        let recorded = try store.connection.query(
            "SELECT version, name, applied_at FROM querykind_migrations ORDER BY version") {
            ($0.int64(0), $0.string(1), $0.string(2))
        }
        XCTAssertEqual(recorded.map(\.1), SQLiteMigrations.all.map(\.name))
        XCTAssertTrue(recorded.allSatisfy { $0.2.hasSuffix("Z") }, "applied_at is readable UTC time")
        for table in ["query_labels", "label_cache", "label_runs"] {
            XCTAssertEqual(try store.connection.scalarInt(
                "SELECT count(*) FROM sqlite_schema WHERE name = ?", [.text(table)]), 1, table)
        }
        XCTAssertEqual(try store.connection.query("PRAGMA journal_mode") { $0.string(0) }, ["wal"])
    }

    func testMigratingAgainWritesNothing() throws {
        let db = try ScratchDatabase()
        defer { db.remove() }
        try SQLiteLabelStore(path: db.path, access: .create).migrate()
        let store = try SQLiteLabelStore(path: db.path, access: .readWrite)
        let before = try store.connection.scalarInt("PRAGMA data_version")
        let changesBefore = try store.connection.scalarInt("SELECT total_changes()")
        XCTAssertEqual(try store.migrate().count, 0)
        XCTAssertEqual(try store.connection.scalarInt("SELECT total_changes()"), changesBefore)
        XCTAssertEqual(try store.connection.scalarInt("PRAGMA data_version"), before)
        XCTAssertEqual(try store.connection.scalarInt("SELECT count(*) FROM querykind_migrations"),
                       Int64(SQLiteMigrations.all.count))
    }

    /// A database left at version 1 by an older querykind gets the later migrations and keeps its runs.
    func testVersionOneDatabaseIsUpgradedKeepingItsRuns() throws {
        let db = try ScratchDatabase()
        defer { db.remove() }
        let store = try SQLiteLabelStore(path: db.path, access: .create)
        try store.connection.execute(SQLiteMigrations.all[0].sql + """
            ;
            CREATE TABLE querykind_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
                applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));
            INSERT INTO querykind_migrations (version, name) VALUES (1, '001_initial');
            INSERT INTO label_runs (command, model, source_table, text_column, id_column, host, pid, status)
            VALUES ('label', 'm@1', 'queries', 'text', 'id', 'h', 1, 'finished');
            """)
        XCTAssertEqual(try store.migrate().map(\.version), Array(2...SQLiteMigrations.latestVersion))
        XCTAssertEqual(try store.connection.query("SELECT status, retries, last_error FROM label_runs") {
            [$0.string(0), $0.string(1), $0.optionalString(2) ?? "NULL"]
        }, [["finished", "0", "NULL"]])
        XCTAssertEqual(try store.missingObjects(), [])
    }

    /// querykind's objects dropped by hand are listed, then recreated by `migrate` (empty), and only they.
    func testDroppedObjectsAreFoundAndRecreated() throws {
        let db = try ScratchDatabase()
        defer { db.remove() }
        let store = try SQLiteLabelStore(path: db.path, access: .create)
        try store.migrate()
        try store.connection.execute("DROP TABLE label_cache; DROP INDEX query_labels_by_model_kind")
        XCTAssertEqual(try store.missingObjects().map(\.description),
                       ["index \"query_labels_by_model_kind\"", "table \"label_cache\""], "in creation order")
        XCTAssertEqual(try store.migrate().count, 0)
        XCTAssertEqual(try store.missingObjects(), [])
        XCTAssertEqual(try store.connection.scalarInt("SELECT count(*) FROM label_cache"), 0)
    }

    func testNewerSchemaIsRefusedWithVersionsInTheMessage() throws {
        let db = try ScratchDatabase()
        defer { db.remove() }
        let store = try SQLiteLabelStore(path: db.path, access: .create)
        try store.migrate()
        try store.connection.run("INSERT INTO querykind_migrations (version, name) VALUES (999, '999_future')")
        let error = expectError { try store.migrate() }
        XCTAssertEqual(error as? StoreError, .newerSchema(found: 999, known: SQLiteMigrations.latestVersion))
        XCTAssertTrue("\(error!)".contains("999"))
        XCTAssertThrowsError(try store.requireCurrentSchema())
    }

    func testMigrationRecordedUnderAnotherNameIsRefused() throws {
        let db = try ScratchDatabase()
        defer { db.remove() }
        let store = try SQLiteLabelStore(path: db.path, access: .create)
        try store.migrate()
        try store.connection.run("UPDATE querykind_migrations SET name = '001_other' WHERE version = 1")
        XCTAssertEqual(expectError { try store.migrate() } as? StoreError,
                       .migrationMismatch(version: 1, found: "001_other", expected: "001_initial"))
    }

    /// The embedded list and the `Migrations/` folder cannot drift: every file is embedded, byte for byte,
    /// in file-name order, with the version taken from the file's number.
    func testEveryMigrationFileIsEmbeddedInOrder() throws {
        let folder = Repository.url("Migrations")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".sql") }.sorted()
        XCTAssertFalse(files.isEmpty)
        XCTAssertEqual(files.map { String($0.dropLast(4)) }, SQLiteMigrations.all.map(\.name),
                       "add each Migrations/*.sql file to SQLiteMigrations.all")
        for (file, migration) in zip(files, SQLiteMigrations.all) {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            XCTAssertEqual(text, migration.sql, file)
            XCTAssertEqual(Int(file.prefix { $0.isNumber }), migration.version, file)
        }
        XCTAssertEqual(SQLiteMigrations.all.map(\.version), Array(1...SQLiteMigrations.all.count))
    }

    func testFailedMigrationLeavesNoTrace() throws {
        let db = try ScratchDatabase()
        defer { db.remove() }
        let connection = try Connection(path: db.path, mode: .readWriteCreate)
        // A user table that clashes with one the first migration creates.
        try connection.execute("CREATE TABLE label_cache (x)")
        let store = try SQLiteLabelStore(path: db.path, access: .readWrite)
        let error = expectError { try store.migrate() }
        XCTAssertTrue("\(error!)".contains("label_cache"), "\(error!)")
        XCTAssertEqual(try store.schemaVersion(), 0)
        XCTAssertEqual(try connection.scalarInt(
            "SELECT count(*) FROM sqlite_schema WHERE name IN ('query_labels', 'querykind_migrations')"), 0)
    }
}
