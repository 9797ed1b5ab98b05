import Foundation
import LabelStore
import PostgresNIO

/// querykind's tables in a PostgreSQL database, shared by any number of workers on any number of machines.
///
/// Why PostgreSQL: one machine labels a few thousand rows a second; a log that outgrows it needs several machines
/// on one table, exactly once, surviving a worker that dies mid-batch. Workers claim batches as leases (see
/// `PostgresLabelStore+Claims.swift`), the way job queues on PostgreSQL (Oban, River, graphile-worker) hand out
/// work, instead of a coordinator of querykind's own. Same tables and meanings as the SQLite store.
public final class PostgresLabelStore {
    /// How many times a row may be claimed without being written before it gets an error row instead.
    public static let maximumAttempts = 3

    /// Where the database is (without its password).
    public let location: PostgresLocation
    /// How long a claim stays reserved without renewal; renewed every third of it while the process lives.
    public let lease: Duration
    /// How long the final status update of a run keeps retrying transient failures.
    let retryWindow: Duration
    let link: PostgresLink
    /// The source table's text column type, looked up by `checkSetup`: it decides how a value is read.
    var textKind = SourceTextKind.text
    /// Renews this process's leases and heartbeat while a run is going.
    var keeper: LeaseKeeper?
    /// Set when a pass starts: before saying nothing is left, rescan the table from its start once (see `claimPending`).
    var rescanBeforeEmpty = false
    /// When the last rescan found nothing.
    var lastRescan: ContinuousClock.Instant?

    /// Connects to `location` (failing at once with a clear error on a wrong password or an unreachable server);
    /// writes nothing.
    public init(location: PostgresLocation, lease: Duration = .seconds(60), busyTimeout: Duration = .seconds(5),
                connectTimeout: Duration = .seconds(10)) throws {
        self.location = location
        self.lease = lease
        self.retryWindow = busyTimeout
        link = try PostgresLink(location, connectTimeout: connectTimeout, lockTimeout: busyTimeout)
    }

    deinit { keeper?.stop() }

    var leaseSeconds: Double { lease / .seconds(1) }
}

extension PostgresLabelStore: LabelDatabase {
    public func migrateTables() throws { try migrate() }

    public func explain(_ error: any Error) -> any Error { error }

    public func isTransient(_ error: any Error) -> Bool {
        (error as? PostgresStoreError)?.isTransient ?? false
    }
}

/// Shorthand for statement parameters, in `$1…` order.
func binds(_ values: any PostgresDynamicTypeEncodable...) -> PostgresBindings {
    var bindings = PostgresBindings()
    for value in values { bindings.append(value) }
    return bindings
}
