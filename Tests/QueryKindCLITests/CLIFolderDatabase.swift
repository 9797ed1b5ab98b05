import Foundation

/// Looking at a `CLIFolder`'s database file from outside querykind: its exact bytes and SQLite's side files.
extension CLIFolder {
    /// The database file's bytes, or nil when it does not exist.
    func databaseBytes() -> Data? { FileManager.default.contents(atPath: db) }

    /// True when SQLite's WAL or shared-memory file sits beside the database.
    var hasWALFiles: Bool {
        FileManager.default.fileExists(atPath: db + "-wal") || FileManager.default.fileExists(atPath: db + "-shm")
    }
}
