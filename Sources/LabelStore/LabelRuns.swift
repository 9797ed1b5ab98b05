import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The `label_runs` job table: one row per `label` pass or `watch` daemon, so a person can see with plain
/// SQL what ran, with which model, how far it got, and how it ended.
extension LabelStore {
    /// How a run ended.
    public enum RunStatus: String, Sendable, Codable {
        case running, finished, failed, interrupted
    }

    /// What a new run is about to do.
    public struct RunInfo: Sendable {
        public var command: String
        public var model: String
        public var source: SourceTable
        public var relabel: Bool

        public init(command: String, model: String, source: SourceTable, relabel: Bool) {
            self.command = command
            self.model = model
            self.source = source
            self.relabel = relabel
        }
    }

    /// Records a new `running` run and returns its id; first marks as `interrupted` any run still
    /// `running` whose process on this host is gone (killed or crashed).
    public func startRun(_ info: RunInfo) throws -> Int64 {
        try connection.transaction {
            try markDeadRunsInterrupted()
            try connection.run("""
                INSERT INTO label_runs (command, model, source_table, text_column, id_column, relabel, host, pid)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(info.command), .text(info.model), .text(info.source.table),
                      .text(info.source.textColumn), .text(info.source.idColumn), .integer(info.relabel ? 1 : 0),
                      .text(Self.hostName), .integer(Int64(getpid()))])
            return connection.lastInsertRowID
        }
    }

    /// Ends run `runID` with `status` (and, for a failure, the reason).
    public func finishRun(_ runID: Int64, status: RunStatus, error: String? = nil) throws {
        try connection.transaction {
            try connection.run("""
                UPDATE label_runs SET status = ?, error = ?, ended_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                    updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                WHERE id = ?
                """, [.text(status.rawValue), error.map { .text($0) } ?? .null, .integer(runID)])
        }
    }

    /// Adds a batch's counters to the run (called inside the batch's transaction).
    func addToRun(_ runID: Int64, _ counters: RunCounters) throws {
        try connection.run("""
            UPDATE label_runs SET rows_scanned = rows_scanned + ?, rows_labeled = rows_labeled + ?,
                cache_hits = cache_hits + ?, inferences = inferences + ?, rows_with_errors = rows_with_errors + ?,
                updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
            WHERE id = ?
            """, [.integer(Int64(counters.scanned)), .integer(Int64(counters.labeled)),
                  .integer(Int64(counters.cacheHits)), .integer(Int64(counters.inferences)),
                  .integer(Int64(counters.errors)), .integer(runID)])
    }

    private func markDeadRunsInterrupted() throws {
        let running = try connection.query(
            "SELECT id, pid FROM label_runs WHERE status = 'running' AND host = ?", [.text(Self.hostName)]
        ) { ($0.int64(0), $0.int64(1)) }
        for (runID, pid) in running where !Self.processIsAlive(pid) {
            try connection.run("""
                UPDATE label_runs SET status = 'interrupted', ended_at = updated_at,
                    error = 'process ' || pid || ' stopped without finishing the run (killed or crashed)'
                WHERE id = ?
                """, [.integer(runID)])
        }
    }

    /// True when a process with this id exists (a recycled pid can keep a dead run `running`: harmless).
    private static func processIsAlive(_ pid: Int64) -> Bool {
        guard pid > 0, pid != Int64(getpid()) else { return false }
        return kill(pid_t(pid), 0) == 0 || errno == EPERM
    }

    /// This machine's host name, so runs on another machine sharing the file are never judged dead here.
    static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()
}
