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
    /// How long a statement waits for another session's lock (`lock_timeout`); also bounds the retries of a run's
    /// final status.
    public let busyTimeout: Duration
    let link: PostgresLink
    /// How each source table's text column is read, by its type (`textKind(of:)`).
    var textKinds: [SourceTable: SourceTextKind] = [:]
    /// Renews this process's leases and heartbeat while a run is going.
    var keeper: LeaseKeeper?
    /// Set when a pass starts: before saying nothing is left, rescan the table from its start once (see `claimPending`).
    var rescanBeforeEmpty = false
    /// When the last rescan found nothing.
    var lastRescan: ContinuousClock.Instant?

    /// Connects to `location` (failing at once with a clear error on a wrong password or an unreachable server);
    /// writes nothing.
    public init(location: PostgresLocation, lease: Duration = StoreDefaults.lease,
                busyTimeout: Duration = StoreDefaults.busyTimeout,
                connectTimeout: Duration = .seconds(10)) throws {
        self.location = location
        self.lease = lease
        self.busyTimeout = busyTimeout
        link = try PostgresLink(location, connectTimeout: connectTimeout, lockTimeout: busyTimeout)
    }

    deinit { keeper?.stop() }

    var leaseSeconds: Double { lease / .seconds(1) }
}

extension PostgresLabelStore: LabelDatabase {
    public var displayName: String { location.description }

    public var migrations: [Migration] { PostgresMigrations.all }

    public var nowSQL: String { "now()" }

    /// Exactly `name`, as a quoted identifier names it.
    public func hasTable(_ name: String) throws -> Bool {
        try link.scalar("SELECT to_regclass($1)::text", binds(quoteIdentifier(name)), as: String.self) != nil
    }

    /// Integers, doubles and text as they are, booleans as 0 or 1, timestamps as the text SQLite stores
    /// (`Timestamp`); other types (`numeric`: cast sums to BIGINT) are refused.
    public func rows(_ sql: String, _ arguments: [SQLValue]) throws -> [[SQLValue]] {
        try link.query(sql, Self.bindings(arguments)).map { row in try row.map(Self.value) }
    }

    /// Engine-neutral arguments as PostgreSQL binds them.
    static func bindings(_ arguments: [SQLValue]) -> PostgresBindings {
        var bindings = PostgresBindings()
        for argument in arguments {
            switch argument {
            case .null: bindings.appendNull()
            case .integer(let value): bindings.append(value)
            case .real(let value): bindings.append(value)
            case .text(let value): bindings.append(value)
            }
        }
        return bindings
    }

    /// One cell of `rows`.
    private static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard var bytes = cell.bytes else { return .null }
        return try PostgresStoreError.decoding {
            switch cell.dataType {
            case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
            case .float4, .float8: return .real(try cell.decode(Double.self))
            case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
            case .timestamptz where cell.format == .binary, .timestamp where cell.format == .binary:
                // Microseconds since 2000-01-01 (PostgreSQL's epoch, 946,684,800 s after 1970's).
                guard let micro = bytes.readInteger(as: Int64.self) else { throw PostgresStoreError.decoding("timestamp") }
                let (milliseconds, rest) = micro.quotientAndRemainder(dividingBy: 1000)
                return .text(Timestamp.text(millisecondsSince1970: milliseconds - (rest < 0 ? 1 : 0) + 946_684_800_000))
            case .text, .varchar, .name, .bpchar: return .text(try cell.decode(String.self))
            default:
                throw PostgresStoreError.decoding("column \(cell.columnName) is of type \(cell.dataType), which querykind does not read")
            }
        }
    }
}

/// Shorthand for statement parameters, in `$1…` order.
func binds(_ values: any PostgresDynamicTypeEncodable...) -> PostgresBindings {
    var bindings = PostgresBindings()
    for value in values { bindings.append(value) }
    return bindings
}
