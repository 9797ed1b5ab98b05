import Foundation

/// What one connection has chosen: the model (`querykind_load`; until then the process's default model) and whether
/// new labels are written to `label_cache` (`querykind_cache_writes`).
///
/// Why per connection: `querykind_load` picks a model "for the session", and a reader's connection must never start
/// writing because another connection in the same process asked to. Every registered function and the
/// `querykind_classify` module hold one reference; SQLite drops them when the connection closes.
final class SQLSession: @unchecked Sendable {
    private let lock = NSLock()
    private var chosen: LabelingModel?
    private var writes = false

    /// The chosen model, else the process's default one (found and loaded on first use).
    func model() throws -> LabelingModel {
        if let chosen = lock.withLock({ chosen }) { return chosen }
        return try ModelRegistry.shared.defaultModel()
    }

    /// Uses `model` from now on in this connection.
    func use(_ model: LabelingModel) {
        lock.withLock { chosen = model }
    }

    /// Whether labels the model computes are written to the database's `label_cache` (off until asked for).
    var cacheWrites: Bool {
        get { lock.withLock { writes } }
        set { lock.withLock { writes = newValue } }
    }

    /// The session a registered function or the module was given (SQLite's user data).
    static func of(_ pointer: UnsafeMutableRawPointer) -> SQLSession {
        Unmanaged<SQLSession>.fromOpaque(pointer).takeUnretainedValue()
    }
}

@_cdecl("querykind_session_new")
func querykindSessionNew() -> UnsafeMutableRawPointer? {
    Unmanaged.passRetained(SQLSession()).toOpaque()
}

@_cdecl("querykind_session_retain")
func querykindSessionRetain(_ session: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let session else { return nil }
    _ = Unmanaged<SQLSession>.fromOpaque(session).retain()
    return session
}

@_cdecl("querykind_session_release")
func querykindSessionRelease(_ session: UnsafeMutableRawPointer?) {
    guard let session else { return }
    Unmanaged<SQLSession>.fromOpaque(session).release()
}
