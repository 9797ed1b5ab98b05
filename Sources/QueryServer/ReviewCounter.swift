import Annotator
import Foundation
import LabelStore

/// `ReviewDesk` on a connection and thread of its own, for the review routes: a review's write (and the model run
/// for the label it shows) waits here, never on Swift's cooperative threads, which every request shares (see
/// `CacheReader`). One at a time: the connection is not for concurrent use, and people's reviews are few.
final class ReviewCounter: @unchecked Sendable {
    private let desk: ReviewDesk
    private let queue = DispatchQueue(label: "querykind-reviews")

    init(desk: ReviewDesk) { self.desk = desk }

    /// `body`'s result, run on the counter's thread.
    func run<T: Sendable>(_ body: @escaping @Sendable (ReviewDesk) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { [self] in continuation.resume(with: Result { try body(desk) }) }
        }
    }
}
