import Foundation
import LabelStore

/// The current reviews' kinds by key, held in memory for `serve` (`CacheFirstLabeler`), read again through the
/// cache's reader when `query_reviews` has changed: at most one check (`reviewsMark`) per `interval`, and at once
/// after this process recorded a review (`invalidate`).
///
/// Why in memory: every answer needs its keys' reviews, and a database read per request would put every request,
/// memory-cache hits included, through the one reader thread; reviews are few (people make them) and change
/// rarely, so a whole copy is small and a check a second is cheap. A review made elsewhere (`querykind review`,
/// another server) shows within `interval`.
final class ReviewBook: @unchecked Sendable {
    private let reader: CacheReader
    private let interval: Duration
    private let lock = NSLock()
    /// Guarded by `lock`.
    private var kinds: [String: String] = [:]
    private var mark: [Int64] = []
    private var checked: ContinuousClock.Instant?
    private var checking = false

    init(reader: CacheReader, interval: Duration = .seconds(1)) {
        self.reader = reader
        self.interval = interval
    }

    /// The reviewed kind of each of `keys` that has a review. Checks for new reviews first when the last check is
    /// older than `interval`; while one caller checks, the others answer from what is held. Throws
    /// `DatabaseUnavailable` only when nothing was ever read.
    func kinds(for keys: [String]) async throws -> [String: String] {
        let due = lock.withLock { () -> Bool in
            guard !checking, checked.map({ ContinuousClock.now - $0 >= interval }) ?? true else { return false }
            checking = true
            return true
        }
        if due { try await refresh() }
        return lock.withLock { keys.reduce(into: [:]) { found, key in found[key] = kinds[key] } }
    }

    /// Makes the next `kinds` check the database (after this process recorded a review).
    func invalidate() { lock.withLock { checked = nil } }

    private func refresh() async throws {
        let known = lock.withLock { mark }
        do {
            let read = try await reader.read { store -> (mark: [Int64], kinds: [String: String]?) in
                let mark = try store.reviewsMark()
                guard mark != known else { return (mark, nil) }
                return (mark, Dictionary(try store.allCurrentReviews().map { ($0.key, $0.kind) },
                                         uniquingKeysWith: { _, last in last }))
            }
            lock.withLock {
                (mark, checked, checking) = (read.mark, ContinuousClock.now, false)
                if let fresh = read.kinds { kinds = fresh }
            }
        } catch {
            let neverRead = lock.withLock { () -> Bool in
                checking = false
                return checked == nil && mark.isEmpty
            }
            if neverRead { throw error }
        }
    }
}
