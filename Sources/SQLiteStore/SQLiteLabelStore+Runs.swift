import LabelStore

/// The `label_runs` job table: one row per `label` pass or `watch` daemon, so a person can see with plain
/// SQL what ran, with which model, how far it got, and how it ended.
extension SQLiteLabelStore {
    /// Records a new `running` run and returns its id; first marks as `interrupted` any run still `running`
    /// whose process on this host is gone, then refuses (`StoreError.labelerRunning`) while another live run
    /// labels the same table with the same model.
    ///
    /// Why one labeler: two would scan, infer and write every row twice, overwriting each other. The check and
    /// the insert share one `BEGIN IMMEDIATE` transaction, so of two processes starting at once only one passes.
    public func startRun(_ info: RunInfo) throws -> Int64 {
        try connection.transaction {
            try markDeadRunsInterrupted()
            if let live = try liveRun(table: info.source.table, model: info.model) {
                throw StoreError.labelerRunning(live, table: info.source.table)
            }
            try connection.run("""
                INSERT INTO label_runs (command, model, source_table, text_column, id_column, relabel, host, pid)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(info.command), .text(info.model), .text(info.source.table),
                      .text(info.source.textColumn), .text(info.source.idColumn), .integer(info.relabel ? 1 : 0),
                      .text(LocalProcess.hostName), .integer(LocalProcess.id)])
            return connection.lastInsertRowID
        }
    }

    /// The oldest `running` run on `table` with `model`; called after dead runs on this host were marked, so
    /// it is alive here or on a host this process cannot check (which therefore counts as alive).
    private func liveRun(table: String, model: String) throws -> LiveRun? {
        try connection.query("""
            SELECT id, command, host, pid, started_at FROM label_runs
            WHERE status = 'running' AND source_table = ? COLLATE NOCASE AND model = ?
            ORDER BY id LIMIT 1
            """, [.text(table), .text(model)]) {
            LiveRun(id: $0.int64(0), command: $0.string(1), host: $0.string(2), pid: $0.int64(3), startedAt: $0.string(4))
        }.first
    }

    /// Ends run `runID` with `status` (and, for a failure, the reason).
    ///
    /// Retried on transient failures (a lock, a full disk, an I/O error) until `busyTimeout` has passed, because
    /// this is the only record of how the run ended: a run left `running` is later judged by its dead process.
    public func finishRun(_ runID: Int64, status: RunStatus, error: String? = nil) throws {
        try retryingTransient(for: busyTimeout) {
            try connection.transaction { try recordEnd(of: runID, status: status, error: error) }
        }
    }

    /// Records that run `runID` has met `retries` transient failures so far, the latest being `error`
    /// (a `watch` daemon keeps going through them; this is where a person sees it with plain SQL).
    ///
    /// Never waits for a lock: the failure being retried is usually a lock held past the busy timeout, and waiting
    /// for it again here doubled every retry. Under a lock it fails at once; the caller records it later.
    public func recordRetries(_ runID: Int64, retries: Int, lastError: String) throws {
        try connection.withoutWaitingForLocks { try connection.transaction {
            try recordRetryCount(of: runID, retries: retries, lastError: lastError)
        } }
    }

    /// Marks `interrupted` every `running` run of this host whose process is gone. (A recycled pid keeps a dead run
    /// `running`, and so blocks new runs on its table: the refusal names the run, which a person then marks
    /// `interrupted` by hand.)
    private func markDeadRunsInterrupted() throws {
        for runID in try deadLocalRuns() {
            try connection.run("""
                UPDATE label_runs SET status = 'interrupted', ended_at = updated_at,
                    error = 'process ' || pid || ' ended without finishing the run and could not record why '
                        || '(killed, crashed, or its final status update failed; see that process''s output)'
                WHERE id = ?
                """, [.integer(runID)])
        }
    }
}
