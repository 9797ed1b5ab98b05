import Foundation
import QueryKindTestSupport

/// Another session holding `LOCK TABLE <table> IN ACCESS EXCLUSIVE MODE` in an open transaction (a `psql` child fed
/// through a pipe) until `release()`: what an administrator's long migration or a stuck job does to `serve`.
final class PostgresLockHolder {
    private let process = Process()
    private let input = Pipe()

    /// Returns once PostgreSQL shows the lock granted (at most 30 s).
    init(table: String, in database: PostgresCLIDatabase) throws {
        process.executableURL = URL(fileURLWithPath: PostgresScratchDatabase.psqlPath)
        process.arguments = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database.db]
        process.environment = ProcessInfo.processInfo.environment.merging(["PGCONNECT_TIMEOUT": "10"]) { $1 }
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data("BEGIN;\nLOCK TABLE \(table) IN ACCESS EXCLUSIVE MODE;\n".utf8))
        let granted = """
            SELECT count(*) FROM pg_locks AS l JOIN pg_class AS c ON c.oid = l.relation
            WHERE c.relname = '\(table)' AND l.mode = 'AccessExclusiveLock' AND l.granted
            """
        _ = try waitUntil(within: 30, "the lock on \(table)") { try database.count(granted) == 1 }
    }

    deinit { release() }

    /// Commits the locking transaction and waits for `psql` to exit.
    func release() {
        guard process.isRunning else { return }
        input.fileHandleForWriting.write(Data("COMMIT;\n\\q\n".utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
