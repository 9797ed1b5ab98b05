import Foundation
import LabelStore
import PostgresNIO

/// `querykind report` over PostgreSQL: the same figures as the SQLite report, built by the server as one JSON
/// document with the report's own field names and decoded into `LabelReport`, so both engines print the same way.
extension PostgresLabelStore {
    public func report(examples: Int = 10, runs: Int = 10) throws -> LabelReport {
        try requireCurrentSchema()
        let source = try link.query("""
            SELECT source_table, text_column, id_column FROM label_runs ORDER BY id DESC LIMIT 1
            """).first.map { try $0.decode((String, String, String).self) }
            .map { SourceTable(table: $0.0, textColumn: $0.1, idColumn: $0.2) }
        var text = "NULL::text", join = ""
        if let source, try link.scalar("SELECT to_regclass($1)::text", binds(source.quotedTable), as: String.self) != nil {
            text = "substr(min(s.\(source.quotedText)::text), 1, 120)"
            join = "LEFT JOIN \(source.quotedTable) AS s ON s.\(source.quotedID) = l.query_id"
        }
        let json = try link.scalar("""
            SELECT json_build_object(
              'by_kind', (SELECT coalesce(json_agg(k ORDER BY k.model, k.count DESC), '[]') FROM
                  (SELECT model, kind, count(*) AS count FROM query_labels GROUP BY model, kind) AS k),
              'errors', (SELECT coalesce(json_agg(e ORDER BY e.count DESC), '[]') FROM
                  (SELECT error, count(*) AS count FROM query_labels WHERE error IS NOT NULL GROUP BY error) AS e),
              'p_keyword_histogram', \(histogram("p_keyword")),
              'p_question_histogram', \(histogram("p_question")),
              'least_confident', (SELECT coalesce(json_agg(x ORDER BY x.margin, x.query_id), '[]') FROM (
                  SELECT min(l.query_id) AS query_id, count(*) AS rows, \(text) AS text,
                         json_build_object('kind', l.kind, 'p_keyword', l.p_keyword, 'p_question', l.p_question) AS label,
                         CASE WHEN l.kind = 'keyword' THEN abs(l.p_keyword - 0.5)
                              ELSE least(abs(l.p_keyword - 0.5), abs(l.p_question - 0.5)) END AS margin
                  FROM query_labels AS l \(join) WHERE l.kind IS NOT NULL
                  GROUP BY l.model, l.kind, l.p_keyword, l.p_question ORDER BY margin, min(l.query_id) LIMIT $1) AS x),
              'cache', (SELECT json_build_object('entries', count(*), 'hits', coalesce(sum(hits), 0),
                  'hit_rate', (SELECT CASE WHEN coalesce(sum(rows_labeled), 0) = 0 THEN 0
                                      ELSE sum(cache_hits)::float8 / sum(rows_labeled) END FROM label_runs))
                  FROM label_cache),
              'recent_runs', (SELECT coalesce(json_agg(r ORDER BY r.id DESC), '[]') FROM (
                  SELECT id, command, status, \(isoTime("started_at")) AS started_at, \(isoTime("ended_at")) AS ended_at,
                         model, error, json_build_object('rows_scanned', rows_scanned, 'rows_labeled', rows_labeled,
                             'cache_hits', cache_hits, 'inferences', inferences, 'rows_with_errors', rows_with_errors)
                             AS counters
                  FROM label_runs ORDER BY id DESC LIMIT $2) AS r)
            )::text
            """, binds(Int64(examples), Int64(runs)), as: String.self) ?? "{}"
        do {
            return try JSONDecoder().decode(LabelReport.self, from: Data(json.utf8))
        } catch {
            throw PostgresStoreError.decoding("report: \(error)")
        }
    }

    /// Ten counts of `column` in bins of 0.1, as a JSON array.
    private func histogram(_ column: String) -> String {
        """
        (SELECT json_agg(coalesce(h.count, 0) ORDER BY b.bin) FROM generate_series(0, 9) AS b (bin) LEFT JOIN
            (SELECT least(greatest(floor(\(column) * 10)::int, 0), 9) AS bin, count(*) AS count FROM query_labels
             WHERE \(column) IS NOT NULL GROUP BY 1) AS h ON h.bin = b.bin)
        """
    }

    /// A timestamp as the SQLite store writes one (`2026-11-30T12:00:00.000Z`).
    private func isoTime(_ column: String) -> String {
        "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
    }
}
