import LabelStore

/// What one poll of `LabelingJob.watch` did, handed to its `onPass` callback.
///
/// Why it carries the retry state: `label_runs.retries` shows a daemon stuck on a transient fault only to someone who
/// queries the database; a server's metrics must show it too, from the same source of truth (`TransientRetries`).
public struct WatchPass: Sendable {
    /// What the poll labeled (written batches only; a poll that failed part way keeps what it committed).
    public var counters: RunCounters
    /// True when the poll failed transiently (a lock held past the busy timeout, a full disk, an I/O error) and the
    /// loop is backing off to retry it; false after a poll that succeeded.
    public var retrying: Bool
}
