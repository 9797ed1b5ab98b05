import BertClassifier
import Foundation
import LabelStore
import Logging

/// The labeling job behind `querykind label` (one pass) and `querykind watch` (passes until stopped):
/// fetch a batch of unlabeled rows, label it (cache first, model on misses), write it in one transaction,
/// and keep the `label_runs` row current, so killing the process at any moment loses at most one batch.
public final class LabelingJob {
    /// Knobs of a run.
    public struct Options: Sendable {
        /// Source rows per batch, each batch one write transaction (`--rows-per-transaction`): the most a crash can
        /// lose. Large enough that a batch's cache misses keep every inference worker busy (2048 labels 18% faster
        /// than 256 on the nightly table). Not the texts per forward pass (`inferenceBatchSize`).
        public var rowsPerTransaction: Int
        /// Texts per model call within a batch.
        public var inferenceBatchSize = QueryClassifier.defaultInferenceBatch
        /// Also relabel rows labeled by a different model.
        public var relabel = false
        /// When another live run labels the same table with the same model, wait for it to end (polling
        /// every `liveRunPoll`) instead of refusing at once (`--wait`).
        public var waitForLiveRun = false

        public init(rowsPerTransaction: Int = 2048, inferenceBatchSize: Int = QueryClassifier.defaultInferenceBatch,
                    relabel: Bool = false, waitForLiveRun: Bool = false) {
            self.rowsPerTransaction = rowsPerTransaction
            self.inferenceBatchSize = inferenceBatchSize
            self.relabel = relabel
            self.waitForLiveRun = waitForLiveRun
        }
    }

    /// How often a run started with `waitForLiveRun` checks whether the live run has ended.
    static let liveRunPoll = Duration.milliseconds(500)
    /// How often a pass that found nothing to claim looks again while other workers still hold claims.
    static let claimPoll = Duration.milliseconds(250)

    /// Where a run stands, reported after every batch.
    public struct Progress: Sendable {
        public var counters: RunCounters
        /// Rows that were pending when the pass started (rows arriving later are labeled too).
        public var pendingAtStart: Int
        public var elapsed: Duration
    }

    /// A stop requested while waiting (`waitForLiveRun`) for another live run to end: nothing was labeled, and no
    /// run was recorded.
    public struct StoppedWaiting: Error, CustomStringConvertible {
        public var live: LiveRun
        public var description: String {
            "stopped while waiting for \(live) to end; nothing was labeled"
        }
    }

    /// How a run ended.
    public struct Summary: Sendable, Codable {
        public var runID: Int64
        public var status: LabelStore.RunStatus
        public var counters: RunCounters
        public var seconds: Double
        public var model: String
        /// Why the run's end could not be written into `label_runs` and what that leaves, nil when it was written:
        /// after a stop during a lock that outlasted the busy timeout, the row stays `running` until the next run
        /// marks it interrupted.
        public var unrecorded: String?

        /// One line for standard error when the run's end could not be recorded, nil when it was.
        public var unrecordedWarning: String? {
            unrecorded.map { "warning: run \(runID) stopped, but marking it \(status.rawValue) failed: \($0)" }
        }

        enum CodingKeys: String, CodingKey {
            case runID = "run_id", status, counters, seconds, model
        }
    }

    private let session: LabelingSession
    private let options: Options
    private let logger: Logger
    private let labeler: BatchLabeler
    private let pending: LabelStore.Pending

    public init(session: LabelingSession, options: Options = Options(),
                logger: Logger = Logger(label: "querykind.annotator")) {
        self.session = session
        self.options = options
        self.logger = logger
        labeler = BatchLabeler(store: session.store, classifier: session.classifier,
                               inferenceBatchSize: options.inferenceBatchSize)
        pending = .init(source: session.source, model: session.classifier.modelID, relabel: options.relabel)
    }

    /// One pass over every pending row (`querykind label`), recorded as a `label` run: `finished`, or
    /// `interrupted` when `stop` was requested first, or `failed` (thrown as a `RunFailure`). It fails fast:
    /// a lock held past the busy timeout ends it, unless a stop was requested meanwhile: then the run was
    /// interrupted (the batch that met the lock was rolled back whole), not failed.
    ///
    /// With other workers on the same table (PostgreSQL), it ends only when none of them holds claims either: a
    /// worker that dies leaves its rows to the others once its lease lapses, so the table is done when this returns.
    ///
    /// `waiting` hears of each live run it waits for (`waitForLiveRun`), instead of the log.
    public func labelAll(stop: StopFlag = StopFlag(), progress: (Progress) -> Void = { _ in },
                         waiting: ((LiveRun) -> Void)? = nil) throws -> Summary {
        try run(command: "label", stop: stop, waiting: waiting) { runID, clock in
            let total = try session.store.countPending(pending)
            var counters = RunCounters()
            do {
                repeat {
                    var cursor: Int64?
                    try pass(runID: runID, cursor: &cursor, counters: &counters, stop: stop) { _, counters in
                        progress(Progress(counters: counters, pendingAtStart: total, elapsed: clock.elapsed))
                    }
                } while try !stop.isStopRequested && othersStillWorking(runID: runID, stop: stop)
            } catch where stop.isStopRequested && session.store.isTransient(error) {
                return (counters, .interrupted)
            }
            return (counters, stop.isStopRequested ? .interrupted : .finished)
        }
    }

