import LabelStore
import PostgresNIO

/// Handing out batches to many workers: a claim is a row of `label_claims` held under its run's lease (renewed by
/// the `LeaseKeeper`), recorded in a short transaction, never a lock held across inference.
///
/// How a worker finds pending rows without scanning the whole table each time: `label_frontier` keeps, per table,
/// model and relabel flag, an id below which every row was labeled or claimed when a worker last moved it. A claim
/// walks the source table's id index forward from there, joined with `query_labels` and `label_claims` from the same
/// id, so it costs about one index step per row it skips or takes, however many rows are labeled below. Rows are locked with
/// `FOR NO KEY UPDATE SKIP LOCKED` while the claim commits, so two workers claiming at once take different rows
/// (the lock changes nothing and needs UPDATE privilege on the source table). Lapsed claims are taken back first,
/// from `label_claims` alone. A row whose insert committed after the frontier passed its id (ids are not committed
/// in order) is found by one rescan from the table's start at the end of a pass: one anti-join over the table per
/// `label` run and per `watch` full pass, and at most one per lease while a run waits for other workers.
extension PostgresLabelStore {
    public func claimPending(_ pending: Pending, runID: Int64, after cursor: Int64?, limit: Int) throws
        -> [SourceRow] {
        if cursor == nil, lastRescan.map({ ContinuousClock.now - $0 >= lease }) ?? true { rescanBeforeEmpty = true }
        var claimed = try claim(pending, runID: runID, limit: limit, fromStart: false)
        while claimed.isEmpty && rescanBeforeEmpty {
            claimed = try claim(pending, runID: runID, limit: limit, fromStart: true)
            if claimed.isEmpty { (rescanBeforeEmpty, lastRescan) = (false, ContinuousClock.now) }
        }
        return try rows(claimed, source: pending.source)
    }

    public func othersHoldClaims(_ pending: Pending, besides runID: Int64) throws -> Bool {
        try link.scalar("SELECT EXISTS (SELECT 1 FROM label_claims WHERE model = $1 AND run_id <> $2)",
                        binds(pending.model, runID), as: Bool.self) ?? false
    }

    /// Claims up to `limit` rows for `runID`: lapsed claims first, then fresh rows from the frontier (or from the
    /// table's start); returns each claimed id with how many times it has been claimed.
    private func claim(_ pending: Pending, runID: Int64, limit: Int, fromStart: Bool) throws
        -> [(id: Int64, attempts: Int)] {
        let source = pending.source
        let frontier = fromStart ? nil : try frontier(of: pending)
        let (lapsed, fresh): ([PostgresRow], [PostgresRow]) = try link.transaction {
            let lapsed = try link.query("""
                UPDATE label_claims AS c SET run_id = $1, attempts = c.attempts + 1
                WHERE c.query_id IN (
                    SELECT query_id FROM label_claims
                    WHERE model = $2 AND run_id IN (SELECT id FROM label_runs WHERE lease_expires_at <= now())
                    ORDER BY query_id LIMIT $3 FOR UPDATE SKIP LOCKED)
                RETURNING c.query_id, c.attempts::int8
                """, binds(runID, pending.model, Int64(limit)))
            guard lapsed.count < limit else { return (lapsed, []) }
            var arguments = binds(runID, pending.model, Int64(limit - lapsed.count))
            // The frontier bounds the source scan and, repeated inside each NOT EXISTS, the anti-joins too: without
            // it PostgreSQL merges against query_labels from its first row, a walk over every label so far per claim
            // (68 ms instead of 2.5 ms per claim with 500,000 labels).
            var above = (source: "", labels: "", claims: "")
            if let frontier {
                arguments.append(frontier)
                above = ("AND s.\(source.quotedID) > $4", "AND l.query_id > $4", "AND c.query_id > $4")
            }
            let labeled = pending.relabel ? "AND l.model = $2" : ""
            let fresh = try link.query("""
                WITH candidates AS MATERIALIZED (
                    SELECT s.\(source.quotedID) AS id FROM \(source.quotedTable) AS s
                    WHERE NOT EXISTS (SELECT 1 FROM query_labels AS l
                                      WHERE l.query_id = s.\(source.quotedID) \(above.labels) \(labeled))
                      AND NOT EXISTS (SELECT 1 FROM label_claims AS c WHERE c.query_id = s.\(source.quotedID) \(above.claims))
                      \(above.source)
                    ORDER BY s.\(source.quotedID) LIMIT $3
                    FOR NO KEY UPDATE OF s SKIP LOCKED)
                INSERT INTO label_claims (query_id, run_id, model)
                SELECT id, $1, $2 FROM candidates
                ON CONFLICT (query_id) DO NOTHING
                RETURNING query_id, attempts::int8
                """, arguments)
            return (lapsed, fresh)
        }
        let taken = try lapsed.map { try $0.decode((Int64, Int64).self) }
        let new = try fresh.map { try $0.decode((Int64, Int64).self) }
        if let highest = new.map(\.0).max() {
            // Outside the claim's transaction, so the frontier row is locked for one statement only. A rescan moves
            // the frontier back to what it found; a forward claim only ever moves it up.
            try link.execute("""
                INSERT INTO label_frontier AS f (source_table, model, relabel, low_id) VALUES ($1, $2, $3, $4)
                ON CONFLICT (source_table, model, relabel) DO UPDATE
                SET low_id = CASE WHEN $5 THEN EXCLUDED.low_id ELSE greatest(f.low_id, EXCLUDED.low_id) END
                """, binds(source.table, pending.model, pending.relabel, highest, fromStart))
        }
        return (taken + new).map { (id: $0.0, attempts: Int($0.1)) }.sorted { $0.id < $1.id }
    }

