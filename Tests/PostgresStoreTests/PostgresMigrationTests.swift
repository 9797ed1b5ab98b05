import Foundation
import LabelStore
import QueryKindTestSupport
@testable import PostgresStore
import XCTest

/// The PostgreSQL migrations: every file in `Migrations/postgres` is embedded in order, and each splits into the
/// statements PostgresNIO sends one at a time.
final class PostgresMigrationTests: XCTestCase {
    func testEveryMigrationFileIsEmbeddedInOrder() throws {
        let folder = Repository.url("Migrations/postgres")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        XCTAssertEqual(files.map { String($0.dropLast(4)) }, PostgresMigrations.all.map(\.name))
        for (file, migration) in zip(files, PostgresMigrations.all) {
            XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8), migration.sql)
            XCTAssertEqual(Int(file.prefix { $0.isNumber }), migration.version)
        }
    }

    func testStatementsSplitAtSemicolonsOutsideQuotesAndComments() {
        let migration = Migration(version: 9, name: "009_test", bytes: Array("""
            -- a comment; with a semicolon
            CREATE TABLE "odd;name" (a text DEFAULT 'x;y'); -- trailing; comment
            INSERT INTO t VALUES ('it''s; fine');

            """.utf8))
        XCTAssertEqual(migration.statements, [
            "CREATE TABLE \"odd;name\" (a text DEFAULT 'x;y')",
            "INSERT INTO t VALUES ('it''s; fine')",
        ])
        XCTAssertEqual(PostgresMigrations.all[0].statements.filter { $0.hasPrefix("CREATE TABLE") }.count, 5)
    }
}
