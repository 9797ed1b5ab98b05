import Foundation
import LabelStore
import Logging

/// Reads `label_cache` for `serve` on its own connection, one read at a time, on a thread of its own.
///
/// Why a thread of its own: a read can wait for another connection's lock (SQLite's busy timeout, PostgreSQL's
/// `lock_timeout`, both `--busy-timeout`), and a blocking wait on Swift's cooperative threads stalls every request of
/// the process, `/healthz` included, for as long as the lock: two stuck requests were enough on 2 cores. Here a
/// waiting read holds only this reader's thread while its request waits without a thread.
///
/// Why one at a time: database connections (SQLite's, and the PostgreSQL store's) are not for concurrent use, and a
/// memory miss is rare enough once the server is warm that one reader (in SQLite, a WAL reader never blocked by
/// writers) is plenty. Every wait stays bounded: a read waits for the one in progress, then for its own attempt
/// (each at most the busy timeout), and the reads that queued behind a failed read fail with it rather than each
/// waiting again.
final class CacheReader: @unchecked Sendable {
    private let store: any LabelDatabase
    private let model: String
    private let queue = DispatchQueue(label: "querykind-cache-reader")
    private let logger: Logger
    /// The latest read's failure and when it ended, nil after a success (touched only on `queue`).
    private var failure: (error: any Error, ended: ContinuousClock.Instant)?

    init(store: any LabelDatabase, model: String, logger: Logger) {
        self.store = store
        self.model = model
        self.logger = logger
    }

    /// The cached labels for `keys`; throws `DatabaseUnavailable` when the database does not answer in time.
    func labels(for keys: [String]) async throws -> [String: StoredLabel] {
        try await read { [model] in try $0.cachedLabels(model: model, keys: keys) }
    }

    /// Whether the database answers a query within the busy timeout.
    func answers() async -> Bool {
        (try? await read { try $0.schemaVersion() }) != nil
    }

    /// `body` on the reader's connection and thread; throws `DatabaseUnavailable` when it fails.
    func read<T: Sendable>(_ body: @escaping @Sendable (any LabelDatabase) throws -> T) async throws -> T {
        let queued = ContinuousClock.now
        return try await withCheckedThrowingContinuation { continuation in
            queue.async { [self] in
                continuation.resume(with: Result {
                    if let failure, failure.ended > queued { throw DatabaseUnavailable(failure.error) }
                    do {
                        let value = try body(store)
                        if failure != nil { logger.info("the database answers again") }
                        failure = nil
                        return value
                    } catch {
                        if failure == nil { logger.error("cache read failed", metadata: ["error": "\(error)"]) }
                        failure = (error, ContinuousClock.now)
                        throw DatabaseUnavailable(error)
                    }
                })
            }
        }
    }
}

/// The database did not answer a read (a lock held past `--busy-timeout`, a lost connection, an I/O error): the
/// request gets 503 and may retry; the details go to the log, not to the client (they can hold SQL or a URL).
public struct DatabaseUnavailable: Error, CustomStringConvertible {
    public let underlying: any Error

    init(_ underlying: any Error) { self.underlying = underlying }

    public var description: String { "the database did not answer: \(underlying)" }
}
