/// The `label_runs` job table's updates, written once in SQL both engines run alike (the engine gives only its
/// expression for the current time, `nowSQL`); each engine wraps them in its own transactions and locking.
extension LabelDatabase {
    /// Records how run `runID` ended (`status`, and for a failure the reason), in the caller's transaction.
    public func recordEnd(of runID: Int64, status: RunStatus, error: String?) throws {
        try execute("""
            UPDATE label_runs SET status = $2, error = $3, ended_at = \(nowSQL), updated_at = \(nowSQL) WHERE id = $1
            """, [.integer(runID), .text(status.rawValue), error.map { .text($0) } ?? .null])
    }

    /// Adds a batch's counters to run `runID` (in the batch's transaction).
    public func addToRun(_ runID: Int64, _ counters: RunCounters) throws {
        try execute("""
            UPDATE label_runs SET rows_scanned = rows_scanned + $2, rows_labeled = rows_labeled + $3,
                cache_hits = cache_hits + $4, inferences = inferences + $5, rows_with_errors = rows_with_errors + $6,
                updated_at = \(nowSQL)
            WHERE id = $1
            """, [.integer(runID), .integer(Int64(counters.scanned)), .integer(Int64(counters.labeled)),
                  .integer(Int64(counters.cacheHits)), .integer(Int64(counters.inferences)),
                  .integer(Int64(counters.errors))])
    }

    /// Records that run `runID` has met `retries` transient failures so far, the latest being `lastError`.
    public func recordRetryCount(of runID: Int64, retries: Int, lastError: String) throws {
        try execute("""
            UPDATE label_runs SET retries = $2, last_error = $3, last_error_at = \(nowSQL) WHERE id = $1
            """, [.integer(runID), .integer(Int64(retries)), .text(lastError)])
    }

    /// The `running` runs recorded by this host whose process is gone (`LocalProcess`): dead, whichever engine.
    /// (A recycled pid keeps a dead run `running`; PostgreSQL also ends it when its lease lapses.)
    public func deadLocalRuns() throws -> [Int64] {
        try rows("SELECT id, pid FROM label_runs WHERE status = 'running' AND host = $1", [.text(LocalProcess.hostName)])
            .compactMap { row in
                guard let id = row[0].integer, let pid = row[1].integer, !LocalProcess.isAlive(pid) else { return nil }
                return id
            }
    }
}
