import Foundation
import Logging
import NIOPosix
import PostgresNIO

/// One PostgreSQL connection used synchronously, from one thread at a time.
///
/// Why synchronous: the labeling job is plain threads (the model's workers are not Swift tasks), so each statement
/// waits on its future here rather than pulling the job into async code. A connection that was lost (a server
/// restart, a network cut) is opened again by the next statement outside a transaction, so a `watch` daemon that
/// retries a transient failure gets a fresh connection.
///
/// Why `@unchecked Sendable`: a link is used by one thread at a time (the job's thread, or the lease keeper's own
/// thread, which gets a link of its own); it is only handed over to that thread when it starts.
final class PostgresLink: @unchecked Sendable {
    let location: PostgresLocation
    private let connectTimeout: Duration
    /// PostgreSQL's `lock_timeout` for every statement: how long one waits for another session's lock.
    private let lockTimeout: Duration
    private let logger = Logger(label: "querykind.postgres")
    private var connection: PostgresConnection?
    private var inTransaction = false

    /// Connects now, so a wrong password or an unreachable server is reported before any work. `lockTimeout` is
    /// `--busy-timeout`: without it a statement waits for a lock forever (PostgreSQL's default), and a locked table
    /// froze `serve` for as long as the lock.
    init(_ location: PostgresLocation, connectTimeout: Duration, lockTimeout: Duration) throws {
        self.location = location
        self.connectTimeout = connectTimeout
        self.lockTimeout = lockTimeout
        _ = try connected()
    }

    deinit { try? connection?.close().wait() }

    /// Runs one statement with `$1…` placeholders bound to `binds` and returns its rows.
    @discardableResult
    func query(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws -> [PostgresRow] {
        try result(sql, binds).rows
    }

    /// Runs one statement and returns how many rows it changed (or returned).
    @discardableResult
    func execute(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws -> Int {
        try result(sql, binds).metadata.rows ?? 0
    }

    /// The first column of the first row, decoded as `T`, or nil when there is no row or it is NULL.
    func scalar<T: PostgresDecodable>(_ sql: String, _ binds: PostgresBindings = PostgresBindings(),
                                      as type: T.Type) throws -> T? where T._DecodableType == T {
        guard let row = try query(sql, binds).first else { return nil }
        return try PostgresStoreError.decoding { try row.decode(T?.self) }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        inTransaction = true
        defer { inTransaction = false }
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
    }

    private func result(_ sql: String, _ binds: PostgresBindings) throws -> PostgresQueryResult {
        let connection = try connected()
        do {
            return try connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).wait()
        } catch {
            if connection.isClosed { self.connection = nil }
            throw PostgresStoreError.from(error, location: location)
        }
    }

    /// The open connection, opening one when there is none (never inside a transaction: its work died with the old
    /// connection, so the transaction must fail as a whole).
    private func connected() throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        if inTransaction { throw PostgresStoreError.connectionLost(location: location.description) }
        do {
            var configuration = try location.configuration(connectTimeout: connectTimeout)
            // At least 1 ms: 0 would mean no timeout at all to PostgreSQL, the opposite of SQLite's 0.
            configuration.options.additionalStartupParameters.append(
                ("lock_timeout", "\(max(1, Int64(lockTimeout / .milliseconds(1))))"))
            let opened = try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 1, logger: logger
            ).wait()
            connection = opened
            return opened
        } catch {
            throw PostgresStoreError.cannotConnect(location: location.description,
                                                   reason: PostgresStoreError.reason(of: error))
        }
    }
}