    /// After a pass found nothing to claim: false at once when no other run holds claims, else true after a short
    /// wait, so the caller looks again (for rows whose lease lapsed, or rows the others leave behind).
    private func othersStillWorking(runID: Int64, stop: StopFlag) throws -> Bool {
        guard try session.store.othersHoldClaims(pending, besides: runID) else { return false }
        stop.sleep(Self.claimPoll)
        return true
    }

    /// Labels new rows as they arrive (`querykind watch`) until `stop` is requested, polling every
    /// `interval`; recorded as one `watch` run, `finished` on a clean stop.
    ///
    /// Polls resume after the highest id seen, so a row inserted with an id below it waits for the next full
    /// pass from the lowest id, every `fullScanEvery` polls (finding it sooner would cost a scan of the table
    /// at every poll). Transient database failures (a lock held past the busy timeout, a full disk, an I/O
    /// error) are retried with capped exponential backoff, logged and counted in `label_runs`; any other
    /// failure ends the run as `failed`. A stop while it is backing off ends the run `interrupted` (rows were left
    /// unlabeled), else `finished`. `onStart` gets the run's id once it holds the table (a server starts listening
    /// only then); `onWrite` each batch once it is committed (a server counts its labels per kind: a batch at a time,
    /// so a poll over a large backlog holds no more than one); `onPass` each poll's counters and retry state (a
    /// server's metrics show them).
    public func watch(interval: Duration, fullScanEvery: Int = 60, stop: StopFlag, onStart: (Int64) -> Void = { _ in },
                      onWrite: (LabelStore.LabelBatch) -> Void = { _ in },
                      onPass: (WatchPass) -> Void = { _ in }) throws -> Summary {
        try run(command: "watch", stop: stop, onStart: onStart) { runID, _ in
            var total = RunCounters()
            var highestID: Int64?
            var poll = 0
            var retries = TransientRetries(store: session.store, runID: runID, logger: logger)
            while !stop.isStopRequested {
                var cursor = poll % max(1, fullScanEvery) == 0 ? nil : highestID
                var counters = RunCounters()
                var wait = interval
                do {
                    try watchPoll(runID: runID, cursor: &cursor, counters: &counters, stop: stop, onWrite: onWrite)
                    retries.succeeded()
                    poll += 1
                } catch where session.store.isTransient(error) {
                    wait = retries.failed(error)
                }
                total = total + counters
                onPass(WatchPass(counters: counters, retrying: retries.isRetrying))
                highestID = [highestID, cursor].compactMap { $0 }.max()
                logLabeled(counters)
                stop.sleep(wait)
            }
            retries.catchUp()
            return (total, retries.isRetrying ? .interrupted : .finished)
        }
    }

    /// One poll of `watch`: a pass after `cursor`, which then moves past what the pass covered. A full pass (nil
    /// `cursor`) covers every row up to the table's highest id, labeled or not, so the next polls start there
    /// instead of scanning an already labeled table again.
    private func watchPoll(runID: Int64, cursor: inout Int64?, counters: inout RunCounters, stop: StopFlag,
                           onWrite: (LabelStore.LabelBatch) -> Void) throws {
        let covered = cursor == nil ? try session.store.highestSourceID(session.source) : nil
        try pass(runID: runID, cursor: &cursor, counters: &counters, stop: stop) { batch, _ in onWrite(batch) }
        cursor = [cursor, covered].compactMap { $0 }.max()
    }

    private func logLabeled(_ counters: RunCounters) {
        guard counters.scanned > 0 else { return }
        logger.info("labeled new rows", metadata: [
            "rows": "\(counters.scanned)", "errors": "\(counters.errors)",
            "cache_hits": "\(counters.cacheHits)", "inferences": "\(counters.inferences)",
        ])
    }

