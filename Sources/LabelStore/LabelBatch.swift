/// Writing one batch of labels: the only write a labeling run makes per batch.
extension LabelStore {
    /// Everything one batch changes: its rows' outcomes, the cache, and the run's counters.
    public struct LabelBatch: Sendable {
        public var outcomes: [(queryID: Int64, outcome: LabelOutcome)] = []
        public var cache: CacheUpdate
        public var counters = RunCounters()

        public init(model: String) { cache = CacheUpdate(model: model) }
    }

    /// Writes `batch` for run `runID` in ONE short `BEGIN IMMEDIATE` transaction, so a crash at any moment
    /// leaves either the whole batch (labels, cache entries, run counters) or none of it.
    public func write(_ batch: LabelBatch, runID: Int64) throws {
        let model = batch.cache.model
        try connection.transaction {
            let upsert = try connection.prepare("""
                INSERT INTO query_labels (query_id, kind, p_keyword, p_question, error, model, run_id)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (query_id) DO UPDATE SET
                    kind = excluded.kind, p_keyword = excluded.p_keyword, p_question = excluded.p_question,
                    error = excluded.error, model = excluded.model, labeled_at = excluded.labeled_at,
                    run_id = excluded.run_id
                """)
            for (queryID, outcome) in batch.outcomes {
                switch outcome {
                case .labeled(let label):
                    try upsert.bind([.integer(queryID), .text(label.kind), .real(label.pKeyword),
                                     .real(label.pQuestion), .null, .text(model), .integer(runID)])
                case .failed(let reason):
                    try upsert.bind([.integer(queryID), .null, .null, .null, .text(reason), .text(model),
                                     .integer(runID)])
                }
                while try upsert.step() {}
            }
            try writeCache(batch.cache)
            try addToRun(runID, batch.counters)
        }
    }
}
