import Foundation
import LabelStore
import PostgresNIO

/// The `label_runs` job table in PostgreSQL. Unlike SQLite, any number of runs may label one table at once; a run
/// that stops renewing its heartbeat (killed, crashed, cut off) is marked `interrupted` by the others.
extension PostgresLabelStore {
    public func startRun(_ info: RunInfo) throws -> Int64 {
        try markDeadRunsInterrupted()
        // The renewal's connection first: a run that could not renew its lease must not start.
        let renewal = try PostgresLink(location, connectTimeout: min(lease, .seconds(10)), lockTimeout: busyTimeout)
        let runID = try link.scalar("""
            INSERT INTO label_runs (command, model, source_table, text_column, id_column, relabel, host, pid,
                                    lease_expires_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + $9 * interval '1 second') RETURNING id
            """, binds(info.command, info.model, info.source.table, info.source.textColumn, info.source.idColumn,
                       info.relabel, LocalProcess.hostName, LocalProcess.id, leaseSeconds), as: Int64.self)!
        keeper = LeaseKeeper(link: renewal, runID: runID, lease: lease)
        return runID
    }

    /// Ends the run, releases the claims it still holds (rows it read ahead but never wrote: the others need not wait
    /// for their leases to lapse), and marks dead runs. Transient failures are retried for `busyTimeout`.
    public func finishRun(_ runID: Int64, status: RunStatus, error: String?) throws {
        keeper?.stop()
        keeper = nil
        try retryingTransient(for: busyTimeout) {
            try link.transaction {
                try recordEnd(of: runID, status: status, error: error)
                try link.execute("DELETE FROM label_claims WHERE run_id = $1", binds(runID))
            }
            try markDeadRunsInterrupted()
        }
    }

    public func recordRetries(_ runID: Int64, retries: Int, lastError: String) throws {
        try recordRetryCount(of: runID, retries: retries, lastError: lastError)
    }

    /// Marks `interrupted` every `running` run that is certainly dead: its process on this host is gone (its lease
    /// ends now, so its claims go to the others at once), or (on any host) its lease lapsed unrenewed. A recycled
    /// pid only delays the marking to the lease rule.
    func markDeadRunsInterrupted() throws {
        let gone = try deadLocalRuns()
        try link.execute("""
            UPDATE label_runs SET status = 'interrupted', ended_at = heartbeat_at,
                lease_expires_at = least(lease_expires_at, now()),
                error = 'process ' || pid || ' on ' || host || ' stopped renewing its leases at '
                    || to_char(heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                    || ' without finishing the run (killed, crashed or cut off); other workers took over its rows'
            WHERE status = 'running' AND (id = ANY($1) OR lease_expires_at < now())
            """, binds(gone))
    }
}

/// Renews a run's lease every third of a lease, on its own connection and thread, so a batch that takes long on the
/// model never loses its rows while the process lives, and a dead process is noticed.
///
/// Why one row: the renewal touches only the run's `label_runs` row, never `label_claims`, so it cannot deadlock
/// with the run's own batch writes, which delete claims and then update that same row.
final class LeaseKeeper: @unchecked Sendable {
    private let stopped = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)

    /// Starts renewing on `link`, a connection of the keeper's own.
    init(link: PostgresLink, runID: Int64, lease: Duration) {
        let seconds = lease / .seconds(1)
        Thread { [stopped, done] in
            while stopped.wait(timeout: .now() + seconds / 3) == .timedOut {
                // A failed renewal is tried again a third of a lease later; the run's own statements report faults.
                _ = try? link.execute("""
                    UPDATE label_runs SET heartbeat_at = now(), lease_expires_at = now() + $2 * interval '1 second'
                    WHERE id = $1
                    """, binds(runID, seconds))
            }
            done.signal()
        }.start()
    }

    /// Stops renewing and waits for the thread to end.
    func stop() {
        stopped.signal()
        done.wait()
    }
}
