import Foundation

/// A fresh PostgreSQL database on the test cluster, dropped when this object goes away: the PostgreSQL
/// counterpart of `ScratchDatabase`.
///
/// The cluster is the one `scripts/postgres.sh start` makes (`scripts/test.sh` starts it); its URL comes in
/// `$QUERYKIND_TEST_POSTGRES_URL`, and each test gets its own database `qk_<random>` on it, so tests neither see
/// each other's tables nor need cleaning up between runs.
///
/// Everything here goes through `psql` (PostgreSQL's own client, installed with the server) in a child process,
/// not through a Swift driver, on purpose: this module depends on LabelStore only and stays free of PostgresNIO,
/// and the tests look at what `querykind` wrote from outside it, the way a user's own tools would, instead of
/// through the store code under test.
public final class PostgresScratchDatabase {
    /// The variable holding the test cluster's URL (a superuser's, on any database of the cluster).
    public static let urlVariable = "QUERYKIND_TEST_POSTGRES_URL"
    /// Set to 1 to skip the PostgreSQL tests on purpose, even under `CI=true`.
    public static let skipVariable = "QUERYKIND_SKIP_POSTGRES"
    /// The client every call runs.
    public static let psqlPath = "/usr/bin/psql"
    /// The longest one `psql` call may take before it is killed (a deadline for a hung server, not a speed target).
    public static let deadline: TimeInterval = 120

    /// Whether the PostgreSQL tests can run here, and if not whether that is a skip or a failure.
    public enum Availability: Equatable {
        /// The cluster's URL.
        case available(String)
        /// No cluster, and that is acceptable here (outside CI, or skipped on purpose): the reason.
        case skip(String)
        /// No cluster under `CI=true`: the tests must fail, saying why.
        case fail(String)
    }

