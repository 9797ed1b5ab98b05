import Foundation
import QueryKindTestSupport

/// Another session holding `LOCK TABLE <table> IN <mode> MODE` in an open transaction (a `psql` child fed through a
/// pipe) until `release()`: what an administrator's long migration or a stuck job does to `serve`. `ACCESS EXCLUSIVE`
/// blocks reads too; `EXCLUSIVE` only writes.
final class PostgresLockHolder {
    private let process = Process()
    private let input = Pipe()

    /// Returns once PostgreSQL shows the lock granted (at most 30 s).
    init(table: String, mode: String = "ACCESS EXCLUSIVE", in database: PostgresCLIDatabase) throws {
        process.executableURL = URL(fileURLWithPath: PostgresScratchDatabase.psqlPath)
        process.arguments = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database.db]
        process.environment = ProcessInfo.processInfo.environment.merging(["PGCONNECT_TIMEOUT": "10"]) { $1 }
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data("BEGIN;\nLOCK TABLE \(table) IN \(mode) MODE;\n".utf8))
        // pg_locks names ACCESS EXCLUSIVE as AccessExclusiveLock.
        let lockName = mode.split(separator: " ").map { $0.capitalized }.joined() + "Lock"
        let granted = """
            SELECT count(*) FROM pg_locks AS l JOIN pg_class AS c ON c.oid = l.relation
            WHERE c.relname = '\(table)' AND l.mode = '\(lockName)' AND l.granted
            """
        try waitUntil(within: 30, "the lock on \(table)") { try database.count(granted) == 1 }
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
