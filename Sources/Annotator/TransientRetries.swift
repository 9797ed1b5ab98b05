import LabelStore
import Logging

/// How `watch` rides out a transient database failure (a lock held past the busy timeout, a full disk, an I/O
/// error): it waits with capped exponential backoff, logs each retry, and keeps the count and the latest error in
/// the run's `label_runs` row, so a daemon neither exits on a fault that heals nor hides it.
struct TransientRetries {
    /// The wait after the first failure in a row; doubled after each further one, up to `maximumDelay`.
    static let firstDelay = Duration.milliseconds(100)
    static let maximumDelay = Duration.seconds(30)

    let store: any LabelDatabase
    let runID: Int64
    let logger: Logger
    /// Retries over the whole run, as `label_runs.retries` shows them.
    private(set) var total = 0
    /// Failures since the last success.
    private var consecutive = 0
    private var lastError = ""
    /// False while `label_runs` lags behind `total` (the failure that is being retried may block that write too).
    private var recorded = true

    /// True from a failure until the next success: the daemon is backing off, not labeling.
    var isRetrying: Bool { consecutive > 0 }

    init(store: any LabelDatabase, runID: Int64, logger: Logger) {
        self.store = store
        self.runID = runID
        self.logger = logger
    }

    /// Notes a failure and returns how long to wait before the next attempt.
    mutating func failed(_ error: any Error) -> Duration {
        total += 1
        consecutive += 1
        lastError = "\(error)"
        let delay = min(Self.maximumDelay, Self.firstDelay * (1 << min(consecutive - 1, 16)))
        logger.warning("transient database error; retrying", metadata: [
            "run": "\(runID)", "attempt": "\(consecutive)", "delay_s": "\(delay / .seconds(1))", "error": "\(error)",
        ])
        record()
        return delay
    }

    /// Notes a successful pass: logs the recovery, and brings `label_runs` up to date if it lagged.
    mutating func succeeded() {
        if consecutive > 0 {
            logger.notice("database usable again", metadata: ["run": "\(runID)", "attempts": "\(consecutive)"])
            consecutive = 0
        }
        catchUp()
    }

    /// Brings `label_runs` up to date if it lagged (recording never waits for a lock, so it lags while one is
    /// held); the daemon calls it once more when it stops.
    mutating func catchUp() {
        if !recorded { record() }
    }

    private mutating func record() {
        recorded = (try? store.recordRetries(runID, retries: total, lastError: lastError)) != nil
    }
}
