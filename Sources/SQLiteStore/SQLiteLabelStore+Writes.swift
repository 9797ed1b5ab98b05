import LabelStore

/// Writing one batch of labels: the only write a labeling run makes per batch.
extension SQLiteLabelStore {
    /// Writes `batch` for run `runID` in ONE short `BEGIN IMMEDIATE` transaction, so a crash at any moment
    /// leaves either the whole batch (labels, cache entries, run counters) or none of it.
    public func write(_ batch: LabelBatch, runID: Int64) throws {
        let time = Timestamp.text()
        try connection.transaction {
            let upsert = try connection.prepare("""
                INSERT INTO query_labels (query_id, kind, p_keyword, p_question, error, model, run_id, labeled_at,
                                          normalized_text)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                ON CONFLICT (query_id) DO UPDATE SET
                    kind = excluded.kind, p_keyword = excluded.p_keyword, p_question = excluded.p_question,
                    error = excluded.error, model = excluded.model, labeled_at = excluded.labeled_at,
                    run_id = excluded.run_id, normalized_text = excluded.normalized_text
                """)
            defer { upsert.reset() }
            try upsert.bind(batch.cache.model, at: 6)
            try upsert.bind(runID, at: 7)
            try upsert.bind(time, at: 8)
            for (queryID, outcome) in batch.outcomes {
                upsert.reset()
                try upsert.bind(queryID, at: 1)
                try upsert.bind(batch.keys[queryID], at: 9)
                switch outcome {
                case .labeled(let label):
                    try upsert.bind(label.kind, at: 2)
                    try upsert.bind(label.pKeyword, at: 3)
                    try upsert.bind(label.pQuestion, at: 4)
                    try upsert.bind(nil, at: 5)
                case .failed(let reason):
                    for column: Int32 in 2...4 { try upsert.bind(nil, at: column) }
                    try upsert.bind(reason, at: 5)
                }
                while try upsert.step() {}
            }
            try writeCache(batch.cache, at: time)
            try addToRun(runID, batch.counters)
        }
    }
}
