/// A failure an engine reports (a SQLite result code, a PostgreSQL SQLSTATE), seen the way the engine-neutral code
/// needs it: whether it heals by itself, and its message.
public protocol DatabaseError: Error, CustomStringConvertible {
    /// True for failures that heal by themselves (a lock held too long, a full disk, a lost connection): a `watch`
    /// daemon retries them with backoff, and a run's final status update retries them (`retryingTransient`).
    var isTransient: Bool { get }
    /// The engine's own message, without the SQL that failed.
    var message: String { get }
}
