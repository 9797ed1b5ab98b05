import Foundation
import LabelStore
import PostgresNIO

/// Writing a batch and the shared cache. Every statement takes whole arrays (`unnest`), so a batch costs a handful
/// of round trips whatever its size.
extension PostgresLabelStore {
    /// Writes `batch` in one transaction, only for the rows this run still holds: the claims are deleted in the same
    /// statement that inserts the labels, so a row whose lease lapsed and was taken by another worker is left to it,
    /// and a label for a row is never written twice (a second write by the same model changes nothing).
    ///
    /// The run's row counters count the rows this run wrote; `inferences` counts the model runs it paid for, even
    /// for rows another worker wrote after this run's lease lapsed. A deadlock or serialization failure (two workers
    /// bumping the same cache entries) is retried a few times.
    public func write(_ batch: LabelBatch, runID: Int64) throws {
        var ids: [Int64] = [], kinds: [String] = [], keyword: [Double] = [], question: [Double] = [], errors: [String] = []
        var keys: [String] = []
        for (id, outcome) in batch.outcomes {
            ids.append(id)
            keys.append(batch.keys[id] ?? "")
            switch outcome {
            case .labeled(let label):
                kinds.append(label.kind); keyword.append(label.pKeyword); question.append(label.pQuestion); errors.append("")
            case .failed(let reason):
                kinds.append(""); keyword.append(.nan); question.append(.nan); errors.append(reason)
            }
        }
        try retryingConflicts {
            try link.transaction {
                let written = try link.query("""
                    WITH mine AS (DELETE FROM label_claims WHERE run_id = $1 AND query_id = ANY($2) RETURNING query_id)
                    INSERT INTO query_labels AS q (query_id, kind, p_keyword, p_question, error, model, run_id,
                                                   normalized_text)
                    SELECT t.id, nullif(t.kind, ''), nullif(t.pk, 'NaN'), nullif(t.pq, 'NaN'), nullif(t.error, ''), $7, $1,
                           nullif(t.key, '')
                    FROM unnest($2::int8[], $3::text[], $4::float8[], $5::float8[], $6::text[], $8::text[])
                         AS t (id, kind, pk, pq, error, key)
                    JOIN mine ON mine.query_id = t.id
                    ON CONFLICT (query_id) DO UPDATE SET kind = EXCLUDED.kind, p_keyword = EXCLUDED.p_keyword,
                        p_question = EXCLUDED.p_question, error = EXCLUDED.error, model = EXCLUDED.model,
                        run_id = EXCLUDED.run_id, labeled_at = now(), normalized_text = EXCLUDED.normalized_text
                    WHERE q.model <> EXCLUDED.model
                    RETURNING q.kind IS NOT NULL
                    """, binds(runID, ids, kinds, keyword, question, errors, batch.cache.model, keys))
                    .map { try $0.decode(Bool.self) }
                try writeCache(batch.cache)
                try addToRun(runID, Self.counters(batch.counters, written: written))
            }
        }
    }

    /// The batch's counters for the rows actually written (all of them, unless a lease lapsed).
    static func counters(_ counters: RunCounters, written: [Bool]) -> RunCounters {
        guard written.count != counters.scanned else { return counters }
        var kept = counters
        kept.scanned = written.count
        kept.labeled = written.filter { $0 }.count
        kept.errors = kept.scanned - kept.labeled
        kept.cacheHits = min(counters.cacheHits, kept.labeled)
        return kept
    }

    public func cachedLabels(model: String, keys: [String]) throws -> [String: StoredLabel] {
        guard !keys.isEmpty else { return [:] }
        let rows = try link.query("""
            SELECT normalized_text, kind, p_keyword, p_question FROM label_cache
            WHERE model = $1 AND normalized_text = ANY($2)
            """, binds(model, keys)).map { try $0.decode((String, String, Double, Double).self) }
        return Dictionary(rows.map { ($0.0, StoredLabel(kind: $0.1, pKeyword: $0.2, pQuestion: $0.3)) },
                          uniquingKeysWith: { first, _ in first })
    }

    public func recordCache(_ update: CacheUpdate) throws {
        try retryingConflicts { try link.transaction { try writeCache(update) } }
    }

    /// New entries (keeping one another worker wrote first) and hit counts, keys in sorted order so workers touching
    /// the same entries lock them in the same order.
    private func writeCache(_ update: CacheUpdate) throws {
        if !update.newEntries.isEmpty {
            let entries = update.newEntries.sorted { $0.key < $1.key }
            try link.execute("""
                INSERT INTO label_cache (model, normalized_text, kind, p_keyword, p_question)
                SELECT $1, t.key, t.kind, t.pk, t.pq FROM unnest($2::text[], $3::text[], $4::float8[], $5::float8[])
                     AS t (key, kind, pk, pq)
                ON CONFLICT (model, normalized_text) DO NOTHING
                """, binds(update.model, entries.map(\.key), entries.map(\.label.kind), entries.map(\.label.pKeyword),
                           entries.map(\.label.pQuestion)))
        }
        if !update.hits.isEmpty {
            let hits = update.hits.sorted { $0.key < $1.key }
            try link.execute("""
                UPDATE label_cache AS c SET hits = c.hits + t.n, last_seen = now()
                FROM unnest($2::text[], $3::int8[]) AS t (key, n)
                WHERE c.model = $1 AND c.normalized_text = t.key
                """, binds(update.model, hits.map(\.key), hits.map { Int64($0.value) }))
        }
    }

    /// Runs `body`, again up to four times after a deadlock or serialization failure (SQLSTATE 40P01, 40001), which
    /// PostgreSQL resolves by aborting one of the transactions involved.
    private func retryingConflicts(_ body: () throws -> Void) throws {
        for attempt in 1... {
            do {
                return try body()
            } catch let error as PostgresStoreError where ["40P01", "40001"].contains(error.sqlState) && attempt < 5 {
                Thread.sleep(forTimeInterval: 0.01 * Double(attempt))
            }
        }
    }
}
