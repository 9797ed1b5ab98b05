import Foundation
import QueryKindTestSupport
import XCTest

/// A fresh database on the PostgreSQL test cluster plus a temporary folder for `querykind`'s captured output:
/// what `CLIFolder` is to the SQLite tests. Made by `XCTestCase.makePostgresDatabase()`, which skips (or, under
/// `CI=true`, fails) when there is no cluster.
final class PostgresCLIDatabase {
    let database: PostgresScratchDatabase
    /// The folder the commands run in (their stdout and stderr files go here).
    let folder: URL
    private let temporary: TemporaryFolder

    init(clusterURL: String) throws {
        database = try PostgresScratchDatabase(clusterURL: clusterURL)
        temporary = try TemporaryFolder("querykind-pg")
        folder = temporary.url
    }

    /// Every process `launch` started, so `remove` can stop those a failing test never waited for.
    private var launched: [Child] = []

    deinit { remove() }

    /// Kills any child still running (a test that failed or threw before waiting for its workers or its `watch`),
    /// drops the database and deletes the folder now (XCTest keeps test cases, and so these, until the suite ends).
    func remove() {
        for child in launched where child.process.isRunning {
            child.signal(SIGKILL)
            child.process.waitUntilExit()
        }
        launched = []
        database.drop()
        temporary.remove()
    }

    /// The URL for `--db`.
    var db: String { database.url }

    /// The environment every child gets on top of this process's: no password from anywhere but the URL, unless
    /// a test says otherwise.
    static let cleanEnvironment: [String: String?] = ["PGPASSWORD": nil, "PGPASSFILE": nil, "PGSERVICE": nil]

    /// Runs `querykind arguments` to completion in the folder.
    func run(_ arguments: [String], environment: [String: String?] = [:]) throws -> CommandRunner.Output {
        try launch(arguments, environment: environment).wait()
    }

    /// Starts `querykind arguments` in the folder.
    func launch(_ arguments: [String], environment: [String: String?] = [:]) throws -> Child {
        let child = try CommandRunner.launch(arguments, in: folder,
                                             environment: Self.cleanEnvironment.merging(environment) { $1 })
        launched.append(child)
        return child
    }

    /// Runs `querykind migrate --db <this database>` and fails the test unless it exits 0.
    func migrate(_ arguments: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws {
        let output = try run(["migrate", "--db", db] + arguments)
        XCTAssertEqual(output.status, 0, output.stderr, file: file, line: line)
    }

    /// Runs `querykind label --db <this database> --json arguments` (tiny model) and returns its summary.
    func label(_ arguments: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws -> LabelSummary {
        let output = try run(["label", "--db", db, "--json", "--model", CommandRunner.tinyModel] + arguments)
        XCTAssertEqual(output.status, 0, output.stderr, file: file, line: line)
        return try JSONDecoder().decode(LabelSummary.self, from: Data(output.stdout.utf8))
    }

    /// Creates `queries(id bigint PRIMARY KEY, text text)` holding `texts` with ids 1…n (nil is NULL).
    func createQueries(_ texts: [String?], table: String = "queries") throws {
        try database.execute("CREATE TABLE \(table) (id bigint PRIMARY KEY, text text)")
        try database.copy(into: table, columns: ["id", "text"],
                          rows: texts.enumerated().map { [String($0.offset + 1), $0.element] })
    }

    func count(_ sql: String) throws -> Int { try database.count(sql) }
    func rows(_ sql: String) throws -> [[String]] { try database.rows(sql) }
    func execute(_ sql: String) throws { try database.execute(sql) }

    /// Every run as (id, pid, status, rows_labeled, rows_with_errors, labels it wrote), by id.
    func runs() throws -> [PostgresRun] {
        try rows("""
            SELECT r.id, r.pid, r.status, r.rows_labeled, r.rows_with_errors,
                   (SELECT count(*) FROM query_labels AS l WHERE l.run_id = r.id)
            FROM label_runs AS r ORDER BY r.id
            """).map {
            PostgresRun(id: Int($0[0])!, pid: Int32($0[1]) ?? -1, status: $0[2], rowsLabeled: Int($0[3]) ?? -1,
                        rowsWithErrors: Int($0[4]) ?? -1, labelsWritten: Int($0[5])!)
        }
    }

    /// The deadlocks PostgreSQL detected in this database, read once every other session has ended (a backend
    /// reports its statistics as it exits). Each one stalled two transactions for `deadlock_timeout` (1 s) and
    /// aborted one: workers must take their locks in one order, so this stays 0.
    func deadlocks() throws -> Int {
        try waitUntil(within: 10, "the workers' sessions to end") {
            try count("""
                SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                """) == 0
        }
        Thread.sleep(forTimeInterval: 0.2)
        return try count("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
    }

    /// The labels written so far by the run of process `pid` (0 until that run is recorded).
    func labelsWritten(byProcess pid: Int32) throws -> Int {
        try count("""
            SELECT count(*) FROM query_labels AS l JOIN label_runs AS r ON r.id = l.run_id WHERE r.pid = \(pid)
            """)
    }
}

/// One row of `label_runs`, with the number of `query_labels` rows that name it.
struct PostgresRun: CustomStringConvertible {
    var id: Int
    var pid: Int32
    var status: String
    var rowsLabeled: Int
    var rowsWithErrors: Int
    var labelsWritten: Int
    var description: String {
        "run \(id) (pid \(pid)): \(status), rows_labeled \(rowsLabeled) + rows_with_errors \(rowsWithErrors), "
            + "\(labelsWritten) labels name it"
    }
}

extension XCTestCase {
    /// A fresh database on the PostgreSQL test cluster (`$QUERYKIND_TEST_POSTGRES_URL`, see `scripts/postgres.sh`).
    /// Without one the test skips saying how to start one, except under `CI=true`, where it fails (CI must run
    /// these) unless `QUERYKIND_SKIP_POSTGRES=1` says to skip them on purpose. Needs the `querykind` executable too.
    func makePostgresDatabase(file: StaticString = #filePath, line: UInt = #line) throws -> PostgresCLIDatabase {
        switch PostgresScratchDatabase.availability() {
        case .available(let url):
            _ = try CommandRunner.requireExecutable()
            return try PostgresCLIDatabase(clusterURL: url)
        case .skip(let reason):
            throw XCTSkip(reason)
        case .fail(let reason):
            XCTFail(reason, file: file, line: line)
            throw PostgresTestError(message: reason)
        }
    }
}
