/// Everything one batch changes: its rows' outcomes, the cache, and the run's counters, written in one transaction
/// (`LabelDatabase.write`).
public struct LabelBatch: Sendable {
    public var outcomes: [(queryID: Int64, outcome: LabelOutcome)] = []
    /// Each labeled row's cache key, by id, written to `query_labels.normalized_text` so reviews of the key reach
    /// the row (absent for rows that could not be labeled).
    public var keys: [Int64: String] = [:]
    public var cache: CacheUpdate
    public var counters = RunCounters()

    public init(model: String) { cache = CacheUpdate(model: model) }
}