    /// Decided from the environment: the URL when set; else a skip outside CI or with `QUERYKIND_SKIP_POSTGRES=1`;
    /// else (`CI=true`) a failure, so CI cannot pass without having run them.
    public static func availability(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> Availability {
        if let url = environment[urlVariable], !url.isEmpty {
            return FileManager.default.isExecutableFile(atPath: psqlPath)
                ? .available(url) : .fail("\(psqlPath) is missing: install postgresql-client")
        }
        if environment[skipVariable] == "1" { return .skip("\(skipVariable)=1: the PostgreSQL tests are skipped") }
        let how = "\(urlVariable) is unset: start a throwaway cluster with `eval \"$(scripts/postgres.sh start)\"` "
            + "(scripts/test.sh does), or set \(skipVariable)=1 to skip these tests on purpose"
        return environment["CI"] == "true" ? .fail("CI=true but " + how) : .skip(how)
    }

    /// The database's name, `qk_` and 16 random hex digits (nothing to quote).
    public let name: String
    /// The URL of this database: the cluster's, with this database's name as its path.
    public let url: String
    /// The URL of the cluster's maintenance database (`postgres`), which creates and drops this one.
    public let clusterURL: String
    private var dropped = false

    /// Creates a fresh database on the cluster at `clusterURL`.
    public init(clusterURL: String) throws {
        self.clusterURL = clusterURL
        name = "qk_" + String(format: "%016llx", UInt64.random(in: .min ... .max))
        guard var components = URLComponents(string: clusterURL), components.host != nil else {
            throw PostgresTestError(message: "\(Self.urlVariable) is not a postgres:// URL")
        }
        components.path = "/" + name
        url = components.string!
        try Self.psql(url: clusterURL, sql: "CREATE DATABASE \(name)")
    }

    deinit { drop() }

    /// Drops the database now, `WITH (FORCE)`: a `querykind` child a failed test left running must not keep it
    /// alive (its connections are closed). XCTest keeps test-case objects until the suite ends, so tests call this.
    public func drop() {
        guard !dropped else { return }
        dropped = true
        _ = try? Self.psql(url: clusterURL, sql: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// This database's URL with parts replaced (a wrong password, a closed port, no password at all), for the
    /// tests of bad setups and of where the password comes from. `.some(nil)` removes the part.
    public func url(user: String? = nil, password: String?? = .none, host: String? = nil, port: Int? = nil,
                    database: String? = nil, query: String? = nil) -> String {
        var components = URLComponents(string: url)!
        if let user { components.user = user }
        if let password { components.password = password }
        if let host { components.host = host }
        if let port { components.port = port }
        if let database { components.path = "/" + database }
        if let query { components.query = query }
        return components.string!
    }

    /// The password in the cluster's URL.
    public var password: String? { URLComponents(string: url)?.password }

    /// Runs `sql` (one or more statements, in one implicit transaction unless they say otherwise), as the user's
    /// own application would.
    public func execute(_ sql: String) throws { try Self.psql(url: url, sql: sql) }

    /// The rows `sql` returns, each as its values in text form (PostgreSQL's output format; "NULL" for NULL).
    public func rows(_ sql: String) throws -> [[String]] {
        let output = try Self.psql(url: url, sql: sql, extra: ["-F", "\u{1F}", "-R", "\u{1E}", "-P", "null=NULL"])
        let trimmed = output.hasSuffix("\n") ? String(output.dropLast()) : output
        if trimmed.isEmpty { return [] }
        return trimmed.split(separator: "\u{1E}", omittingEmptySubsequences: false).map {
            $0.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// The integer `sql` returns in its first column (-1 when it returns NULL or no row).
    public func count(_ sql: String) throws -> Int {
        guard let value = try rows(sql).first?.first, let number = Int(value) else { return -1 }
        return number
    }

    /// True when `name` is a table or view of the public schema.
    public func relationExists(_ name: String) throws -> Bool {
        try count("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                  + "WHERE n.nspname = 'public' AND c.relname = '\(name)'") == 1
    }

    /// The tables and views of the public schema, sorted.
    public func relations() throws -> [String] {
        try rows("""
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'p') ORDER BY 1
            """).map { $0[0] }
    }

    /// Loads `rows` into `table`'s `columns` with one `COPY … FROM STDIN` (a nil value is NULL): 100,000 rows in
    /// well under a second, where one INSERT per row through psql would take minutes.
    public func copy(into table: String, columns: [String], rows: [[String?]]) throws {
        var data = ""
        data.reserveCapacity(rows.count * 32)
        for row in rows {
            data += row.map { $0.map(Self.copyEscaped) ?? "\\N" }.joined(separator: "\t")
            data += "\n"
        }
        try Self.psql(url: url, sql: "COPY \(table) (\(columns.joined(separator: ", "))) FROM STDIN",
                      stdin: Data(data.utf8))
    }

    /// A value in COPY's text format: backslash, tab, newline and carriage return escaped.
    static func copyEscaped(_ text: String) -> String {
        guard text.contains(where: { "\\\t\n\r".contains($0) }) else { return text }
        return text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\t", with: "\\t")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
    }

    /// Runs `psql -X -q -v ON_ERROR_STOP=1 -At -d url -c sql` and returns its standard output; throws with its
    /// stderr when it fails. `-X` ignores any ~/.psqlrc, `ON_ERROR_STOP` makes the first failing statement an error
    /// exit instead of a warning, `-At` prints bare values. Output goes through files, not pipes, so a large result
    /// cannot block the child while this process waits for it.
    @discardableResult
    public static func psql(url: String, sql: String, extra: [String] = [], stdin: Data? = nil) throws -> String {
        let folder = try TemporaryFolder("psql")
        defer { folder.remove() }
        let out = folder.file("stdout"), err = folder.file("stderr"), input = folder.file("stdin")
        for file in [out, err] { FileManager.default.createFile(atPath: file.path, contents: nil) }
        FileManager.default.createFile(atPath: input.path, contents: stdin ?? Data())

        let process = Process()
        process.executableURL = URL(fileURLWithPath: psqlPath)
        process.arguments = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-At"] + extra + ["-d", url, "-c", sql]
        var environment = ProcessInfo.processInfo.environment
        environment["PGCONNECT_TIMEOUT"] = "10"
        for name in ["PGPASSWORD", "PGPASSFILE", "PGSERVICE", "PGOPTIONS"] { environment[name] = nil }
        process.environment = environment
        let stdoutHandle = try FileHandle(forWritingTo: out), stderrHandle = try FileHandle(forWritingTo: err)
        let stdinHandle = try FileHandle(forReadingFrom: input)
        defer { try? stdoutHandle.close(); try? stderrHandle.close(); try? stdinHandle.close() }
        process.standardOutput = stdoutHandle
        process.standardError = stderrHandle
        process.standardInput = stdinHandle
        try process.run()
        guard process.exits(within: deadline) else {
            throw PostgresTestError(message: "psql did not finish within \(Int(deadline)) s: \(sql.prefix(200))")
        }
        let output = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            let errors = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
            throw PostgresTestError(message: "psql exited \(process.terminationStatus) on \(sql.prefix(200)): \(errors)")
        }
        return output
    }
}

/// A failure of the test scaffolding itself (no cluster, a psql error), with psql's message.
public struct PostgresTestError: Error, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
