import Foundation
import QueryKindTestSupport
@testable import PostgresStore
import XCTest

/// Reading a database URL the way libpq does: the parts, the defaults, and where the password comes from.
final class PostgresLocationTests: XCTestCase {
    func testURLPartsAndDefaults() throws {
        let full = try PostgresLocation(url: "postgres://ana:s3cret@db.example:6543/logs?sslmode=disable", environment: [:])
        XCTAssertEqual([full.user, full.host, String(full.port), full.database], ["ana", "db.example", "6543", "logs"])
        XCTAssertEqual("\(full)", "postgres://ana@db.example:6543/logs", "the description never shows the password")
        let bare = try PostgresLocation(url: "postgresql://ana@db.example", environment: [:])
        XCTAssertEqual([bare.host, String(bare.port), bare.database], ["db.example", "5432", "ana"])
    }

    func testBadURLsAreRefusedWithoutShowingThePassword() {
        XCTAssertFalse(PostgresLocation.isURL("labels.sqlite"))
        XCTAssertThrowsError(try PostgresLocation(url: "postgres://ana:s3cret@host/db?sslmode=sometimes",
                                                  environment: [:])) { error in
            XCTAssertTrue("\(error)".contains("sslmode"), "\(error)")
            XCTAssertFalse("\(error)".contains("s3cret"), "\(error)")
        }
    }

    func testPasswordFromEnvironmentThenPgpass() throws {
        let folder = try TemporaryFolder("pgpass")
        defer { folder.remove() }
        let pgpass = folder.file("pgpass")
        try """
            # host:port:database:user:password
            other:5432:*:ana:wrong
            db.example:*:logs:ana:from\\:file
            """.write(to: pgpass, atomically: true, encoding: .utf8)
        let url = "postgres://ana@db.example/logs"
        XCTAssertEqual(try PostgresLocation(url: url, environment: ["PGPASSFILE": pgpass.path]).password,
                       "from:file")
        XCTAssertEqual(try PostgresLocation(url: url, environment: ["PGPASSFILE": pgpass.path, "PGPASSWORD": "env"])
            .password, "env", "PGPASSWORD comes before the file")
        XCTAssertEqual(try PostgresLocation(url: "postgres://ana:url@db.example/logs",
                                            environment: ["PGPASSWORD": "env"]).password, "url")
        XCTAssertNil(try PostgresLocation(url: "postgres://bob@db.example/logs",
                                          environment: ["PGPASSFILE": pgpass.path]).password)
    }
}
