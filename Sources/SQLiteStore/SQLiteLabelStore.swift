import CSQLite
import Foundation
import LabelStore

/// querykind's view of one SQLite database: the user's table of queries plus the tables querykind owns
/// (`query_labels`, `label_cache`, `label_runs`, `querykind_migrations`).
///
/// Opening checks everything that would otherwise fail half way (missing, read-only or damaged file, locked
/// database) and changes nothing, so commands can refuse with one clear line leaving the file as it was.
public final class SQLiteLabelStore {
    /// How a command intends to use the database.
    public enum Access: Sendable {
        /// Write labels into an existing database (`label`, `watch`, `lookup --db`).
        case readWrite
        /// Like `readWrite`, creating an empty database when the file is missing (`migrate`).
        case create
        /// Only read (`report`).
        case readOnly
    }

    /// The underlying connection, for plain SQL in this package's tests (the wrapper is `package`, not public API).
    package let connection: Connection
    /// The database path as given by the user.
    public let path: String
    /// How long a statement waits for another connection's lock; also bounds the retries of a run's final status.
    public let busyTimeout: Duration

    /// The page cache of a writing connection, in KiB (SQLite's default is 2,000). Why this size: a labeling
    /// batch inserts its texts at random places of two indexes (`label_cache`'s key and `query_labels_by_text`),
    /// and with the default cache most of those pages were read back from the OS on every batch. With both
    /// settings here, labeling 1M rows of 300,000 cached texts took 43 s instead of 69 s, and 11 s of system time
    /// instead of 26 (bench/cache_hits.sh; docs/performance.md). Memory is capped by it, not by the table size.
    static let pageCacheKiB = 65_536
    /// WAL pages before SQLite copies them back into the database (default 1,000). A batch of random index
    /// inserts dirties more than 1,000 pages, so the default copied back after every commit, the same hot index
    /// pages again and again; at 16,384 pages (a 64 MiB WAL) a copy-back covers many batches.
    static let walCheckpointPages = 16_384

    /// Opens `path` for `access` and checks it is a readable SQLite database, without changing the file.
    ///
    /// Why nothing is written here: a command must refuse bad setup (missing table, corrupt model, a name
    /// clash) leaving the file byte for byte as it was, so the switch to WAL waits for `migrate()`, the first
    /// write, which commands call only after every check passed.
    public init(path: String, access: Access, busyTimeout: Duration = StoreDefaults.busyTimeout) throws {
        self.path = path
        self.busyTimeout = busyTimeout
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
        do {
            _ = try connection.scalarInt("SELECT count(*) FROM sqlite_schema")
        } catch let error as SQLiteError where error.primaryCode == SQLITE_NOTADB || error.primaryCode == SQLITE_CORRUPT {
            throw StoreError.damagedDatabase(path: path, reason: error.message)
        }
        guard access != .readOnly else { return }
        if connection.isReadOnly {
            throw StoreError.readOnlyDatabase(path: path, reason: "SQLite could only open it read-only")
        }
        // Connection settings, not file changes. FULL makes each committed batch survive a power cut too
        // (in WAL mode NORMAL could lose the last commits, though never corrupt the file).
        try connection.execute("""
            PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;
            PRAGMA cache_size = -\(Self.pageCacheKiB); PRAGMA wal_autocheckpoint = \(Self.walCheckpointPages)
            """)
    }

    /// Puts the database in WAL mode, which lets the application keep inserting queries while a batch is labeled;
    /// the first change querykind makes to a file (SQLite records the mode in the file's header).
    ///
    /// The switch needs every other connection out of the file, and SQLite answers SQLITE_BUSY at once, without
    /// its busy handler, when another connection is mid-write; so the switch is retried until `busyTimeout`.
    func useWALMode() throws {
        do {
            try retryingTransient(for: busyTimeout, pause: .milliseconds(5)) {
                try connection.execute("PRAGMA journal_mode = WAL")
            }
        } catch let error as SQLiteError where error.primaryCode == SQLITE_READONLY || error.primaryCode == SQLITE_CANTOPEN {
            throw StoreError.readOnlyDatabase(path: path, reason: error.message)
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

    /// True when a table or view named `name` exists (SQLite names are case-insensitive).
    public func hasTable(_ name: String) throws -> Bool {
        try connection.scalarInt(
            "SELECT count(*) FROM sqlite_schema WHERE type IN ('table', 'view') AND name = ? COLLATE NOCASE",
            [.text(name)]) ?? 0 > 0
    }
}