    /// Records a run around `body`, marking it failed when `body` throws and rethrowing a `RunFailure` (one line:
    /// the job logs nothing itself, the caller prints it). After a stop, a run whose end cannot be written (a lock
    /// past the busy timeout) is not called failed, nor written again: its summary says so (`unrecorded`), so a
    /// stopping process waits for the lock once and exits cleanly.
    private func run(command: String, stop: StopFlag, waiting: ((LiveRun) -> Void)? = nil,
                     onStart: (Int64) -> Void = { _ in },
                     _ body: (Int64, ElapsedClock) throws -> (RunCounters, LabelStore.RunStatus)) throws -> Summary {
        let store = session.store
        let runID = try startRun(command: command, stop: stop, waiting: waiting)
        logger.info("run started", metadata: ["run": "\(runID)", "command": "\(command)",
                                              "model": "\(session.classifier.modelID)"])
        onStart(runID)
        let clock = ElapsedClock()
        do {
            try fillMissingKeys(runID: runID)
            let (counters, status) = try body(runID, clock)
            var summary = Summary(runID: runID, status: status, counters: counters,
                                  seconds: clock.elapsed / .seconds(1), model: session.classifier.modelID)
            do {
                try store.finishRun(runID, status: status, error: nil)
            } catch where stop.isStopRequested && store.isTransient(error) {
                summary.unrecorded = RunFailure.staysRunning(runID: runID, because: store.explain(error))
                return summary
            }
            logger.info("run ended", metadata: ["run": "\(runID)", "status": "\(status.rawValue)"])
            return summary
        } catch {
            var failure = RunFailure(runID: runID, error: store.explain(error))
            do {
                try store.finishRun(runID, status: .failed, error: "\(failure.error)")
            } catch {
                failure.recordingError = error
            }
            throw failure
        }
    }

    /// Gives labels written before keys were stored their key (`LabelDatabase.fillMissingKeys`), keyed as this
    /// job keys a row (`RowText.cacheKey`), so reviews reach them in the view. Here because only a loaded model can
    /// key a text: `migrate` has none.
    private func fillMissingKeys(runID: Int64) throws {
        let filled = try session.store.fillMissingKeys(of: session.source) {
            try? RowText.cacheKey($0, classifier: session.classifier).get()
        }
        guard filled > 0 else { return }
        logger.info("filled the keys of labels written before keys were stored",
                    metadata: ["run": "\(runID)", "rows": "\(filled)"])
    }

    /// Starts the run; while another live run holds the table, refuses, or with `waitForLiveRun` waits for it,
    /// telling `waiting` (else the log) of each live run it waits for, until `stop` is requested
    /// (`StoppedWaiting`).
    private func startRun(command: String, stop: StopFlag, waiting: ((LiveRun) -> Void)?) throws -> Int64 {
        let info = LabelStore.RunInfo(command: command, model: session.classifier.modelID, source: session.source,
                                      relabel: options.relabel)
        var announced: LiveRun?
        while true {
            do {
                return try session.store.startRun(info)
            } catch StoreError.labelerRunning(let live, _) where options.waitForLiveRun {
                if stop.isStopRequested { throw StoppedWaiting(live: live) }
                if announced != live {
                    if let waiting {
                        waiting(live)
                    } else {
                        logger.notice("waiting for the live run on this table to end", metadata: ["run": "\(live)"])
                    }
                    announced = live
                }
                stop.sleep(Self.liveRunPoll)
            }
        }
    }

    /// Labels batches of pending rows with ids above `cursor` (all of them when nil) until none are left or a
    /// stop is requested, reading and writing while the model runs (see `BatchPipeline`). `cursor` and
    /// `counters` advance with each batch written, so a failure part way keeps what was committed; `afterBatch`
    /// gets each written batch and the pass's counters so far.
    private func pass(runID: Int64, cursor: inout Int64?, counters: inout RunCounters, stop: StopFlag,
                      afterBatch: (LabelStore.LabelBatch, RunCounters) -> Void) throws {
        var written = (cursor: cursor, counters: counters)
        defer { (cursor, counters) = written }
        try BatchPipeline(labeler: labeler).run(after: cursor, stop: stop) { after in
            try session.store.claimPending(pending, runID: runID, after: after, limit: options.rowsPerTransaction)
        } write: { rows, batch in
            try session.store.write(batch, runID: runID)
            written = (rows.last?.id ?? written.cursor, written.counters + batch.counters)
            afterBatch(batch, written.counters)
        }
    }
}

/// Time since a run started.
final class ElapsedClock: Sendable {
    private let start = ContinuousClock.now
    var elapsed: Duration { ContinuousClock.now - start }
}