    /// Where forward claims start for `pending`, nil when from the table's start.
    private func frontier(of pending: Pending) throws -> Int64? {
        try link.scalar("""
            SELECT low_id FROM label_frontier WHERE source_table = $1 AND model = $2 AND relabel = $3
            """, binds(pending.source.table, pending.model, pending.relabel), as: Int64.self)
    }

    /// The claimed rows with their values; a row claimed too often comes back `abandoned` (to be written as an
    /// error), and a row deleted from the source since its claim loses its claim.
    private func rows(_ claimed: [(id: Int64, attempts: Int)], source: SourceTable) throws -> [SourceRow] {
        guard !claimed.isEmpty else { return [] }
        let textKind = try textKind(of: source)
        let values = try link.query("""
            SELECT s.\(source.quotedID)::int8, \(textKind.expression(source.quotedText))
            FROM \(source.quotedTable) AS s WHERE s.\(source.quotedID) = ANY($1)
            """, binds(claimed.map(\.id))).map { try $0.decode((Int64, String?).self) }
        let valueOf = Dictionary(values.map { ($0.0, $0.1) }, uniquingKeysWith: { first, _ in first })
        let vanished = claimed.map(\.id).filter { valueOf[$0] == nil }
        if !vanished.isEmpty {
            try link.execute("DELETE FROM label_claims WHERE query_id = ANY($1)", binds(vanished))
        }
        return claimed.compactMap { row in
            guard let value = valueOf[row.id] else { return nil }
            if row.attempts > Self.maximumAttempts { return SourceRow(id: row.id, value: .abandoned(attempts: row.attempts - 1)) }
            return SourceRow(id: row.id, value: textKind.value(value))
        }
    }

    public func countPending(_ pending: Pending) throws -> Int {
        let source = pending.source
        let labeled = pending.relabel ? "AND l.model = $1" : ""
        return Int(try link.scalar("""
            SELECT count(*) FROM \(source.quotedTable) AS s
            WHERE NOT EXISTS (SELECT 1 FROM query_labels AS l WHERE l.query_id = s.\(source.quotedID) \(labeled))
            """, pending.relabel ? binds(pending.model) : PostgresBindings(), as: Int64.self) ?? 0)
    }

    public func highestSourceID(_ source: SourceTable) throws -> Int64? {
        try link.scalar("SELECT max(\(source.quotedID))::int8 FROM \(source.quotedTable)", as: Int64.self)
    }
}
