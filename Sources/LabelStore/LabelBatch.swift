/// Everything one batch changes: its rows' outcomes, the cache, and the run's counters, written in one transaction
/// (`LabelDatabase.write`).
public struct LabelBatch: Sendable {
    public var outcomes: [(queryID: Int64, outcome: LabelOutcome)] = []
    public var cache: CacheUpdate
    public var counters = RunCounters()

    public init(model: String) { cache = CacheUpdate(model: model) }
}
