import Foundation
#if canImport(Glibc)
import Glibc
#endif
import QueryKindTestSupport
import XCTest

/// Bad PostgreSQL setups fail the way bad SQLite setups do: a non-zero exit, one `Error:` line naming the
/// problem, and nothing written: not one querykind table is created in the database.
final class PostgresSetupValidationTests: XCTestCase {
    /// Wrong password, closed port, server without TLS under `sslmode=require`, missing database, missing table,
    /// missing column, text id column, `report` on a database querykind never migrated.
    func testBadSetupFailsWithOneLineAndWritesNothing() throws {
        let pg = try makePostgresDatabase()
        defer { pg.remove() }
        try pg.createQueries(["where is berlin?", "cheap flights paris"])
        let closedPort = try Self.closedPort()
        let missingDatabase = pg.database.name + "_missing"
        let model = ["--model", CommandRunner.tinyModel]
        let connectionCases: [(String, String, String)] = [
            ("wrong password", pg.database.url(password: "not-the-password"), "password"),
            ("closed port", pg.database.url(port: closedPort), "\(closedPort)"),
            ("sslmode=require without TLS", pg.database.url(query: "sslmode=require"), "SSL"),
            ("missing database", pg.database.url(database: missingDatabase), missingDatabase),
        ]
        var cases: [(name: String, arguments: [String], expected: String)] = []
        for (name, url, expected) in connectionCases {
            cases += [(name + " (migrate)", ["migrate", "--db", url], expected),
                      (name + " (label)", ["label", "--db", url] + model, expected),
                      (name + " (watch)", ["watch", "--db", url, "--interval", "0.2"] + model, expected),
                      (name + " (report)", ["report", "--db", url], expected)]
        }
        cases += [
            ("missing table", ["label", "--db", pg.db, "--table", "searches"] + model, "\"searches\""),
            ("missing table (migrate)", ["migrate", "--db", pg.db, "--table", "searches"], "\"searches\""),
            ("missing table (watch)", ["watch", "--db", pg.db, "--table", "searches"] + model, "\"searches\""),
            ("missing column", ["label", "--db", pg.db, "--text-column", "query"] + model, "\"query\""),
            ("missing id column", ["label", "--db", pg.db, "--id-column", "query_id"] + model, "\"query_id\""),
            ("non-integer id column", ["label", "--db", pg.db, "--id-column", "text"] + model, "integer"),
            ("report on unmigrated", ["report", "--db", pg.db], "no querykind tables"),
        ]
        for (name, arguments, expected) in cases {
            let child = try pg.launch(arguments)
            let output: CommandRunner.Output
            do {
                output = try child.wait(timeout: 30)
            } catch {
                XCTFail("\(name): \(error)")
                continue
            }
            XCTAssertNotEqual(output.status, 0, name)
            XCTAssertEqual(output.stderr.split(separator: "\n").count, 1, "\(name): \(output.stderr)")
            XCTAssertTrue(output.stderr.hasPrefix("Error: "), "\(name): \(output.stderr)")
            XCTAssertTrue(output.stderr.localizedCaseInsensitiveContains(expected),
                          "\(name) should name \(expected): \(output.stderr)")
            XCTAssertLessThan(output.stderr.count, 400, "\(name): one short line: \(output.stderr)")
            XCTAssertFalse(output.stderr.contains(pg.database.password ?? "-"), "\(name) prints the password")
            XCTAssertEqual(try pg.database.relations(), ["queries"], "\(name): nothing written")
        }
        XCTAssertEqual(try PostgresScratchDatabase.psql(
            url: pg.database.clusterURL,
            sql: "SELECT count(*) FROM pg_database WHERE datname = '\(missingDatabase)'"), "0\n", "no database created")
    }

    /// A table of the user's named like querykind's view (`queries_labeled`) is refused before anything is written,
    /// and is never replaced.
    func testATableNamedLikeTheViewIsRefusedAndKept() throws {
        let pg = try makePostgresDatabase()
        defer { pg.remove() }
        try pg.createQueries(["where is berlin?"])
        try pg.execute("CREATE TABLE queries_labeled (note text); INSERT INTO queries_labeled VALUES ('mine')")
        for arguments in [["label", "--db", pg.db, "--model", CommandRunner.tinyModel],
                          ["migrate", "--db", pg.db, "--table", "queries"]] {
            let output = try pg.run(arguments)
            XCTAssertNotEqual(output.status, 0, arguments[0])
            XCTAssertTrue(output.stderr.hasPrefix("Error: ") && output.stderr.contains("\"queries_labeled\" that is not "
                          + "querykind's view"), output.stderr)
            XCTAssertEqual(try pg.database.relations(), ["queries", "queries_labeled"], "nothing written")
        }
        XCTAssertEqual(try pg.rows("SELECT note FROM queries_labeled"), [["mine"]])
    }

    /// A source table with its own `kind` or `model` column is refused in one line naming it, before anything is
    /// written (PostgreSQL used to migrate, then fail on the view with its own "specified more than once").
    func testASourceColumnNamedLikeALabelColumnIsRefusedBeforeWriting() throws {
        for column in ["kind", "model"] {
            let pg = try makePostgresDatabase()
            defer { pg.remove() }
            try pg.createQueries(["where is berlin?"])
            try pg.execute("ALTER TABLE queries ADD COLUMN \(column) text DEFAULT 'mine'")
            let output = try pg.run(["label", "--db", pg.db, "--model", CommandRunner.tinyModel])
            XCTAssertEqual(output.status, 1, output.stderr)
            XCTAssertEqual(output.stderr.split(separator: "\n").count, 1, output.stderr)
            XCTAssertTrue(output.stderr.contains("column \"\(column)\"") && output.stderr.contains("--table"),
                          output.stderr)
            XCTAssertEqual(try pg.database.relations(), ["queries"], "\(column): nothing written")
        }
    }

    /// A user's own table or view named like one of querykind's is refused before anything is written, in one line
    /// naming it, as on SQLite (`LabelSetupValidationCLITests`), instead of being taken for querykind's (PostgreSQL used
    /// to say querykind's `querykind_migrations` had been dropped) or failing half-way through a migration.
    func testUserObjectsNamedLikeQuerykindsAreRefusedBeforeMigrating() throws {
        for (clash, relation, command) in [("CREATE TABLE query_labels (id integer, note text)", "query_labels", "label"),
                                           ("CREATE TABLE label_runs (note text)", "label_runs", "migrate"),
                                           ("CREATE VIEW label_cache AS SELECT 1 AS one", "label_cache", "migrate")] {
            let pg = try makePostgresDatabase()
            defer { pg.remove() }
            try pg.createQueries(["where is berlin?"])
            try pg.execute(clash)
            let arguments = command == "migrate" ? ["migrate", "--db", pg.db]
                : ["label", "--db", pg.db, "--model", CommandRunner.tinyModel]
            let output = try pg.run(arguments)
            XCTAssertEqual(output.status, 1, "\(clash): \(output.stderr)")
            XCTAssertEqual(output.stderr.split(separator: "\n").count, 1, output.stderr)
            XCTAssertTrue(output.stderr.hasPrefix("Error: ") && output.stderr.contains("\"\(relation)\" that is not "
                          + "querykind's"), output.stderr)
            XCTAssertEqual(try pg.database.relations(), [relation, "queries"].sorted(), "\(clash): nothing written")
        }
    }

    /// A 127.0.0.1 port nothing listens on: bound by this process for a moment, then released.
    static func closedPort() throws -> Int {
        #if os(Linux)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw PostgresTestError(message: "socket() failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else { throw PostgresTestError(message: "bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
