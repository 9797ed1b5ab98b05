import Foundation

/// A SQLite file as `serve` opened it: its path, device and inode.
///
/// Why: a connection keeps the file it opened. After the file is deleted SQLite goes on reading and writing the
/// unlinked inode, with no error and nothing logged, so labels vanish with the process; after it is replaced, the
/// server and every other program see different databases. Only comparing what the path names now with what was
/// opened tells, so `/readyz` does.
struct DatabaseFileIdentity: Sendable {
    let path: String
    private let device: UInt64
    private let inode: UInt64

    /// The file `path` names now; nil when there is none.
    init?(path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        self.path = path
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
    }

    /// What happened to the file since it was opened, in one line for `/readyz` (without the path); nil while the
    /// path still names it.
    func change() -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else {
            return "the database file was deleted or moved after serve opened it; put it back and restart serve"
        }
        guard UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode else {
            return "the database file was replaced after serve opened it; restart serve to use the new file"
        }
        return nil
    }
}
