import Annotator
import Foundation
import Logging
import ServiceLifecycle

/// The existing watch loop (`LabelingJob.watch`) as a service of the server: it runs on its own thread (it blocks),
/// and on graceful shutdown finishes its current batch, marks its run `finished` and returns.
///
/// Why `start` before the server binds: a watch refused by the one-labeler rule must end `serve` with that one line
/// before it listens, not after it logged "listening" and answered requests (then exited with cancellation noise).
/// Once started, a loop that fails (say its database file was replaced) is logged and reported by `/readyz`; the
/// server goes on answering from memory and the model rather than exiting.
struct WatchService: Service {
    private let stop: StopFlag
    private let status: WatchStatus
    private let logger: Logger
    /// One element once the run holds the table; finishes (or throws) when the loop ends.
    private let events: AsyncThrowingStream<Void, any Error>

    /// Starts the loop's thread and returns once its run started (refusals are thrown from here); with `--wait`,
    /// at once, so the server listens while the loop waits for the live run.
    static func start(job: WatchJob, interval: Duration, metrics: ServerMetrics, status: WatchStatus,
                      logger: Logger) async throws -> WatchService {
        let stop = StopFlag()
        let (events, continuation) = AsyncThrowingStream<Void, any Error>.makeStream()
        let thread = Thread {
            do {
                _ = try job.labeling.watch(interval: interval, stop: stop, onStart: { _ in continuation.yield() },
                                           onWrite: { metrics.record(written: $0) }, onPass: { metrics.record($0) })
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        thread.name = "querykind-watch"
        thread.start()
        if !job.waitsForLiveRun {
            for try await _ in events { break }
        }
        return WatchService(stop: stop, status: status, logger: logger, events: events)
    }

    func run() async throws {
        try await withGracefulShutdownHandler {
            do {
                for try await _ in events {}
            } catch where !stop.isStopRequested {
                logger.error("the watch loop stopped; serve goes on answering, /readyz says not ready",
                             metadata: ["error": "\(error)"])
                status.stopped()
                try await gracefulShutdown()
            }
        } onGracefulShutdown: {
            stop.requestStop()
        }
    }
}

/// Whether the `--watch` loop still runs, for `/readyz`.
final class WatchStatus: @unchecked Sendable {
    private let lock = NSLock()
    private var failed = false

    /// Why the server is not ready on the loop's account, nil while it runs.
    var problem: String? {
        lock.withLock { failed } ? "the --watch loop stopped on an error (the log has it); restart serve" : nil
    }

    func stopped() { lock.withLock { failed = true } }
}

/// A labeling job handed to the watch thread (it is used by that thread alone).
public struct WatchJob: @unchecked Sendable {
    let labeling: LabelingJob
    /// `--wait`: the loop may wait for another live run before it starts.
    let waitsForLiveRun: Bool

    public init(_ labeling: LabelingJob, waitsForLiveRun: Bool) {
        self.labeling = labeling
        self.waitsForLiveRun = waitsForLiveRun
    }
}
