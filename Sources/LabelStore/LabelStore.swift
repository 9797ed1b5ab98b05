import CSQLite
import Foundation

/// querykind's view of one SQLite database: the user's table of queries plus the tables querykind owns
/// (`query_labels`, `label_cache`, `label_runs`, `querykind_migrations`).
///
/// Opening checks everything that would otherwise fail half way (missing file, read-only file, locked
/// database), so commands can refuse with one clear line before writing anything.
public final class LabelStore {
    /// How a command intends to use the database.
    public enum Access: Sendable {
        /// Write labels into an existing database (`label`, `watch`, `lookup --db`).
        case readWrite
        /// Like `readWrite`, creating an empty database when the file is missing (`migrate`).
        case create
        /// Only read (`report`).
        case readOnly
    }

    /// The underlying connection; exposed for tools and tests that want plain SQL.
    public let connection: Connection
    /// The database path as given by the user.
    public let path: String

    /// Opens `path` for `access`: WAL mode, a busy timeout and foreign keys on a writable database.
    public init(path: String, access: Access, busyTimeout: Duration = .seconds(5)) throws {
        self.path = path
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists && access != .create { throw StoreError.missingDatabase(path: path) }
        if exists && access != .readOnly, let reason = Self.readOnlyReason(path: path) {
            throw StoreError.readOnlyDatabase(path: path, reason: reason)
        }
        let mode: Connection.Mode = switch access {
        case .readWrite: .readWrite
        case .create: .readWriteCreate
        case .readOnly: .readOnly
        }
        connection = try Connection(path: path, mode: mode, busyTimeout: busyTimeout)
        guard access != .readOnly else { return }
        if connection.isReadOnly {
            throw StoreError.readOnlyDatabase(path: path, reason: "SQLite could only open it read-only")
        }
        do {
            try Self.switchToWAL(connection, busyTimeout: busyTimeout)
            try connection.execute("PRAGMA foreign_keys = ON")
        } catch let error as SQLiteError where error.primaryCode == SQLITE_READONLY
                    || error.primaryCode == SQLITE_CANTOPEN {
            throw StoreError.readOnlyDatabase(path: path, reason: error.message)
        }
    }

    /// Puts the database in WAL mode, which lets the application keep inserting queries while a batch is labeled.
    ///
    /// The switch needs every other connection out of the file, and SQLite answers SQLITE_BUSY at once, without
    /// its busy handler, when another connection is mid-write; so the switch is retried until `busyTimeout`.
    private static func switchToWAL(_ connection: Connection, busyTimeout: Duration) throws {
        let deadline = ContinuousClock.now + busyTimeout
        while true {
            do {
                return try connection.execute("PRAGMA journal_mode = WAL")
            } catch let error as SQLiteError where error.primaryCode == SQLITE_BUSY && ContinuousClock.now < deadline {
                Thread.sleep(forTimeInterval: 0.005)
            }
        }
    }

    /// Why the file at `path` must be treated as read-only, or nil when it is writable.
    ///
    /// Permission bits are honoured even for root (who may write anyway), because a file marked
    /// read-only is the user saying "do not change this".
    private static func readOnlyReason(path: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let permissions = attributes[.posixPermissions] as? Int else { return nil }
        if permissions & 0o222 == 0 {
            return "file mode \(String(permissions, radix: 8)) has no write permission"
        }
        if access(path, W_OK) != 0 { return "no write permission for this user" }
        return nil
    }

    /// The newest migration version recorded in the database, 0 for a database querykind never touched.
    public func schemaVersion() throws -> Int {
        guard try hasTable("querykind_migrations") else { return 0 }
        return Int(try connection.scalarInt("SELECT max(version) FROM querykind_migrations") ?? 0)
    }

    /// True when a table or view named `name` exists (SQLite names are case-insensitive).
    func hasTable(_ name: String) throws -> Bool {
        try connection.scalarInt(
            "SELECT count(*) FROM sqlite_schema WHERE type IN ('table', 'view') AND name = ? COLLATE NOCASE",
            [.text(name)]) ?? 0 > 0
    }

    /// Refuses a database that `migrate` has not brought to this binary's schema (read-only commands).
    public func requireCurrentSchema() throws {
        let version = try schemaVersion()
        if version == 0 { throw StoreError.notMigrated(path: path) }
        if version > Migration.latestVersion {
            throw StoreError.newerSchema(found: version, known: Migration.latestVersion)
        }
    }
}
