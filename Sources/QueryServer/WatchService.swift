import Annotator
import Foundation
import Logging
import ServiceLifecycle

/// The existing watch loop (`LabelingJob.watch`) as a service of the server: it runs on its own thread (it blocks),
/// and on graceful shutdown finishes its current batch, marks its run `finished` and returns.
struct WatchService: Service {
    let job: WatchJob
    let interval: Duration
    let metrics: ServerMetrics

    func run() async throws {
        let stop = StopFlag()
        try await withGracefulShutdownHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let thread = Thread { [job, interval, metrics] in
                    continuation.resume(with: Result {
                        _ = try job.labeling.watch(interval: interval, stop: stop) { metrics.record($0) }
                    })
                }
                thread.name = "querykind-watch"
                thread.start()
            }
        } onGracefulShutdown: {
            stop.requestStop()
        }
    }
}

/// A labeling job handed to the watch thread (it is used by that thread alone).
public struct WatchJob: @unchecked Sendable {
    let labeling: LabelingJob

    public init(_ labeling: LabelingJob) { self.labeling = labeling }
}
